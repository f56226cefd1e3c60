// Measures the token activity without changing it: refresh attempts, outcomes by error class, and lag behind the plan.
import { refreshAttempts, refreshFailures, refreshLag, refreshSuccesses } from '../lib/metrics';
import type { TokenOutcome } from '../workflows/model';
import type { ObtainInput } from './tokens';

/** Set by the workflow when the call is a refresh; `plannedAt` is when that refresh was planned (ms epoch), if known. */
export interface RefreshContext {
  refresh?: { plannedAt: number | null };
}

// Provider-supplied error codes become label values: keep them few and tidy.
const codeLabel = (code: string) => (/^[a-z0-9_]{1,40}$/.test(code) ? code : 'other');

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
