// The lifecycle's decisions as pure functions of state, policy and time: the workflow asks, then runs one activity.
// No Temporal imports and no clock: the caller passes `nowMs` (and `random`), so every rule is unit-tested in milliseconds.
import type { ConfigChange, LifecycleSettings, RefreshNowArgs, RevokeArgs } from './messages';
import { BOUND_FIELDS } from './credentialChange';
import {
  providerFailure,
  type IntegrationConfig,
  type IntegrationState,
  type LifecyclePolicy,
  type ProviderFailure,
  type Status,
  type TokenMeta,
  type TransitionEvent,
} from './model';
import { nextRefreshDueAt, refreshFloorWarning, retryDelayMs } from './schedule';

export function initialState(): IntegrationState {
  return {
    status: 'validating',
    secretArn: null,
    secretVersionId: null,
    generation: 0,
    expiresAt: null,
    scope: null,
    tokenType: null,
    hasRefreshToken: false,
    lastRefreshAt: null,
    lastError: null,
    consecutiveFailures: 0,
    nextAttemptAt: null,
    revision: 0,
  };
}

/** Our own infrastructure failed (vault, registry, a result not sent by our worker): transient, retried like a 5xx. */
export function internalFailure(cause: string): ProviderFailure {
  return providerFailure('transient', 'internal_error', `Steward could not complete the call: ${cause}`);
}

/** A message that waited in the queue while the integration was revoked. */
export function revokedFailure(): ProviderFailure {
  return providerFailure('rejected', 'revoked', 'The integration was revoked before this request ran.');
}

// ── transitions ─────────────────────────────────────────────────────────────────────────────────

/** Moves to `to` (or stays): every transition bumps the revision, which numbers the event and orders projection writes. */
export function transition(state: IntegrationState, to: Status): { state: IntegrationState; from: Status } {
  return { state: { ...state, status: to, revision: state.revision + 1 }, from: state.status };
}

/** The event of the transition just made (its seq is the state's revision). */
export function eventFor(integrationId: string, state: IntegrationState, from: Status | null, to: Status, reason: string, actor: string, nowMs: number): TransitionEvent {
  return { integrationId, seq: state.revision, from, to, reason, actor, at: new Date(nowMs).toISOString() };
}

// ── token outcomes ──────────────────────────────────────────────────────────────────────────────

/** A token obtained and stored: failures reset, the next refresh planned by the shared rule (workflows/schedule.ts). */
export function withToken(state: IntegrationState, token: TokenMeta, nowMs: number, policy: LifecyclePolicy): IntegrationState {
  const nextAttemptAt = nextRefreshDueAt(nowMs, token.expiresInSeconds, token.hasRefreshToken, policy);
  return {
    ...state,
    secretArn: token.secretArn,
    secretVersionId: token.secretVersionId,
    generation: token.generation,
    expiresAt: token.expiresAt,
    scope: token.scope,
    tokenType: token.tokenType,
    hasRefreshToken: token.hasRefreshToken,
    lastRefreshAt: new Date(nowMs).toISOString(),
    consecutiveFailures: 0,
    failingSince: null,
    nextAttemptAt,
    // The projection carries the due time to the token endpoint; the expiry on our own clock drives the expiry timer.
    refreshDueAt: nextAttemptAt,
    refreshWarning: refreshFloorWarning(token.expiresInSeconds, token.hasRefreshToken, policy),
    tokenExpiresAt: nowMs + token.expiresInSeconds * 1000,
  };
}

/** A transition's reason with what else the attempt did (e.g. revoking the grant it replaced). */
export function withNote(reason: string, note: string | undefined): string {
  return note ? `${reason}; ${note}` : reason;
}

/** The reason a successful refresh records: back from a failing status, or routine. */
export function refreshedReason(state: IntegrationState): 'recovered' | 'refreshed' {
  return state.status !== 'active' ? 'recovered' : 'refreshed';
}

// ── failures ────────────────────────────────────────────────────────────────────────────────────

export interface FailureDecision {
  state: IntegrationState;
  to: Status;
  reason: string;
}

