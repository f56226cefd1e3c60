// Token activities: obtain a token and write it to the vault in one step, so a rotated refresh token is never lost.
import { setTimeout as sleep } from 'node:timers/promises';
import type { IntegrationConfig, ProviderFailure, SuppliedSecrets, TokenMeta, TokenOutcome } from '../workflows/model';
import type { SecretVersion, StoredSecret, Vault } from '../lib/vault';
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

/** The provider's answer is irreplaceable (rotation): keep trying the vault write for a while before giving up. */
async function writeWithPatience(vault: Vault, integrationId: string, arn: string | null, value: StoredSecret) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await vault.write(integrationId, arn, value);
    } catch (err) {
      const clientFault = (err as { $fault?: string }).$fault === 'client'; // our request is wrong: retrying won't help
      if (clientFault || attempt >= 6) throw err;
      await sleep(Math.min(8000, 500 * 2 ** attempt));
    }
  }
}

export function tokenActivities(deps: { vault: Vault; http: ProviderHttpOptions }) {
  const { vault, http } = deps;

  async function obtainAndStoreToken(input: ObtainInput): Promise<TokenOutcome> {
    const { integrationId, config, supplied } = input;
    const current: SecretVersion | null = await vault.read(input.secretArn ?? vault.nameFor(integrationId));
    // A retried attempt whose predecessor already stored a newer version must not spend the refresh token twice.
    if (current && current.value.generation >= input.nextGeneration) {
      return { ok: true, token: metaOf(current, current.value, Date.now()) };
    }
    if (input.secretArn && !current && !supplied?.clientSecret) {
      return localFailure('client_rejected', 'vault_secret_missing', 'The vault no longer holds this integration\'s secret; supply the client secret again to reconnect.');
    }
    const tokenOrigin = new URL(config.tokenUrl).origin;
    const clientSecret = supplied?.clientSecret ?? current?.value.clientSecret ?? null;
    if (!clientSecret) return localFailure('rejected', 'client_secret_missing', 'No client secret is stored for this integration.');
    // A stored secret goes only where it was validated, whatever the workflow asks; a supplied one is bound anew.
    const binding = supplied?.clientSecret || !current ? bindingFor(config) : bindingOf(current.value, config);
    const outside = outsideBinding(binding, config.tokenUrl, 'token');
    if (outside) return localFailure('rejected', 'secret_binding', outside);
    // Tokens are bound to the server that issued them: a new token origin starts from the original grant.
    const heldRefreshToken = current?.value.tokenOrigin === tokenOrigin ? current.value.refreshToken : null;
    const refreshToken = supplied?.refreshToken ?? heldRefreshToken;

    let grant: Grant;
    if (input.authorizationCode) grant = { type: 'authorization_code', ...input.authorizationCode };
    else if (refreshToken) grant = { type: 'refresh_token', refreshToken };
    else if (config.grantType === 'client_credentials') grant = { type: 'client_credentials' };
    else return localFailure('consent_required', 'consent_required', 'No refresh token is held; the user must authorize again.');

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
    // No current version (first write, or the vault lost it): create the secret afresh.
    const written = await writeWithPatience(vault, integrationId, current?.arn ?? null, value);
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
    const existing = await vault.read(vault.nameFor(input.integrationId));
    const written = existing ?? (await vault.write(input.integrationId, null, value));
    return { secretArn: written.arn, secretVersionId: written.versionId, generation: 1 };
  }

  /** Best effort RFC 7009: refresh token first (it can mint new access tokens), then the access token. */
  async function revokeAtProvider(input: { config: IntegrationConfig; secretArn: string }): Promise<{ ok: boolean; detail: string; notSent?: boolean }> {
    const { config } = input;
    if (!config.revocationUrl) return { ok: true, detail: 'no revocation endpoint configured' };
    const current = await vault.read(input.secretArn);
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
