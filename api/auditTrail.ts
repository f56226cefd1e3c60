// Records every change, consent, and denied attempt in the audit trail once the response is known; counts token reads
// (and proxied requests, which use the token: api/proxy.ts),
// rate-limited and unauthenticated requests per minute rather than writing one entry each.
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { AuditLog } from '../lib/audit';

const TARGET = /\/v1\/(?:integrations|keys)\/((?:int_)?[a-z0-9]{16,24})(?:\/|$)/;

/**
 * The path as the router sees it: percent-decoded, lower-case, without repeated or trailing slashes. Express routes
 * case-insensitively and ignores a trailing slash, so /V1/integrations/%69nt_…/ must count as /v1/integrations/int_….
 */
export function canonicalPath(raw: string): string {
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // Malformed escapes: keep the raw text (the router answers such requests 400/404 anyway).
  }
  return decoded.toLowerCase().replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}

/** What a request is about: the id the matched route resolved, else one read from the canonical path. */
function targetOf(req: Request, res: Response, path: string): string | null {
  return (res.locals.audit?.target as string | undefined) ?? req.auditTarget ?? TARGET.exec(path)?.[1] ?? null;
}

export function auditTrail(audit: AuditLog, logger: Logger): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      const path = canonicalPath(req.originalUrl.split('?')[0]); // never the query: a callback's carries a code
      const route = req.auditRoute ?? path;
      const target = targetOf(req, res, path);
      const status = res.statusCode;
      const principal = req.principal;
      const ip = req.socket.remoteAddress ?? null;
      if (req.action === 'token:read' && (status === 200 || res.locals.tokenUsed === true) && principal && target) return audit.count('token_read', principal.id, target);
      if (status === 429) return audit.count('rate_limited', principal?.id ?? `address:${ip}`, route.slice(0, 200));
      // No key or a wrong one: counted per address and minute, so guessing keys cannot flood the trail.
      if (status === 401 && !principal) return audit.count('unauthenticated', `address:${ip}`, route.slice(0, 200));
      const denied = status === 401 || status === 403 || (status === 404 && target !== null && principal?.tenants != null);
      const change = req.method !== 'GET' || req.action === 'integration:consent' || req.action === 'consent:complete';
      if (!denied && !(change && req.action)) return;
      const issuer = res.locals.audit?.principalId as string | undefined;
      audit
        .record({
          at: new Date(),
          principalId: principal?.id ?? issuer ?? 'anonymous',
          role: principal?.role ?? (issuer ? 'consent' : 'none'),
          action: req.action ?? `${req.method} ${route}`.slice(0, 120),
          method: req.method,
          path: route.slice(0, 200),
          target,
          status,
          outcome: denied ? 'denied' : status < 400 ? 'succeeded' : 'failed',
          ip,
        })
        .catch((err: Error) => logger.error({ err: { message: err.message } }, 'audit write failed'));
    });
    next();
  };
}
