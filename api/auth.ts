// Authenticates every /v1 request by bearer key and decides what the principal may do. One admin key for now; roles slot in here.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { StewardError } from '../lib/errors';

/** Everything a principal can ask for; routes declare the one they need with `allow(action)`. */
export type Action =
  | 'integration:read'
  | 'integration:create'
  | 'integration:update'
  | 'integration:refresh'
  | 'integration:revoke'
  | 'integration:consent'
  | 'token:read'
  | 'token:report'
  | 'summary:read'
  | 'webhook:manage'
  | 'key:manage'
  | 'audit:read';

export interface Principal {
  id: string;
  role: 'admin';
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function authenticate(adminKey: string): RequestHandler {
  const expected = digest(adminKey);
  return (req, _res, next) => {
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(req.headers.authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1]), expected)) {
      throw new StewardError('unauthorized', 'Send a valid API key as "Authorization: Bearer <key>".');
    }
    req.principal = { id: 'admin', role: 'admin' };
    next();
  };
}

/** Route guard: the principal must be allowed `action`. */
export function allow(action: Action): RequestHandler {
  return (req, _res, next) => {
    if (!req.principal) throw new StewardError('unauthorized', 'Authentication required.');
    if (req.principal.role !== 'admin') throw new StewardError('forbidden', `Not allowed: ${action}.`);
    next();
  };
}
