// Hostile input: outbound URLs aimed inward, malformed bodies and labels, token endpoints that answer anything but a token.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { RunningProcess } from '../scripts/stack';
import { apiClient, bootStack, clientCredentialsBody, eventually, storeInspector, type Stack } from './support/harness';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let store: Awaited<ReturnType<typeof storeInspector>>;
let production: RunningProcess;
let productionUrl: string;
let stub: Server;
let stubUrl: string;

// A token endpoint that answers each hostile shape on its own path.
const token = (extra: Record<string, unknown>) => JSON.stringify({ access_token: 'stub-access-token-value', token_type: 'Bearer', expires_in: 3600, ...extra });
const ANSWERS: Record<string, (res: import('node:http').ServerResponse) => void> = {
  '/html': (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Maintenance</body></html>'),
  '/error-in-200': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"error":"invalid_client","error_description":"bad client"}'),
  '/huge': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(`{"access_token":"${'a'.repeat(400_000)}","token_type":"Bearer"}`),
  '/endless': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"access_token":"');
    const timer = setInterval(() => res.write('aaaa'), 20);
    res.on('close', () => clearInterval(timer));
  },
  '/redirect-inward': (res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
  '/expires-missing': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(token({ expires_in: undefined })),
  '/expires-string': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(token({ expires_in: '3600' })),
  '/expires-negative': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(token({ expires_in: -1 })),
  '/expires-zero': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(token({ expires_in: 0 })),
  '/expires-huge': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(token({ expires_in: 1e308 })),
  '/type-missing': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(token({ token_type: undefined })),
  '/type-unknown': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(token({ token_type: 'mac' })),
  '/token-empty': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(token({ access_token: '' })),
};

// A provider that echoes what it was sent (§4 below).
const ECHO_SECRET = 'S3cr+t/echo=value&odd %chars';
const ECHO_REFRESH = 'rt+/=echo refresh token value';
let echo: Server;
let echoUrl: string;
const echoCalls = new Map<string, number>();

beforeAll(async () => {
  stack = await bootStack('hostile', { env: { STEWARD_PROVIDER_TIMEOUT_MS: '1500' } });
  api = apiClient(stack);
  store = await storeInspector(stack);
  stub = createServer((req, res) => (ANSWERS[req.url ?? ''] ?? ((r) => r.writeHead(404).end()))(res)).listen(0, '127.0.0.1');
  await once(stub, 'listening');
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  echo = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const path = req.url ?? '';
    const n = (echoCalls.get(path) ?? 0) + 1;
    echoCalls.set(path, n);
    // "/flip/…" answers a token once (so the integration exists), then echoes; "/echo/…" always echoes.
    if (path.startsWith('/flip/') && n === 1) return void res.writeHead(200, { 'content-type': 'application/json' }).end(token({}));
    res.writeHead(400, { 'content-type': 'application/json' }).end(echoAnswer(path, req.headers.authorization ?? '', body));
  }).listen(0, '127.0.0.1');
  await once(echo, 'listening');
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  // The same api code in production mode: no http, no loopback.
  const replica = await stack.startApiReplica('api-production', { STEWARD_ALLOW_INSECURE_PROVIDERS: 'false' });
  production = replica.process;
  productionUrl = replica.url;
});

afterAll(async () => {
  await production?.stop();
  stub?.closeAllConnections();
  stub?.close();
  echo?.closeAllConnections();
  echo?.close();
  await store?.close();
  await stack?.stop();
});

async function nothingStored<T>(fn: () => Promise<T>): Promise<T> {
  const before = { docs: await store.integrationCount(), secrets: (await store.secretNames()).length };
  const result = await fn();
  expect({ docs: await store.integrationCount(), secrets: (await store.secretNames()).length }).toEqual(before);
  return result;
}

