// GET /v1/summary: counts by status and tenant, and the oldest unresolved failure, within the caller's tenants.
import { Router } from 'express';
import { sumByStatus, type HealthReader } from '../lib/health';
import { allow, may } from './auth';
import { presentLastError } from './present';
import { methodNotAllowed } from './httpErrors';

export function summaryRoutes(deps: { health: HealthReader }): Router {
  const router = Router();
  router
    .route('/')
    .get(allow('summary:read'), async (req, res) => {
      const tenants = req.principal!.tenants;
      const [byTenant, oldest] = await Promise.all([deps.health.countsByTenant(tenants), deps.health.oldestUnresolvedFailure(tenants)]);
      res.json({
        total: byTenant.reduce((n, t) => n + t.total, 0),
        byStatus: sumByStatus(byTenant),
        byTenant,
        oldestUnresolvedFailure: oldest && {
          ...oldest,
          lastError: presentLastError(oldest.lastError, may(req.principal!, 'events:read')),
          links: { self: `/v1/integrations/${oldest.id}` },
        },
        generatedAt: new Date().toISOString(),
      });
    })
    .all(methodNotAllowed);
  return router;
}
