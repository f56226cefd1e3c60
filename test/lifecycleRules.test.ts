// The lifecycle's decisions (workflows/lifecycle.ts) as pure functions, tested in milliseconds: no server, no worker.
import * as rules from '../workflows/lifecycle';
import { providerFailure, type IntegrationConfig, type IntegrationState, type LifecyclePolicy, type TokenMeta } from '../workflows/model';

const policy: LifecyclePolicy = {
  refreshBufferMs: 300_000,
  defaultLifetimeSeconds: 3600,
  retryBaseMs: 2000,
  retryMaxMs: 120_000,
  degradedAfterAttempts: 4,
  degradedRetryMs: 300_000,
  historyLimit: 2000,
};
const T0 = Date.parse('2026-12-02T08:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const token: TokenMeta = {
  secretArn: 'arn:secret',
  secretVersionId: 'v2',
  generation: 2,
  expiresAt: iso(T0 + 3600_000),
  expiresInSeconds: 3600,
  scope: 'read',
  tokenType: 'Bearer',
  hasRefreshToken: true,
};
const active = (): IntegrationState => ({ ...rules.withToken(rules.initialState(), token, T0, policy), status: 'active', revision: 2 });
const transient = (retryAfterSeconds: number | null = null) => providerFailure('transient', 'provider_http_503', 'down', { retryAfterSeconds });
const ctx = (nowMs: number, ownClock = true) => ({ nowMs, policy, random: () => 0.5, expiryOnOwnClock: () => ownClock });
const config = {
  id: 'int_1',
  grantType: 'client_credentials',
  tokenUrl: 'https://idp.example/token',
  clientId: 'c',
  scope: 'read',
  revocationUrl: 'https://idp.example/revoke',
  tokenAuthMethod: 'client_secret_basic',
  label: 'x',
} as IntegrationConfig;

describe('a token obtained', () => {
  test('resets failures and plans the next attempt 5 minutes before a one-hour token expires', () => {
    const failing = { ...active(), consecutiveFailures: 3, failingSince: iso(T0 - 1000) };
    const s = rules.withToken(failing, token, T0, policy);
    expect(s).toMatchObject({ consecutiveFailures: 0, failingSince: null, secretVersionId: 'v2', lastRefreshAt: iso(T0) });
    expect(s.nextAttemptAt).toBe(T0 + 55 * 60_000);
    expect(s.refreshDueAt).toBe(s.nextAttemptAt);
    expect(s.tokenExpiresAt).toBe(T0 + 3600_000);
  });

  test('a refresh out of a failing status is recorded as recovered, a routine one as refreshed', () => {
    expect(rules.refreshedReason({ ...active(), status: 'degraded' })).toBe('recovered');
    expect(rules.refreshedReason(active())).toBe('refreshed');
  });
});