const productionCreate = (overrides: Record<string, unknown>) =>
  fetch(`${productionUrl}/v1/integrations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(clientCredentialsBody(stack, { tokenUrl: 'https://provider.example/token', revocationUrl: undefined, ...overrides })),
  }).then(async (res) => ({ status: res.status, body: (await res.json()) as { error: string; details: { path: string; message: string }[] } }));

test.each([
  ['file:///etc/passwd', 'must use https'],
  ['gopher://provider.example/_token', 'must use https'],
  ['javascript:alert(1)', 'must use https'],
  ['http://provider.example/token', 'must use https'],
  ['https://127.0.0.1/token', 'must not point to a loopback address'],
  ['https://10.0.0.1/token', 'must not point to a private, link-local or metadata address'],
  ['https://169.254.169.254/latest/meta-data', 'must not point to a private, link-local or metadata address'],
  ['https://[::1]/token', 'must not point to a loopback address'],
  ['https://[::ffff:127.0.0.1]/token', 'must not point to a loopback address'],
  ['https://[::ffff:a9fe:a9fe]/token', 'must not point to a private, link-local or metadata address'],
  ['https://0.0.0.0/token', 'must not point to a private, link-local or metadata address'],
  ['https://2130706433/token', 'must not point to a loopback address'],
  ['https://0x7f.1/token', 'must not point to a loopback address'],
  ['https://localhost/token', 'has a host name that resolves to a loopback address'],
  [`https://${hostname()}/token`, 'has a host name that resolves to a loopback address'],
  ['https://[::a9fe:a9fe]/token', 'must not point to a private, link-local or metadata address'], // IPv4-compatible
  ['https://[::ffff:0:a9fe:a9fe]/token', 'must not point to a private, link-local or metadata address'], // IPv4-translated
  ['https://[64:ff9b::a9fe:a9fe]/token', 'must not point to a private, link-local or metadata address'], // NAT64
  ['https://[64:ff9b:1::a9fe:a9fe]/token', 'must not point to a private, link-local or metadata address'], // local-use NAT64
  ['https://[2002:a9fe:a9fe::1]/token', 'must not point to a private, link-local or metadata address'], // 6to4
  ['https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/token', 'must not point to a private, link-local or metadata address'], // Teredo
  ['https://168.63.129.16/token', 'must not point to a private, link-local or metadata address'], // Azure wire server
  ['https://100.100.100.200/token', 'must not point to a private, link-local or metadata address'], // Alibaba metadata
  ['https://[fd00:ec2::254]/token', 'must not point to a private, link-local or metadata address'], // AWS IPv6 metadata
  ['https://user:pass@provider.example/token', 'must not contain credentials'],
])('production mode refuses token URL %s', async (tokenUrl, message) => {
  const res = await nothingStored(() => productionCreate({ tokenUrl }));
  expect(res.status).toBe(400);
  expect(res.body.details).toContainEqual({ path: 'tokenUrl', message });
});

test('development mode still refuses private, link-local and metadata addresses (IPv4, IPv6, mapped)', async () => {
  for (const tokenUrl of ['http://10.1.2.3/token', 'http://169.254.169.254/', 'http://[fe80::1]/token', 'http://[::ffff:192.168.0.1]/token', 'http://[fd12::1]/token']) {
    const res = await api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl }));
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe('tokenUrl');
  }
});

test('labels with NUL, control or bidirectional characters, and oversized values, are refused field by field', async () => {
  for (const label of ['evil\u0000label', 'line\nbreak', 'rtl \u202egnp.exe', 'x'.repeat(201)]) {
    const res = await api.post('/v1/integrations', clientCredentialsBody(stack, { label }));
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe('label');
  }
  const big = await api.post('/v1/integrations', clientCredentialsBody(stack, { clientId: 'c'.repeat(600) }));
  expect(big.body.details).toEqual([{ path: 'clientId', message: 'must be at most 512 characters' }]);
});

