/**
 * Smoke test for demo/provider.ts and test/support/faultProxy.ts.
 *
 *   npx tsx test/support/provider.smoke.ts      (exit code 0 = all checks passed)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import * as oauth from 'oauth4webapi';

import { startDemoProvider, type DemoProvider } from '../../demo/provider';
import { startFaultProxy } from './faultProxy';
import { driveBrowserFlow } from './oauthBrowser';

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const ACCESS_TTL = 6;

// ---------------------------------------------------------------------------
// tiny harness
// ---------------------------------------------------------------------------
let failures = 0;
async function check(name: string, fn: () => Promise<string | void>): Promise<void> {
  const started = performance.now();
  try {
    const note = await fn();
    console.log(`ok   ${name} (${(performance.now() - started).toFixed(0)} ms)${note ? ` — ${note}` : ''}`);
  } catch (err) {
    failures += 1;
    console.log(`FAIL ${name} (${(performance.now() - started).toFixed(0)} ms): ${(err as Error)?.stack ?? err}`);
  }
}
function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}
function eq<T>(actual: T, expected: T, message: string): void {
  if (actual !== expected) throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
/** Runs fn, expects an OAuth error response; returns [status, error code]. */
async function expectOAuthError(fn: () => Promise<unknown>): Promise<[number, string]> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError) return [err.status, err.error];
    if (err instanceof oauth.WWWAuthenticateChallengeError) {
      const body = (await err.response.json()) as { error: string };
      return [err.status, body.error];
    }
    throw err;
  }
  throw new Error('expected an OAuth error response, got success');
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}
async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
    signal,
  });
}

// ---------------------------------------------------------------------------
const CC_BASIC = { clientId: 'cc-basic', clientSecret: 'secret-basic' };
const CC_POST = { clientId: 'cc-post', clientSecret: 'secret-post', tokenEndpointAuthMethod: 'client_secret_post' as const };
const WEB = { clientId: 'web-app', clientSecret: 'secret-web', redirectUris: ['http://127.0.0.1:3000/v1/oauth/callback'] };

let provider!: DemoProvider;
let as!: oauth.AuthorizationServer;

function asVia(baseUrl: string): oauth.AuthorizationServer {
  return {
    ...as,
    token_endpoint: `${baseUrl}/token`,
    revocation_endpoint: `${baseUrl}/token/revocation`,
    introspection_endpoint: `${baseUrl}/token/introspection`,
  };
}

async function ccToken(
  server: oauth.AuthorizationServer,
  c: { clientId: string; clientSecret: string; tokenEndpointAuthMethod?: string },
  scope = 'read write',
  signal?: AbortSignal,
) {
  const client: oauth.Client = { client_id: c.clientId };
  const auth =
    c.tokenEndpointAuthMethod === 'client_secret_post' ? oauth.ClientSecretPost(c.clientSecret) : oauth.ClientSecretBasic(c.clientSecret);
  const res = await oauth.clientCredentialsGrantRequest(server, client, auth, { scope }, { ...insecure, signal });
  return oauth.processClientCredentialsResponse(server, client, res);
}

async function introspect(token: string, c = CC_BASIC) {
  const client: oauth.Client = { client_id: c.clientId };
  const res = await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic(c.clientSecret), token, insecure);
  return oauth.processIntrospectionResponse(as, client, res);
}

async function refresh(refreshToken: string, c: { clientId: string; clientSecret: string } = CC_BASIC, server = as) {
  const client: oauth.Client = { client_id: c.clientId };
  const res = await oauth.refreshTokenGrantRequest(server, client, oauth.ClientSecretBasic(c.clientSecret), refreshToken, insecure);
  return oauth.processRefreshTokenResponse(server, client, res);
}

