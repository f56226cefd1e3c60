// The append-only audit trail: who did what, when, from where, with which outcome. Token reads are counted per minute instead.
import { Schema, type Connection, type Model } from 'mongoose';

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

interface TokenReadCount {
  principalId: string;
  integrationId: string;
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

const readsSchema = new Schema<TokenReadCount>(
  { principalId: String, integrationId: String, minute: Date, count: Number },
  { versionKey: false, collection: 'token_read_counts' },
);
readsSchema.index({ principalId: 1, integrationId: 1, minute: 1 }, { unique: true });

const FLUSH_MS = 15_000;

export class AuditLog {
  private readonly entries: Model<AuditEntry>;
  private readonly reads: Model<TokenReadCount>;
  private pending = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(conn: Connection) {
    this.entries = conn.model<AuditEntry>('AuditEntry', auditSchema);
    this.reads = conn.model<TokenReadCount>('TokenReadCount', readsSchema);
    this.timer = setInterval(() => void this.flush().catch(() => undefined), FLUSH_MS);
    this.timer.unref();
  }

  /** Appends one entry. Only inserts exist in this module: the trail is never edited. */
  async record(entry: AuditEntry): Promise<void> {
    await this.entries.create(entry);
  }

  /** Counts a token read in memory; counts reach MongoDB per principal, integration and minute. */
  countTokenRead(principalId: string, integrationId: string): void {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const key = `${principalId}\u0000${integrationId}\u0000${minute}`;
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    for (const [key, count] of batch) {
      const [principalId, integrationId, minute] = key.split('\u0000');
      await this.reads.updateOne({ principalId, integrationId, minute: new Date(Number(minute)) }, { $inc: { count } }, { upsert: true });
    }
  }

  async list(filter: { principalId?: string; target?: string }, limit: number): Promise<AuditEntry[]> {
    const query: Record<string, string> = {};
    if (filter.principalId) query.principalId = filter.principalId;
    if (filter.target) query.target = filter.target;
    return this.entries.find(query, { _id: 0 }).sort({ at: -1 }).limit(limit).lean();
  }

  async tokenReads(filter: { principalId?: string; integrationId?: string }, limit: number): Promise<TokenReadCount[]> {
    await this.flush();
    const query: Record<string, string> = {};
    if (filter.principalId) query.principalId = filter.principalId;
    if (filter.integrationId) query.integrationId = filter.integrationId;
    return this.reads.find(query, { _id: 0 }).sort({ minute: -1 }).limit(limit).lean();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
