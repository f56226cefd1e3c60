// Pure timing rules of the lifecycle: when to refresh, how long to back off. No I/O, so the workflow can use it.
import type { LifecyclePolicy } from './model';

const MIN_DELAY_MS = 1000;

/**
 * The floor on refresh frequency: no refresh sooner than this after the last one, whatever `expires_in` or the
 * idle-refresh setting ask for, so a provider or a configuration cannot make the worker loop. Workflows started before
 * the floor existed carry no minRefreshIntervalMs and keep the one-second minimum they were recorded with.
 */
function floorMs(policy: Pick<LifecyclePolicy, 'minRefreshIntervalMs'>): number {
  return Math.max(MIN_DELAY_MS, policy.minRefreshIntervalMs ?? MIN_DELAY_MS);
}

const unflooredDelay = (lifetimeMs: number, policy: Pick<LifecyclePolicy, 'refreshBufferMs'>) => Math.max(lifetimeMs - policy.refreshBufferMs, lifetimeMs / 2);

/**
 * The one rule for when a token is due for refresh: the workflow's timer and the token endpoint both ask it (ms epoch).
 * Refresh `buffer` before expiry, but never before half-life, i.e. at max(lifetime − buffer, lifetime / 2).
 * Why half-life for tokens shorter than twice the buffer: a plain buffer would call a 300 s token with a 300 s buffer
 * due the moment it is issued, so every reader would ask for another one. Half-life bounds the refresh rate at two per
 * lifetime (provider requests and vault writes stay proportional to real need), and the token being replaced still has
 * min(buffer, lifetime / 2) to live, which is what a caller holding it needs. Never sooner than a second after issue.
 */
export function refreshDueAt(issuedAtMs: number, lifetimeMs: number, policy: Pick<LifecyclePolicy, 'refreshBufferMs' | 'minRefreshIntervalMs'>): number {
  return issuedAtMs + Math.max(floorMs(policy), Math.floor(unflooredDelay(lifetimeMs, policy)));
}

/** Why the floor holds refreshes back for this token, or null when it does not. */
export function refreshFloorWarning(
  expiresInSeconds: number,
  hasRefreshToken: boolean,
  policy: Pick<LifecyclePolicy, 'refreshBufferMs' | 'refreshTokenIdleMs' | 'minRefreshIntervalMs'>,
): string | null {
  const floor = policy.minRefreshIntervalMs;
  if (!floor) return null;
  const idleMs = hasRefreshToken ? policy.refreshTokenIdleMs : null;
  if (unflooredDelay(expiresInSeconds * 1000, policy) >= floor && !(idleMs && unflooredDelay(idleMs, policy) < floor)) return null;
  return `Refreshes are held to at most one per ${floor / 1000} s (the refresh floor): the token lifetime (expires_in ${expiresInSeconds} s) or the idle-refresh setting asks for more, so tokens may be served close to expiry.`;
}

/** The rule as a delay from issue, for a lifetime in seconds as the provider states it. */
export function refreshDelayMs(expiresInSeconds: number, policy: Pick<LifecyclePolicy, 'refreshBufferMs' | 'minRefreshIntervalMs'>): number {
  return refreshDueAt(0, expiresInSeconds * 1000, policy);
}

/** When to refresh next: before the access token is due, and before an idle refresh token would expire. */
export function nextRefreshDueAt(
  issuedAtMs: number,
  expiresInSeconds: number,
  hasRefreshToken: boolean,
  policy: Pick<LifecyclePolicy, 'refreshBufferMs' | 'refreshTokenIdleMs' | 'minRefreshIntervalMs'>,
): number {
  const forToken = refreshDueAt(issuedAtMs, expiresInSeconds * 1000, policy);
  const idleMs = hasRefreshToken ? policy.refreshTokenIdleMs : null;
  return idleMs ? Math.min(forToken, refreshDueAt(issuedAtMs, idleMs, policy)) : forToken;
}

/** nextRefreshDueAt as a delay from issue. */
export function nextRefreshDelayMs(
  expiresInSeconds: number,
  hasRefreshToken: boolean,
  policy: Pick<LifecyclePolicy, 'refreshBufferMs' | 'refreshTokenIdleMs' | 'minRefreshIntervalMs'>,
): number {
  return nextRefreshDueAt(0, expiresInSeconds, hasRefreshToken, policy);
}

/**
 * Delay before retry number `failures` (1 = first failure): exponential with jitter while healthy,
 * a slower steady pace once degraded, never sooner than the provider's Retry-After.
 */
export function retryDelayMs(
  failures: number,
  policy: Pick<LifecyclePolicy, 'retryBaseMs' | 'retryMaxMs' | 'degradedAfterAttempts' | 'degradedRetryMs'>,
  retryAfterSeconds: number | null,
  random: () => number,
): number {
  const exponential = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.max(0, failures - 1));
  const base = failures >= policy.degradedAfterAttempts ? policy.degradedRetryMs : exponential;
  const jittered = base * (0.5 + random() / 2);
  const floor = retryAfterSeconds !== null ? retryAfterSeconds * 1000 : 0;
  return Math.max(MIN_DELAY_MS, Math.floor(Math.max(jittered, floor)));
}