/**
 * What a failed refresh does. invalid_grant → awaiting consent and invalid_client → disconnected, neither retried (no
 * attempt planned); a transient failure is retried at the backoff pace (never before Retry-After) and the status turns
 * degraded after `degradedAfterAttempts` failures in a row or once the token has expired.
 * `expiryOnOwnClock` is asked only for a transient failure (the workflow answers it with a patch check, whose call
 * site must not move); `random` is the jitter source, called exactly once per transient failure.
 */
export function afterRefreshFailure(
  state: IntegrationState,
  failure: ProviderFailure,
  ctx: { nowMs: number; policy: LifecyclePolicy; random: () => number; expiryOnOwnClock: () => boolean },
): FailureDecision {
  const at = new Date(ctx.nowMs).toISOString();
  const noted: IntegrationState = { ...state, lastError: { code: failure.code, message: failure.message, at }, failingSince: state.failingSince ?? at };
  if (failure.kind === 'consent_required') return { state: { ...noted, nextAttemptAt: null }, to: 'awaiting_consent', reason: failure.code };
  if (failure.kind !== 'transient') return { state: { ...noted, nextAttemptAt: null }, to: 'disconnected', reason: failure.code };

  const failures = state.consecutiveFailures + 1;
  const nextAttemptAt = ctx.nowMs + retryDelayMs(failures, ctx.policy, failure.retryAfterSeconds, ctx.random);
  // The expiry on the workflow's own clock, as the expiry timer uses (the provider's clock differs, e.g. under time skipping).
  const onOwnClock = ctx.expiryOnOwnClock() && state.tokenExpiresAt != null;
  const expiresAt = onOwnClock ? state.tokenExpiresAt! : state.expiresAt === null ? null : Date.parse(state.expiresAt);
  const tokenExpired = expiresAt !== null && expiresAt <= ctx.nowMs;
  const degrade = failures >= ctx.policy.degradedAfterAttempts || tokenExpired;
  return {
    state: { ...noted, consecutiveFailures: failures, nextAttemptAt },
    to: degrade ? 'degraded' : state.status,
    reason: `refresh failed (${failure.code}), attempt ${failures}`,
  };
}

/** Revocation at the provider failed or was not sent: recorded as the last error, the secret is deleted anyway. */
export function afterProviderRevocation(
  state: IntegrationState,
  provider: { ok: boolean; detail?: string; notSent?: boolean },
  nowMs: number,
): { state: IntegrationState; reason: string } | null {
  if (provider.ok) return null;
  // Nothing sent (endpoint outside the secret's binding) is said as such, not as a provider failure.
  const notSent = provider.notSent === true;
  const code = notSent ? 'provider_revocation_not_sent' : 'provider_revocation_failed';
  return {
    state: { ...state, lastError: { code, message: provider.detail ?? '', at: new Date(nowMs).toISOString() } },
    reason: notSent ? 'revocation endpoint outside the secret binding: nothing sent; secret deleted anyway' : 'provider revocation failed; secret deleted anyway',
  };
}

export function revokedReason(args: RevokeArgs): string {
  return args.reason ? `revoked: ${args.reason}` : 'revoked';
}

// ── creation ────────────────────────────────────────────────────────────────────────────────────

/** Authorization code: no token can exist before a person consents, so only the client secret is stored at creation. */
export function needsConsentAtCreation(config: IntegrationConfig): boolean {
  return config.grantType === 'authorization_code';
}

/** The state once created, and its two events (created, then validated or consent required). */
export function created(state: IntegrationState, needsConsent: boolean, integrationId: string, actor: string, nowMs: number): { state: IntegrationState; events: TransitionEvent[] } {
  const next: IntegrationState = { ...state, status: needsConsent ? 'awaiting_consent' : 'active', revision: 2 };
  return {
    state: next,
    events: [
      { ...eventFor(integrationId, next, null, 'validating', 'created', actor, nowMs), seq: 1 },
      { ...eventFor(integrationId, next, 'validating', next.status, needsConsent ? 'consent required' : 'validated', actor, nowMs), seq: 2 },
    ],
  };
}

// ── configuration changes ───────────────────────────────────────────────────────────────────────

