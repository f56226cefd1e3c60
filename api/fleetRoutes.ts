// GET /v1/fleet: the fleet-health page's pictures (status over time, upcoming expiries, refresh outcomes per provider),
// within the caller's tenants. Counts, times and error codes only: never a provider's text, a token or a secret.
import { Router } from 'express';
import type { FleetReader } from '../lib/fleet';
import { allow } from './auth';
import { methodNotAllowed } from './httpErrors';
import { fleetQuery, parse } from './schemas';

export function fleetRoutes(deps: { fleet: FleetReader }): Router {
  const router = Router();
  router
    .route('/')
    .get(allow('summary:read'), async (req, res) => {
      const q = parse(fleetQuery, req.query);
      const tenants = req.principal!.tenants;
      const now = Date.now();
      const span = q.hours * 3_600_000;
      const [statusHistory, upcomingExpiries, refreshOutcomes] = await Promise.all([
        deps.fleet.statusHistory(tenants, now - span, now, q.points),
        deps.fleet.upcomingExpiries(tenants, now + span, q.expiries),
        deps.fleet.refreshOutcomes(tenants, now - span),
      ]);
      res.json({ hours: q.hours, statusHistory, upcomingExpiries, refreshOutcomes, generatedAt: new Date(now).toISOString() });
    })
    .all(methodNotAllowed);
  return router;
}
