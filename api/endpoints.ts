// Resolves where an integration's endpoints come from: a connector preset, discovery from an issuer, or explicit fields (which win).
import * as oauth from 'oauth4webapi';
import { guardedFetch } from '../lib/guardedFetch';
import { expandPreset, PRESETS, type Preset } from '../lib/connectors';
import { invalidRequest, type FieldIssue } from '../lib/errors';
import { revokeReplacedGrantProblem, revokesReplacedGrant } from '../lib/replacedGrantRule';
import type { GrantType, LifecyclePolicy, TokenAuthMethod } from '../workflows/model';

interface CreateFields {
  grantType: GrantType;
  tokenUrl?: string;
  apiBaseUrl?: string;
  authorizationUrl?: string;
  redirectUri?: string;
  revocationUrl?: string;
  scope?: string;
  tokenAuthMethod?: TokenAuthMethod;
  preset?: string;
  presetValues?: Record<string, string>;
  issuer?: string;
  authorizationParams?: Record<string, string>;
  lifecycle?: { defaultTokenLifetimeSeconds?: number; refreshTokenIdleSeconds?: number };
  revokeReplacedGrant?: boolean;
  assertionAudience?: string;
}

export interface ResolvedEndpoints {
  tokenUrl: string;
  apiBaseUrl: string;
  authorizationUrl: string | null;
  revocationUrl: string | null;
  scope: string | null;
  tokenAuthMethod: TokenAuthMethod;
  preset: string | null;
  issuer: string | null;
  /** The discovered metadata advertises authorization_response_iss_parameter_supported (RFC 9207). */
  issRequired: boolean;
  authorizationParams: Record<string, string>;
  tokenRequestHeaders: { name: string; value: string }[];
  /** Whether a grant replaced by re-consent or a PATCH is revoked at the provider, as asked or as the preset says. */
  revokeReplacedGrant: boolean;
  /** The JWT bearer grant's `aud` when it is not the token URL (null). */
  assertionAudience: string | null;
  /** Per-integration lifecycle settings that differ from the deployment's defaults. */
  policy: Partial<LifecyclePolicy>;
}

interface Discovered {
  issuer: string;
  tokenUrl: string | undefined;
  authorizationUrl: string | undefined;
  revocationUrl: string | undefined;
  tokenAuthMethod: TokenAuthMethod | undefined;
  issParameterSupported: boolean;
}

/** RFC 8414 / OpenID discovery through the guarded fetch; oauth4webapi checks the issuer matches. */
async function discover(issuer: string, allowInsecure: boolean): Promise<Discovered> {
  const issuerUrl = new URL(issuer);
  const options = { [oauth.allowInsecureRequests]: allowInsecure, [oauth.customFetch]: (url: string, init: RequestInit) => guardedFetch(url, init, allowInsecure), signal: AbortSignal.timeout(10_000) };
  let metadata: oauth.AuthorizationServer | null = null;
  let lastError: unknown;
  for (const algorithm of ['oidc', 'oauth2'] as const) {
    try {
      metadata = await oauth.processDiscoveryResponse(issuerUrl, await oauth.discoveryRequest(issuerUrl, { ...options, algorithm }));
      break;
    } catch (err) {
      lastError = err;
    }
  }
  if (!metadata) {
    const why = lastError instanceof Error ? lastError.message : 'no metadata';
    throw invalidRequest([{ path: 'issuer', message: `discovery failed: ${why.slice(0, 200)}` }]);
  }
  const methods = metadata.token_endpoint_auth_methods_supported;
  return {
    issuer: metadata.issuer,
    tokenUrl: metadata.token_endpoint,
    authorizationUrl: metadata.authorization_endpoint,
    revocationUrl: metadata.revocation_endpoint,
    issParameterSupported: metadata.authorization_response_iss_parameter_supported === true,
    tokenAuthMethod: !methods || methods.includes('client_secret_basic') ? 'client_secret_basic' : methods.includes('client_secret_post') ? 'client_secret_post' : undefined,
  };
}

function presetFor(id: string | undefined, grantType: GrantType, issues: FieldIssue[]): Preset | null {
  if (!id || id === 'generic') return null;
  const preset = PRESETS.get(id);
  if (!preset) {
    issues.push({ path: 'preset', message: 'is not a known connector (see GET /v1/connectors)' });
    return null;
  }
  if (!preset.grantTypes.includes(grantType)) issues.push({ path: 'grantType', message: `${preset.name} supports ${preset.grantTypes.join(', ')}` });
  return preset;
}

