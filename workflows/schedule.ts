// Pure timing rules of the lifecycle: when to refresh, how long to back off. No I/O, so the workflow can use it.
import type { LifecyclePolicy } from './model';

const MIN_DELAY_MS = 1000;

/**
 * The one rule for when a token is due for refresh: the workflow's timer and the token endpoint both ask it (ms epoch).
 * Refresh `buffer` before expiry, but never before half-life, i.e. at max(lifetime − buffer, lifetime / 2).
 * Why half-life for tokens shorter than twice the buffer: a plain buffer would call a 300 s token with a 300 s buffer
 * due the moment it is issued, so every reader would ask for another one. Half-life bounds the refresh rate at two per
 * lifetime (provider requests and vault writes stay proportional to real need), and the token being replaced still has
 * min(buffer, lifetime / 2) to live, which is what a caller holding it needs. Never sooner than a second after issue.
 */
export function refreshDueAt(issuedAtMs: number, lifetimeMs: number, policy: Pick<LifecyclePolicy, 'refreshBufferMs'>): number {
  const delay = Math.max(lifetimeMs - policy.refreshBufferMs, lifetimeMs / 2);
  return issuedAtMs + Math.max(MIN_DELAY_MS, Math.floor(delay));
}

/** The rule as a delay from issue, for a lifetime in seconds as the provider states it. */
export function refreshDelayMs(expiresInSeconds: number, policy: Pick<LifecyclePolicy, 'refreshBufferMs'>): number {
  return refreshDueAt(0, expiresInSeconds * 1000, policy);
}

/** When to refresh next: before the access token is due, and before an idle refresh token would expire. */
export function nextRefreshDueAt(
  issuedAtMs: number,
  expiresInSeconds: number,
  hasRefreshToken: boolean,
  policy: Pick<LifecyclePolicy, 'refreshBufferMs' | 'refreshTokenIdleMs'>,
): number {
  const forToken = refreshDueAt(issuedAtMs, expiresInSeconds * 1000, policy);
  const idleMs = hasRefreshToken ? policy.refreshTokenIdleMs : null;
  return idleMs ? Math.min(forToken, refreshDueAt(issuedAtMs, idleMs, policy)) : forToken;
}

/** nextRefreshDueAt as a delay from issue. */
export function nextRefreshDelayMs(expiresInSeconds: number, hasRefreshToken: boolean, policy: Pick<LifecyclePolicy, 'refreshBufferMs' | 'refreshTokenIdleMs'>): number {
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