// The JWT bearer grant's subject and audience decide whose token is issued: a change is proven by obtaining one. Older
// histories carry neither field, so their decisions replay unchanged.
const CREDENTIAL_FIELDS = ['tokenUrl', 'clientId', 'scope', 'tokenAuthMethod', 'assertionSubject', 'assertionAudience'] as const;
/** Since bindings: every field that decides where the secret goes re-validates (revocationUrl used to be saved as is). */
const BOUND_CREDENTIAL_FIELDS = [...new Set([...CREDENTIAL_FIELDS, ...BOUND_FIELDS])];

/**
 * The configuration a change leads to, and whether it must be validated by obtaining a token first (new secrets, or a
 * field that decides where and how credentials are sent). `boundFieldsRevalidate`: the patched rule (revocationUrl too).
 */
export function planConfigChange(config: IntegrationConfig, change: ConfigChange, boundFieldsRevalidate: boolean): { candidate: IntegrationConfig; needsValidation: boolean } {
  const candidate: IntegrationConfig = { ...config, ...change.changes };
  const fields: readonly (keyof IntegrationConfig)[] = boundFieldsRevalidate ? BOUND_CREDENTIAL_FIELDS : CREDENTIAL_FIELDS;
  const needsValidation = Boolean(change.secrets?.clientSecret || change.secrets?.refreshToken) || fields.some((field) => candidate[field] !== config[field]);
  return { candidate, needsValidation };
}

// ── lifecycle settings ──────────────────────────────────────────────────────────────────────────

const POLICY_FIELDS = ['refreshBufferMs', 'defaultLifetimeSeconds', 'retryBaseMs', 'retryMaxMs', 'degradedAfterAttempts', 'degradedRetryMs', 'historyLimit'] as const;

/** Why `settings` cannot drive a lifecycle (null: they can). The workflow refuses such an update in its validator. */
export function settingsProblem(settings: unknown): string | null {
  if (typeof settings !== 'object' || settings === null) return 'settings is required';
  const p = settings as Record<string, unknown>;
  for (const field of POLICY_FIELDS) {
    if (typeof p[field] !== 'number' || !Number.isFinite(p[field]) || (p[field] as number) < (field === 'refreshBufferMs' ? 0 : 1)) return `settings.${field} must be a positive number`;
  }
  return null;
}

/** The integration's policy under new deployment-wide settings: only those fields are taken, its own refreshTokenIdleMs stays. */
export function withSettings(policy: LifecyclePolicy, settings: LifecycleSettings): LifecyclePolicy {
  const next: LifecyclePolicy = { ...policy };
  for (const field of POLICY_FIELDS) next[field] = settings[field];
  return next;
}

/**
 * New settings for a running integration. A healthy token's planned refresh moves to where the new buffer puts it (from
 * its issue time and lifetime on the workflow's clock; due already = now); a failing one keeps its retry and paces the
 * next one by the new settings.
 */
export function withPolicy(state: IntegrationState, policy: LifecyclePolicy): IntegrationState {
  if (state.status !== 'active' || state.consecutiveFailures > 0 || state.tokenExpiresAt == null || state.lastRefreshAt === null) return state;
  const issuedAt = Date.parse(state.lastRefreshAt);
  const due = nextRefreshDueAt(issuedAt, (state.tokenExpiresAt - issuedAt) / 1000, state.hasRefreshToken, policy);
  return { ...state, nextAttemptAt: due, refreshDueAt: due };
}

// ── refresh requests (refreshNow): coalesced tickets ────────────────────────────────────────────

/** Every request up to `requested` is answered by one attempt; the conditions of the waiting ones are merged. */
export interface RefreshRequests {
  requested: number;
  answered: number;
  /** ms epoch; Infinity = unconditional; 0 = no time condition. */
  neededUntil: number;
  /** Versions reported refused: refresh only while one of them is current. */
  ifVersions: string[];
  /** Who asked last: the refresh is attributed to them. */
  actor: string;
}

export function noRefreshRequests(): RefreshRequests {
  return { requested: 0, answered: 0, neededUntil: 0, ifVersions: [], actor: 'system' };
}

