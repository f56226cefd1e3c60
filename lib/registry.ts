// The registry in MongoDB: non-confidential configuration, the projection of each workflow's state, lifecycle events.
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type { IntegrationConfig, Projection, Status, TransitionEvent } from '../workflows/model';
import { ChangeLog } from './changeLog';
import { isDuplicateKey } from './mongoErrors';

export interface IntegrationRecord extends IntegrationConfig {
  state: Projection;
  createdAt: Date;
  updatedAt: Date;
}

const lastErrorSchema = new Schema({ code: String, message: String, at: String }, { _id: false });
const projectionSchema = new Schema(
  {
    status: { type: String, required: true },
    secretArn: { type: String, default: null },
    secretVersionId: { type: String, default: null },
    expiresAt: { type: String, default: null },
    scope: { type: String, default: null },
    tokenType: { type: String, default: null },
    hasRefreshToken: { type: Boolean, default: false },
    lastRefreshAt: { type: String, default: null },
    lastError: { type: lastErrorSchema, default: null },
    failingSince: { type: String, default: null },
    consecutiveFailures: { type: Number, default: 0 },
    refreshDueAt: { type: String, default: null },
    nextAttemptAt: { type: String, default: null },
    refreshWarning: { type: String, default: null },
    revision: { type: Number, required: true },
  },
  { _id: false },
);

const integrationSchema = new Schema(
  {
    _id: { type: String, required: true },
    label: { type: String, required: true },
    grantType: { type: String, required: true },
    tokenUrl: { type: String, required: true },
    clientId: { type: String, required: true },
    scope: { type: String, default: null },
    apiBaseUrl: { type: String, required: true },
    tenantId: { type: String, default: null },
    revocationUrl: { type: String, default: null },
    tokenAuthMethod: { type: String, required: true },
    clientAssertionAlg: { type: String, default: null },
    clientKeyId: { type: String, default: null },
    clientCertificateThumbprint: { type: String, default: null },
    assertionSubject: { type: String, default: null },
    assertionAudience: { type: String, default: null },
    authorizationUrl: { type: String, default: null },
    redirectUri: { type: String, default: null },
    owner: { type: String, required: true, index: true },
    preset: { type: String, default: null },
    issuer: { type: String, default: null },
    issRequired: { type: Boolean, default: false },
    authorizationParams: { type: Object, default: {} },
    tokenRequestHeaders: { type: [new Schema({ name: String, value: String }, { _id: false })], default: [] },
    revokeReplacedGrant: { type: Boolean },
    dpop: { type: Boolean, default: false },
    state: { type: projectionSchema, required: true },
  },
  { versionKey: false, timestamps: true, collection: 'integrations' },
);
// The list's keyset order, alone and under its filters (README, "Indexes"); the tenantId prefix serves tenant confinement.
integrationSchema.index({ createdAt: -1, _id: -1 });
integrationSchema.index({ tenantId: 1, createdAt: -1, _id: -1 });
integrationSchema.index({ 'state.status': 1, createdAt: -1, _id: -1 });
// The fleet's soonest expiry and the oldest unresolved failure (lib/health.ts) when read from the registry.
integrationSchema.index({ 'state.status': 1, 'state.expiresAt': 1 });
integrationSchema.index({ 'state.failingSince': 1, 'state.lastError.at': 1 });

const eventSchema = new Schema(
  {
    integrationId: { type: String, required: true },
    seq: { type: Number, required: true },
    from: { type: String, default: null },
    to: { type: String, required: true },
    reason: { type: String, required: true },
    actor: { type: String, required: true },
    at: { type: String, required: true },
  },
  { versionKey: false, collection: 'integration_events' },
);
eventSchema.index({ integrationId: 1, seq: 1 }, { unique: true });
// The fleet charts read events by time across integrations (lib/fleet.ts).
eventSchema.index({ at: 1 });

export interface ListCursor {
  createdAt: Date;
  id: string;
}

/** A list page's nextCursor back to its position; null when it is not one. */
export function parseListCursor(cursor: string): ListCursor | null {
  const [at, id] = cursor.split('~');
  if (!at || !id || !/^int_[a-f0-9]{24}$/.test(id) || Number.isNaN(Date.parse(at))) return null;
  return { createdAt: new Date(at), id };
}

/** The slice of an integration the token endpoint and the summary read (api/tokenMirror.ts). */
export type MirrorRow = Pick<IntegrationRecord, 'id' | 'label' | 'tenantId' | 'apiBaseUrl' | 'state'>;

function toRecord(doc: Record<string, unknown>): IntegrationRecord {
  const { _id, ...rest } = doc;
  return { id: _id as string, ...(rest as Omit<IntegrationRecord, 'id'>) };
}

