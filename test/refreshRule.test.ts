// The one refresh rule and what a token read may do, tested as pure functions in milliseconds.
import { planRead, plannedAttemptAt, type ReadPolicy } from '../api/tokens';
import { toProjection, type IntegrationState, type Projection } from '../workflows/model';
import { nextRefreshDueAt, refreshDueAt } from '../workflows/schedule';

const policy: ReadPolicy = { refreshBufferMs: 300_000, retryBaseMs: 2000, retryMaxMs: 120_000, degradedAfterAttempts: 4, degradedRetryMs: 300_000 };
const T0 = Date.parse('2026-12-02T08:00:00Z');
const s = (n: number) => n * 1000;

describe('refreshDueAt: buffer before expiry, never before half-life', () => {
  test.each([
    [30, 15],
    [300, 150], // Keycloak's default lifetime: a plain 300 s buffer would make it due on issue
    [599, 299.5],
    [600, 300], // exactly twice the buffer: both rules agree
    [900, 600],
    [3600, 3300],
  ])('a %i s token issued at T0 is due %d s later', (lifetime, dueAfter) => {
    expect(refreshDueAt(T0, s(lifetime), policy) - T0).toBe(Math.floor(s(dueAfter)));
  });

  test('never sooner than a second after issue, whatever the lifetime', () => {
    expect(refreshDueAt(T0, 1500, policy)).toBe(T0 + 1000);
    expect(refreshDueAt(T0, 0, policy)).toBe(T0 + 1000);
  });

  test('the token being replaced always keeps min(buffer, half its life) to live', () => {
    for (const lifetime of [s(10), s(30), s(299), s(300), s(601), s(900), s(7200)]) {
      const left = T0 + lifetime - refreshDueAt(T0, lifetime, policy);
      expect(left).toBeGreaterThanOrEqual(Math.min(policy.refreshBufferMs, lifetime / 2) - 1);
    }
  });

  test('the workflow schedules the same instant, or earlier for a refresh token that would expire idle', () => {
    expect(nextRefreshDueAt(T0, 300, true, { ...policy, refreshTokenIdleMs: null })).toBe(refreshDueAt(T0, s(300), policy));
    expect(nextRefreshDueAt(T0, 3600, true, { ...policy, refreshTokenIdleMs: s(1800) })).toBe(T0 + s(1500));
    expect(nextRefreshDueAt(T0, 3600, false, { ...policy, refreshTokenIdleMs: s(1800) })).toBe(T0 + s(3300));
  });
});

/** The projection the workflow writes right after obtaining a token of `lifetime` seconds at T0. */
function issued(lifetime: number, extra: Partial<IntegrationState> = {}): Projection {
  const due = nextRefreshDueAt(T0, lifetime, true, policy);
  return toProjection({
    status: 'active',
    secretArn: 'arn:secret',
    secretVersionId: 'v1',
    generation: 1,
    expiresAt: new Date(T0 + s(lifetime)).toISOString(),
    scope: null,
    tokenType: 'bearer',
    hasRefreshToken: true,
    lastRefreshAt: new Date(T0).toISOString(),
    lastError: null,
    consecutiveFailures: 0,
    nextAttemptAt: due,
    refreshDueAt: due,
    revision: 2,
    ...extra,
  });
}

const timing = { policy, graceMs: 20_000, waitMs: 8000 };

describe('planRead: a read never asks for a refresh before the token is due, never waits while it is valid', () => {
  test.each([30, 300, 900])('%i s token: served and left alone until due, nudged only once the lifecycle is late', (lifetime) => {
    const timing = { policy, graceMs: 3000, waitMs: 8000 };
    const state = issued(lifetime);
    const due = refreshDueAt(T0, s(lifetime), policy);
    expect(planRead(state, T0, timing)).toBe('serve');
    expect(planRead(state, due - 1, timing)).toBe('serve');
    expect(planRead(state, due, timing)).toBe('serve'); // the workflow's own attempt is under way
    expect(planRead(state, due + timing.graceMs, timing)).toBe('serve_and_nudge'); // it is late: worker slow or down
    expect(planRead(state, T0 + s(lifetime) - 2001, timing)).toBe('serve_and_nudge'); // still valid: served at once
    expect(planRead(state, T0 + s(lifetime) - 2000, timing)).toBe('wait_and_nudge'); // under the minimum remaining life
  });

  test('an unusable token waits for an attempt in flight, and is refused at once when none is coming within the wait', () => {
    const state = issued(30);
    const due = refreshDueAt(T0, s(30), policy); // 15 s in; expiry at 30 s
    expect(planRead(state, T0 + s(29), { ...timing, graceMs: s(20) })).toBe('wait'); // attempt (due at 15 s) still in flight
    expect(planRead(state, due + s(2), { ...timing, graceMs: s(2) })).toBe('serve_and_nudge');
    expect(planRead(state, T0 + s(31), { ...timing, graceMs: s(20) })).toBe('wait');
    expect(planRead(state, T0 + s(36), { ...timing, graceMs: s(20) })).toBe('wait_and_nudge');
  });

  test('the api follows the due time the workflow projected, not its own buffer setting', () => {
    const state = issued(900);
    expect(planRead(state, T0 + s(400), { ...timing, policy: { ...policy, refreshBufferMs: s(800) } })).toBe('serve');
  });

  test('while the lifecycle backs off, reads add no attempts: valid tokens are served, expired ones refused at once', () => {
    const failedAt = { code: 'provider_http_503', message: 'x', at: new Date(T0 + s(160)).toISOString() };
    const retryAt = T0 + s(200);
    const failing = issued(300, { status: 'degraded', consecutiveFailures: 5, nextAttemptAt: retryAt, lastError: failedAt });
    expect(planRead(failing, T0 + s(190), timing)).toBe('serve'); // due since 150 s, but the retry is planned for 200 s
    expect(planRead(failing, retryAt, timing)).toBe('serve'); // the retry is under way
    expect(planRead(failing, retryAt + timing.graceMs, timing)).toBe('serve_and_nudge');
    const later = issued(300, { status: 'degraded', consecutiveFailures: 6, nextAttemptAt: T0 + s(400), lastError: failedAt });
    expect(planRead(later, T0 + s(350), timing)).toBe('unavailable'); // expired, next attempt ahead: nothing to wait for
    expect(planRead(later, T0 + s(400) - timing.waitMs, timing)).toBe('wait'); // the next attempt comes within the wait
  });

  test('projections written before the workflow projected its plan get the same rule from issue time and expiry', () => {
    const legacy = { ...issued(300), refreshDueAt: null, nextAttemptAt: null };
    expect(plannedAttemptAt(legacy, policy)).toBe(refreshDueAt(T0, s(300), policy));
    const failing = { ...legacy, consecutiveFailures: 5, lastError: { code: 'provider_http_503', message: 'x', at: new Date(T0 + s(160)).toISOString() } };
    expect(plannedAttemptAt(failing, policy)).toBe(T0 + s(160) + policy.degradedRetryMs);
  });
});
