// Talks to a provider's token and revocation endpoints with oauth4webapi: bounded in time and size, no redirects.
import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { IntegrationConfig } from '../workflows/model';
import { guardedFetch } from '../lib/guardedFetch';
import { signingKey, signJwt } from '../lib/clientKey';
import { dpopHandle } from '../lib/dpop';
import { observeProviderFetch } from '../lib/metrics';
import { classifyErrorResponse, classifyThrown, invalidResponse } from './providerErrors';
import type { ProviderFailure } from '../workflows/model';

export interface ProviderHttpOptions {
  allowInsecure: boolean;
  timeoutMs: number;
  /**
   * How long a refresh-token request is awaited. A rotating provider has spent the old token once it received the
   * request, so abandoning a slow answer loses the grant; this bound is generous (client credentials and
   * revocations keep `timeoutMs`: nothing is lost by asking again).
   */
  refreshAnswerTimeoutMs: number;
}

export type Grant =
  | { type: 'client_credentials' }
  | { type: 'refresh_token'; refreshToken: string }
  | { type: 'authorization_code'; code: string; codeVerifier: string; redirectUri: string }
  | { type: 'jwt_bearer' };

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** RFC 7523 §3: an assertion should be short-lived; Google accepts at most an hour, Salesforce about 3 minutes. */
const ASSERTION_LIFETIME_SECONDS = 120;

export interface IssuedToken {
  accessToken: string;
  refreshToken: string | null;
  tokenType: string;
  expiresInSeconds: number | null;
  scope: string | null;
}

export type TokenResult = { ok: true; token: IssuedToken } | { ok: false; failure: ProviderFailure };

const TEN_YEARS = 10 * 365 * 24 * 3600;

/**
 * Reads a 2xx token response and makes it something oauth4webapi can judge, or says why it is unusable:
 * - an `error` in a 200 body is an error response (some providers do that);
 * - `expires_in` as a numeric string is accepted; zero, negative or absurd lifetimes are not;
 * - only bearer tokens are served (and DPoP-bound ones, RFC 9449, when the integration holds a DPoP key), so other token
 *   types are refused;
 * - Steward is an OAuth client, not an OpenID relying party: an ID token is not ours to validate or keep.
 */