describe('a failed refresh', () => {
  test('a transient failure below the threshold keeps the status and plans a retry with backoff', () => {
    const d = rules.afterRefreshFailure(active(), transient(), ctx(T0 + 1000));
    expect(d.to).toBe('active');
    expect(d.state.consecutiveFailures).toBe(1);
    expect(d.state.nextAttemptAt).toBe(T0 + 1000 + 1500); // base 2 s × (0.5 + 0.5/2)
    expect(d.reason).toBe('refresh failed (provider_http_503), attempt 1');
    expect(d.state.lastError).toMatchObject({ code: 'provider_http_503', at: iso(T0 + 1000) });
  });

  test('degraded at the Nth transient failure in a row, then retried at the degraded pace', () => {
    let s = active();
    const tos: string[] = [];
    for (let n = 1; n <= policy.degradedAfterAttempts; n++) {
      const d = rules.afterRefreshFailure(s, transient(), ctx(T0 + n * 1000));
      tos.push(d.to);
      s = { ...d.state, status: d.to };
    }
    expect(tos).toEqual(['active', 'active', 'active', 'degraded']);
    expect(s.nextAttemptAt! - (T0 + 4000)).toBe(policy.degradedRetryMs * 0.75);
  });

  test('failingSince marks the first failure of a run and stays through retries', () => {
    const first = rules.afterRefreshFailure(active(), transient(), ctx(T0 + 1000)).state;
    const second = rules.afterRefreshFailure(first, transient(), ctx(T0 + 9000)).state;
    expect(second.failingSince).toBe(iso(T0 + 1000));
    expect(second.lastError!.at).toBe(iso(T0 + 9000));
  });

  test('a 429 waits at least its Retry-After', () => {
    const d = rules.afterRefreshFailure(active(), transient(1800), ctx(T0));
    expect(d.state.nextAttemptAt).toBe(T0 + 1800_000);
  });

  test('a transient failure after the token expired degrades at once (on the workflow\'s clock when patched)', () => {
    const expired = { ...active(), tokenExpiresAt: T0 + 10, expiresAt: iso(T0 + 3600_000) };
    expect(rules.afterRefreshFailure(expired, transient(), ctx(T0 + 20, true)).to).toBe('degraded');
    // Unpatched: the provider's expiresAt decides, which here is still an hour away.
    expect(rules.afterRefreshFailure(expired, transient(), ctx(T0 + 20, false)).to).toBe('active');
  });

  test.each([
    ['consent_required', 'invalid_grant', 'awaiting_consent'],
    ['client_rejected', 'invalid_client', 'disconnected'],
    ['client_rejected', 'unauthorized_client', 'disconnected'],
    ['rejected', 'invalid_scope', 'disconnected'],
  ] as const)('%s (%s) → %s, with no attempt planned (never retried blindly)', (kind, code, to) => {
    const d = rules.afterRefreshFailure(active(), providerFailure(kind, code, 'no'), ctx(T0));
    expect(d).toMatchObject({ to, reason: code });
    expect(d.state.nextAttemptAt).toBeNull();
    expect(d.state.consecutiveFailures).toBe(0);
  });

  test('the patch check and the jitter are consulted only for a transient failure, once each', () => {
    let asked = 0;
    let drawn = 0;
    const spy = { nowMs: T0, policy, random: () => (drawn++, 0.5), expiryOnOwnClock: () => (asked++, true) };
    rules.afterRefreshFailure(active(), providerFailure('consent_required', 'invalid_grant', 'no'), spy);
    expect([asked, drawn]).toEqual([0, 0]);
    rules.afterRefreshFailure(active(), transient(), spy);
    expect([asked, drawn]).toEqual([1, 1]);
  });
});

describe('transitions and events', () => {
  test('every transition bumps the revision, which numbers its event', () => {
    const moved = rules.transition(active(), 'degraded');
    expect(moved.from).toBe('active');
    expect(moved.state).toMatchObject({ status: 'degraded', revision: 3 });
    expect(rules.eventFor('int_1', moved.state, moved.from, 'degraded', 'r', 'system', T0)).toEqual({
      integrationId: 'int_1', seq: 3, from: 'active', to: 'degraded', reason: 'r', actor: 'system', at: iso(T0),
    });
  });

  test('creation records created then validated (or consent required) as seq 1 and 2', () => {
    const c = rules.created(rules.initialState(), true, 'int_1', 'admin:a', T0);
    expect(c.state).toMatchObject({ status: 'awaiting_consent', revision: 2 });
    expect(c.events.map((e) => [e.seq, e.from, e.to, e.reason, e.actor])).toEqual([
      [1, null, 'validating', 'created', 'admin:a'],
      [2, 'validating', 'awaiting_consent', 'consent required', 'admin:a'],
    ]);
    expect(rules.created(rules.initialState(), false, 'int_1', 'a', T0).events[1].reason).toBe('validated');
  });

  test('a failed provider revocation is recorded, an unsent one said as such; success records nothing more', () => {
    expect(rules.afterProviderRevocation(active(), { ok: true }, T0)).toBeNull();
    expect(rules.afterProviderRevocation(active(), { ok: false, detail: 'HTTP 500' }, T0)!.state.lastError!.code).toBe('provider_revocation_failed');
    expect(rules.afterProviderRevocation(active(), { ok: false, detail: 'outside', notSent: true }, T0)!.state.lastError!.code).toBe('provider_revocation_not_sent');
  });
});

