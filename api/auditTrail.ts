// Records every change, consent, and denied attempt in the audit trail once the response is known; counts token reads
// and rate-limited requests per minute rather than writing one entry each.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { AuditLog } from '../lib/audit';

const TARGET = /\/v1\/(?:integrations|keys)\/((?:int_)?[a-z0-9]{16,24})(?:\/|$)/;

export function auditTrail(audit: AuditLog, logger: Logger): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      const path = req.originalUrl.split('?')[0]; // never the query: a callback's carries a code
      const target = TARGET.exec(path)?.[1] ?? null;
      const status = res.statusCode;
      const principal = req.principal;
      if (req.action === 'token:read' && status === 200 && principal && target) return audit.count('token_read', principal.id, target);
      if (status === 429 && principal) return audit.count('rate_limited', principal.id, path.slice(0, 200));
      const denied = status === 401 || status === 403 || (status === 404 && target !== null && principal?.tenants != null);
      const change = req.method !== 'GET' || req.action === 'integration:consent';
      if (!denied && !(change && req.action)) return;
      audit
        .record({
          at: new Date(),
          principalId: principal?.id ?? (req.action === 'integration:consent' ? 'browser' : 'anonymous'),
          role: principal?.role ?? 'none',
          action: req.action ?? `${req.method} ${path}`.slice(0, 120),
          method: req.method,
          path: path.slice(0, 200),
          target,
          status,
          outcome: denied ? 'denied' : status < 400 ? 'succeeded' : 'failed',
          ip: req.socket.remoteAddress ?? null,
        })
        .catch((err: Error) => logger.error({ err: { message: err.message } }, 'audit write failed'));
    });
    next();
  };
}
