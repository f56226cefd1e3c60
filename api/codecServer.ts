// Temporal codec server: lets the Temporal UI decode payloads for admins and support only (bearer key or a console-issued cookie).
import { createHash, randomBytes } from 'node:crypto';
import express, { Router, type Request, type RequestHandler } from 'express';
import { Schema, type Connection, type Model } from 'mongoose';
import type { Payload } from '@temporalio/common';
import { EncryptionCodec, type CodecKey } from '../lib/codec';
import { StewardError } from '../lib/errors';
import { REDACTED, redactDeep } from '../lib/redact';
import type { AuditLog } from '../lib/audit';
import type { KeyStore, Principal } from '../lib/principals';
import { allow, authenticate, BOOTSTRAP_ADMIN } from './auth';
import { methodNotAllowed } from './httpErrors';
import { codecRequest, parse } from './schemas';

const COOKIE = 'steward_codec';
const SESSION_MS = 8 * 3600_000;

interface CodecSession {
  _id: string; // sha256 of the cookie value
  principal: Principal;
  expiresAt: Date;
}

/** Browser sessions for the codec endpoint, so the Temporal UI can send a cookie instead of a key. */
export class CodecSessions {
  private readonly sessions: Model<CodecSession>;
  constructor(conn: Connection) {
    this.sessions = conn.model<CodecSession>('CodecSession', new Schema<CodecSession>({ _id: String, principal: Object, expiresAt: Date }, { versionKey: false, collection: 'codec_sessions' }));
  }
  /** Live sessions a principal holds (capped per principal). */
  async liveFor(principalId: string): Promise<number> {
    return this.sessions.countDocuments({ 'principal.id': principalId, expiresAt: { $gt: new Date() } });
  }
  async start(principal: Principal): Promise<string> {
    const value = randomBytes(32).toString('base64url');
    await this.sessions.create({ _id: createHash('sha256').update(value).digest('hex'), principal, expiresAt: new Date(Date.now() + SESSION_MS) });
    await this.sessions.deleteMany({ expiresAt: { $lt: new Date() } });
    return value;
  }
  async find(value: string): Promise<Principal | null> {
    const doc = await this.sessions.findById(createHash('sha256').update(value).digest('hex')).lean();
    return doc && doc.expiresAt > new Date() ? (doc.principal as Principal) : null;
  }
}

type WirePayload = { metadata?: Record<string, string>; data?: string };

const fromWire = (p: WirePayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toWire = (p: Payload): WirePayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/**
 * The UI sees configuration and state, never a secret: the create input, for one, carries the client secret.
 * JSON payloads are decoded with every secret-named field replaced; anything else passes as it is.
 */
function withoutSecrets(p: Payload): Payload {
  if (Buffer.from(p.metadata?.encoding ?? []).toString() !== 'json/plain') return p;
  const json = JSON.parse(Buffer.from(p.data ?? []).toString('utf8'));
  return { ...p, data: Buffer.from(JSON.stringify(redactDeep(withoutCodes(json)))) };
}

/**
 * An authorization code travels with its PKCE verifier (the consent completion message): both are redacted. `code`
 * elsewhere is an error code operators need to see, so only a `code` beside a `codeVerifier` is a secret.
 */
function withoutCodes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCodes);
  if (!value || typeof value !== 'object') return value;
  const holdsGrant = 'codeVerifier' in value || 'code_verifier' in value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, holdsGrant && k === 'code' ? REDACTED : withoutCodes(v)]));
}

function cookieValue(req: Request): string | null {
  const match = new RegExp(`(?:^|;\\s*)${COOKIE}=([A-Za-z0-9_-]{43})(?:;|$)`).exec(req.headers.cookie ?? '');
  return match?.[1] ?? null;
}

/** `/codec/decode` and `/codec/encode`, with CORS for the Temporal UI's origin. */
export function codecRoutes(deps: {
  codecKeys: CodecKey[];
  uiOrigin: string | null;
  /** null: the bootstrap admin key is switched off. */
  adminKey: string | null;
  keys: KeyStore;
  sessions: CodecSessions;
  audit: AuditLog;
  /** Per-principal rate limit, the same as /v1's. */
  limit: RequestHandler;
}): Router {
  const codec = new EncryptionCodec(deps.codecKeys);
  const bearer = authenticate(deps.adminKey, deps.keys);
  const router = Router();

  router.use((req, res, next) => {
    if (deps.uiOrigin && req.headers.origin === deps.uiOrigin) {
      res.set({
        'Access-Control-Allow-Origin': deps.uiOrigin,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Headers': 'content-type, x-namespace, authorization',
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        Vary: 'Origin',
      });
    }
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  });

  const identify: RequestHandler = async (req, res, next) => {
    const session = cookieValue(req);
    if (session && !req.headers.authorization) {
      const principal = await deps.sessions.find(session);
      // A session lives no longer than the key it was traded for: revoked or expired, the cookie stops at once.
      const live = principal && (principal.id === BOOTSTRAP_ADMIN.id ? deps.adminKey !== null : await deps.keys.isLive(principal.id));
      if (!principal || !live) throw new StewardError('unauthorized', 'The codec session has expired or its key was revoked; sign in to the console again.');
      req.principal = principal;
      return next();
    }
    return bearer(req, res, next);
  };

  for (const op of ['decode', 'encode'] as const) {
    router
      .route(`/${op}`)
      .post(identify, allow('codec:decode'), unconfined, deps.limit, express.json({ limit: '4mb' }), async (req, res) => {
        // Counted like token reads: per principal and minute, so operators see who decoded how much.
        deps.audit.count('codec_use', req.principal!.id, op);
        const { payloads } = parse(codecRequest, req.body);
        const out = op === 'decode' ? (await codec.decode(payloads.map(fromWire))).map(withoutSecrets) : await codec.encode(payloads.map(fromWire));
        res.set('Cache-Control', 'no-store').json({ payloads: out.map(toWire) });
      })
      .all(methodNotAllowed);
  }
  return router;
}

/**
 * Payloads carry no tenant a decode could be checked against (any integration's history can be sent), so the codec
 * serves only principals confined to no tenant.
 */
const unconfined: RequestHandler = (req, _res, next) => {
  if (req.principal!.tenants !== null) throw new StewardError('forbidden', 'The codec server decodes payloads of every tenant; keys confined to tenants may not use it.');
  next();
};

/** `POST /v1/codec/session`: the console trades its key for an HttpOnly cookie the Temporal UI can send. */
export function codecSessionRoute(sessions: CodecSessions, maxSessions: number): Router {
  const router = Router();
  router
    .route('/codec/session')
    .post(allow('codec:decode'), unconfined, async (req, res) => {
      if ((await sessions.liveFor(req.principal!.id)) >= maxSessions) {
        throw new StewardError('rate_limited', `You hold ${maxSessions} live codec sessions, the most allowed; wait for one to expire.`);
      }
      const value = await sessions.start(req.principal!);
      res
        .cookie(COOKIE, value, { httpOnly: true, sameSite: 'lax', path: '/codec', maxAge: SESSION_MS })
        .status(204)
        .end();
    })
    .all(methodNotAllowed);
  return router;
}