describe('configuration changes', () => {
  test('a label change is saved without validation; a credential field or new secret needs a token first', () => {
    expect(rules.planConfigChange(config, { actor: 'a', changes: { label: 'y' } }, true).needsValidation).toBe(false);
    expect(rules.planConfigChange(config, { actor: 'a', changes: { scope: 'write' } }, true).needsValidation).toBe(true);
    expect(rules.planConfigChange(config, { actor: 'a', changes: {}, secrets: { clientSecret: 's' } }, true).needsValidation).toBe(true);
  });

  test('a revocationUrl change re-validates only under the bound-fields patch', () => {
    const change = { actor: 'a', changes: { revocationUrl: 'https://idp.example/revoke2' } };
    expect(rules.planConfigChange(config, change, true).needsValidation).toBe(true);
    expect(rules.planConfigChange(config, change, false).needsValidation).toBe(false);
    expect(rules.planConfigChange(config, change, true).candidate.revocationUrl).toBe('https://idp.example/revoke2');
  });
});

describe('refresh requests coalesce', () => {
  test('N requests take N tickets, all answered by one attempt', () => {
    let r = rules.noRefreshRequests();
    const tickets: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = rules.requestRefresh(r, { actor: `svc:${i}` });
      r = t.requests;
      tickets.push(t.ticket);
    }
    expect(rules.refreshPending(r)).toBe(true);
    expect(rules.refreshNeeded(r, active())).toBe(true);
    expect(r.actor).toBe('svc:4'); // the refresh is attributed to the last caller
    r = rules.answerRefreshes(r, r.requested);
    expect(tickets.every((t) => rules.isAnswered(r, t))).toBe(true);
    expect(r).toMatchObject({ neededUntil: 0, ifVersions: [], actor: 'system' });
    expect(rules.refreshPending(r)).toBe(false);
  });

  test('a request that arrives during the attempt keeps its ticket open', () => {
    let r = rules.requestRefresh(rules.noRefreshRequests(), { actor: 'a' }).requests;
    const upTo = r.requested;
    const late = rules.requestRefresh(r, { actor: 'b' });
    r = rules.answerRefreshes(late.requests, upTo);
    expect(rules.isAnswered(r, late.ticket)).toBe(false);
  });

  test('"unless valid until" is skipped while the current active token covers that moment', () => {
    const s = active(); // expires T0 + 1 h
    const covered = rules.requestRefresh(rules.noRefreshRequests(), { actor: 'a', unlessValidUntil: iso(T0 + 60_000) }).requests;
    expect(rules.refreshNeeded(covered, s)).toBe(false);
    expect(rules.refreshNeeded(covered, { ...s, status: 'degraded' })).toBe(true);
    const beyond = rules.requestRefresh(covered, { actor: 'b', unlessValidUntil: iso(T0 + 2 * 3600_000) }).requests;
    expect(rules.refreshNeeded(beyond, s)).toBe(true); // the latest need wins
  });

  test('a refused version refreshes only while it is still current', () => {
    const r = rules.requestRefresh(rules.noRefreshRequests(), { actor: 'a', ifVersion: 'v2' }).requests;
    expect(rules.refreshNeeded(r, active())).toBe(true);
    expect(rules.refreshNeeded(r, { ...active(), secretVersionId: 'v3' })).toBe(false);
  });

  test('revocation answers every waiting ticket', () => {
    const r = rules.requestRefresh(rules.requestRefresh(rules.noRefreshRequests(), { actor: 'a' }).requests, { actor: 'b' }).requests;
    expect(rules.isAnswered(rules.answerAllRefreshes(r), 2)).toBe(true);
  });
});

