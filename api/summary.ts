// GET /v1/summary: counts by status and tenant, and the oldest unresolved failure, within the caller's tenants.
// Computed from the api's token mirror (the console polls it: no registry scan per request); from the registry while
// the mirror is not current.
import { Router } from 'express';
import { healthOf, sumByStatus, type HealthReader } from '../lib/health';
import type { HealthSource } from '../lib/metrics';
import type { TokenMirror } from './tokenMirror';
import { allow, may } from './auth';
import { presentLastError } from './present';
import { methodNotAllowed } from './httpErrors';

/** How old the mirror may be for the summary to come from it. */
const MIRROR_MAX_AGE_MS = 10_000;

const fresh = (mirror: TokenMirror | null): mirror is TokenMirror => Boolean(mirror) && mirror!.ageMs() < MIRROR_MAX_AGE_MS;

/** The fleet gauges of /metrics from the mirror too: a scrape reads no registry while the mirror is current. */
export function mirroredHealth(mirror: TokenMirror | null, registry: HealthReader): HealthSource {
  return {
    countsByStatus: async () => (fresh(mirror) ? sumByStatus(healthOf(mirror.all(), null).byTenant) : registry.countsByStatus()),
    soonestActiveExpiry: async () => {
      if (!fresh(mirror)) return registry.soonestActiveExpiry();
      let soonest: string | null = null;
      for (const { state } of mirror.all()) if (state.status === 'active' && state.expiresAt && (soonest === null || state.expiresAt < soonest)) soonest = state.expiresAt;
      return soonest;
    },
  };
}

export function summaryRoutes(deps: { health: HealthReader; mirror: TokenMirror | null }): Router {
  const router = Router();
  router
    .route('/')
    .get(allow('summary:read'), async (req, res) => {
      const tenants = req.principal!.tenants;
      const { mirror } = deps;
      const { byTenant, oldest } = fresh(mirror)
        ? healthOf(mirror.all(), tenants)
          : await Promise.all([deps.health.countsByTenant(tenants), deps.health.oldestUnresolvedFailure(tenants)]).then(([b, o]) => ({ byTenant: b, oldest: o }));
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