test('bodies: deeply nested, arrays, nulls and wrong types are clear 400s', async () => {
  const nested = '['.repeat(5000) + ']'.repeat(5000);
  for (const body of [nested, '[]', 'null', '"text"', '{"label": {"$gt": ""}}']) {
    const res = await api.call('POST', '/v1/integrations', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  }
});

test.each([
  ['/html', 502, 'provider_invalid_response', 'not JSON'],
  ['/error-in-200', 422, 'provider_rejected', 'invalid_client'],
  ['/huge', 502, 'provider_invalid_response', 'too large'],
  ['/endless', 504, 'provider_timeout', 'in time'],
  ['/redirect-inward', 422, 'provider_rejected', 'redirect'],
  ['/expires-negative', 502, 'provider_invalid_response', 'expires_in'],
  ['/expires-zero', 502, 'provider_invalid_response', 'expires_in'],
  ['/expires-huge', 502, 'provider_invalid_response', 'expires_in'],
  ['/type-missing', 502, 'provider_invalid_response', 'token_type'],
  ['/type-unknown', 502, 'provider_invalid_response', 'token_type'],
  ['/token-empty', 502, 'provider_invalid_response', 'access_token'],
])('a token endpoint answering %s: %s %s, nothing stored', async (path, status, error, mentions) => {
  const res = await nothingStored(() => api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl: `${stubUrl}${path}`, revocationUrl: undefined })));
  expect(res.status).toBe(status);
  expect(res.body.error).toBe(error);
  expect(JSON.stringify(res.body)).toContain(mentions);
  expect(res.text).not.toContain('stub-access-token-value');
  expect(res.text).not.toContain(stack.demoClient.clientSecret);
});

test('tolerable quirks are accepted: missing expires_in (default lifetime) and expires_in as a string', async () => {
  const missing = await api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl: `${stubUrl}/expires-missing`, revocationUrl: undefined }));
  expect(missing.status).toBe(201);
  const lifetime = (Date.parse(missing.body.expiresAt) - Date.now()) / 1000;
  expect(lifetime).toBeGreaterThan(3500); // STEWARD_DEFAULT_TOKEN_LIFETIME_SECONDS, 3600 by default
  const asString = await api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl: `${stubUrl}/expires-string`, revocationUrl: undefined }));
  expect(asString.status).toBe(201);
});

// ── §4: a provider that echoes what it was sent gets none of it into error text, in any encoding ──────────────

/** Echoes the request back in the error: raw, decoded, base64 (standard and url-safe), and in the error code itself. */
function echoAnswer(path: string, authorization: string, body: string): string {
  const form = new URLSearchParams(body);
  const basic = authorization.startsWith('Basic ') ? Buffer.from(authorization.slice(6), 'base64').toString() : '';
  const sent = [basic, form.get('client_secret'), form.get('refresh_token')].filter(Boolean).join(' ');
  const description = `echo: header [${authorization}] body [${body}] decoded [${decodeURIComponent(basic)} ${sent}] b64 [${Buffer.from(sent).toString('base64')}] b64url [${Buffer.from(sent).toString('base64url')}]`;
  return JSON.stringify({ error: path.includes('code') ? (form.get('client_secret') ?? basic) : 'invalid_request', error_description: description });
}

/** True when `text` holds `secret` raw, URL- or form-encoded, or inside any base64 run (any alignment, either alphabet). */
function leaks(text: string, secret: string): boolean {
  const forms = [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];
  if (forms.some((f) => text.toLowerCase().includes(f.toLowerCase()))) return true;
  for (const run of text.match(/[A-Za-z0-9+/_-]{6,}/g) ?? []) {
    const std = run.replace(/-/g, '+').replace(/_/g, '/');
    for (let skip = 0; skip < 4; skip++) {
      const decoded = Buffer.from(std.slice(skip), 'base64').toString('latin1');
      if (forms.some((f) => decoded.includes(f))) return true;
    }
  }
  return false;
}

/** A create at the echoing provider (its path picks the echo's shape). */
const echoBody = (path: string, extra: Record<string, unknown> = {}) =>
  clientCredentialsBody(stack, { tokenUrl: `${echoUrl}${path}`, revocationUrl: undefined, clientSecret: ECHO_SECRET, ...extra });

