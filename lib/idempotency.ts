// Idempotency keys for creating integrations: a retried POST (same principal, same key, same body) gets the same
// integration instead of a second one; the same key with another body is refused.
import { createHash, createHmac } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { CodecKey } from './codec';
import { StewardError } from './errors';
import { isDuplicateKey } from './mongoErrors';

/** Nothing secret is stored: the key's hash scoped to the principal, and a keyed fingerprint of the body. */
interface IdempotencyRecord {
  _id: string;
  principalId: string;
  integrationId: string;
  /** HMAC of the canonical body (which may hold a client secret), so the fingerprint reveals nothing about it. */
  fingerprint: string;
  keyId: string;
  createdAt: Date;
}

const recordSchema = new Schema<IdempotencyRecord>(
  {
    _id: { type: String, required: true },
    principalId: { type: String, required: true },
    integrationId: { type: String, required: true },
    fingerprint: { type: String, required: true },
    keyId: { type: String, required: true },
    createdAt: { type: Date, required: true, index: true },
  },
  { versionKey: false, collection: 'idempotency_keys' },
);

/** How long a key is remembered; after that the same key starts a new integration. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3600_000;

/** JSON with object keys sorted, so the same body always has the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export class IdempotencyKeys {
  private readonly records: Model<IdempotencyRecord>;

  /** `keys`: the first fingerprints new records; older ones still compare records made before a rotation. */
  constructor(
    conn: Connection,
    private readonly keys: CodecKey[],
  ) {
    this.records = conn.model<IdempotencyRecord>('IdempotencyKey', recordSchema);
  }

  private fingerprint(body: unknown, keyId: string): string | null {
    const key = this.keys.find((k) => k.id === keyId)?.key;
    return key ? createHmac('sha256', key).update(`steward-idempotency:${canonical(body)}`).digest('base64url') : null;
  }

  /**
   * Binds `key` to `proposedId` for this principal, or returns the integration an earlier request with the same key
   * and body was given (`replay`). The first insert under the unique _id wins, so concurrent retries agree on one id.
   */
  async claim(principalId: string, key: string, body: unknown, proposedId: string): Promise<{ integrationId: string; replay: boolean }> {
    const now = new Date();
    const _id = createHash('sha256').update(`${principalId}\u0000${key}`).digest('base64url');
    const keyId = this.keys[0].id;
    // No TTL indexes on FerretDB: forget expired keys while we are here.
    await this.records.deleteMany({ createdAt: { $lt: new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS) } });
    try {
      await this.records.create({ _id, principalId, integrationId: proposedId, fingerprint: this.fingerprint(body, keyId)!, keyId, createdAt: now });
      return { integrationId: proposedId, replay: false };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const earlier = await this.records.findById(_id).lean();
    if (!earlier) throw new StewardError('pending', 'The earlier request with this Idempotency-Key is being forgotten; retry shortly.');
    if (this.fingerprint(body, earlier.keyId) !== earlier.fingerprint) {
      throw new StewardError('idempotency_key_reused', 'This Idempotency-Key was used with a different body; use a new key for a different integration.', {
        details: [{ path: 'Idempotency-Key', message: 'was already used with a different body' }],
      });
    }
    return { integrationId: earlier.integrationId, replay: true };
  }
}
