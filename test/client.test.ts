// The service client (client/) against the real stack: token caching, 401 → report → refresh → retry once, typed errors.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConsentNeededError, IntegrationRevokedError, StewardClient, TokenUnavailableError } from '../client/src/index';
import { startFaultProxy } from './support/faultProxy';
import { apiClient, bootStack, clientCredentialsBody, eventually, FAST_LIFECYCLE, introspect, type Stack } from './support/harness';

let stack: Stack;
let serviceKey: string;
let resource: { url: string; server: Server; seen: { token: string; status: number }[]; alwaysRefuse: boolean };

/** A provider API as services call it: it accepts a bearer token only while the demo provider says it is active. */
async function startResourceServer(): Promise<typeof resource> {
  const state = { seen: [] as { token: string; status: number }[], alwaysRefuse: false };
  const server = createServer((req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    void introspect(stack, token).then(({ active }) => {
      const status = active && !state.alwaysRefuse ? 200 : 401;
      state.seen.push({ token, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status === 200 ? { path: req.url } : { error: 'invalid_token' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, { url: `http://127.0.0.1:${port}`, server });
}

/** Revokes an access token at the demo provider, as a provider does when it stops trusting one. */
async function revokeAtProvider(token: string): Promise<void> {
  const res = await fetch(stack.provider.revocationUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${stack.demoClient.clientId}:${stack.demoClient.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
  });
  expect(res.status).toBe(200);
}

/** A client whose requests to Steward are counted by path. */
function countingClient(opts: { now?: () => number } = {}) {
  const calls: string[] = [];
  const client = new StewardClient({
    baseUrl: stack.apiUrl,
    apiKey: serviceKey,
    now: opts.now,
    fetch: (input, init) => {
      const url = new URL(String(input));
      if (url.origin === stack.apiUrl) calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
      return fetch(input, init);
    },
  });
  return { client, calls };
}

async function createIntegration(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await apiClient(stack).post('/v1/integrations', clientCredentialsBody(stack, { apiBaseUrl: resource.url, ...overrides }));
  expect(res.status).toBe(201);
  return res.body.id;
}

beforeAll(async () => {
  // A report right after a refresh is honoured at once (the window that absorbs a burst of reports is tested elsewhere).
  stack = await bootStack('client', { ...FAST_LIFECYCLE, env: { ...FAST_LIFECYCLE.env, STEWARD_TOKEN_REJECTED_WINDOW_SECONDS: '0' } });
  resource = await startResourceServer();
  const key = await apiClient(stack).post('/v1/keys', { name: 'client test service', role: 'service', tenants: ['acme'] });
  serviceKey = key.body.key;
}, 180_000);

afterAll(async () => {
  await new Promise((resolve) => resource?.server.close(resolve));
  await stack?.stop();
});

describe('client.token', () => {
  test('caches the token until shortly before it expires, then reads a new one', async () => {
    const id = await createIntegration();
    let clock = Date.now();
    const { client, calls } = countingClient({ now: () => clock });
    const first = await client.token(id);
    expect(await client.token(id)).toBe(first);
    expect(calls).toEqual([`GET /v1/integrations/${id}/token`]);
    expect(first.api_base_url).toBe(resource.url);
    // Past the margin before expiry (half the remaining life of a 6-second token at most): a new read.
    clock = Date.parse(first.expires_at) - 1000;
    await client.token(id);
    expect(calls).toHaveLength(2);
  });

  test('concurrent callers share one request', async () => {
    const id = await createIntegration();
    const { client, calls } = countingClient();
    const tokens = await Promise.all([client.token(id), client.token(id), client.token(id)]);
    expect(new Set(tokens.map((t) => t.access_token)).size).toBe(1);
    expect(calls).toHaveLength(1);
  });
});

describe('client.fetch', () => {
  test('calls the API base URL with the token', async () => {
    const id = await createIntegration();
    const { client } = countingClient();
    const res = await client.fetch(id, '/things?x=1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ path: '/things?x=1' });
  });

  test('on a 401 from the provider: reports the token, gets the new one and retries once', async () => {
    const id = await createIntegration();
    const { client, calls } = countingClient();
    const rejected = await client.token(id);
    await revokeAtProvider(rejected.access_token); // the provider stops trusting it before it expires
    expect((await introspect(stack, rejected.access_token)).active).toBe(false);
    resource.seen.length = 0;

    const res = await client.fetch(id, '/things');
    expect(res.status).toBe(200);
    expect(resource.seen.map((s) => s.status)).toEqual([401, 200]);
    expect(resource.seen[0].token).toBe(rejected.access_token);
    expect(resource.seen[1].token).not.toBe(rejected.access_token);
    expect(calls).toEqual([`GET /v1/integrations/${id}/token`, `POST /v1/integrations/${id}/token/rejected`, `GET /v1/integrations/${id}/token`]);
  });

  test('a second 401 is returned as it is: one retry, no loop', async () => {
    const id = await createIntegration();
    const { client, calls } = countingClient();
    resource.alwaysRefuse = true;
    resource.seen.length = 0;
    try {
      const res = await client.fetch(id, '/things');
      expect(res.status).toBe(401);
      expect(resource.seen).toHaveLength(2);
      expect(calls.filter((c) => c.endsWith('/token/rejected'))).toHaveLength(1);
    } finally {
      resource.alwaysRefuse = false;
    }
  });
});

describe('typed errors', () => {
  test('410: a revoked integration is IntegrationRevokedError', async () => {
    const id = await createIntegration();
    expect((await apiClient(stack).post(`/v1/integrations/${id}/revoke`)).status).toBe(200);
    const { client } = countingClient();
    const err = await client.token(id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationRevokedError);
    expect(err).toMatchObject({ status: 410, code: 'integration_revoked' });
  });

  test('409: an integration awaiting consent is ConsentNeededError', async () => {
    const id = await createIntegration({
      grantType: 'authorization_code',
      authorizationUrl: stack.provider.authorizationUrl,
      redirectUri: `${stack.apiUrl}/v1/oauth/callback`,
    });
    const { client } = countingClient();
    const err = await client.token(id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConsentNeededError);
    expect(err).toMatchObject({ status: 409, code: 'integration_unavailable', integrationStatus: 'awaiting_consent' });
  });

  test('503: a degraded integration whose token ran out is TokenUnavailableError', async () => {
    const proxy = await startFaultProxy(stack.provider.url);
    try {
      const id = await createIntegration({ tokenUrl: `${proxy.url}/token` });
      // The provider answers 503 from now on: refreshes fail, and once the 6-second token runs out nothing can be served.
      proxy.setMode({ kind: 'status', status: 503 });
      const { client } = countingClient();
      // A read between the token running out and the workflow marking the integration degraded is a 503 naming
      // `active`: wait for the one this test is about.
      const err = await eventually(
        () => client.token(id).then(() => null, (e: unknown) => (e instanceof TokenUnavailableError && e.integrationStatus === 'degraded' ? e : null)),
        'a 503 token_unavailable from a degraded integration',
        30_000,
      );
      expect(err).toMatchObject({ status: 503, code: 'token_unavailable', integrationStatus: 'degraded' });
    } finally {
      await proxy.close();
    }
  });
});