async function normalizeTokenResponse(response: Response, secrets: string[], dpop: boolean): Promise<Response | ProviderFailure> {
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    return invalidResponse('the body is not JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return invalidResponse('the body is not a JSON object');
  if (typeof body.error === 'string') return classifyErrorResponse(400, response.headers, text, secrets);
  if (typeof body.expires_in === 'string' && /^\d+$/.test(body.expires_in.trim())) body.expires_in = Number(body.expires_in);
  if (body.expires_in !== undefined) {
    const e = body.expires_in;
    if (typeof e !== 'number' || !Number.isFinite(e) || e <= 0 || e > TEN_YEARS) return invalidResponse('expires_in is not a positive number of seconds');
  }
  const tokenType = typeof body.token_type === 'string' ? body.token_type.toLowerCase() : null;
  if (tokenType !== 'bearer' && !(dpop && tokenType === 'dpop')) return invalidResponse(dpop ? 'token_type is not "DPoP" or "Bearer"' : 'token_type is not "Bearer"');
  if (typeof body.access_token !== 'string' || body.access_token.length === 0) return invalidResponse('access_token is missing or empty');
  delete body.id_token;
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
}

function endpoints(config: IntegrationConfig): oauth.AuthorizationServer {
  return {
    issuer: new URL(config.tokenUrl).origin,
    token_endpoint: config.tokenUrl,
    revocation_endpoint: config.revocationUrl ?? undefined,
  };
}

/**
 * The JWT bearer grant's assertion (RFC 7523 §2.1, §3), signed with the integration's key: issued by the client, for
 * the subject (a delegated user, a Salesforce username; else the client itself), addressed to the audience (else the
 * token URL), short-lived with a unique `jti`. The scope rides as a claim as well as a parameter: Google reads only
 * the claim, RFC 7523 servers the parameter.
 */
async function bearerAssertion(config: IntegrationConfig, privateKey: string): Promise<string> {
  const alg = config.clientAssertionAlg ?? 'RS256';
  const now = Math.floor(Date.now() / 1000);
  return signJwt(await signingKey(privateKey, alg), alg, config.clientKeyId ? { kid: config.clientKeyId } : {}, {
    iss: config.clientId,
    sub: config.assertionSubject ?? config.clientId,
    aud: config.assertionAudience ?? config.tokenUrl,
    iat: now,
    exp: now + ASSERTION_LIFETIME_SECONDS,
    jti: randomUUID(),
    ...(config.scope ? { scope: config.scope } : {}),
  });
}

/** No client authentication beside the grant: nothing is added to the request (oauth4webapi's None() would add client_id). */
const assertionIsTheProof: oauth.ClientAuth = () => undefined;

/** How the client authenticates; `credential` is its secret, or for private_key_jwt its private key. */
async function clientAuth(config: IntegrationConfig, credential: string): Promise<oauth.ClientAuth> {
  if (config.tokenAuthMethod === 'none') return assertionIsTheProof;
  if (config.tokenAuthMethod === 'client_secret_post') return oauth.ClientSecretPost(credential);
  if (config.tokenAuthMethod !== 'private_key_jwt') return oauth.ClientSecretBasic(credential);
  const alg = config.clientAssertionAlg ?? 'RS256';
  const key = await signingKey(credential, alg);
  return oauth.PrivateKeyJwt(
    { key, kid: config.clientKeyId ?? undefined },
    {
      // oauth4webapi addresses the assertion to the issuer; without a known issuer the token endpoint is the audience
      // every provider accepts (RFC 7523 §3). It signs a 60 s assertion with a fresh jti per request.
      [oauth.modifyAssertion]: (header, payload) => {
        payload.aud = config.issuer ?? config.tokenUrl;
        if (config.clientCertificateThumbprint) header['x5t#S256'] = config.clientCertificateThumbprint;
      },
    },
  );
}

/** Preset headers for token requests (e.g. Walmart's correlation id); "{uuid}" is fresh per request. */
function presetHeaders(config: IntegrationConfig): Record<string, string> {
  return Object.fromEntries((config.tokenRequestHeaders ?? []).map(({ name, value }) => [name, value.replace('{uuid}', randomUUID())]));
}

function requestOptions(http: ProviderHttpOptions, headers: Record<string, string> = {}, timeoutMs = http.timeoutMs, DPoP?: oauth.DPoPHandle) {
  return {
    headers,
    DPoP,
    [oauth.allowInsecureRequests]: http.allowInsecure,
    [oauth.customFetch]: observeProviderFetch((url: string, init: RequestInit) => guardedFetch(url, init, http.allowInsecure)),
    signal: AbortSignal.timeout(timeoutMs),
  };
}

/** oauth4webapi's checks of a token response, per grant. */
function processResponse(grant: Grant, as: oauth.AuthorizationServer, client: oauth.Client, response: Response) {
  switch (grant.type) {
    case 'client_credentials':
      return oauth.processClientCredentialsResponse(as, client, response);
    case 'jwt_bearer':
      return oauth.processGenericTokenEndpointResponse(as, client, response);
    case 'refresh_token':
      return oauth.processRefreshTokenResponse(as, client, response);
    case 'authorization_code':
      return oauth.processAuthorizationCodeResponse(as, client, response);
  }
}

/** One token request of `grant`, with a DPoP proof when the integration has a key. */
async function sendGrant(config: IntegrationConfig, clientSecret: string, grant: Grant, http: ProviderHttpOptions, dpop: oauth.DPoPHandle | undefined): Promise<Response> {
  const as = endpoints(config);
  const client: oauth.Client = { client_id: config.clientId };
  const auth = await clientAuth(config, clientSecret);
  if (grant.type === 'client_credentials') {
    return oauth.clientCredentialsGrantRequest(as, client, auth, config.scope ? { scope: config.scope } : {}, requestOptions(http, presetHeaders(config), undefined, dpop));
  }
  if (grant.type === 'jwt_bearer') {
    const parameters = { assertion: await bearerAssertion(config, clientSecret), ...(config.scope ? { scope: config.scope } : {}) };
    return oauth.genericTokenEndpointRequest(as, client, auth, JWT_BEARER, parameters, requestOptions(http, presetHeaders(config), undefined, dpop));
  }
  if (grant.type === 'refresh_token') {
    const answerTimeoutMs = Math.max(http.timeoutMs, http.refreshAnswerTimeoutMs);
    return oauth.refreshTokenGrantRequest(as, client, auth, grant.refreshToken, requestOptions(http, presetHeaders(config), answerTimeoutMs, dpop));
  }
  // The api already checked state and iss at the callback; oauth4webapi wants its own validated parameters.
  const params = oauth.validateAuthResponse(as, client, new URLSearchParams({ code: grant.code }), oauth.skipStateCheck);
  return oauth.authorizationCodeGrantRequest(as, client, auth, params, grant.redirectUri, grant.codeVerifier, requestOptions(http, presetHeaders(config), undefined, dpop));
}

/** RFC 9449 §8: a 400 `use_dpop_nonce` asks for the request again with the nonce it carried (the handle kept it). */
async function isNonceRequest(response: Response): Promise<boolean> {
  if (response.status !== 400 || !response.headers.get('dpop-nonce')) return false;
  try {
    return (JSON.parse(await response.clone().text()) as { error?: unknown }).error === 'use_dpop_nonce';
  } catch {
    return false;
  }
}

/**
 * `dpopKey`: the integration's DPoP key (private JWK) when its tokens are sender-constrained; each request then carries a
 * proof, and one asking for a nonce is sent once more with it (a second nonce demand is the provider's answer).
 */
export async function requestToken(config: IntegrationConfig, clientSecret: string, grant: Grant, http: ProviderHttpOptions, dpopKey: JsonWebKey | null = null): Promise<TokenResult> {
  const as = endpoints(config);
  const client: oauth.Client = { client_id: config.clientId };
  const secrets = [clientSecret, grant.type === 'refresh_token' ? grant.refreshToken : '', grant.type === 'authorization_code' ? grant.code : ''];
  try {
    const dpop = dpopKey ? await dpopHandle(config.id, dpopKey) : undefined;
    let response = await sendGrant(config, clientSecret, grant, http, dpop);
    // The server checks the proof before the grant (RFC 9449 §8): a nonce demand spent no code or refresh token.
    if (dpop && (await isNonceRequest(response))) response = await sendGrant(config, clientSecret, grant, http, dpop);
    if (!response.ok) {
      return { ok: false, failure: classifyErrorResponse(response.status, response.headers, await response.text(), secrets) };
    }
    const normalized = await normalizeTokenResponse(response, secrets, Boolean(dpop));
    if (!(normalized instanceof Response)) return { ok: false, failure: normalized };
    response = normalized;
    const body = await processResponse(grant, as, client, response);
    return {
      ok: true,
      token: {
        accessToken: body.access_token,
        refreshToken: body.refresh_token ?? null,
        tokenType: body.token_type,
        expiresInSeconds: typeof body.expires_in === 'number' ? body.expires_in : null,
        scope: body.scope ?? null,
      },
    };
  } catch (err) {
    return { ok: false, failure: classifyThrown(err, secrets) };
  }
}

/** RFC 7009 revocation of one token; success or a classified failure. */
export async function revokeToken(
  config: IntegrationConfig,
  clientSecret: string,
  token: string,
  hint: 'access_token' | 'refresh_token',
  http: ProviderHttpOptions,
): Promise<ProviderFailure | null> {
  const as = endpoints(config);
  const client: oauth.Client = { client_id: config.clientId };
  try {
    const response = await oauth.revocationRequest(as, client, await clientAuth(config, clientSecret), token, {
      ...requestOptions(http),
      additionalParameters: { token_type_hint: hint },
    });
    if (!response.ok) return classifyErrorResponse(response.status, response.headers, await response.text(), [clientSecret, token]);
    return null;
  } catch (err) {
    return classifyThrown(err, [clientSecret, token]);
  }
}
