// The encrypted token store: per-generation credential records as envelope ciphertext in MongoDB, plus each secret's write log.
import { Schema, type Connection, type Model } from 'mongoose';
import { ChangeLog } from './changeLog';
import { seal, unseal, type KeyWrapper } from './envelope';
import type { StoredSecret } from './vault';

/** How many generations before the newest stay readable (an api instance may still serve from a slightly older projection). */
const KEEP_GENERATIONS = 3;

interface RecordDoc {
  _id: string;
  integrationId: string;
  generation: number;
  /** True while Secrets Manager does not hold this record's durable material (a pending write). */
  pending: boolean;
  keyId: string;
  wrappedKey: Buffer;
  data: Buffer;
  createdAt: Date;
}

const recordSchema = new Schema<RecordDoc>(
  {
    _id: { type: String, required: true },
    integrationId: { type: String, required: true },
    generation: { type: Number, required: true },
    pending: { type: Boolean, required: true },
    keyId: { type: String, required: true },
    wrappedKey: { type: Buffer, required: true },
    data: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'token_records' },
);
recordSchema.index({ integrationId: 1, generation: -1 });

// Non-confidential: when each secret last received a version (the write budget's memory).
const writeLogSchema = new Schema<{ _id: string; at: number[] }>({ _id: { type: String, required: true }, at: { type: [Number], default: [] } }, { versionKey: false, collection: 'vault_write_log' });

// Non-confidential: a refresh-token request that was sent and whose answer is not stored yet (generation it would create).
// awaitedAt: renewed every second while the sending attempt still awaits (or stores) the answer; absent once it gave up.
const inFlightSchema = new Schema<InFlightDoc>(
  { _id: { type: String, required: true }, generation: { type: Number, required: true }, startedAt: { type: Date, required: true }, awaitedAt: { type: Date, required: false } },
  { versionKey: false, collection: 'refresh_in_flight' },
);
interface InFlightDoc {
  _id: string;
  generation: number;
  startedAt: Date;
  awaitedAt?: Date;
}

/** A refresh-token request noted in flight: `awaitedAt` is when its sender last said it still awaits the answer. */
export interface RefreshInFlight {
  generation: number;
  startedAt: Date;
  awaitedAt: Date | null;
}

// Non-confidential: the newest generation whose grant the provider refused (invalid_grant). Its access token, and any
// older one, may be revoked with the grant: the token endpoint stops serving them before the workflow has moved on.
const deadGrantSchema = new Schema<DeadGrantDoc>(
  { _id: { type: String, required: true }, generation: { type: Number, required: true }, at: { type: Date, required: true } },
  { versionKey: false, collection: 'dead_grants' },
);
interface DeadGrantDoc {
  _id: string;
  generation: number;
  at: Date;
}

export interface StoreRecord {
  generation: number;
  pending: boolean;
  value: StoredSecret;
}

/** lean() hands back BSON Binary for Buffer fields. */
const bytes = (v: unknown): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from((v as { buffer: Uint8Array }).buffer));

const recordId = (integrationId: string, generation: number) => `${integrationId}:${generation}`;

export class TokenStore {
  private readonly records: Model<RecordDoc>;
  private readonly writeLog: Model<{ _id: string; at: number[] }>;
  private readonly inFlight: Model<InFlightDoc>;
  private readonly deadGrants: Model<DeadGrantDoc>;
  private readonly changes: ChangeLog;

  constructor(
    conn: Connection,
    private readonly keys: KeyWrapper,
  ) {
    this.records = conn.model<RecordDoc>('TokenRecord', recordSchema);
    this.writeLog = conn.model('VaultWriteLog', writeLogSchema);
    this.inFlight = conn.model<InFlightDoc>('RefreshInFlight', inFlightSchema);
    this.deadGrants = conn.model<DeadGrantDoc>('DeadGrant', deadGrantSchema);
    this.changes = new ChangeLog(conn);
  }

  async init(): Promise<void> {
    await Promise.all([this.records.init(), this.writeLog.init(), this.inFlight.init(), this.deadGrants.init(), this.changes.init()]);
  }

  /** Durably notes, before the refresh token leaves, that a refresh creating `generation` is under way (and awaited). */
  async markRefreshInFlight(integrationId: string, generation: number): Promise<void> {
    const now = new Date();
    await this.inFlight.updateOne({ _id: integrationId }, { $set: { generation, startedAt: now, awaitedAt: now } }, { upsert: true });
  }

  /** The sender of the refresh creating `generation` still awaits its answer (a no-op once the note is settled or replaced). */
  async renewRefreshInFlight(integrationId: string, generation: number): Promise<void> {
    await this.inFlight.updateOne({ _id: integrationId, generation }, { $set: { awaitedAt: new Date() } });
  }