describe('a provider that echoes the request in its errors', () => {
  const body = echoBody;

  test.each([
    ['Basic', '/echo/basic', {}],
    ['client_secret_post', '/echo/post', { tokenAuthMethod: 'client_secret_post' }],
    ['the secret as the error code', '/echo/code', { tokenAuthMethod: 'client_secret_post' }],
    ['refresh_token grant', '/echo/refresh', { grantType: 'refresh_token', refreshToken: ECHO_REFRESH }],
  ])('a refused creation (%s) answers without the secret in any encoding', async (_what, path, extra) => {
    const res = await nothingStored(() => api.post('/v1/integrations', body(path, extra)));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.text).toContain('echo:'); // the provider's text is there, scrubbed
    expect(leaks(res.text, ECHO_SECRET)).toBe(false);
    expect(leaks(res.text, ECHO_REFRESH)).toBe(false);
  });

  test('a failing refresh keeps the secret out of lastError, events, the summary and MongoDB; finance sees only the code', async () => {
    const created = await api.post('/v1/integrations', body('/flip/refresh', { grantType: 'refresh_token', refreshToken: ECHO_REFRESH }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await api.post(`/v1/integrations/${id}/refresh`);
    const failed = await api.get(`/v1/integrations/${id}`);
    expect(failed.body.lastError).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('echo:') });
    const texts = [failed.text, (await api.get(`/v1/integrations/${id}/events`)).text, (await api.get('/v1/summary')).text, await store.dumpAll()];
    for (const text of texts) for (const secret of [ECHO_SECRET, ECHO_REFRESH]) expect(leaks(text, secret)).toBe(false);

    const financeKey = (await api.post('/v1/keys', { name: 'Finance (echo)', role: 'finance' })).body.key as string;
    const finance = apiClient(stack, financeKey);
    const seen = await finance.get(`/v1/integrations/${id}`);
    expect(seen.body.lastError.code).toBe('invalid_request');
    expect(seen.text).not.toContain('echo:');
    expect((await finance.get('/v1/summary')).text).not.toContain('echo:');
  });
});

test('after hostile cases: no secret or hostile token value in MongoDB or in any process log', async () => {
  // Its own hostile cases first, so the check means the same whichever tests ran before it (or none, with -t).
  expect((await api.call('POST', '/v1/integrations', '[]')).status).toBe(400);
  const refused = await api.post('/v1/integrations', echoBody('/echo/last'));
  expect(refused.status).toBeGreaterThanOrEqual(400);
  expect(refused.text).toContain('echo:');
  const accepted = await api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl: `${stubUrl}/expires-string`, revocationUrl: undefined }));
  expect(accepted.status).toBe(201);
  const tokenPath = `/v1/integrations/${accepted.body.id}/token`;
  expect((await api.get(tokenPath)).body.access_token).toBe('stub-access-token-value'); // the value went through

  const { readdirSync, readFileSync } = await import('node:fs');
  const logDir = join(stack.worker!.logFile, '..');
  const readLogs = () => readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8')).join('\n') + readFileSync(production.logFile, 'utf8');
  // The api logs a request as its answer finishes (a served token read only at debug): one more request, and its
  // line in the log, mark that every earlier line is written; wait for it rather than for a time.
  const marker = `/v1/integrations/${accepted.body.id}`;
  expect((await api.get(marker)).status).toBe(200);
  const logs = await eventually(async () => {
    const text = readLogs();
    return text.includes(`"path":"${marker}"`) && text;
  }, 'the last request in the api log', 10_000, 100);
  const stored = await store.dumpAll();
  for (const secret of [stack.demoClient.clientSecret, 'stub-access-token-value']) {
    expect(logs.includes(secret)).toBe(false);
    expect(stored.includes(secret)).toBe(false);
  }
  for (const secret of [ECHO_SECRET, ECHO_REFRESH]) expect({ secret, inLogs: leaks(logs, secret), inStore: leaks(stored, secret) }).toEqual({ secret, inLogs: false, inStore: false });
  expect(logs).toContain('"status":400'); // the logs did record the refused requests
});
