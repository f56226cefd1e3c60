// Consent sessions for the authorization-code journey: a one-time, expiring `state` bound to one integration, and PKCE.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { CodecKey } from './codec';
import { isDuplicateKey } from './mongoErrors';

interface ConsentSession {
  _id: string; // the state value
  integrationId: string;
  keyId: string;
  /** The principal that issued the link: a completed consent is audited under it. */
  issuedBy?: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

const sessionSchema = new Schema<ConsentSession>(
  {
    _id: { type: String, required: true },
    integrationId: { type: String, required: true },
    keyId: { type: String, required: true },
    issuedBy: { type: String, default: null },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
    usedAt: { type: Date, default: null },
  },
  { versionKey: false, collection: 'consent_sessions' },
);

/** The proof that a state was used: its _id is the state's hash, and _id is unique on every MongoDB-compatible store. */
interface ConsentUse {
  _id: string;
  usedAt: Date;
}

const useSchema = new Schema<ConsentUse>(
  {
    _id: { type: String, required: true },
    usedAt: { type: Date, required: true, index: true },
  },
  { versionKey: false, collection: 'consent_uses' },
);

const SWEEP_AFTER_MS = 24 * 3600_000;
const useIdOf = (state: string) => createHash('sha256').update(`steward-consent-use:${state}`).digest('base64url');

export type ConsumeResult =
  | { outcome: 'ok'; integrationId: string; codeVerifier: string; issuedBy: string | null }
  | { outcome: 'unknown' | 'expired' | 'used'; integrationId: string | null };

export class ConsentStore {
  private readonly sessions: Model<ConsentSession>;
  private readonly uses: Model<ConsentUse>;

  /** `keys`: the first signs new sessions; PKCE verifiers are derived from it, so no verifier is ever stored. */
  constructor(
    conn: Connection,
    private readonly keys: CodecKey[],
    private readonly ttlMs: number,
  ) {
    this.sessions = conn.model<ConsentSession>('ConsentSession', sessionSchema);
    this.uses = conn.model<ConsentUse>('ConsentUse', useSchema);
  }

  private verifierFor(state: string, keyId: string): string | null {
    const key = this.keys.find((k) => k.id === keyId)?.key;
    return key ? createHmac('sha256', key).update(`steward-pkce:${state}`).digest('base64url') : null;
  }

  /** Open links (unused, unexpired) this principal issued: capped per principal. */
  async openIssuedBy(principalId: string): Promise<number> {
    return this.sessions.countDocuments({ issuedBy: principalId, usedAt: null, expiresAt: { $gt: new Date() } });
  }

  async start(integrationId: string, issuedBy: string): Promise<{ state: string; codeVerifier: string; expiresAt: Date }> {
    const now = new Date();
    const state = randomBytes(32).toString('base64url');
    const keyId = this.keys[0].id;
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    await this.sessions.create({ _id: state, integrationId, keyId, issuedBy, createdAt: now, expiresAt, usedAt: null });
    // No TTL indexes on FerretDB: sweep sessions long past their expiry while we are here. A use outlives its
    // session, and sessions never live longer than the sweep delay, so a swept use can never be replayed.
    const longAgo = new Date(now.getTime() - SWEEP_AFTER_MS);
    await this.sessions.deleteMany({ expiresAt: { $lt: longAgo } });
    await this.uses.deleteMany({ usedAt: { $lt: new Date(longAgo.getTime() - this.ttlMs) } });
    return { state, codeVerifier: this.verifierFor(state, keyId)!, expiresAt };
  }

  /**
   * Uses up a state exactly once, however many callbacks race for it. The one step that decides is an insert under
   * a unique key: FerretDB runs findOneAndUpdate as a read then a write, so a conditional update would let two
   * callers both take the state, and the second code exchange makes the provider revoke the fresh grant.
   */
  async consume(state: string): Promise<ConsumeResult> {
    const now = new Date();
    const session = await this.sessions.findById(state).lean();
    if (!session) return { outcome: 'unknown', integrationId: null };
    const integrationId = session.integrationId;
    if (session.usedAt) return { outcome: 'used', integrationId };
    if (session.expiresAt <= now) return { outcome: 'expired', integrationId };
    try {
      await this.uses.create({ _id: useIdOf(state), usedAt: now });
    } catch (err) {
      if (isDuplicateKey(err)) return { outcome: 'used', integrationId };
      throw err;
    }
    // Only for readers of the session (and the quick path above); the use document is what makes it one-time.
    await this.sessions.updateOne({ _id: state }, { $set: { usedAt: now } });
    const codeVerifier = this.verifierFor(state, session.keyId);
    if (!codeVerifier) return { outcome: 'expired', integrationId }; // signed with a key no longer configured
    return { outcome: 'ok', integrationId, codeVerifier, issuedBy: session.issuedBy ?? null };
  }
}
