// POST /v1/integrations/:id/token/rejected: a service says the provider refused a token Steward gave it; Steward refreshes once.
import { Router } from 'express';
import type { ApiConfig } from '../lib/config';
import { StewardError, unavailableIn } from '../lib/errors';
import { tokenRejections } from '../lib/metrics';
import type { Registry } from '../lib/registry';
import { allow } from './auth';
import { methodNotAllowed } from './httpErrors';
import type { Lifecycle } from './lifecycle';
import { loadVisible } from './loadIntegration';
import { parse, tokenRejectedReport } from './schemas';
import type { TokenService } from './tokens';

/**
 * However many services report at once, one refresh happens: the report names the version current when it was read, the
 * workflow refreshes only while that version is still current (and coalesces concurrent requests), and a token obtained
 * within the window is not replaced again on a report.
 */
export function tokenFeedbackRoutes(deps: { config: ApiConfig; registry: Registry; lifecycle: Lifecycle; tokens: TokenService }): Router {
  const { config, registry, lifecycle, tokens } = deps;
  const router = Router();
  router
    .route('/:id/token/rejected')
    .post(allow('token:report'), async (req, res) => {
      parse(tokenRejectedReport, req.body);
      const record = await loadVisible(registry, req);
      const reported = record.state;
      if (reported.status !== 'active' && reported.status !== 'degraded') throw unavailableIn(reported.status);
      tokens.forget(record.id);

      const obtainedAt = Date.parse(reported.lastRefreshAt ?? '') || 0;
      const nextAllowedAt = obtainedAt + config.tokenRejectedWindowMs;
      if (Date.now() < nextAllowedAt || !reported.secretVersionId) {
        tokenRejections.inc({ result: 'recently_refreshed' });
        res.json({ result: 'recently_refreshed', status: reported.status, expiresAt: reported.expiresAt, nextRefreshAllowedAt: new Date(nextAllowedAt).toISOString() });
        return;
      }
      try {
        const after = await lifecycle.refreshNow(record.id, { actor: req.principal!.id, ifVersion: reported.secretVersionId }, config.tokenWaitMs);
        tokens.forget(record.id);
        const result = after.secretVersionId !== reported.secretVersionId ? 'refreshed' : 'refresh_failed';
        tokenRejections.inc({ result });
        res.json({ result, status: after.status, expiresAt: after.expiresAt, lastError: result === 'refresh_failed' ? after.lastError : null });
      } catch (err) {
        if (!(err instanceof StewardError && err.code === 'pending')) throw err;
        tokenRejections.inc({ result: 'pending' });
        res.status(202).json({ result: 'pending', status: reported.status, message: 'The refresh is still in progress; ask for the token again shortly.' });
      }
    })
    .all(methodNotAllowed);
  return router;
}