/** Takes a ticket: the caller waits until `answered` reaches it. */
export function requestRefresh(r: RefreshRequests, args: RefreshNowArgs): { requests: RefreshRequests; ticket: number } {
  const requests: RefreshRequests = { ...r, requested: r.requested + 1, actor: args.actor };
  if (args.ifVersion !== undefined) requests.ifVersions = [...r.ifVersions, args.ifVersion];
  else requests.neededUntil = Math.max(r.neededUntil, args.unlessValidUntil ? Date.parse(args.unlessValidUntil) : Infinity);
  return { requests, ticket: requests.requested };
}

export const refreshPending = (r: RefreshRequests): boolean => r.requested > r.answered;
export const isAnswered = (r: RefreshRequests, ticket: number): boolean => r.answered >= ticket;

/**
 * Whether the waiting requests need a provider call. Not when every caller only asked for a token valid until a moment
 * the current one already covers, or only reported refused a token version that is no longer current (a refresh
 * already replaced it).
 */
export function refreshNeeded(r: RefreshRequests, state: IntegrationState): boolean {
  const validUntil = state.expiresAt ? Date.parse(state.expiresAt) : 0;
  const neededByTime = r.neededUntil !== 0 && !(state.status === 'active' && validUntil > r.neededUntil);
  const neededByReport = r.ifVersions.includes(state.secretVersionId ?? '');
  return neededByTime || neededByReport;
}

/** Answers every ticket up to `upTo` (taken before the attempt) and clears the merged conditions. */
export function answerRefreshes(r: RefreshRequests, upTo: number): RefreshRequests {
  return { ...r, answered: upTo, neededUntil: 0, ifVersions: [], actor: 'system' };
}

/** On revocation every waiting request is answered (with the revoked state). */
export function answerAllRefreshes(r: RefreshRequests): RefreshRequests {
  return { ...r, answered: r.requested };
}

// ── the loop ────────────────────────────────────────────────────────────────────────────────────

/** What one turn of the loop does, in priority order: revocation, then queued messages, then refreshNow, then the plan. */
export type Step = 'revoke' | 'run-request' | 'answer-refreshes' | 'attempt' | 'degrade-at-expiry' | 'none';

export function nextStep(w: { revoking: boolean; queued: number; refreshes: RefreshRequests; fired: 'attempt' | 'expiry' | null; status: Status }): Step {
  if (w.revoking) return 'revoke';
  if (w.queued > 0) return 'run-request';
  if (refreshPending(w.refreshes)) return 'answer-refreshes';
  if (w.fired === 'attempt') return 'attempt';
  // No fresh token and the served one has expired: say so now, not only when the next attempt fails (issue 16 §3).
  if (w.fired === 'expiry' && w.status === 'active') return 'degrade-at-expiry';
  return 'none';
}

/** When the token served as `active` expires before the next attempt can replace it (a retry waits past expiry). */
export function unrenewedExpiryAt(state: IntegrationState): number | null {
  const expiresAt = state.tokenExpiresAt ?? null; // on the workflow's clock, like nextAttemptAt (a run continued from an older one has none yet)
  if (state.status !== 'active' || expiresAt === null || state.nextAttemptAt === null) return null;
  return expiresAt < state.nextAttemptAt ? expiresAt : null;
}

/**
 * How the loop waits (from what history records, never by re-reading the clock afterwards): forever for a message when
 * nothing is planned; not at all when the planned attempt's timer already fired (a request pre-empted it); else a real
 * timer of at least 1 ms to the earlier of the token's unrenewed expiry and the planned attempt.
 */
export function planWait(state: IntegrationState, firedFor: number | null, expiryAt: number | null, nowMs: number):
  | { kind: 'message' }
  | { kind: 'fired' }
  | { kind: 'timer'; ms: number; deadline: 'attempt' | 'expiry' } {
  if (state.nextAttemptAt === null) return { kind: 'message' };
  if (firedFor === state.nextAttemptAt) return { kind: 'fired' };
  const deadline = expiryAt ?? state.nextAttemptAt;
  return { kind: 'timer', ms: Math.max(1, deadline - nowMs), deadline: expiryAt === null ? 'attempt' : 'expiry' };
}

/** Continue-as-new before history grows large (the server's suggestion or our own limit). */
export function shouldContinueAsNew(info: { continueAsNewSuggested: boolean; historyLength: number }, policy: LifecyclePolicy): boolean {
  return info.continueAsNewSuggested || info.historyLength > policy.historyLimit;
}
