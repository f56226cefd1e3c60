// GET /v1/integrations/:id/token, mounted ahead of every other router with only the middleware the hot path needs.
import { Router, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { AuditLog } from '../lib/audit';
import { notFound } from '../lib/errors';
import { allow } from './auth';
import { auditTrail } from './auditTrail';
import { observeTokenEndpoint } from './metricsRoutes';
import { integrationId } from './schemas';
import type { TokenService } from './tokens';

/**
 * In order: metrics (refused callers count too), token-read counting (the audit trail), key lookup, the per-principal
 * rate limit, the role check, the read. No body parser, no content-type check, no other router's layers: a GET has no
 * body, and the rest of /v1 (request ~20 layers deep before) is none of this path's business. Other methods on this
 * path fall through to the integration routes (405).
 */
export function tokenRoute(deps: { tokens: TokenService; audit: AuditLog; logger: Logger; authenticate: RequestHandler; limit: RequestHandler }): Router {
  const router = Router();
  router.get('/v1/integrations/:id/token', observeTokenEndpoint, auditTrail(deps.audit, deps.logger), deps.authenticate, deps.limit, allow('token:read'), async (req, res) => {
    const id = integrationId.safeParse(req.params.id);
    if (!id.success) throw notFound();
    res.set('Cache-Control', 'no-store').json(await deps.tokens.token(id.data, req.principal!));
  });
  return router;
}