export class Registry {
  private readonly integrations: Model<Record<string, unknown>>;
  private readonly events: Model<TransitionEvent>;
  /** Every write below announces itself here, after it lands: api mirrors reload what changed (lib/changeLog.ts). */
  readonly changes: ChangeLog;

  private constructor(readonly conn: Connection) {
    this.integrations = conn.model('Integration', integrationSchema) as unknown as Model<Record<string, unknown>>;
    this.events = conn.model<TransitionEvent>('IntegrationEvent', eventSchema);
    this.changes = new ChangeLog(conn);
  }

  static async connect(uri: string): Promise<Registry> {
    const conn = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000, autoIndex: true }).asPromise();
    const registry = new Registry(conn);
    await Promise.all([registry.integrations.init(), registry.events.init(), registry.changes.init()]);
    return registry;
  }

  /** First registration; idempotent so a retried activity does not fail on its own earlier write. */
  async register(config: IntegrationConfig, projection: Projection, events: TransitionEvent[]): Promise<void> {
    const { id, ...rest } = config;
    await this.integrations.updateOne({ _id: id }, { $setOnInsert: { ...rest, state: projection } }, { upsert: true });
    await this.changes.append(id);
    await this.insertEvents(events);
  }

  async recordTransition(integrationId: string, projection: Projection, event: TransitionEvent | null): Promise<void> {
    // Older revisions never overwrite newer ones, whatever order retries land in.
    await this.integrations.updateOne({ _id: integrationId, 'state.revision': { $lt: projection.revision } }, { $set: { state: projection } });
    // Appended even when a newer revision was already there: a retried activity re-announces a write whose entry a
    // crash may have lost.
    await this.changes.append(integrationId);
    if (event) await this.insertEvents([event]);
  }

  async saveConfig(config: IntegrationConfig): Promise<void> {
    const { id, ...rest } = config;
    await this.integrations.updateOne({ _id: id }, { $set: rest });
    await this.changes.append(id);
  }

  async find(id: string): Promise<IntegrationRecord | null> {
    const doc = await this.integrations.findById(id).lean();
    return doc ? toRecord(doc as Record<string, unknown>) : null;
  }

  /** What the api's token mirror holds per integration, for the given ids (null: every integration). */
  async mirrorRows(ids: string[] | null): Promise<MirrorRow[]> {
    const docs = await this.integrations.find(ids ? { _id: { $in: ids } } : {}, { label: 1, tenantId: 1, apiBaseUrl: 1, state: 1 }).lean();
    return docs.map((d) => {
      const doc = d as unknown as { _id: string; label: string; tenantId?: string | null; apiBaseUrl: string; state: Projection };
      return { id: doc._id, label: doc.label, tenantId: doc.tenantId ?? null, apiBaseUrl: doc.apiBaseUrl, state: doc.state };
    });
  }

  /**
   * Newest first, `limit` at a time: `after` is the previous page's nextCursor (keyset on createdAt and id, so a page
   * costs an index range, not a skip over everything before it, and inserts meanwhile never repeat or drop an item).
   * `tenants` confines the list (null = all tenants).
   */
  async list(
    filter: { tenantId?: string; status?: Status; tenants: string[] | null },
    limit: number,
    after: ListCursor | null = null,
  ): Promise<{ items: IntegrationRecord[]; nextCursor: string | null }> {
    const query: Record<string, unknown> = {};
    if (filter.tenants) query.tenantId = { $in: filter.tenants };
    if (filter.tenantId) query.tenantId = filter.tenants && !filter.tenants.includes(filter.tenantId) ? { $in: [] } : filter.tenantId;
    if (filter.status) query['state.status'] = filter.status;
    if (after) query.$or = [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }];
    const docs = await this.integrations.find(query).sort({ createdAt: -1, _id: -1 }).limit(limit).lean();
    const items = docs.map((d) => toRecord(d as Record<string, unknown>));
    const last = items.length === limit ? items[items.length - 1] : null;
    return { items, nextCursor: last ? `${new Date(last.createdAt).toISOString()}~${last.id}` : null };
  }

  /** Newest first, `limit` at a time; `beforeSeq` continues below the last page (seq is unique per integration). */
  async listEvents(integrationId: string, limit: number, beforeSeq: number | null = null): Promise<TransitionEvent[]> {
    const filter = beforeSeq === null ? { integrationId } : { integrationId, seq: { $lt: beforeSeq } };
    return this.events.find(filter, { _id: 0 }).sort({ seq: -1 }).limit(limit).lean();
  }

  async ping(): Promise<void> {
    await this.conn.db!.admin().ping();
  }

  async close(): Promise<void> {
    await this.conn.close();
  }

  private async insertEvents(events: TransitionEvent[]): Promise<void> {
    for (const event of events) {
      try {
        await this.events.create(event);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
  }
}