export async function resolveEndpoints(input: CreateFields, allowInsecure: boolean): Promise<ResolvedEndpoints> {
  const issues: FieldIssue[] = [];
  const preset = presetFor(input.preset, input.grantType, issues);
  let fromPreset: ReturnType<typeof expandPreset> | null = null;
  if (preset) {
    fromPreset = expandPreset(preset, input.presetValues ?? {});
    if (!fromPreset.ok) for (const p of fromPreset.problems) issues.push({ path: `presetValues.${p.name}`, message: p.message });
  } else if (input.presetValues) {
    issues.push({ path: 'presetValues', message: 'needs a preset' });
  }
  if (issues.length) throw invalidRequest(issues);

  const urls = fromPreset?.ok ? fromPreset.urls : null;
  const lifetime = input.lifecycle?.defaultTokenLifetimeSeconds ?? preset?.defaultTokenLifetimeSeconds;
  const idle = input.lifecycle?.refreshTokenIdleSeconds ?? preset?.refreshToken.idleSeconds ?? null;
  const discovered = input.issuer ? await discover(input.issuer, allowInsecure) : null;
  const resolved: ResolvedEndpoints = {
    tokenUrl: input.tokenUrl ?? discovered?.tokenUrl ?? urls?.tokenUrl ?? '',
    apiBaseUrl: input.apiBaseUrl ?? urls?.apiBaseUrl ?? '',
    authorizationUrl: input.authorizationUrl ?? discovered?.authorizationUrl ?? urls?.authorizationUrl ?? null,
    revocationUrl: input.revocationUrl ?? discovered?.revocationUrl ?? urls?.revocationUrl ?? null,
    scope: input.scope ?? preset?.defaultScope ?? null,
    tokenAuthMethod: input.tokenAuthMethod ?? discovered?.tokenAuthMethod ?? preset?.tokenAuthMethod ?? 'client_secret_basic',
    preset: preset?.id ?? null,
    // A preset's issuer only speaks for the preset's own authorization server.
    issuer: discovered?.issuer ?? (input.authorizationUrl ? null : urls?.issuer) ?? null,
    // Only when the authorization endpoint is the discovered one: its issuer's promise covers only its own responses.
    issRequired: Boolean(discovered?.issParameterSupported && (!input.authorizationUrl || input.authorizationUrl === discovered.authorizationUrl)),
    authorizationParams: { ...(preset?.authorizationParams ?? {}), ...(input.authorizationParams ?? {}) },
    tokenRequestHeaders: Object.entries(preset?.tokenRequestHeaders ?? {}).map(([name, value]) => ({ name, value })),
    revokeReplacedGrant: revokesReplacedGrant({ preset: preset?.id ?? null, revokeReplacedGrant: input.revokeReplacedGrant }),
    // The JWT bearer grant's audience: the admin's, the preset's (Salesforce names its login host), or the token URL.
    assertionAudience: input.assertionAudience ?? preset?.jwtBearerAudience ?? null,
    policy: {
      ...(lifetime ? { defaultLifetimeSeconds: lifetime } : {}),
      refreshTokenIdleMs: idle ? idle * 1000 : null,
    },
  };
  if (!resolved.tokenUrl) issues.push({ path: 'tokenUrl', message: 'is required (or choose a preset, or give an issuer to discover it)' });
  const revokeProblem = revokeReplacedGrantProblem(resolved.preset, input.revokeReplacedGrant);
  if (revokeProblem) issues.push({ path: 'revokeReplacedGrant', message: revokeProblem });
  if (!resolved.apiBaseUrl) issues.push({ path: 'apiBaseUrl', message: 'is required (or choose a preset)' });
  if (input.grantType === 'authorization_code') {
    if (!resolved.authorizationUrl) issues.push({ path: 'authorizationUrl', message: 'is required for the authorization_code grant' });
    if (!input.redirectUri) issues.push({ path: 'redirectUri', message: 'is required for the authorization_code grant' });
    if (!resolved.scope) issues.push({ path: 'scope', message: 'is required for the authorization_code grant' });
  }
  if (issues.length) throw invalidRequest(issues);
  return resolved;
}