describe('the loop', () => {
  const idle = { revoking: false, queued: 0, refreshes: rules.noRefreshRequests(), fired: null, status: 'active' } as const;
  const pending = rules.requestRefresh(rules.noRefreshRequests(), { actor: 'a' }).requests;

  test('priority: revocation, queued messages, refresh requests, the planned attempt, expiry', () => {
    expect(rules.nextStep({ ...idle, revoking: true, queued: 1, refreshes: pending, fired: 'attempt' })).toBe('revoke');
    expect(rules.nextStep({ ...idle, queued: 1, refreshes: pending, fired: 'attempt' })).toBe('run-request');
    expect(rules.nextStep({ ...idle, refreshes: pending, fired: 'attempt' })).toBe('answer-refreshes');
    expect(rules.nextStep({ ...idle, fired: 'attempt' })).toBe('attempt');
    expect(rules.nextStep({ ...idle, fired: 'expiry' })).toBe('degrade-at-expiry');
    expect(rules.nextStep({ ...idle, fired: 'expiry', status: 'degraded' })).toBe('none');
    expect(rules.nextStep(idle)).toBe('none');
  });

  test('waits for a message when nothing is planned, not at all when the plan already fired, else on a timer', () => {
    const s = active();
    expect(rules.planWait({ ...s, nextAttemptAt: null }, null, null, T0)).toEqual({ kind: 'message' });
    expect(rules.planWait(s, s.nextAttemptAt, null, T0)).toEqual({ kind: 'fired' });
    expect(rules.planWait(s, null, null, T0)).toEqual({ kind: 'timer', ms: 55 * 60_000, deadline: 'attempt' });
    expect(rules.planWait(s, null, T0 + 1000, T0)).toEqual({ kind: 'timer', ms: 1000, deadline: 'expiry' });
    expect(rules.planWait(s, null, null, s.nextAttemptAt! + 5)).toEqual({ kind: 'timer', ms: 1, deadline: 'attempt' });
  });

  test('the expiry is waited for only when an active token expires before the next attempt', () => {
    const s = active();
    expect(rules.unrenewedExpiryAt(s)).toBeNull(); // the attempt comes 5 minutes before expiry
    expect(rules.unrenewedExpiryAt({ ...s, nextAttemptAt: s.tokenExpiresAt! + 1 })).toBe(s.tokenExpiresAt);
    expect(rules.unrenewedExpiryAt({ ...s, status: 'degraded', nextAttemptAt: s.tokenExpiresAt! + 1 })).toBeNull();
  });

  test('continue-as-new when suggested or past the history limit', () => {
    expect(rules.shouldContinueAsNew({ continueAsNewSuggested: false, historyLength: 2000 }, policy)).toBe(false);
    expect(rules.shouldContinueAsNew({ continueAsNewSuggested: false, historyLength: 2001 }, policy)).toBe(true);
    expect(rules.shouldContinueAsNew({ continueAsNewSuggested: true, historyLength: 1 }, policy)).toBe(true);
  });
});

describe('lifecycle settings for a running integration', () => {
  test('a healthy token is re-planned from its issue time by the new buffer; a failing one keeps its retry', () => {
    const s = active(); // issued T0, one hour, due at 55 min
    expect(rules.withPolicy(s, { ...policy, refreshBufferMs: 20 * 60_000 }).nextAttemptAt).toBe(T0 + 40 * 60_000);
    const failing = { ...s, consecutiveFailures: 1, nextAttemptAt: T0 + 1 };
    expect(rules.withPolicy(failing, { ...policy, refreshBufferMs: 20 * 60_000 })).toBe(failing);
  });

  test('settings with a missing or non-positive value are refused, naming the field', () => {
    expect(rules.settingsProblem(policy)).toBeNull();
    expect(rules.settingsProblem({ ...policy, retryBaseMs: 0 })).toBe('settings.retryBaseMs must be a positive number');
    expect(rules.settingsProblem({ ...policy, historyLimit: undefined })).toBe('settings.historyLimit must be a positive number');
    expect(rules.settingsProblem(null)).toBe('settings is required');
  });

  test('new settings keep the integration\'s own refresh-token idle limit (its provider\'s, not the deployment\'s)', () => {
    const own = { ...policy, refreshTokenIdleMs: 86_400_000 };
    const next = rules.withSettings(own, { ...policy, refreshBufferMs: 60_000, refreshTokenIdleMs: null } as LifecyclePolicy);
    expect(next).toEqual({ ...own, refreshBufferMs: 60_000 });
  });
});
