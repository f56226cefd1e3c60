// Authenticates every /v1 request by bearer key. One admin key for now; roles and stored keys slot in here.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { StewardError } from '../lib/errors';

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
