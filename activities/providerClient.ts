// Talks to a provider's token and revocation endpoints with oauth4webapi: bounded in time and size, no redirects.
import * as oauth from 'oauth4webapi';
import type { IntegrationConfig } from '../workflows/model';
import { classifyErrorResponse, classifyThrown, ResponseTooLargeError } from './providerErrors';
import type { ProviderFailure } from '../workflows/model';

const MAX_RESPONSE_BYTES = 256 * 1024;

export interface ProviderHttpOptions {
  allowInsecure: boolean;
  timeoutMs: number;
}

export type Grant =
  | { type: 'client_credentials' }
  | { type: 'refresh_token'; refreshToken: string }
  | { type: 'authorization_code'; code: string; codeVerifier: string; redirectUri: string };

export interface IssuedToken {
  accessToken: string;
  refreshToken: string | null;
  tokenType: string;
  expiresInSeconds: number | null;
  scope: string | null;
}

export type TokenResult = { ok: true; token: IssuedToken } | { ok: false; failure: ProviderFailure };

/** fetch that never follows redirects and refuses bodies above the limit (a hostile endpoint can't exhaust memory). */
async function boundedFetch(url: string, init: RequestInit): Promise<Response> {
  const res = await fetch(url, { ...init, redirect: 'manual' });
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_RESPONSE_BYTES) {
        await reader.cancel();
        throw new ResponseTooLargeError(`more than ${MAX_RESPONSE_BYTES} bytes`);
      }
      chunks.push(value);
    }
  }
  const empty = size === 0 || [204, 205, 304].includes(res.status);
  return new Response(empty ? null : Buffer.concat(chunks), { status: res.status, statusText: res.statusText, headers: res.headers });
}

/**
 * Steward is an OAuth client, not an OpenID relying party: an ID token in a token response (scope openid) is not
 * ours to validate or keep, so it is dropped before oauth4webapi checks the response.
 */
async function withoutIdToken(response: Response): Promise<Response> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, response); // not JSON: let oauth4webapi report it
  }
  if (body && typeof body === 'object' && 'id_token' in body) delete (body as { id_token?: unknown }).id_token;
  return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
}

function endpoints(config: IntegrationConfig): oauth.AuthorizationServer {
  return {
    issuer: new URL(config.tokenUrl).origin,
    token_endpoint: config.tokenUrl,
    revocation_endpoint: config.revocationUrl ?? undefined,
  };
}

function clientAuth(config: IntegrationConfig, clientSecret: string): oauth.ClientAuth {
  return config.tokenAuthMethod === 'client_secret_post' ? oauth.ClientSecretPost(clientSecret) : oauth.ClientSecretBasic(clientSecret);
}

function requestOptions(http: ProviderHttpOptions) {
  return {
    [oauth.allowInsecureRequests]: http.allowInsecure,
    [oauth.customFetch]: boundedFetch,
    signal: AbortSignal.timeout(http.timeoutMs),
  };
}

export async function requestToken(config: IntegrationConfig, clientSecret: string, grant: Grant, http: ProviderHttpOptions): Promise<TokenResult> {
  const as = endpoints(config);
  const client: oauth.Client = { client_id: config.clientId };
  const auth = clientAuth(config, clientSecret);
  const secrets = [clientSecret, grant.type === 'refresh_token' ? grant.refreshToken : '', grant.type === 'authorization_code' ? grant.code : ''];
  try {
    let response: Response;
    if (grant.type === 'client_credentials') {
      response = await oauth.clientCredentialsGrantRequest(as, client, auth, config.scope ? { scope: config.scope } : {}, requestOptions(http));
    } else if (grant.type === 'refresh_token') {
      response = await oauth.refreshTokenGrantRequest(as, client, auth, grant.refreshToken, requestOptions(http));
    } else {
      // The api already checked state and iss at the callback; oauth4webapi wants its own validated parameters.
      const params = oauth.validateAuthResponse(as, client, new URLSearchParams({ code: grant.code }), oauth.skipStateCheck);
      response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, grant.redirectUri, grant.codeVerifier, requestOptions(http));
    }
    if (!response.ok) {
      return { ok: false, failure: classifyErrorResponse(response.status, response.headers, await response.text(), secrets) };
    }
    response = await withoutIdToken(response);
    const body =
      grant.type === 'client_credentials'
        ? await oauth.processClientCredentialsResponse(as, client, response)
        : grant.type === 'refresh_token'
          ? await oauth.processRefreshTokenResponse(as, client, response)
          : await oauth.processAuthorizationCodeResponse(as, client, response);
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
    const response = await oauth.revocationRequest(as, client, clientAuth(config, clientSecret), token, {
      ...requestOptions(http),
      additionalParameters: { token_type_hint: hint },
    });
    if (!response.ok) return classifyErrorResponse(response.status, response.headers, await response.text(), [clientSecret, token]);
    return null;
  } catch (err) {
    return classifyThrown(err, [clientSecret, token]);
  }
}
