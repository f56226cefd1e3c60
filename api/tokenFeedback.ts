// POST /v1/integrations/:id/token/rejected: a service says the provider refused a token Steward gave it; Steward refreshes once.
// The token proxy (api/proxy.ts) takes the same path on an upstream 401.
import { Router } from 'express';
import type { ApiConfig } from '../lib/config';
import { StewardError, unavailableIn } from '../lib/errors';
import { tokenRejections } from '../lib/metrics';
import type { IntegrationRecord, Registry } from '../lib/registry';
import { allow } from './auth';
import { methodNotAllowed } from './httpErrors';
import type { Lifecycle } from './lifecycle';
import { loadVisible } from './loadIntegration';
import { parse, tokenRejectedReport } from './schemas';
import type { TokenService } from './tokens';

export interface RejectionDeps {
  config: ApiConfig;
  lifecycle: Lifecycle;
  tokens: TokenService;
}

export type RejectionAnswer =
  | { result: 'recently_refreshed'; status: string; expiresAt: string | null; nextRefreshAllowedAt: string }
  | { result: 'refreshed' | 'refresh_failed'; status: string; expiresAt: string | null; lastError: unknown }
  | { result: 'pending'; status: string; message: string };

/**
 * However many services (or proxied requests) report at once, one refresh happens: the report names the version current
 * when it was read, the workflow refreshes only while that version is still current (and coalesces concurrent
 * requests), and a token obtained within the window is not replaced again on a report. `rejectedVersion`: the version
 * the refused token came from, when the caller knows it (the proxy does): a report about a replaced one refreshes nothing.
 */
export async function refreshRejected(deps: RejectionDeps, record: IntegrationRecord, actor: string, rejectedVersion?: string): Promise<RejectionAnswer> {
  const { config, lifecycle, tokens } = deps;
  const reported = record.state;
  if (reported.status !== 'active' && reported.status !== 'degraded') throw unavailableIn(reported.status);
  void tokens.forget(record.id);

  const obtainedAt = Date.parse(reported.lastRefreshAt ?? '') || 0;
  const nextAllowedAt = obtainedAt + config.tokenRejectedWindowMs;
  const version = rejectedVersion ?? reported.secretVersionId;
  if (Date.now() < nextAllowedAt || !version || version !== reported.secretVersionId) {
    tokenRejections.inc({ result: 'recently_refreshed' });
    return { result: 'recently_refreshed', status: reported.status, expiresAt: reported.expiresAt ?? null, nextRefreshAllowedAt: new Date(nextAllowedAt).toISOString() };
  }
  try {
    const after = await lifecycle.refreshNow(record.id, { actor, ifVersion: version }, config.tokenWaitMs);
    await tokens.forget(record.id); // the caller's next read (the proxy's retry) must see the new version
    const result = after.secretVersionId !== version ? 'refreshed' : 'refresh_failed';
    tokenRejections.inc({ result });
    return { result, status: after.status, expiresAt: after.expiresAt ?? null, lastError: result === 'refresh_failed' ? after.lastError : null };
  } catch (err) {
    if (!(err instanceof StewardError && err.code === 'pending')) throw err;
    tokenRejections.inc({ result: 'pending' });
    return { result: 'pending', status: reported.status, message: 'The refresh is still in progress; ask for the token again shortly.' };
  }
}

export function tokenFeedbackRoutes(deps: RejectionDeps & { registry: Registry }): Router {
  const router = Router();
  router
    .route('/:id/token/rejected')
    .post(allow('token:report'), async (req, res) => {
      parse(tokenRejectedReport, req.body);
      const record = await loadVisible(deps.registry, req);
      const answer = await refreshRejected(deps, record, req.principal!.id);
      res.status(answer.result === 'pending' ? 202 : 200).json(answer);
    })
    .all(methodNotAllowed);
  return router;
}
