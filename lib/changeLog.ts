// The change log: a rising revision per registry write the token endpoint cares about, so api mirrors poll for changes.
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './mongoErrors';

/**
 * FerretDB v1 (local) has no TTL indexes, change streams or transactions, so the log is a plain collection:
 * - a writer takes the next revision from the head document ($inc, atomic on one document) and then inserts the entry
 *   `{_id: revision, integrationId, at}`; entries are hints ("reload this id"), the registry stays the truth;
 * - a reader polls `_id > R` (the _id index, sorted); the head document makes an idle poll one cheap read;
 * - a revision taken but not inserted yet is a gap: readers wait up to GAP_WAIT_MS for it, and a rescan every RESCAN_MS
 *   looks again for the revisions given up on, so an entry that filled a gap late is still applied;
 * - entries are kept RETAIN_MS (deleted by writers, since there is no TTL): a reader that has not polled for
 *   STALE_READER_MS (< RETAIN_MS) reloads everything instead of trusting the log.
 */
export const GAP_WAIT_MS = 2_000;
export const RESCAN_MS = 2_000;
export const RETAIN_MS = 120_000;
export const STALE_READER_MS = 60_000;
const PRUNE_EVERY_MS = 15_000;

export interface ChangeEntry {
  _id: number;
  integrationId: string;
  at: Date;
}

const entrySchema = new Schema<ChangeEntry>(
  { _id: { type: Number, required: true }, integrationId: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false, collection: 'change_log' },
);
// Pruning deletes by insert time.
entrySchema.index({ at: 1 });
const headSchema = new Schema<{ _id: string; revision: number }>({ _id: { type: String, required: true }, revision: { type: Number, required: true } }, { versionKey: false, collection: 'change_log_head' });
const HEAD = 'head';

const modelOf = <T>(conn: Connection, name: string, schema: Schema<T>): Model<T> => (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema);

export class ChangeLog {
  private readonly entries: Model<ChangeEntry>;
  private readonly head: Model<{ _id: string; revision: number }>;
  private lastPruneAt = 0;

  constructor(conn: Connection) {
    this.entries = modelOf(conn, 'ChangeLogEntry', entrySchema);
    this.head = modelOf(conn, 'ChangeLogHead', headSchema);
  }

  async init(): Promise<void> {
    await Promise.all([this.entries.init(), this.head.init()]);
  }

  /** Appends one entry per id (after the registry write it announces, so a reader that sees it sees the write). */
  async append(...integrationIds: string[]): Promise<void> {
    if (integrationIds.length === 0) return;
    const last = await this.take(integrationIds.length);
    const at = new Date();
    await this.entries.insertMany(integrationIds.map((integrationId, i) => ({ _id: last - integrationIds.length + 1 + i, integrationId, at })));
    if (Date.now() - this.lastPruneAt > PRUNE_EVERY_MS) {
      this.lastPruneAt = Date.now();
      await this.entries.deleteMany({ at: { $lt: new Date(Date.now() - RETAIN_MS) } });
    }
  }

  /** Reserves `count` revisions; returns the last. Two first writers racing on the upsert: the loser retries once. */
  private async take(count: number): Promise<number> {
    const inc = () => this.head.findOneAndUpdate({ _id: HEAD }, { $inc: { revision: count } }, { upsert: true, returnDocument: 'after' }).lean();
    try {
      return (await inc())!.revision;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return (await inc())!.revision;
    }
  }

  /** The newest revision handed out (0: none yet). */
  async headRevision(): Promise<number> {
    return (await this.head.findById(HEAD).lean())?.revision ?? 0;
  }

  /** Entries above `revision`, oldest first. */
  async since(revision: number, limit = 5000): Promise<ChangeEntry[]> {
    return this.entries.find({ _id: { $gt: revision } }).sort({ _id: 1 }).limit(limit).lean();
  }

  /** The entries of these revisions that exist (the rescan of revisions given up on). */
  async byRevision(revisions: number[]): Promise<ChangeEntry[]> {
    return this.entries.find({ _id: { $in: revisions } }).lean();
  }
}

/**
 * A reader's position in the log: which revisions it has applied, which gaps it is waiting for. Pure bookkeeping, so
 * the rules (wait for a gap, give up after GAP_WAIT_MS, rescan, reload when stale) are tested without a database.
 */
export class LogCursor {
  /** Every revision up to here is applied, or given up on (then it is in `late` until the rescan finds it). */
  confirmed = 0;
  /** Applied revisions above `confirmed` (there is a gap below them). */
  private readonly applied = new Set<number>();
  /** When each missing revision was first seen missing. */
  private readonly gaps = new Map<number, number>();
  /** Revisions passed over after GAP_WAIT_MS, with when: the rescan looks for them until the log no longer keeps them. */
  private readonly late = new Map<number, number>();
  lastPollAt = 0;
  lastRescanAt = 0;

  reset(revision: number, now: number): void {
    this.confirmed = revision;
    this.applied.clear();
    this.gaps.clear();
    this.late.clear();
    this.lastPollAt = now;
    this.lastRescanAt = now;
  }

  stale(now: number): boolean {
    return now - this.lastPollAt > STALE_READER_MS;
  }

  /** Takes a batch of entries; returns the ids to reload, and moves `confirmed` over what is complete. */
  take(entries: ChangeEntry[], now: number): string[] {
    const ids = new Set<string>();
    for (const e of entries) {
      if (e._id <= this.confirmed || this.applied.has(e._id)) continue;
      this.applied.add(e._id);
      this.gaps.delete(e._id);
      ids.add(e.integrationId);
    }
    const top = Math.max(this.confirmed, ...this.applied);
    for (let r = this.confirmed + 1; r < top; r++) if (!this.applied.has(r) && !this.gaps.has(r)) this.gaps.set(r, now);
    // Advance over applied revisions and over gaps that waited long enough (the rescan still catches their late entry).
    while (this.confirmed < top) {
      const next = this.confirmed + 1;
      if (this.applied.delete(next)) this.confirmed = next;
      else if (now - (this.gaps.get(next) ?? now) >= GAP_WAIT_MS) {
        this.gaps.delete(next);
        this.late.set(next, now);
        this.confirmed = next;
      } else break;
    }
    return [...ids];
  }

  /** The revisions given up on that the rescan should look for (those older than the log keeps are dropped). */
  givenUp(now: number): number[] {
    for (const [r, at] of this.late) if (now - at > RETAIN_MS) this.late.delete(r);
    return [...this.late.keys()];
  }

  /** A late entry the rescan found: applied once, then no longer looked for. */
  filled(entry: ChangeEntry): string {
    this.late.delete(entry._id);
    return entry.integrationId;
  }
}