async function mint(clientId: string, scope?: string): Promise<string> {
  const res = await fetch(`${provider.url}/__control/refresh-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId, scope }),
  });
  eq(res.status, 201, 'mint status');
  const body = (await res.json()) as { refresh_token: string };
  assert(typeof body.refresh_token === 'string' && body.refresh_token.length > 20, 'refresh_token minted');
  return body.refresh_token;
}

// ---------------------------------------------------------------------------
async function main(): Promise<void> {
  await check('startDemoProvider (port 0, controls on)', async () => {
    provider = await startDemoProvider({
      port: 0,
      clients: [CC_BASIC, CC_POST, WEB],
      accessTokenTtlSeconds: ACCESS_TTL,
      enableTestControls: true,
    });
    const res = await oauth.discoveryRequest(new URL(provider.issuer), insecure);
    as = await oauth.processDiscoveryResponse(new URL(provider.issuer), res);
    eq(as.token_endpoint, provider.tokenUrl, 'token_endpoint');
    eq(as.authorization_endpoint, provider.authorizationUrl, 'authorization_endpoint');
    eq(as.revocation_endpoint, provider.revocationUrl, 'revocation_endpoint');
    eq(as.introspection_endpoint, provider.introspectionUrl, 'introspection_endpoint');
    assert(as.grant_types_supported?.includes('client_credentials'), 'client_credentials advertised');
    return provider.issuer;
  });

  // 1. client credentials ----------------------------------------------------
  await check('1a client_credentials (client_secret_basic) + introspection active', async () => {
    const t = await ccToken(as, CC_BASIC);
    eq(t.expires_in, ACCESS_TTL, 'expires_in');
    eq(t.token_type, 'bearer', 'token_type (oauth4webapi lowercases)');
    eq(t.scope, 'read write', 'scope');
    const i = await introspect(t.access_token);
    eq(i.active, true, 'active');
    eq(i.client_id, CC_BASIC.clientId, 'introspected client_id');
    eq(i.scope, 'read write', 'introspected scope');
    return `expires_in=${t.expires_in}`;
  });
  await check('1b client_credentials (client_secret_post) with api_access', async () => {
    const t = await ccToken(as, CC_POST, 'api_access');
    eq(t.expires_in, ACCESS_TTL, 'expires_in');
    eq(t.scope, 'api_access', 'scope');
    eq((await introspect(t.access_token)).active, true, 'active');
    // raw response shape
    const res = await postForm(provider.tokenUrl, {
      grant_type: 'client_credentials',
      scope: 'read',
      client_id: CC_POST.clientId,
      client_secret: CC_POST.clientSecret,
    });
    const raw = (await res.json()) as Record<string, unknown>;
    eq(res.status, 200, 'raw status');
    eq(raw.token_type, 'Bearer', 'raw token_type');
    eq(raw.expires_in, ACCESS_TTL, 'raw expires_in');
    eq(raw.scope, 'read', 'raw scope');
  });
  await check('1c auth method mismatch is invalid_client (basic client using post)', async () => {
    const [status, error] = await expectOAuthError(() => ccToken(as, { ...CC_BASIC, tokenEndpointAuthMethod: 'client_secret_post' }));
    eq(status, 401, 'status');
    eq(error, 'invalid_client', 'error');
    const [status2, error2] = await expectOAuthError(() => ccToken(as, { ...CC_POST, tokenEndpointAuthMethod: 'client_secret_basic' }));
    eq(`${status2} ${error2}`, '401 invalid_client', 'post client using basic');
  });
  await check('1d startDemoProvider x5 (warm) start+close timing', async () => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const p = await startDemoProvider({ port: 0, clients: [CC_BASIC], accessTokenTtlSeconds: 4 });
      times.push(performance.now() - t0);
      await p.close();
    }
    assert(Math.max(...times) < 500, 'each start < 500 ms');
    return `start ms: ${times.map((t) => t.toFixed(1)).join(', ')}`;
  });

  // 2. refresh tokens ----------------------------------------------------------
  await check('2 minted refresh token → refresh works → rotated → old one invalid_grant', async () => {
    const rt1 = await mint(CC_BASIC.clientId, 'read write');
    const t1 = await refresh(rt1);
    assert(t1.refresh_token && t1.refresh_token !== rt1, 'rotated refresh token returned');
    eq(t1.expires_in, ACCESS_TTL, 'expires_in');
    eq(t1.scope, 'read write offline_access', 'scope');
    eq((await introspect(t1.access_token)).active, true, 'new access token active');
    const [status, error] = await expectOAuthError(() => refresh(rt1));
    eq(status, 400, 'status');
    eq(error, 'invalid_grant', 'old refresh token');
    // NB: oidc-provider treats reuse of a rotated token as a replay and revokes the whole grant.
    const [, error2] = await expectOAuthError(() => refresh(t1.refresh_token!));
    eq(error2, 'invalid_grant', 'rotated token after replay of old one (grant revoked)');
    // default scope for minted tokens is openid (+ offline_access) → id_token in response
    const rt2 = await mint(CC_BASIC.clientId);
    const t2 = await refresh(rt2);
    assert(t2.id_token, 'id_token issued for openid scope');
    const rt3 = await refresh(t2.refresh_token!);
    assert(rt3.refresh_token, 'chain of rotations works');
    return 'replay of rotated token revokes the grant';
  });
  await check('2b minted refresh token for unknown client → 404', async () => {
    const res = await fetch(`${provider.url}/__control/refresh-tokens`, {
      method: 'POST',
      body: JSON.stringify({ clientId: 'nope' }),
    });
    eq(res.status, 404, 'status');
    eq(((await res.json()) as { error: string }).error, 'invalid_client', 'error');
  });
  await check('2c refresh with other client → invalid_grant', async () => {
    const rt = await mint(CC_BASIC.clientId, 'read');
    const [, error] = await expectOAuthError(() => refresh(rt, WEB));
    eq(error, 'invalid_grant', 'error');
  });

  // 3. revocation -------------------------------------------------------------
  await check('3a revoke refresh token → invalid_grant', async () => {
    const rt = await mint(CC_BASIC.clientId, 'read');
    const client: oauth.Client = { client_id: CC_BASIC.clientId };
    const res = await oauth.revocationRequest(as, client, oauth.ClientSecretBasic(CC_BASIC.clientSecret), rt, {
      ...insecure,
      additionalParameters: { token_type_hint: 'refresh_token' },
    });
    await oauth.processRevocationResponse(res);
    eq((await introspect(rt)).active, false, 'introspection of revoked refresh token');
    const [, error] = await expectOAuthError(() => refresh(rt));
    eq(error, 'invalid_grant', 'error');
  });
  await check('3b revoke access token → introspection inactive', async () => {
    const t = await ccToken(as, CC_POST);
    const client: oauth.Client = { client_id: CC_POST.clientId };
    const res = await oauth.revocationRequest(as, client, oauth.ClientSecretPost(CC_POST.clientSecret), t.access_token, insecure);
    await oauth.processRevocationResponse(res);
    eq((await introspect(t.access_token)).active, false, 'inactive');
  });

  // 4. client authentication failures -----------------------------------------
  await check('4a wrong secret → 401 invalid_client', async () => {
    const [status, error] = await expectOAuthError(() => ccToken(as, { ...CC_BASIC, clientSecret: 'wrong' }));
    eq(status, 401, 'status');
    eq(error, 'invalid_client', 'error');
    const res = await postForm(provider.tokenUrl, { grant_type: 'client_credentials' }, { authorization: basic('cc-basic', 'wrong') });
    eq(res.status, 401, 'raw status');
    eq(((await res.json()) as { error: string }).error, 'invalid_client', 'raw error');
  });
  await check('4b runtime add → works; secret change → old invalid_client; delete → invalid_client', async () => {
    const c = { clientId: 'runtime-client', clientSecret: 's3cret-1' };
    let res = await fetch(`${provider.url}/__control/clients`, { method: 'POST', body: JSON.stringify(c) });
    eq(res.status, 201, 'add status');
    const rt = await mint(c.clientId, 'read');
    await ccToken(as, c);

    res = await fetch(`${provider.url}/__control/clients/${c.clientId}/secret`, {
      method: 'POST',
      body: JSON.stringify({ clientSecret: 's3cret-2' }),
    });
    eq(res.status, 204, 'secret change status');
    let [status, error] = await expectOAuthError(() => ccToken(as, c));
    eq(`${status} ${error}`, '401 invalid_client', 'old secret');
    const c2 = { ...c, clientSecret: 's3cret-2' };
    await ccToken(as, c2);

    res = await fetch(`${provider.url}/__control/clients/${c.clientId}`, { method: 'DELETE' });
    eq(res.status, 204, 'delete status');
    [status, error] = await expectOAuthError(() => ccToken(as, c2));
    eq(`${status} ${error}`, '401 invalid_client', 'deleted client (client_credentials)');
    [status, error] = await expectOAuthError(() => refresh(rt, c2));
    eq(`${status} ${error}`, '401 invalid_client', 'deleted client (refresh_token)');
    res = await fetch(`${provider.url}/__control/clients/${c.clientId}`, { method: 'DELETE' });
    eq(res.status, 404, 'second delete');
  });

  // 5. fault proxy ------------------------------------------------------------
  await check('5 fault proxy: 500, 429+Retry-After, hang, reset, pass, times, paths', async () => {
    const proxy = await startFaultProxy(provider.url);
    const via = asVia(proxy.url);
    try {
      const ok = await ccToken(via, CC_BASIC);
      eq(ok.expires_in, ACCESS_TTL, 'pass expires_in');

      proxy.setMode({ kind: 'status', status: 500 });
      let res = await postForm(`${proxy.url}/token`, { grant_type: 'client_credentials' }, { authorization: basic('cc-basic', 'secret-basic') });
      eq(res.status, 500, '500');
      await res.text();
      // oauth4webapi surfaces a non-OAuth 500 as OperationProcessingError
      try {
        await ccToken(via, CC_BASIC);
        throw new Error('expected failure');
      } catch (err) {
        assert(err instanceof oauth.OperationProcessingError, `500 → OperationProcessingError, got ${err}`);
      }

      proxy.setMode({
        kind: 'status',
        status: 429,
        retryAfterSeconds: 7,
        body: JSON.stringify({ error: 'slow_down' }),
        contentType: 'application/json',
      });
      res = await postForm(`${proxy.url}/token`, { grant_type: 'client_credentials' });
      eq(res.status, 429, '429');
      eq(res.headers.get('retry-after'), '7', 'Retry-After');
      eq(((await res.json()) as { error: string }).error, 'slow_down', '429 body');

      proxy.setMode({ kind: 'hang' });
      const hangStarted = performance.now();
      try {
        await ccToken(via, CC_BASIC, 'read', AbortSignal.timeout(300));
        throw new Error('expected timeout');
      } catch (err) {
        eq((err as Error).name, 'TimeoutError', 'hang → client timeout');
      }
      assert(performance.now() - hangStarted < 1000, 'timeout fired promptly');

      // a hung request is released (forwarded) when the mode changes
      const pending = ccToken(via, CC_BASIC, 'read');
      await new Promise((r) => setTimeout(r, 100));
      proxy.setMode({ kind: 'pass' });
      eq((await pending).scope, 'read', 'released hung request forwarded');

      proxy.setMode({ kind: 'reset' });
      try {
        await ccToken(via, CC_BASIC);
        throw new Error('expected reset');
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause;
        assert(err instanceof TypeError, `reset → fetch TypeError, got ${err}`);
        assert(cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET', `cause code ${cause?.code}`);
      }

      proxy.setMode({ kind: 'pass' });
      eq((await ccToken(via, CC_POST)).scope, 'read write', 'pass again');

      proxy.setMode({ kind: 'status', status: 503 }, { times: 2 });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await postForm(`${proxy.url}/token`, {
          grant_type: 'client_credentials',
          client_id: CC_POST.clientId,
          client_secret: CC_POST.clientSecret,
        });
        statuses.push(r.status);
        await r.text();
      }
      eq(statuses.join(','), '503,503,200', 'times=2 then pass');

      proxy.setMode({ kind: 'status', status: 502 }, { paths: ['/token/introspection'] });
      const t = await ccToken(via, CC_BASIC);
      res = await postForm(`${proxy.url}/token/introspection`, { token: t.access_token }, { authorization: basic('cc-basic', 'secret-basic') });
      eq(res.status, 502, 'paths filter hits introspection');
      await res.text();
      proxy.setMode({ kind: 'pass' });

      const log = proxy.requests();
      const kinds = new Set(log.map((r) => r.answeredWith));
      for (const k of [200, 500, 429, 'hang', 'reset', 503, 502] as const) assert(kinds.has(k), `request log has ${k}`);
      assert(log.every((r) => typeof r.at === 'number' && r.method === 'POST'), 'log shape');

      // close() with a request still hanging must not block
      proxy.setMode({ kind: 'hang' });
      const stuck = postForm(`${proxy.url}/token`, { grant_type: 'client_credentials' }).catch((e: Error) => e);
      await new Promise((r) => setTimeout(r, 50));
      const closeStarted = performance.now();
      await proxy.close();
      const outcome = await stuck;
      assert(outcome instanceof Error, 'hung client request fails when proxy closes');
      return `${log.length} proxied requests, close() with hanging request took ${(performance.now() - closeStarted).toFixed(0)} ms`;
    } finally {
      await proxy.close();
    }
  });

  // 6. authorization_code + PKCE via the dev interactions ---------------------
  await check('6 authorization_code + PKCE through dev login/consent → refresh_token', async () => {
    const redirectUri = WEB.redirectUris[0]!;
    const client: oauth.Client = { client_id: WEB.clientId };
    const verifier = oauth.generateRandomCodeVerifier();
    const challenge = await oauth.calculatePKCECodeChallenge(verifier);
    const state = oauth.generateRandomState();
    const authUrl = new URL(provider.authorizationUrl);
    authUrl.search = new URLSearchParams({
      response_type: 'code',
      client_id: WEB.clientId,
      redirect_uri: redirectUri,
      scope: 'openid offline_access read write',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();

    const callback = await driveBrowserFlow(authUrl.toString(), redirectUri, 'alice');
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const res = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(WEB.clientSecret),
      params,
      redirectUri,
      verifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, res);
    assert(tokens.refresh_token, 'refresh_token issued');
    eq(tokens.expires_in, ACCESS_TTL, 'expires_in');
    assert(tokens.scope?.split(' ').includes('read'), `scope has read (${tokens.scope})`);
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    eq(claims?.sub, 'alice', 'id_token sub');
    const i = await introspect(tokens.access_token, WEB);
    eq(i.active, true, 'access token active');
    eq(i.sub, 'alice', 'introspected sub');
    const refreshed = await refresh(tokens.refresh_token, WEB);
    assert(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, 'rotated');

    // same flow with no offline_access and no openid: still gets a refresh token
    const v2 = oauth.generateRandomCodeVerifier();
    const u2 = new URL(provider.authorizationUrl);
    u2.search = new URLSearchParams({
      response_type: 'code',
      client_id: WEB.clientId,
      redirect_uri: redirectUri,
      scope: 'read',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(v2),
      code_challenge_method: 'S256',
    }).toString();
    const cb2 = await driveBrowserFlow(u2.toString(), redirectUri, 'bob');
    const p2 = oauth.validateAuthResponse(as, client, cb2, state);
    const r2 = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretBasic(WEB.clientSecret), p2, redirectUri, v2, insecure);
    const t2 = await oauth.processAuthorizationCodeResponse(as, client, r2);
    assert(t2.refresh_token, 'plain OAuth code flow also yields refresh_token');
    eq(t2.scope, 'read', 'scope');

    // with prompt=consent oidc-provider keeps offline_access in the granted scope
    const v4 = oauth.generateRandomCodeVerifier();
    const u4 = new URL(provider.authorizationUrl);
    u4.search = new URLSearchParams({
      response_type: 'code',
      client_id: WEB.clientId,
      redirect_uri: redirectUri,
      scope: 'openid offline_access read',
      prompt: 'consent',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(v4),
      code_challenge_method: 'S256',
    }).toString();
    const cb4 = await driveBrowserFlow(u4.toString(), redirectUri, 'carol');
    const p4 = oauth.validateAuthResponse(as, client, cb4, state);
    const r4 = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretBasic(WEB.clientSecret), p4, redirectUri, v4, insecure);
    const t4 = await oauth.processAuthorizationCodeResponse(as, client, r4);
    assert(t4.refresh_token, 'refresh_token with prompt=consent');
    eq(t4.scope, 'openid offline_access read', 'scope with prompt=consent');

    // PKCE is required
    const u3 = new URL(provider.authorizationUrl);
    u3.search = new URLSearchParams({ response_type: 'code', client_id: WEB.clientId, redirect_uri: redirectUri, scope: 'read', state }).toString();
    const r3 = await fetch(u3, { redirect: 'manual' });
    const loc = new URL(r3.headers.get('location') ?? '', provider.url);
    eq(loc.searchParams.get('error'), 'invalid_request', 'missing PKCE rejected');
    return `scope="${tokens.scope}"`;
  });

  await check('7 access token expiry → introspection inactive (1 s TTL provider)', async () => {
    const p2 = await startDemoProvider({ port: 0, clients: [CC_BASIC], accessTokenTtlSeconds: 1 });
    try {
      const as2: oauth.AuthorizationServer = { issuer: p2.issuer, token_endpoint: p2.tokenUrl, introspection_endpoint: p2.introspectionUrl };
      const t = await ccToken(as2, CC_BASIC);
      eq(t.expires_in, 1, 'expires_in');
      await new Promise((r) => setTimeout(r, 2100));
      const client: oauth.Client = { client_id: CC_BASIC.clientId };
      const res = await oauth.introspectionRequest(as2, client, oauth.ClientSecretBasic(CC_BASIC.clientSecret), t.access_token, insecure);
      eq((await oauth.processIntrospectionResponse(as2, client, res)).active, false, 'inactive after expiry');
      // control routes are off by default
      const c = await fetch(`${p2.url}/__control/clients`, { method: 'POST', body: '{}' });
      eq(c.status, 404, 'controls disabled → 404 from provider');
    } finally {
      await p2.close();
    }
  });

  await check('8 CLI: ready line, generated secret, SIGTERM exits 0', async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['demo/provider.ts'], {
      cwd: root,
      env: { ...process.env, DEMO_PROVIDER_PORT: '0', DEMO_CLIENT_SECRET: '', DEMO_TEST_CONTROLS: '1', DEMO_ACCESS_TOKEN_TTL: '5' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout });
    const got: string[] = [];
    const started = performance.now();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    try {
      for await (const line of lines) {
        got.push(line);
        if (got.length === 2) break;
      }
      const ready = JSON.parse(got[0]!) as Record<string, unknown>;
      const readyMs = performance.now() - started;
      eq(ready.ready, true, 'ready');
      eq(ready.clientId, 'steward-demo', 'clientId');
      assert(!JSON.stringify(ready).includes('secret'), 'no secret in ready line');
      const m = /^demo client secret: (\S+)$/.exec(got[1] ?? '');
      assert(m, `secret line, got ${JSON.stringify(got[1])}`);
      const t = await ccToken(
        { issuer: ready.issuer as string, token_endpoint: ready.tokenUrl as string },
        { clientId: 'steward-demo', clientSecret: m[1]! },
      );
      eq(t.expires_in, 5, 'CLI TTL');
      const exit = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exit) as [number | null];
      eq(code, 0, `exit code (stderr: ${stderr.trim()})`);
      return `ready after ${readyMs.toFixed(0)} ms (tsx cold start)`;
    } finally {
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  await provider?.close();
  console.log(failures === 0 ? 'ALL CHECKS PASSED' : `${failures} CHECK(S) FAILED`);
  process.exitCode = failures === 0 ? 0 : 1;
}

await main();
