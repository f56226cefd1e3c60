// Consent sessions for the authorization-code journey: a one-time, expiring `state` bound to one integration, and PKCE.
import { createHmac, randomBytes } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { CodecKey } from './codec';

interface ConsentSession {
  _id: string; // the state value
  integrationId: string;
  keyId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

const sessionSchema = new Schema<ConsentSession>(
  {
    _id: { type: String, required: true },
    integrationId: { type: String, required: true },
    keyId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
    usedAt: { type: Date, default: null },
  },
  { versionKey: false, collection: 'consent_sessions' },
);

export type ConsumeResult =
  | { outcome: 'ok'; integrationId: string; codeVerifier: string }
  | { outcome: 'unknown' | 'expired' | 'used'; integrationId: string | null };

export class ConsentStore {
  private readonly sessions: Model<ConsentSession>;

  /** `keys`: the first signs new sessions; PKCE verifiers are derived from it, so no verifier is ever stored. */
  constructor(
    conn: Connection,
    private readonly keys: CodecKey[],
    private readonly ttlMs: number,
  ) {
    this.sessions = conn.model<ConsentSession>('ConsentSession', sessionSchema);
  }

  private verifierFor(state: string, keyId: string): string | null {
    const key = this.keys.find((k) => k.id === keyId)?.key;
    return key ? createHmac('sha256', key).update(`steward-pkce:${state}`).digest('base64url') : null;
  }

  async start(integrationId: string): Promise<{ state: string; codeVerifier: string; expiresAt: Date }> {
    const now = new Date();
    const state = randomBytes(32).toString('base64url');
    const keyId = this.keys[0].id;
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    await this.sessions.create({ _id: state, integrationId, keyId, createdAt: now, expiresAt, usedAt: null });
    // No TTL indexes on FerretDB: sweep sessions long past their expiry while we are here.
    await this.sessions.deleteMany({ expiresAt: { $lt: new Date(now.getTime() - 24 * 3600_000) } });
    return { state, codeVerifier: this.verifierFor(state, keyId)!, expiresAt };
  }

  /** Uses up a state exactly once; expiry is enforced here, by the code. */
  async consume(state: string): Promise<ConsumeResult> {
    const now = new Date();
    const taken = await this.sessions.findOneAndUpdate({ _id: state, usedAt: null, expiresAt: { $gt: now } }, { $set: { usedAt: now } }).lean();
    if (taken) {
      const codeVerifier = this.verifierFor(state, taken.keyId);
      if (codeVerifier) return { outcome: 'ok', integrationId: taken.integrationId, codeVerifier };
    }
    if (taken) return { outcome: 'expired', integrationId: taken.integrationId }; // signed with a key no longer configured
    const existing = await this.sessions.findById(state).lean();
    if (!existing) return { outcome: 'unknown', integrationId: null };
    return { outcome: existing.usedAt ? 'used' : 'expired', integrationId: existing.integrationId };
  }
}
