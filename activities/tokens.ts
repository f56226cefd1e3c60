// Token activities: obtain a token and make it durable in the same step (token store, then Secrets Manager within its budget), so a rotated refresh token is never lost.
import { Context } from '@temporalio/activity';
import { providerFailure, type IntegrationConfig, type ProviderFailure, type ProviderFailureCode, type SuppliedSecrets, type TokenMeta, type TokenOutcome } from '../workflows/model';
import type { Credentials, CurrentCredentials } from '../lib/credentials';
import { generateDpopKey } from '../lib/dpop';
import type { StoredSecret } from '../lib/vault';
import { requestToken, revokeToken, type Grant, type ProviderHttpOptions } from './providerClient';
import { revokeReplacedRefreshToken } from './replacedGrant';
import { bindingFor, bindingOf, outsideBinding } from './secretBinding';

/**
 * Failures after which the provider may have received the request and answered (a timeout, a dropped connection, an
 * unreadable 2xx): a refresh token sent that way may be spent, so its in-flight mark stays.
 */
const OUTCOME_UNKNOWN = new Set(['provider_timeout', 'provider_unreachable', 'provider_invalid_response']);

/**
 * How long a renewed in-flight note keeps another attempt from sending: the token activities' heartbeat timeout. A
 * retry that starts sooner (Temporal declared a slow-heartbeating attempt dead, or two workers picked up the same
 * refresh) would present a refresh token the live attempt has already sent, and a rotating provider revokes the
 * grant on that reuse.
 */
export const IN_FLIGHT_LIVE_MS = 5000;
/** How often the sending attempt renews its note while it awaits and stores the answer. */
const IN_FLIGHT_RENEW_MS = 1000;

/**
 * Heartbeats while the attempt runs, so Temporal sees a dead worker within the heartbeat timeout and retries at
 * once, instead of after the start-to-close timeout (which must cover a slow provider's answer).
 */
function keepHeartbeating(): () => void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return () => undefined; // outside an activity (benchmark, scripts)
  }
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), 1000);
  return () => clearInterval(timer);
}

/** The activity's logger (routed through the worker's redacting logger), or none outside an activity. */
function activityLog() {
  try {
    return Context.current().log;
  } catch {
    return undefined;
  }
}

/**
 * The in-flight note only names a failure (refresh_answer_lost); it never decides whether a token is sent. With
 * MongoDB down, refreshes go on without it (Secrets Manager alone holds what they rotate).
 */
async function bestEffort<T>(step: () => Promise<T>): Promise<T | null> {
  try {
    return await step();
  } catch {
    return null;
  }
}

/**
 * Renews the in-flight note of the refresh creating `generation` every second until the returned stop is awaited
 * (a renewal still on its way is awaited too, so none lands after the caller settles or abandons the note).
 */
function keepNoteAwaited(credentials: Credentials, integrationId: string, generation: number): () => Promise<void> {
  let pending: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    pending = bestEffort(() => credentials.store.renewRefreshInFlight(integrationId, generation));
  }, IN_FLIGHT_RENEW_MS);
  let stopped: Promise<void> | null = null;
  return () =>
    (stopped ??= (async () => {
      clearInterval(timer);
      await pending;
    })());
}

export interface ObtainInput {
  integrationId: string;
  config: IntegrationConfig;
  secretArn: string | null;
  supplied: SuppliedSecrets | null;
  nextGeneration: number;
  defaultLifetimeSeconds: number;
  /** The workflow knows the held refresh token is refused already (awaiting consent): a replacement revokes nothing. */
  heldGrantDead?: boolean;
  /** Present when completing consent: exchange this code instead of refreshing. */
  authorizationCode?: { code: string; codeVerifier: string; redirectUri: string };
}

/**
 * What this attempt may build on. The workflow's generation is the truth: credentials older than it (a vault restored
 * from an old recording, a lagging replica) hold a refresh token that was already spent, so they are a transient
 * state, never a reason to call the provider. A missing secret is transient too, until someone supplies it again.
 */
function heldCredentials(input: ObtainInput, current: CurrentCredentials | null): { ok: true; value: StoredSecret | null; behind: boolean } | Extract<TokenOutcome, { ok: false }> {
  const workflowGeneration = input.nextGeneration - 1;
  if (workflowGeneration > 0 && (!current || !current.value.clientSecret) && !input.supplied?.clientSecret) {
    return localFailure('transient', 'vault_secret_missing', 'The vault does not hold this integration\'s secret; retrying. Supply the client secret again to reconnect now.') as Extract<TokenOutcome, { ok: false }>;
  }
  return { ok: true, value: current?.value ?? null, behind: Boolean(current && current.value.generation < workflowGeneration) };
}

