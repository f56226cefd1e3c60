// API keys and the principals they stand for: random keys shown once, stored only as a hash, expiring and revocable.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';

export const ROLES = ['admin', 'support', 'finance', 'agency', 'service'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  id: string;
  name: string;
  role: Role;
  /** Tenants this principal is confined to; null = every tenant. */
  tenants: string[] | null;
  /** Integrations a service may read tokens of (besides its tenants); null = none by id. */
  integrations: string[] | null;
  /** Agencies read tokens only when granted. */
  canReadTokens: boolean;
}

export interface ApiKeyRecord extends Principal {
  createdAt: Date;
  createdBy: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** When the key last authenticated, to the minute (the console's "last used"); null: never. */
  lastUsedAt?: Date | null;
}

interface ApiKeyDoc extends Omit<ApiKeyRecord, 'id'> {
  _id: string;
  hash: string;
}

const keySchema = new Schema<ApiKeyDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    tenants: { type: [String], default: null },
    integrations: { type: [String], default: null },
    canReadTokens: { type: Boolean, default: false },
    hash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    expiresAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
  },
  { versionKey: false, collection: 'api_keys' },
);

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
// Keys carry 32 random bytes: a fast hash is enough (no dictionary to guess from), and keeps the token path fast.
const KEY_PATTERN = /^stw_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;
const CACHE_MS = 1000;
/** "Last used" is kept to the minute: at most one write per key and minute, whatever the request rate. */
const LAST_USED_RESOLUTION_MS = 60_000;

function toRecord(doc: ApiKeyDoc): ApiKeyRecord {
  const { _id, hash: _hash, ...rest } = doc;
  return { id: _id, ...rest };
}

export class KeyStore {
  private readonly keys: Model<ApiKeyDoc>;
  // A short cache keeps lookups off the token hot path; revocation reaches other instances within CACHE_MS.
  private readonly cache = new Map<string, { at: number; doc: ApiKeyDoc | null }>();
  private readonly lastNoted = new Map<string, number>();

  constructor(conn: Connection) {
    this.keys = conn.model<ApiKeyDoc>('ApiKey', keySchema);
  }

  async create(input: Omit<Principal, 'id'> & { expiresAt: Date | null; createdBy: string }): Promise<{ key: string; record: ApiKeyRecord }> {
    const id = randomBytes(10).toString('hex').slice(0, 16);
    const secret = randomBytes(32).toString('base64url');
    const key = `stw_${id}_${secret}`;
    const doc: ApiKeyDoc = { _id: id, ...input, hash: sha256(key), createdAt: new Date(), revokedAt: null };
    await this.keys.create(doc);
    return { key, record: toRecord(doc) };
  }

  /** The principal behind a presented key, or null when unknown, wrong, expired or revoked. */
  async authenticate(key: string): Promise<Principal | null> {
    const match = KEY_PATTERN.exec(key);
    if (!match) return null;
    const doc = await this.lookup(match[1]);
    if (!doc || doc.revokedAt || (doc.expiresAt && doc.expiresAt.getTime() <= Date.now())) return null;
    const presented = Buffer.from(sha256(key), 'hex');
    if (!timingSafeEqual(presented, Buffer.from(doc.hash, 'hex'))) return null;
    this.noteUse(doc._id);
    const { id, name, role, tenants, integrations, canReadTokens } = toRecord(doc);
    return { id, name, role, tenants, integrations, canReadTokens };
  }

  /** Whether the key behind a principal still authenticates (not revoked, not expired): sessions derived from it end with it. */
  async isLive(id: string): Promise<boolean> {
    const doc = await this.lookup(id);
    return Boolean(doc && !doc.revokedAt && !(doc.expiresAt && doc.expiresAt.getTime() <= Date.now()));
  }

  /** Live keys of a role (the bootstrap key can be switched off only once another admin key is live). */
  async countLive(filter: { role?: Role; createdBy?: string }): Promise<number> {
    return this.keys.countDocuments({ ...filter, revokedAt: null, $or: [{ expiresAt: null }, { expiresAt: { $gt: new Date() } }] });
  }

  async list(): Promise<ApiKeyRecord[]> {
    const docs = await this.keys.find({}).sort({ createdAt: -1 }).lean();
    return docs.map((d) => toRecord(d as ApiKeyDoc));
  }

  async revoke(id: string): Promise<ApiKeyRecord | null> {
    const doc = await this.keys.findOneAndUpdate({ _id: id, revokedAt: null }, { $set: { revokedAt: new Date() } }, { new: true }).lean();
    this.cache.delete(id);
    if (doc) return toRecord(doc as ApiKeyDoc);
    const existing = await this.keys.findById(id).lean();
    return existing ? toRecord(existing as ApiKeyDoc) : null;
  }

  /** Best effort and off the request's path: a failed write only leaves "last used" a little older. */
  private noteUse(id: string): void {
    const now = Date.now();
    if (now - (this.lastNoted.get(id) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    if (this.lastNoted.size > 10_000) this.lastNoted.clear();
    this.lastNoted.set(id, now);
    this.keys.updateOne({ _id: id }, { $set: { lastUsedAt: new Date(now) } }).catch(() => undefined);
  }

  private async lookup(id: string): Promise<ApiKeyDoc | null> {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.doc;
    const doc = ((await this.keys.findById(id).lean()) as ApiKeyDoc | null) ?? null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { at: Date.now(), doc });
    return doc;
  }
}
