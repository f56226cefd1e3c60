// Token activities: obtain a token and make it durable in the same step (token store, then Secrets Manager within its budget), so a rotated refresh token is never lost.
import { Context } from '@temporalio/activity';
import type { IntegrationConfig, ProviderFailure, SuppliedSecrets, TokenMeta, TokenOutcome } from '../workflows/model';
import type { Credentials, CurrentCredentials } from '../lib/credentials';
import type { StoredSecret } from '../lib/vault';
import { requestToken, revokeToken, type Grant, type ProviderHttpOptions } from './providerClient';
import { bindingFor, bindingOf, outsideBinding } from './secretBinding';

export interface ObtainInput {
  integrationId: string;
  config: IntegrationConfig;
  secretArn: string | null;
  supplied: SuppliedSecrets | null;
  nextGeneration: number;
  defaultLifetimeSeconds: number;
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

function localFailure(kind: ProviderFailure['kind'], code: string, message: string): TokenOutcome {
  return { ok: false, failure: { kind, code, message, providerError: null, providerErrorDescription: null, timeout: false, retryAfterSeconds: null } };
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
    else return localFailure('consent_required', 'consent_required', 'No refresh token is held; the user must authorize again.');
    if (grant.type === 'refresh_token' && !supplied?.refreshToken && held.behind) {
      return localFailure('transient', 'vault_behind', 'The stored credentials are older than the integration\'s last refresh; waiting for the vault to catch up rather than spending a used refresh token.');
    }

    const result = await requestToken(config, clientSecret, grant, http);
    if (!result.ok) return result;

    const nowMs = Date.now();
    const lifetime = result.token.expiresInSeconds ?? input.defaultLifetimeSeconds;
    const value: StoredSecret = {
      clientSecret,
      accessToken: result.token.accessToken,
      refreshToken: result.token.refreshToken ?? refreshToken ?? null, // no new one: keep the old one
      tokenType: result.token.tokenType,
      expiresAt: new Date(nowMs + lifetime * 1000).toISOString(),
      scope: result.token.scope ?? config.scope,
      tokenOrigin,
      binding,
      generation: input.nextGeneration,
    };
    // Material a person just supplied goes to Secrets Manager at once; a rotation waits for the write budget.
    const urgent = Boolean(supplied?.clientSecret || supplied?.refreshToken || input.authorizationCode);
    const written = await credentials.save(integrationId, value, { sm: current?.sm ?? null, urgent, now: budgetClock() });
    return { ok: true, token: { ...metaOf(written, value, nowMs), expiresInSeconds: lifetime } };
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
    const { config } = input;
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
