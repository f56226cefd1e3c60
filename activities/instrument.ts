// Measures the token activity without changing it: refresh attempts, outcomes by error class, and lag behind the plan.
import { refreshAttempts, refreshFailures, refreshLag, refreshSuccesses } from '../lib/metrics';
import type { TokenOutcome } from '../workflows/model';
import type { ObtainInput } from './tokens';

/** Set by the workflow when the call is a refresh; `plannedAt` is when that refresh was planned (ms epoch), if known. */
export interface RefreshContext {
  refresh?: { plannedAt: number | null };
}

/**
 * Metric labels come from a closed set, so a provider cannot mint time series: the error codes of RFC 6749, RFC 7009
 * and RFC 8628, and Steward's own failure codes; anything else is `other`.
 */
const METRIC_CODES = new Set([
  // RFC 6749 §4.1.2.1, §5.2
  'invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope',
  'access_denied', 'unsupported_response_type', 'server_error', 'temporarily_unavailable',
  // RFC 7009 §2.2.1, RFC 8628 §3.5
  'unsupported_token_type', 'authorization_pending', 'slow_down', 'expired_token',
  // Steward's own
  'provider_error', 'provider_invalid_response', 'provider_timeout', 'provider_unreachable', 'provider_redirect',
  'provider_address_forbidden', 'provider_revocation_failed', 'provider_revocation_not_sent', 'secret_binding', 'internal_error',
]);

export function codeLabel(code: string): string {
  if (METRIC_CODES.has(code)) return code;
  return /^provider_http_[1-5][0-9]{2}$/.test(code) ? code : 'other'; // HTTP statuses: a bounded set too
}

export function withRefreshMetrics(obtain: (input: ObtainInput) => Promise<TokenOutcome>) {
  return async function obtainAndStoreToken(input: ObtainInput & RefreshContext): Promise<TokenOutcome> {
    if (!input.refresh) return obtain(input);
    refreshAttempts.inc();
    let outcome: TokenOutcome;
    try {
      outcome = await obtain(input);
    } catch (err) {
      refreshFailures.inc({ error_class: 'internal', code: 'internal_error' });
      throw err;
    }
    if (!outcome.ok) {
      refreshFailures.inc({ error_class: outcome.failure.kind, code: codeLabel(outcome.failure.code) });
      return outcome;
    }
    refreshSuccesses.inc();
    const { plannedAt } = input.refresh;
    // Only refreshes that were due have a lag; one asked for early (on demand) is simply ahead of the plan.
    if (plannedAt !== null && Date.now() >= plannedAt) refreshLag.observe((Date.now() - plannedAt) / 1000);
    return outcome;
  };
}
