// The lifecycle of one integration: validate and store, then sleep until shortly before expiry and refresh, forever.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  completeConsentUpdate,
  refreshNowUpdate,
  revokeSignal,
  isRefusedPayload,
  stateQuery,
  updateConfigUpdate,
  validatedUpdate,
  type ConfigChange,
  type ConfigChangeResult,
  type ConsentCompletion,
  type ConsentResult,
  type RefreshNowArgs,
  type RevokeArgs,
  type ValidationResult,
} from './messages';
import {
  toProjection,
  toPublicState,
  type IntegrationConfig,
  type IntegrationState,
  type LifecyclePolicy,
  type ProviderFailure,
  type Status,
  type SuppliedSecrets,
  type TokenMeta,
  type TokenOutcome,
  type TransitionEvent,
} from './model';
import { BOUND_FIELDS_REVALIDATE, DEGRADE_AT_TOKEN_EXPIRY, LOOP_DECIDES_FROM_HISTORY } from './patches';
import { nextRefreshDueAt, refreshFloorWarning, retryDelayMs } from './schedule';
import { IntegrationStatus, TenantId, TokenExpiresAt } from './searchAttributes';
import { noticesFor, publishDetails, publishNotices } from './notices';
import { attributionProblem, BOUND_FIELDS, credentialChangeProblems } from './credentialChange';

export type IntegrationWorkflowInput =
  | { kind: 'create'; config: IntegrationConfig; secrets: SuppliedSecrets; policy: LifecyclePolicy; actor: string }
  | { kind: 'continue'; config: IntegrationConfig; policy: LifecyclePolicy; state: IntegrationState };

// Provider calls return their outcome; a throw means our own infrastructure (vault, network stack) failed.
// The attempt heartbeats, so a dead worker's attempt is retried within seconds; the start-to-close bound only has to
// cover a slow provider (STEWARD_REFRESH_ANSWER_TIMEOUT_MS, at most 4 minutes) plus the vault write.
const tokenCalls = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3 },
});
// Registry writes must land eventually: the api serves tokens from this projection.
const registryCalls = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
// At creation a broken registry should fail the request rather than hang it.
const creationCalls = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 4 },
});