/**
 * The write budget's clock: the later of the wall clock and Temporal's (when this attempt was scheduled). In
 * production they agree; on Temporal's time-skipping test server the budget follows the skipped days.
 */
function budgetClock(): number {
  let scheduled = 0;
  try {
    scheduled = Context.current().info.currentAttemptScheduledTimestampMs;
  } catch {
    // called outside an activity (benchmark, scripts)
  }
  return Math.max(Date.now(), scheduled);
}

function localFailure(kind: ProviderFailure['kind'], code: ProviderFailureCode, message: string): TokenOutcome {
  return { ok: false, failure: providerFailure(kind, code, message) };
}

function metaOf(version: { arn: string; versionId: string }, value: StoredSecret, nowMs: number): TokenMeta {
  const expiresAtMs = Date.parse(value.expiresAt ?? '') || nowMs;
  return {
    secretArn: version.arn,
    secretVersionId: version.versionId,
    generation: value.generation,
    expiresAt: new Date(expiresAtMs).toISOString(),
    expiresInSeconds: Math.max(0, Math.round((expiresAtMs - nowMs) / 1000)),
    scope: value.scope,
    tokenType: value.tokenType ?? 'bearer',
    hasRefreshToken: Boolean(value.refreshToken),
  };
}

export function tokenActivities(deps: { credentials: Credentials; http: ProviderHttpOptions }) {
  const { credentials, http } = deps;

  async function obtainAndStoreToken(input: ObtainInput): Promise<TokenOutcome> {
    const stopHeartbeats = keepHeartbeating();
    try {
      return await obtainAndStore(input);
    } finally {
      stopHeartbeats();
    }
  }

  async function obtainAndStore(input: ObtainInput): Promise<TokenOutcome> {
    const { integrationId, config, supplied } = input;
    const current: CurrentCredentials | null = await credentials.current(integrationId);
    // A retried attempt whose predecessor already stored a newer version must not spend the refresh token twice.
    if (current && current.value.generation >= input.nextGeneration) {
      return { ok: true, token: metaOf(current.ref, current.value, Date.now()) };
    }
    const held = heldCredentials(input, current);
    if (!held.ok) return held;
    const tokenOrigin = new URL(config.tokenUrl).origin;
    const clientSecret = supplied?.clientSecret ?? held.value?.clientSecret ?? null;
    if (!clientSecret) return localFailure('rejected', 'client_secret_missing', 'No client secret is stored for this integration.');
    // A stored secret goes only where it was validated, whatever the workflow asks; a supplied one is bound anew.
    const binding = supplied?.clientSecret || !current ? bindingFor(config) : bindingOf(current.value, config);
    const outside = outsideBinding(binding, config.tokenUrl, 'token');
    if (outside) return localFailure('rejected', 'secret_binding', outside);
    // Tokens are bound to the server that issued them: a new token origin starts from the original grant.
    const heldRefreshToken = held.value?.tokenOrigin === tokenOrigin ? held.value.refreshToken : null;
    const refreshToken = supplied?.refreshToken ?? heldRefreshToken;

    let grant: Grant;
    if (input.authorizationCode) grant = { type: 'authorization_code', ...input.authorizationCode };
    else if (refreshToken) grant = { type: 'refresh_token', refreshToken };
    else if (config.grantType === 'client_credentials') grant = { type: 'client_credentials' };
    else if (config.grantType === 'jwt_bearer') grant = { type: 'jwt_bearer' };
    else return localFailure('consent_required', 'consent_required', 'No refresh token is held; the user must authorize again.');
    if (grant.type === 'refresh_token' && !supplied?.refreshToken && held.behind) {
      return localFailure('transient', 'vault_behind', 'The stored credentials are older than the integration\'s last refresh; waiting for the vault to catch up rather than spending a used refresh token.');
    }

    // The held refresh token is about to leave: note it durably first. A later attempt that finds this note without
    // a stored answer knows an earlier request may have been answered and the answer lost on the way; one that finds
    // it still renewed by its sender sends nothing (IN_FLIGHT_LIVE_MS).
    const spendsHeldToken = grant.type === 'refresh_token' && !supplied?.refreshToken;
    let earlierAnswerMayBeLost = false;
    if (spendsHeldToken) {
      const noted = await bestEffort(() => credentials.store.refreshInFlight(integrationId));
      const sameRefresh = noted?.generation === input.nextGeneration;
      if (sameRefresh && noted.awaitedAt && Date.now() - noted.awaitedAt.getTime() < IN_FLIGHT_LIVE_MS) {
        return localFailure(
          'transient',
          'refresh_in_flight',
          `Another attempt of this refresh is still awaiting the provider's answer (its in-flight note was renewed ${Math.max(0, Date.now() - noted.awaitedAt.getTime())} ms ago); not presenting the refresh token again. Retrying.`,
        );
      }
      earlierAnswerMayBeLost = sameRefresh;
      await bestEffort(() => credentials.store.markRefreshInFlight(integrationId, input.nextGeneration));
    }
    // While this attempt awaits and stores the answer it renews the note; when it stops without settling the note
    // (no answer, or none it could store) it withdraws the renewal, and the note stays for refresh_answer_lost.
    const stopRenewing = spendsHeldToken ? keepNoteAwaited(credentials, integrationId, input.nextGeneration) : null;
    let noteSettled = false;
    const settleNote = async () => {
      await stopRenewing?.();
      await bestEffort(() => credentials.store.refreshSettled(integrationId, input.nextGeneration));
      noteSettled = true;
    };
    try {
      // The provider starts a token's lifetime when it answers, which may be long before a late answer arrives here.
      const sentAtMs = Date.now();
      // RFC 9449: the key is made once and kept with the secret material; tokens bound to it are useless without it.
      const dpopKey = config.dpop ? (held.value?.dpopKey ?? (await generateDpopKey())) : null;
      const result = await requestToken(config, clientSecret, grant, http, dpopKey);
      if (!result.ok) {
        // The provider refused the held grant, and may have revoked its access token with it (reuse detection revokes
        // the whole grant): the token endpoint must stop serving it now, not when the workflow's next task projects it.
        // Best effort: with MongoDB out of reach the api serves nothing anyway (it reads the projection there).
        if (spendsHeldToken && held.value && result.failure.providerError === 'invalid_grant') await bestEffort(() => credentials.store.markGrantDead(integrationId, held.value!.generation));
        // A refusal settles this request; it says nothing about an earlier one that went unanswered.
        if (spendsHeldToken && !earlierAnswerMayBeLost && !OUTCOME_UNKNOWN.has(result.failure.code)) await settleNote();
        if (earlierAnswerMayBeLost && result.failure.providerError === 'invalid_grant') {
          await stopRenewing?.();
          noteSettled = true; // answerLost settles it
          return await answerLost(input, result.failure);
        }
        return result;
      }

      const nowMs = Date.now();
      const lifetime = result.token.expiresInSeconds ?? input.defaultLifetimeSeconds;
      const value: StoredSecret = {
        clientSecret,
        accessToken: result.token.accessToken,
        refreshToken: result.token.refreshToken ?? refreshToken ?? null, // no new one: keep the old one
        tokenType: result.token.tokenType,
        expiresAt: new Date(sentAtMs + lifetime * 1000).toISOString(),
        scope: result.token.scope ?? config.scope,
        tokenOrigin,
        binding,
        ...(dpopKey ? { dpopKey } : {}),
        generation: input.nextGeneration,
      };
      // Material a person just supplied goes to Secrets Manager at once; a rotation waits for the write budget.
      const urgent = Boolean(supplied?.clientSecret || supplied?.refreshToken || input.authorizationCode);
      const written = await credentials.save(integrationId, value, { sm: current?.sm ?? null, urgent, now: budgetClock() });
      // Between the answer and this line the new refresh token lives only in this process: operators (and the fault
      // benchmark's attribution) read how long that window was.
      activityLog()?.info('token durable', { integrationId, generation: value.generation, grant: grant.type, answerToDurableMs: Date.now() - nowMs, versionId: written.versionId });
      if (spendsHeldToken) await settleNote();
      else await bestEffort(() => credentials.store.refreshSettled(integrationId, input.nextGeneration));
      // A person replaced the grant (re-consent, or a new refresh token supplied): the one it replaces must not stay usable.
      let note: string | undefined;
      if ((input.authorizationCode || supplied?.refreshToken) && !input.heldGrantDead && held.value?.refreshToken && held.value.refreshToken !== value.refreshToken) {
        note = (await revokeReplacedRefreshToken({ integrationId, config, replaced: held.value, clientSecret, http })) || undefined;
      }
      // What is left of the lifetime schedules the next refresh: a late answer's token is due sooner.
      const left = Math.max(0, lifetime - Math.round((nowMs - sentAtMs) / 1000));
      return { ok: true, token: { ...metaOf(written, value, nowMs), expiresInSeconds: left }, ...(note ? { note } : {}) };
    } finally {
      if (stopRenewing) {
        await stopRenewing();
        if (!noteSettled) await bestEffort(() => credentials.store.refreshAbandoned(integrationId, input.nextGeneration));
      }
    }
  }

  /**
   * `invalid_grant` for a refresh token whose earlier request went unanswered: the provider most likely took it and
   * answered, and the answer (the only valid refresh token) never arrived. Unless a concurrent attempt stored it after
   * all, a person must authorize again, and the code says the network lost it, not the user.
   */
  async function answerLost(input: ObtainInput, failure: ProviderFailure): Promise<TokenOutcome> {
    const now = await credentials.current(input.integrationId);
    if (now && now.value.generation >= input.nextGeneration) return { ok: true, token: metaOf(now.ref, now.value, Date.now()) };
    await bestEffort(() => credentials.store.refreshSettled(input.integrationId, input.nextGeneration));
    return {
      ok: false,
      failure: {
        ...failure,
        code: 'refresh_answer_lost',
        message: `An earlier refresh request reached the provider but its answer was lost in transit (timeout or dropped connection), so the refresh token it spent is gone; the provider now refuses the grant${failure.providerError ? ` (${failure.providerError})` : ''}. The user must authorize again.`,
      },
    };
  }

  /** Authorization code integrations start with only their client secret stored, awaiting consent. */
  async function storeClientSecret(input: { integrationId: string; clientSecret: string; config?: Pick<IntegrationConfig, 'tokenUrl' | 'revocationUrl'> }) {
    const value: StoredSecret = {
      clientSecret: input.clientSecret,
      accessToken: null,
      refreshToken: null,
      tokenType: null,
      expiresAt: null,
      scope: null,
      tokenOrigin: null,
      // Bound to the endpoints it was supplied with (absent from workflows scheduled before bindings: see bindingOf).
      ...(input.config ? { binding: bindingFor(input.config) } : {}),
      generation: 1,
    };
    const existing = await credentials.current(input.integrationId);
    const written = existing?.ref ?? (await credentials.save(input.integrationId, value, { sm: null, urgent: true, now: budgetClock() }));
    return { secretArn: written.arn, secretVersionId: written.versionId, generation: 1 };
  }

  /** Best effort RFC 7009: refresh token first (it can mint new access tokens), then the access token. */
  async function revokeAtProvider(input: { config: IntegrationConfig; secretArn: string }): Promise<{ ok: boolean; detail: string; notSent?: boolean }> {
    const stopHeartbeats = keepHeartbeating(); // the token activities' options include a heartbeat timeout
    try {
      return await revokeHeld(input.config);
    } finally {
      stopHeartbeats();
    }
  }

  async function revokeHeld(config: IntegrationConfig): Promise<{ ok: boolean; detail: string; notSent?: boolean }> {
    if (!config.revocationUrl) return { ok: true, detail: 'no revocation endpoint configured' };
    const current = await credentials.current(config.id);
    if (!current?.value.clientSecret) return { ok: true, detail: 'nothing held to revoke' };
    const outside = outsideBinding(bindingOf(current.value, config), config.revocationUrl, 'revocation');
    if (outside) return { ok: false, detail: outside, notSent: true };
    const problems: string[] = [];
    const { clientSecret, refreshToken, accessToken } = current.value;
    for (const [token, hint] of [
      [refreshToken, 'refresh_token'],
      [accessToken, 'access_token'],
    ] as const) {
      if (!token) continue;
      const failure = await revokeToken(config, clientSecret, token, hint, http);
      if (failure) problems.push(`${hint}: ${failure.message}`);
    }
    return problems.length ? { ok: false, detail: problems.join(' ') } : { ok: true, detail: 'tokens revoked at the provider' };
  }

  return { obtainAndStoreToken, storeClientSecret, revokeAtProvider };
}
