// The lifecycle of one integration, as wiring: ask workflows/lifecycle.ts what to do, then run one activity.
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
  updatePolicyUpdate,
  validatedUpdate,
  type ConfigChange,
  type ConfigChangeResult,
  type ConsentCompletion,
  type ConsentResult,
  type PolicyChange,
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
  type TokenOutcome,
} from './model';
import * as rules from './lifecycle';
import { BOUND_FIELDS_REVALIDATE, DEGRADE_AT_TOKEN_EXPIRY, LOOP_DECIDES_FROM_HISTORY } from './patches';
import { IntegrationStatus, TenantId, TokenExpiresAt } from './searchAttributes';
import { noticesFor, publishDetails, publishNotices } from './notices';
import { attributionProblem, credentialChangeProblems } from './credentialChange';

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

const internalFailure = (err: unknown): ProviderFailure => rules.internalFailure(err instanceof ActivityFailure && err.cause ? err.cause.message : String(err));

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
  let policy = input.policy;
  let state: IntegrationState = input.kind === 'continue' ? input.state : rules.initialState();
  const integrationId = config.id;

  let validation: ValidationResult | null = input.kind === 'continue' ? { ok: true, state: toPublicState(state) } : null;
  let revokeRequest: RevokeArgs | null = null;
  let refreshes = rules.noRefreshRequests();
  // Config changes and consent completions run one at a time in the main loop: one writer for the credentials.
  const requests: { run: () => Promise<unknown>; whenRevoked: () => unknown; done: boolean; result?: unknown }[] = [];
  async function enqueue<T>(run: () => Promise<T>, whenRevoked: () => T): Promise<T> {
    const entry = { run, whenRevoked, done: false, result: undefined as unknown };
    requests.push(entry);
    await shielded(() => entry.done);
    return entry.result as T;
  }
  const whenRevoked = () => ({ ok: false as const, failure: rules.revokedFailure() });
  const now = () => Date.now(); // deterministic inside workflows

  setHandler(stateQuery, () => toPublicState(state));
  setHandler(validatedUpdate, async () => {
    await shielded(() => validation !== null);
    return validation!;
  });
  setHandler(
    refreshNowUpdate,
    async (args) => {
      const taken = rules.requestRefresh(refreshes, args);
      refreshes = taken.requests;
      await shielded(() => rules.isAnswered(refreshes, taken.ticket));
      return toPublicState(state);
    },
    { validator: (args) => { requireAttribution(args); rejectWhenRevoked(); } },
  );
  setHandler(updateConfigUpdate, (change) => enqueue<ConfigChangeResult>(() => applyConfigChange(change), whenRevoked), {
    validator: (change) => {
      requireAttribution(change);
      rejectWhenRevoked();
      const problems = credentialChangeProblems(config, change);
      if (problems.length) throw new Error(problems.map((p) => `${p.path} ${p.message}`).join('; '));
    },
  });
  setHandler(completeConsentUpdate, (completion) => enqueue<ConsentResult>(() => completeConsent(completion), whenRevoked), {
    validator: (completion) => { requireAttribution(completion); rejectWhenRevoked(); },
  });
  setHandler(updatePolicyUpdate, (change) => enqueue(() => applyPolicy(change), () => toPublicState(state)), {
    validator: (change) => {
      requireAttribution(change);
      rejectWhenRevoked();
      const problem = rules.settingsProblem(change.settings);
      if (problem) throw new Error(problem);
    },
  });
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

  /** Moves to `to` (or stays), mirrors the state into MongoDB and records the event. */
  async function record(to: Status, reason: string, actor = 'system'): Promise<void> {
    const moved = rules.transition(state, to);
    state = moved.state;
    publishSearchAttributes();
    log.info('integration transition', { integrationId, from: moved.from, to, reason });
    const event = rules.eventFor(integrationId, state, moved.from, to, reason, actor, now());
    await registryCalls.recordTransition({ integrationId, projection: toProjection(state), event });
    await publishNotices(noticesFor(event, state, config, policy, now()));
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

  async function refresh(actor: string): Promise<void> {
    const outcome = await obtain(config, null, undefined, { plannedAt: state.refreshDueAt ?? null });
    if (!outcome.ok) {
      const decided = rules.afterRefreshFailure(state, outcome.failure, {
        nowMs: now(),
        policy,
        random: Math.random,
        expiryOnOwnClock: () => patched(DEGRADE_AT_TOKEN_EXPIRY),
      });
      state = decided.state;
      return record(decided.to, decided.reason);
    }
    const reason = rules.refreshedReason(state);
    state = rules.withToken(state, outcome.token, now(), policy);
    await record('active', reason, actor);
  }

  async function applyConfigChange(change: ConfigChange): Promise<ConfigChangeResult> {
    const { candidate, needsValidation } = rules.planConfigChange(config, change, patched(BOUND_FIELDS_REVALIDATE));
    if (!needsValidation) {
      config = candidate;
      await registryCalls.saveConfig({ config });
      return { ok: true, config, state: toPublicState(state) };
    }
    const outcome = await obtain(candidate, change.secrets ?? null);
    if (!outcome.ok) return { ok: false, failure: outcome.failure }; // the old working credentials stay
    config = candidate;
    state = rules.withToken(state, outcome.token, now(), policy);
    await registryCalls.saveConfig({ config });
    await record('active', rules.withNote('reconfigured', outcome.note), change.actor);
    return { ok: true, config, state: toPublicState(state) };
  }

  /** New lifecycle settings from now on (and into continue-as-new); the re-planned refresh is mirrored and audited as an event. */
  async function applyPolicy(change: PolicyChange) {
    policy = rules.withSettings(policy, change.settings);
    state = rules.withPolicy(state, policy);
    await record(state.status, 'lifecycle policy updated', change.actor);
    return toPublicState(state);
  }

  /** Exchanges the code; a failure leaves the integration exactly as it was. */
  async function completeConsent(completion: ConsentCompletion): Promise<ConsentResult> {
    const outcome = await obtain(config, null, completion);
    if (!outcome.ok) return { ok: false, failure: outcome.failure };
    state = rules.withToken(state, outcome.token, now(), policy);
    await record('active', rules.withNote('consent granted', outcome.note), completion.actor);
    return { ok: true, state: toPublicState(state) };
  }

  async function revoke(args: RevokeArgs): Promise<void> {
    state = { ...state, nextAttemptAt: null };
    await record('revoked', rules.revokedReason(args), args.actor);
    if (!state.secretArn) return;
    const provider = await tokenCalls
      .revokeAtProvider({ config, secretArn: state.secretArn })
      .catch((err: unknown) => ({ ok: false, detail: internalFailure(err).message }));
    await registryCalls.deleteSecret({ secretArn: state.secretArn });
    const failed = rules.afterProviderRevocation(state, provider, now());
    if (failed) {
      state = failed.state;
      await record('revoked', failed.reason);
    }
  }

  // ── creation: validate by obtaining a token, store it, register ─────────────────────────────
  if (input.kind === 'create') {
    publishSearchAttributes();
    const needsConsent = rules.needsConsentAtCreation(config);
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
        state = { ...state, secretArn: stored.secretArn, secretVersionId: stored.secretVersionId, generation: stored.generation };
      } catch (err) {
        return failCreation(internalFailure(err));
      }
    } else {
      const outcome = await obtain(config, input.secrets);
      if (!outcome.ok) return failCreation(outcome.failure); // nothing was stored
      state = rules.withToken(state, outcome.token, now(), policy);
    }
    const done = rules.created(state, needsConsent, integrationId, input.actor, now());
    state = done.state;
    try {
      await creationCalls.registerIntegration({ config, projection: toProjection(state), events: done.events });
    } catch (err) {
      await registryCalls.deleteSecret({ secretArn: state.secretArn! }); // leave nothing half-stored
      return failCreation(internalFailure(err));
    }
    publishSearchAttributes();
    validation = { ok: true, state: toPublicState(state) };
    await publishNotices(done.events.flatMap((event) => noticesFor(event, state, config, policy, now())));
  }

  publishDetails(config, state); // a continued run starts without its UI details
  // ── the lifecycle loop: one writer for this integration's credentials ───────────────────────
  // Patched loop: the planned attempt whose timer fired (as history records) but which a request pre-empted; it runs next.
  let firedFor: number | null = null;
  const woken = () => revokeRequest !== null || requests.length > 0 || rules.refreshPending(refreshes);

  /** Waits as rules.planWait says; which deadline passed, or null when woken. Decided by what history records. */
  async function waitForWork(expiryAt: number | null): Promise<'attempt' | 'expiry' | null> {
    const plan = rules.planWait(state, firedFor, expiryAt, now());
    if (plan.kind === 'message') {
      await condition(woken);
      return null;
    }
    if (plan.kind === 'fired') return 'attempt';
    return (await condition(woken, plan.ms)) ? null : plan.deadline;
  }

  for (;;) {
    let fired: 'attempt' | 'expiry' | null;
    const fromHistory = patched(LOOP_DECIDES_FROM_HISTORY);
    if (fromHistory) {
      fired = await waitForWork(patched(DEGRADE_AT_TOKEN_EXPIRY) ? rules.unrenewedExpiryAt(state) : null);
    } else {
      // Before the patch: the decision below re-read the clock, which replay can see differently (issue 16).
      const wakeIn = state.nextAttemptAt === null ? undefined : Math.max(0, state.nextAttemptAt - now());
      if (wakeIn === undefined) await condition(woken);
      else await condition(woken, wakeIn);
      fired = state.nextAttemptAt !== null && now() >= state.nextAttemptAt ? 'attempt' : null;
    }
    firedFor = fromHistory && fired === 'attempt' ? state.nextAttemptAt : null;

    switch (rules.nextStep({ revoking: revokeRequest !== null, queued: requests.length, refreshes, fired, status: state.status })) {
      case 'revoke':
        await revoke(revokeRequest!);
        refreshes = rules.answerAllRefreshes(refreshes);
        for (const entry of requests.splice(0)) {
          entry.result = entry.whenRevoked();
          entry.done = true;
        }
        await condition(allHandlersFinished);
        return;
      case 'run-request': {
        const entry = requests[0];
        entry.result = await entry.run();
        entry.done = true;
        requests.shift();
        break;
      }
      case 'answer-refreshes': {
        const upTo = refreshes.requested;
        if (rules.refreshNeeded(refreshes, state)) await refresh(refreshes.actor);
        refreshes = rules.answerRefreshes(refreshes, upTo);
        break;
      }
      case 'attempt':
        firedFor = null;
        await refresh('system');
        break;
      case 'degrade-at-expiry':
        await record('degraded', 'token expired before a refresh succeeded');
        break;
      case 'none':
        break;
    }

    if (rules.shouldContinueAsNew(workflowInfo(), policy)) {
      // Pending requests are answered by this run first; only an idle run hands over (carrying no secret).
      await condition(() => allHandlersFinished() || woken());
      if (!woken()) await continueAsNew<typeof integrationWorkflow>({ kind: 'continue', config, policy, state });
    }
  }
}