function initialState(): IntegrationState {
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

function internalFailure(err: unknown): ProviderFailure {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
  return {
    kind: 'transient',
    code: 'internal_error',
    message: `Steward could not complete the call: ${cause}`,
    providerError: null,
    providerErrorDescription: null,
    timeout: false,
    retryAfterSeconds: null,
  };
}

const CREDENTIAL_FIELDS = ['tokenUrl', 'clientId', 'scope', 'tokenAuthMethod'] as const;
/** Since bindings: every field that decides where the secret goes re-validates (revocationUrl used to be saved as is). */
const BOUND_CREDENTIAL_FIELDS = [...new Set([...CREDENTIAL_FIELDS, ...BOUND_FIELDS])];

/** Validators: refuse what the api cannot have sent (unattributed, or plaintext refused by the codec). */
function requireAttribution(args: unknown): void {
  const problem = attributionProblem(args);
  if (problem) throw new Error(problem);
}

export async function integrationWorkflow(input: IntegrationWorkflowInput): Promise<void> {
  // Steward ends an integration by the revoke signal, never by cancellation: a cancel request can only come from outside
  // the api (the CLI, the frontend), so the lifecycle ignores it rather than stop refreshing.
  return CancellationScope.nonCancellable(() => lifecycle(input));
}

/** Handlers run in the root scope, which a cancel request cancels: their waits are shielded like the lifecycle. */
const shielded = (fn: () => boolean) => CancellationScope.nonCancellable(() => condition(fn));

async function lifecycle(input: IntegrationWorkflowInput): Promise<void> {
  // A start the api did not send (plaintext or forged input, refused by the codec) ends here, before anything is touched.
  // A key this worker lacks is an operator's mistake, not an attack: fail the task (retried) until the key is back.
  if (isRefusedPayload(input) && input.refused === 'unknown-key') throw new Error(input.detail);
  // (An encrypted but malformed input is Steward's own bug: its task fails and retries until a fixed worker runs it.)
  if (isRefusedPayload(input) || (input?.kind === 'create' && attributionProblem(input))) {
    throw ApplicationFailure.nonRetryable('The workflow input was not sent by Steward\'s api (unencrypted or unattributed).', 'unattributed_start');
  }
  let config = input.config;
  const policy = input.policy;
  const state: IntegrationState = input.kind === 'continue' ? input.state : initialState();
  const integrationId = config.id;

  let validation: ValidationResult | null = input.kind === 'continue' ? { ok: true, state: toPublicState(state) } : null;
  let revokeRequest: RevokeArgs | null = null;
  // refreshNow requests coalesce: every request up to `refreshRequested` is answered by one attempt.
  let refreshRequested = 0;
  let refreshAnswered = 0;
  let refreshNeededUntil = 0; // ms epoch; Infinity = unconditional
  let refreshIfVersions: string[] = []; // versions reported refused: refresh only while one of them is current
  let refreshActor = 'system';
  // Config changes and consent completions run one at a time in the main loop: one writer for the credentials.
  const requests: { run: () => Promise<unknown>; whenRevoked: () => unknown; done: boolean; result?: unknown }[] = [];
  async function enqueue<T>(run: () => Promise<T>, whenRevoked: () => T): Promise<T> {
    const entry = { run, whenRevoked, done: false, result: undefined as unknown };
    requests.push(entry);
    await shielded(() => entry.done);
    return entry.result as T;
  }
  const revokedFailure = (): ProviderFailure => ({
    kind: 'rejected',
    code: 'revoked',
    message: 'The integration was revoked before this request ran.',
    providerError: null,
    providerErrorDescription: null,
    timeout: false,
    retryAfterSeconds: null,
  });

  const now = () => Date.now(); // deterministic inside workflows

  setHandler(stateQuery, () => toPublicState(state));
  setHandler(validatedUpdate, async () => {
    await shielded(() => validation !== null);
    return validation!;
  });
  setHandler(
    refreshNowUpdate,
    async (args) => {
      const ticket = ++refreshRequested;
      refreshActor = args.actor;
      if (args.ifVersion !== undefined) refreshIfVersions.push(args.ifVersion);
      else refreshNeededUntil = Math.max(refreshNeededUntil, args.unlessValidUntil ? Date.parse(args.unlessValidUntil) : Infinity);
      await shielded(() => refreshAnswered >= ticket);
      return toPublicState(state);
    },
    {
      validator: (args: RefreshNowArgs) => {
        requireAttribution(args);
        rejectWhenRevoked();
      },
    },
  );
  setHandler(
    updateConfigUpdate,
    (change) => enqueue<ConfigChangeResult>(() => applyConfigChange(change), () => ({ ok: false, failure: revokedFailure() })),
    {
      validator: (change: ConfigChange) => {
        requireAttribution(change);
        rejectWhenRevoked();
        const problems = credentialChangeProblems(config, change);
        if (problems.length) throw new Error(problems.map((p) => `${p.path} ${p.message}`).join('; '));
      },
    },
  );
  setHandler(
    completeConsentUpdate,
    (completion) => enqueue<ConsentResult>(() => completeConsent(completion), () => ({ ok: false, failure: revokedFailure() })),
    {
      validator: (completion: ConsentCompletion) => {
        requireAttribution(completion);
        rejectWhenRevoked();
      },
    },
  );
  setHandler(revokeSignal, (args) => {
    // Signals have no validator: one the api did not send is recorded in history and otherwise ignored.
    if (attributionProblem(args)) {
      log.warn('ignored an unattributed revoke signal', { integrationId });
      return;
    }
    revokeRequest ??= args;
  });

  function rejectWhenRevoked(): void {
    if (state.status === 'revoked' || revokeRequest) throw new Error('integration is revoked');
  }

  function publishSearchAttributes(): void {
    upsertSearchAttributes([
      { key: IntegrationStatus, value: state.status },
      ...(config.tenantId ? [{ key: TenantId, value: config.tenantId }] : []),
      ...(state.expiresAt ? [{ key: TokenExpiresAt, value: new Date(state.expiresAt) }] : []),
    ]);
    publishDetails(config, state);
  }

  function eventFor(from: Status | null, to: Status, reason: string, actor: string): TransitionEvent {
    return { integrationId, seq: state.revision, from, to, reason, actor, at: new Date(now()).toISOString() };
  }

  /** Moves to `to` (or stays), mirrors the state into MongoDB and records the event. */
  async function record(to: Status, reason: string, actor = 'system'): Promise<void> {
    const from = state.status;
    state.status = to;
    state.revision += 1;
    publishSearchAttributes();
    log.info('integration transition', { integrationId, from, to, reason });
    const event = eventFor(from, to, reason, actor);
    await registryCalls.recordTransition({ integrationId, projection: toProjection(state), event });
    await publishNotices(noticesFor(event, state, config, policy, now()));
  }

  function applyToken(token: TokenMeta): void {
    state.secretArn = token.secretArn;
    state.secretVersionId = token.secretVersionId;
    state.generation = token.generation;
    state.expiresAt = token.expiresAt;
    state.scope = token.scope;
    state.tokenType = token.tokenType;
    state.hasRefreshToken = token.hasRefreshToken;
    state.lastRefreshAt = new Date(now()).toISOString();
    state.consecutiveFailures = 0;
    state.failingSince = null;
    // The shared rule (workflows/schedule.ts); the projection carries its answer to the token endpoint.
    state.nextAttemptAt = nextRefreshDueAt(now(), token.expiresInSeconds, token.hasRefreshToken, policy);
    state.refreshDueAt = state.nextAttemptAt;
    state.refreshWarning = refreshFloorWarning(token.expiresInSeconds, token.hasRefreshToken, policy);
    state.tokenExpiresAt = now() + token.expiresInSeconds * 1000;
  }

  async function obtain(cfg: IntegrationConfig, supplied: SuppliedSecrets | null, consent?: ConsentCompletion, refresh?: { plannedAt: number | null }): Promise<TokenOutcome> {
    try {
      const outcome = await tokenCalls.obtainAndStoreToken({
        integrationId,
        config: cfg,
        secretArn: state.secretArn,
        supplied,
        authorizationCode: consent ? { code: consent.code, codeVerifier: consent.codeVerifier, redirectUri: consent.redirectUri } : undefined,
        nextGeneration: state.generation + 1,
        defaultLifetimeSeconds: policy.defaultLifetimeSeconds,
        // Awaiting consent, the held refresh token is already refused: nothing left to revoke when it is replaced.
        heldGrantDead: state.status === 'awaiting_consent',
        refresh, // marks a refresh for the worker's metrics
      });
      // An activity result completed by someone else (e.g. `temporal activity complete` with plain JSON) is refused.
      if (isRefusedPayload(outcome) || typeof outcome?.ok !== 'boolean') return { ok: false, failure: internalFailure('the activity result was not sent by Steward\'s worker') };
      return outcome;
    } catch (err) {
      return { ok: false, failure: internalFailure(err) };
    }
  }

  function noteFailure(failure: ProviderFailure): void {
    state.lastError = { code: failure.code, message: failure.message, at: new Date(now()).toISOString() };
    state.failingSince ??= state.lastError.at;
  }

  /** Handles a failed refresh: classify into retry, degraded, awaiting consent or disconnected. */
  async function onRefreshFailure(failure: ProviderFailure): Promise<void> {
    noteFailure(failure);
    if (failure.kind === 'consent_required') {
      state.nextAttemptAt = null;
      return record('awaiting_consent', failure.code);
    }
    if (failure.kind !== 'transient') {
      state.nextAttemptAt = null;
      return record('disconnected', failure.code);
    }
    state.consecutiveFailures += 1;
    state.nextAttemptAt = now() + retryDelayMs(state.consecutiveFailures, policy, failure.retryAfterSeconds, Math.random);
    // Patched: the expiry on the workflow's own clock, as the expiry timer uses (the provider's clock differs, e.g. under time skipping).
    const onOwnClock = patched(DEGRADE_AT_TOKEN_EXPIRY) && state.tokenExpiresAt != null;
    const expiresAt = onOwnClock ? state.tokenExpiresAt! : state.expiresAt === null ? null : Date.parse(state.expiresAt);
    const tokenExpired = expiresAt !== null && expiresAt <= now();
    const degrade = state.consecutiveFailures >= policy.degradedAfterAttempts || tokenExpired;
    return record(degrade ? 'degraded' : state.status, `refresh failed (${failure.code}), attempt ${state.consecutiveFailures}`);
  }

  async function refresh(actor: string): Promise<void> {
    const outcome = await obtain(config, null, undefined, { plannedAt: state.refreshDueAt ?? null });
    if (!outcome.ok) return onRefreshFailure(outcome.failure);
    const recovering = state.status !== 'active';
    applyToken(outcome.token);
    await record('active', recovering ? 'recovered' : 'refreshed', actor);
  }

  async function applyConfigChange(change: ConfigChange): Promise<ConfigChangeResult> {
    const candidate: IntegrationConfig = { ...config, ...change.changes };
    const fields = patched(BOUND_FIELDS_REVALIDATE) ? BOUND_CREDENTIAL_FIELDS : CREDENTIAL_FIELDS;
    const needsValidation =
      Boolean(change.secrets?.clientSecret || change.secrets?.refreshToken) || fields.some((field) => candidate[field] !== config[field]);
    if (!needsValidation) {
      config = candidate;
      await registryCalls.saveConfig({ config });
      return { ok: true, config, state: toPublicState(state) };
    }
    const outcome = await obtain(candidate, change.secrets ?? null);
    if (!outcome.ok) return { ok: false, failure: outcome.failure }; // the old working credentials stay
    config = candidate;
    applyToken(outcome.token);
    await registryCalls.saveConfig({ config });
    await record('active', outcome.note ? `reconfigured; ${outcome.note}` : 'reconfigured', change.actor);
    return { ok: true, config, state: toPublicState(state) };
  }

  /** Exchanges the code; a failure leaves the integration exactly as it was. */
  async function completeConsent(completion: ConsentCompletion): Promise<ConsentResult> {
    const outcome = await obtain(config, null, completion);
    if (!outcome.ok) return { ok: false, failure: outcome.failure };
    applyToken(outcome.token);
    await record('active', outcome.note ? `consent granted; ${outcome.note}` : 'consent granted', completion.actor);
    return { ok: true, state: toPublicState(state) };
  }

  async function revoke(args: RevokeArgs): Promise<void> {
    state.nextAttemptAt = null;
    await record('revoked', args.reason ? `revoked: ${args.reason}` : 'revoked', args.actor);
    if (state.secretArn) {
      const provider = await tokenCalls.revokeAtProvider({ config, secretArn: state.secretArn }).catch((err: unknown) => ({
        ok: false,
        detail: internalFailure(err).message,
      }));
      await registryCalls.deleteSecret({ secretArn: state.secretArn });
      if (!provider.ok) {
        // Nothing sent (endpoint outside the secret's binding) is said as such, not as a provider failure.
        const notSent = 'notSent' in provider && provider.notSent === true;
        const code = notSent ? 'provider_revocation_not_sent' : 'provider_revocation_failed';
        state.lastError = { code, message: provider.detail, at: new Date(now()).toISOString() };
        await record('revoked', notSent ? 'revocation endpoint outside the secret binding: nothing sent; secret deleted anyway' : 'provider revocation failed; secret deleted anyway');
      }
    }
  }

  // ── creation: validate by obtaining a token, store it, register ─────────────────────────────
  if (input.kind === 'create') {
    publishSearchAttributes();
    // Authorization code: no token can exist before a person consents, so only the client secret is stored now.
    const needsConsent = config.grantType === 'authorization_code';
    const failCreation = async (failure: ProviderFailure) => {
      validation = { ok: false, failure };
      await condition(allHandlersFinished);
    };
    if (needsConsent) {
      try {
        const stored = await creationCalls.storeClientSecret({
          integrationId,
          clientSecret: input.secrets.clientSecret ?? '',
          config: { tokenUrl: config.tokenUrl, revocationUrl: config.revocationUrl },
        });
        state.secretArn = stored.secretArn;
        state.secretVersionId = stored.secretVersionId;
        state.generation = stored.generation;
      } catch (err) {
        return failCreation(internalFailure(err));
      }
    } else {
      const outcome = await obtain(config, input.secrets);
      if (!outcome.ok) return failCreation(outcome.failure); // nothing was stored
      applyToken(outcome.token);
    }
    state.status = needsConsent ? 'awaiting_consent' : 'active';
    state.revision = 2;
    const created = [
      { ...eventFor(null, 'validating', 'created', input.actor), seq: 1 },
      { ...eventFor('validating', state.status, needsConsent ? 'consent required' : 'validated', input.actor), seq: 2 },
    ];
    try {
      await creationCalls.registerIntegration({
        config,
        projection: toProjection(state),
        events: created,
      });
    } catch (err) {
      await registryCalls.deleteSecret({ secretArn: state.secretArn! }); // leave nothing half-stored
      return failCreation(internalFailure(err));
    }
    publishSearchAttributes();
    validation = { ok: true, state: toPublicState(state) };
    await publishNotices(created.flatMap((event) => noticesFor(event, state, config, policy, now())));
  }

  publishDetails(config, state); // a continued run starts without its UI details
  // ── the lifecycle loop: one writer for this integration's credentials ───────────────────────
  // Patched loop: the planned attempt whose timer fired (as history records) but which a request pre-empted; it runs next.
  let firedFor: number | null = null;

  /**
   * Waits for a request, the planned attempt or (patched) the expiry of a token still served as active; says which
   * deadline passed, or null when woken. Decided only by what history records (the timer fired or the condition was
   * met), never by re-reading the clock. A plan whose timer already fired is not waited for again; every wait is a
   * real timer (at least 1 ms), so no clock value decides whether one starts.
   */
  async function waitForWork(woken: () => boolean, expiryAt: number | null): Promise<'attempt' | 'expiry' | null> {
    if (state.nextAttemptAt === null) {
      await condition(woken);
      return null;
    }
    if (firedFor === state.nextAttemptAt) return 'attempt';
    const deadline = expiryAt ?? state.nextAttemptAt;
    if (await condition(woken, Math.max(1, deadline - now()))) return null;
    return expiryAt === null ? 'attempt' : 'expiry';
  }

  /** When the token served as `active` expires before the next attempt can replace it (a retry waits past expiry). */
  function unrenewedExpiryAt(): number | null {
    const expiresAt = state.tokenExpiresAt ?? null; // on the workflow's clock, like nextAttemptAt (a run continued from an older one has none yet)
    if (state.status !== 'active' || expiresAt === null || state.nextAttemptAt === null) return null;
    return expiresAt < state.nextAttemptAt ? expiresAt : null;
  }

  for (;;) {
    const woken = () => revokeRequest !== null || requests.length > 0 || refreshRequested > refreshAnswered;
    let fired: 'attempt' | 'expiry' | null;
    const fromHistory = patched(LOOP_DECIDES_FROM_HISTORY);
    if (fromHistory) {
      fired = await waitForWork(woken, patched(DEGRADE_AT_TOKEN_EXPIRY) ? unrenewedExpiryAt() : null);
    } else {
      // Before the patch: the decision below re-read the clock (due()), which replay can see differently (issue 16).
      const wakeIn = state.nextAttemptAt === null ? undefined : Math.max(0, state.nextAttemptAt - now());
      if (wakeIn === undefined) await condition(woken);
      else await condition(woken, wakeIn);
      fired = state.nextAttemptAt !== null && now() >= state.nextAttemptAt ? 'attempt' : null;
    }
    firedFor = fromHistory && fired === 'attempt' ? state.nextAttemptAt : null;

    if (revokeRequest) {
      await revoke(revokeRequest);
      refreshAnswered = refreshRequested;
      for (const entry of requests.splice(0)) {
        entry.result = entry.whenRevoked();
        entry.done = true;
      }
      await condition(allHandlersFinished);
      return;
    }

    const entry = requests[0];
    if (entry) {
      entry.result = await entry.run();
      entry.done = true;
      requests.shift();
    } else if (refreshRequested > refreshAnswered) {
      const upTo = refreshRequested;
      const validUntil = state.expiresAt ? Date.parse(state.expiresAt) : 0;
      // Skip when every waiting caller only asked for a token valid until a moment the current one already covers,
      // or only reported refused a token version that is no longer current (a refresh already replaced it).
      const neededByTime = refreshNeededUntil !== 0 && !(state.status === 'active' && validUntil > refreshNeededUntil);
      const neededByReport = refreshIfVersions.includes(state.secretVersionId ?? '');
      if (neededByTime || neededByReport) await refresh(refreshActor);
      refreshAnswered = upTo;
      refreshNeededUntil = 0;
      refreshIfVersions = [];
      refreshActor = 'system';
    } else if (fired === 'attempt') {
      firedFor = null;
      await refresh('system');
    } else if (fired === 'expiry' && state.status === 'active') {
      // No fresh token and the served one has expired: say so now, not only when the next attempt fails (issue 16 §3).
      await record('degraded', 'token expired before a refresh succeeded');
    }

    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > policy.historyLimit) {
      // Pending requests are answered by this run first; only an idle run hands over (carrying no secret).
      await condition(() => allHandlersFinished() || woken());
      if (!woken()) await continueAsNew<typeof integrationWorkflow>({ kind: 'continue', config, policy, state });
    }
  }
}