  /**
   * The sender of the refresh creating `generation` gave up awaiting its answer (a timeout, a dropped connection): the
   * note stays (the request may have been answered), but nobody awaits it any more.
   */
  async refreshAbandoned(integrationId: string, generation: number): Promise<void> {
    await this.inFlight.updateOne({ _id: integrationId, generation }, { $unset: { awaitedAt: 1 } });
  }

  async refreshInFlight(integrationId: string): Promise<RefreshInFlight | null> {
    const doc = await this.inFlight.findById(integrationId).lean();
    return doc ? { generation: doc.generation, startedAt: doc.startedAt, awaitedAt: doc.awaitedAt ?? null } : null;
  }

  /** The refresh creating `generation` (or an older one) is settled: its answer is stored, or the provider refused it. */
  async refreshSettled(integrationId: string, generation: number): Promise<void> {
    await this.inFlight.deleteOne({ _id: integrationId, generation: { $lte: generation } });
  }

  /** The provider refused the grant held in `generation`: that generation and older ones must not be served again. */
  async markGrantDead(integrationId: string, generation: number): Promise<void> {
    await this.deadGrants.updateOne({ _id: integrationId }, { $max: { generation }, $set: { at: new Date() } }, { upsert: true });
    await this.changes.append(integrationId); // the token endpoint stops serving the dead generation
  }

  /** The newest generation whose grant the provider refused (0: none). A newer generation (re-consent) is a new grant. */
  async deadGeneration(integrationId: string): Promise<number> {
    return (await this.deadGrants.findById(integrationId).lean())?.generation ?? 0;
  }

  /** deadGeneration() for many integrations at once (null: every one that has a dead grant); absent means 0. */
  async deadGenerations(ids: string[] | null): Promise<Map<string, number>> {
    const docs = await this.deadGrants.find(ids ? { _id: { $in: ids } } : {}, { generation: 1 }).lean();
    return new Map(docs.map((d) => [d._id, d.generation]));
  }

  /** Stores one generation; records are immutable, so a retried put of the same generation keeps the first. */
  async put(integrationId: string, value: StoredSecret, pending: boolean): Promise<void> {
    const id = recordId(integrationId, value.generation);
    const sealed = await seal(this.keys, Buffer.from(JSON.stringify(value)), id);
    await this.records.updateOne(
      { _id: id },
      { $setOnInsert: { integrationId, generation: value.generation, pending, ...sealed, createdAt: new Date() } },
      { upsert: true },
    );
  }

  async get(integrationId: string, generation: number): Promise<StoreRecord | null> {
    const doc = await this.records.findById(recordId(integrationId, generation)).lean();
    return doc ? this.open(doc) : null;
  }

  async latest(integrationId: string): Promise<StoreRecord | null> {
    const [doc] = await this.records.find({ integrationId }).sort({ generation: -1 }).limit(1).lean();
    return doc ? this.open(doc) : null;
  }

  /** Secrets Manager now holds everything up to `generation`: those records are no longer pending; old ones go. */
  async flushed(integrationId: string, generation: number): Promise<void> {
    await this.records.updateMany({ integrationId, generation: { $lte: generation }, pending: true }, { $set: { pending: false } });
  }

  async prune(integrationId: string, newest: number): Promise<void> {
    await this.records.deleteMany({ integrationId, generation: { $lte: newest - KEEP_GENERATIONS }, pending: false });
  }

  async deleteAll(integrationId: string): Promise<void> {
    await Promise.all([this.records.deleteMany({ integrationId }), this.writeLog.deleteOne({ _id: integrationId }), this.inFlight.deleteOne({ _id: integrationId }), this.deadGrants.deleteOne({ _id: integrationId })]);
  }

  /** When Secrets Manager accepted versions of this integration's secret (ms epoch, oldest first). */
  async writesOf(integrationId: string): Promise<number[]> {
    const doc = await this.writeLog.findById(integrationId).lean();
    return doc?.at ?? [];
  }

  async recordWrite(integrationId: string, at: number, keepAfter: number): Promise<void> {
    // One writer per integration (its workflow), so read-modify-write cannot race with itself.
    const kept = (await this.writesOf(integrationId)).filter((t) => t > keepAfter);
    await this.writeLog.updateOne({ _id: integrationId }, { $set: { at: [...kept, at] } }, { upsert: true });
  }

  private async open(doc: RecordDoc): Promise<StoreRecord> {
    const plain = await unseal(this.keys, { keyId: doc.keyId, wrappedKey: bytes(doc.wrappedKey), data: bytes(doc.data) }, doc._id);
    return { generation: doc.generation, pending: doc.pending, value: JSON.parse(plain.toString('utf8')) as StoredSecret };
  }
}
