// Pure timing rules of the lifecycle: when to refresh, how long to back off. No I/O, so the workflow can use it.
import type { LifecyclePolicy } from './model';

const MIN_DELAY_MS = 1000;

/** Refresh `buffer` before expiry; a token living less than twice the buffer is refreshed at half-life. */
export function refreshDelayMs(expiresInSeconds: number, policy: Pick<LifecyclePolicy, 'refreshBufferMs'>): number {
  const lifetimeMs = expiresInSeconds * 1000;
  const delay = lifetimeMs < 2 * policy.refreshBufferMs ? lifetimeMs / 2 : lifetimeMs - policy.refreshBufferMs;
  return Math.max(MIN_DELAY_MS, Math.floor(delay));
}

/** When to refresh next: before the access token expires, and before an idle refresh token would expire. */
export function nextRefreshDelayMs(expiresInSeconds: number, hasRefreshToken: boolean, policy: Pick<LifecyclePolicy, 'refreshBufferMs' | 'refreshTokenIdleMs'>): number {
  const forToken = refreshDelayMs(expiresInSeconds, policy);
  const idleMs = hasRefreshToken ? policy.refreshTokenIdleMs : null;
  return idleMs ? Math.min(forToken, refreshDelayMs(idleMs / 1000, policy)) : forToken;
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
