// The append-only audit trail: who did what, when, from where, with which outcome. High-volume events — token reads and
// rate-limited requests — are counted per principal, target and minute instead, so a flood never turns into a write flood.
import { Schema, Types, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './mongoErrors';

export interface AuditEntry {
  at: Date;
  principalId: string;
  role: string;
  action: string;
  method: string;
  path: string;
  target: string | null;
  status: number;
  outcome: 'succeeded' | 'denied' | 'failed';
  ip: string | null;
}

export interface AuditFilter {
  principalId?: string;
  action?: string;
  outcome?: AuditEntry['outcome'];
  /** Entries about any of these (integration or key ids). */
  targets?: string[];
  from?: Date;
  to?: Date;
}

/** `<ISO time>~<entry id>`, as page() hands out; null when malformed. */
export function parseAuditCursor(cursor: string): { at: Date; id: Types.ObjectId } | null {
  const [at, id] = cursor.split('~');
  if (!at || !id || !Types.ObjectId.isValid(id) || Number.isNaN(Date.parse(at))) return null;
  return { at: new Date(at), id: new Types.ObjectId(id) };
}

export type CountedKind = 'token_read' | 'rate_limited' | 'unauthenticated' | 'codec_use';

interface MinuteCount {
  kind: CountedKind;
  principalId: string;
  /** The integration read, the route that was refused, or the codec operation. An address stands in for a missing principal. */
  target: string;
  minute: Date;
  count: number;
}

const auditSchema = new Schema<AuditEntry>(
  {
    at: { type: Date, required: true, index: true },
    principalId: { type: String, required: true, index: true },
    role: String,
    action: String,
    method: String,
    path: String,
    target: { type: String, default: null, index: true },
    status: Number,
    outcome: String,
    ip: { type: String, default: null },
  },
  { versionKey: false, collection: 'audit_log' },
);

// The trail's page order (newest first, id breaks ties), alone and per principal or target.
auditSchema.index({ at: -1, _id: -1 });
auditSchema.index({ principalId: 1, at: -1, _id: -1 });
auditSchema.index({ target: 1, at: -1, _id: -1 });

const countsSchema = new Schema<MinuteCount>(
  { kind: String, principalId: String, target: String, minute: Date, count: Number },
  { versionKey: false, collection: 'audit_minute_counts' },
);
countsSchema.index({ kind: 1, principalId: 1, target: 1, minute: 1 }, { unique: true });

const FLUSH_MS = 15_000;

export class AuditLog {
  private readonly entries: Model<AuditEntry>;
  private readonly counts: Model<MinuteCount>;
  private pending = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(conn: Connection) {
    this.entries = conn.model<AuditEntry>('AuditEntry', auditSchema);
    this.counts = conn.model<MinuteCount>('AuditMinuteCount', countsSchema);
    this.timer = setInterval(() => void this.flush().catch(() => undefined), FLUSH_MS);
    this.timer.unref();
  }

  /** Appends one entry. Only inserts exist in this module: the trail is never edited. */
  async record(entry: AuditEntry): Promise<void> {
    await this.entries.create(entry);
  }

  /** Counts in memory; the counts reach MongoDB per kind, principal, target and minute. */
  count(kind: CountedKind, principalId: string, target: string): void {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const key = [kind, principalId, target, minute].join('\u0000');
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  /**
   * Adds the counts gathered so far to MongoDB. Safe while other flushes (here or in another api instance) add to the
   * same minute; what could not be written stays pending for the next flush instead of being dropped.
   */
  async flush(): Promise<void> {
    const batch = [...this.pending];
    this.pending = new Map();
    let written = 0;
    try {
      for (const [key, count] of batch) {
        await this.add(key, count);
        written += 1;
      }
    } catch (err) {
      for (const [key, count] of batch.slice(written)) this.pending.set(key, (this.pending.get(key) ?? 0) + count);
      throw err;
    }
  }

  private async add(key: string, count: number): Promise<void> {
    const [kind, principalId, target, minute] = key.split('\u0000');
    const filter = { kind: kind as CountedKind, principalId, target, minute: new Date(Number(minute)) };
    try {
      await this.counts.updateOne(filter, { $inc: { count } }, { upsert: true });
    } catch (err) {
      // Two upserts of a new minute raced and the other inserted the row first (MongoDB retries this itself, FerretDB
      // does not): the row exists now, so the same upsert becomes a plain increment.
      if (!isDuplicateKey(err)) throw err;
      await this.counts.updateOne(filter, { $inc: { count } }, { upsert: true });
    }
  }

  /**
   * Newest first, filtered, `limit` at a time; `before` is the previous page's nextCursor (time and id of its last
   * entry, since several entries can share a millisecond).
   */
  async page(filter: AuditFilter, limit: number, before: string | null): Promise<{ items: (AuditEntry & { id: string })[]; nextCursor: string | null }> {
    const query: Record<string, unknown> = {};
    if (filter.principalId) query.principalId = filter.principalId;
    if (filter.action) query.action = filter.action;
    if (filter.outcome) query.outcome = filter.outcome;
    if (filter.targets) query.target = { $in: filter.targets };
    if (filter.from || filter.to) query.at = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lte: filter.to } : {}) };
    const cursor = before ? parseAuditCursor(before) : null;
    if (cursor) query.$or = [{ at: { $lt: cursor.at } }, { at: cursor.at, _id: { $lt: cursor.id } }];
    const docs = (await this.entries.find(query).sort({ at: -1, _id: -1 }).limit(limit).lean()) as (AuditEntry & { _id: Types.ObjectId })[];
    const items = docs.map(({ _id, ...rest }) => ({ id: String(_id), ...rest }));
    const last = items.length === limit ? items[items.length - 1] : null;
    return { items, nextCursor: last ? `${last.at.toISOString()}~${last.id}` : null };
  }

  async counted(kind: CountedKind, filter: { principalId?: string; target?: string }, limit: number): Promise<MinuteCount[]> {
    await this.flush();
    const query: Record<string, string> = { kind };
    if (filter.principalId) query.principalId = filter.principalId;
    if (filter.target) query.target = filter.target;
    return this.counts.find(query, { _id: 0 }).sort({ minute: -1 }).limit(limit).lean();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
