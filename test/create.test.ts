// Creating integrations: success, provider rejection, unreachable and slow providers, malformed input, HTTP hygiene.
import { apiClient, bootStack, clientCredentialsBody, introspect, storeInspector, type Stack } from './support/harness';
import { startFaultProxy, type FaultProxy } from './support/faultProxy';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let store: Awaited<ReturnType<typeof storeInspector>>;
let proxy: FaultProxy;

beforeAll(async () => {
  stack = await bootStack('create', { env: { STEWARD_PROVIDER_TIMEOUT_MS: '1500' } });
  api = apiClient(stack);
  store = await storeInspector(stack);
  proxy = await startFaultProxy(stack.provider.url);
});

afterAll(async () => {
  await proxy?.close();
  await store?.close();
  await stack?.stop();
});

test('creates a client-credentials integration: validated, stored, active, token served', async () => {
  const res = await api.post('/v1/integrations', clientCredentialsBody(stack, { label: 'Salesforce Production' }));
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ label: 'Salesforce Production', status: 'active', grantType: 'client_credentials', tenantId: 'acme' });
  expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now());
  expect(res.text).not.toContain(stack.demoClient.clientSecret);
  expect(res.body).not.toHaveProperty('clientSecret');

  const token = await api.get(`/v1/integrations/${res.body.id}/token`);
  expect(token.status).toBe(200);
  expect(token.body).toMatchObject({ token_type: 'bearer', scope: 'read write' });
  expect((await introspect(stack, token.body.access_token)).active).toBe(true);

  expect(await store.integrationCount({ _id: res.body.id })).toBe(1);
  expect(await store.secretNames()).toContain(`steward/integrations/${res.body.id}`);
  const events = await api.get(`/v1/integrations/${res.body.id}/events`);
  expect(events.body.items.map((e: { to: string }) => e.to)).toEqual(['active', 'validating']); // newest first
});

test('client_secret_post integrations authenticate in the body', async () => {
  await stack.provider.addClient({ clientId: 'post-client', clientSecret: 'post-client-secret-123', tokenEndpointAuthMethod: 'client_secret_post' });
  const basic = await api.post('/v1/integrations', clientCredentialsBody(stack, { clientId: 'post-client', clientSecret: 'post-client-secret-123' }));
  expect(basic.status).toBe(422); // the provider enforces the registered method
  const post = await api.post(
    '/v1/integrations',
    clientCredentialsBody(stack, { clientId: 'post-client', clientSecret: 'post-client-secret-123', tokenAuthMethod: 'client_secret_post' }),
  );
  expect(post.status).toBe(201);
});

test('a provider rejection is a 422 naming the provider error, and nothing is stored anywhere', async () => {
  const before = { docs: await store.integrationCount(), secrets: (await store.secretNames()).length };
  const res = await api.post('/v1/integrations', clientCredentialsBody(stack, { clientSecret: 'wrong-secret-value', label: 'Rejected one' }));
  expect(res.status).toBe(422);
  expect(res.body).toMatchObject({ error: 'provider_rejected', providerError: 'invalid_client' });
  expect(res.text).not.toContain('wrong-secret-value');
  expect(await store.integrationCount()).toBe(before.docs);
  expect(await store.integrationCount({ label: 'Rejected one' })).toBe(0);
  expect((await store.secretNames()).length).toBe(before.secrets);
});

test('an unreachable provider is a 502 and a provider that never answers is a 504; nothing stored', async () => {
  const before = { docs: await store.integrationCount(), secrets: (await store.secretNames()).length };
  const unreachable = await api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl: 'http://127.0.0.1:9/token' }));
  expect(unreachable.status).toBe(502);
  expect(unreachable.body.error).toBe('provider_unavailable');

  proxy.setMode({ kind: 'hang' });
  const slow = await api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl: `${proxy.url}/token` }));
  proxy.setMode({ kind: 'pass' });
  expect(slow.status).toBe(504);
  expect(slow.body.error).toBe('provider_timeout');

  proxy.setMode({ kind: 'status', status: 503 });
  const down = await api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl: `${proxy.url}/token` }));
  proxy.setMode({ kind: 'pass' });
  expect(down.status).toBe(502);

  expect(await store.integrationCount()).toBe(before.docs);
  expect((await store.secretNames()).length).toBe(before.secrets);
});

test('malformed input names every bad field', async () => {
  const res = await api.post('/v1/integrations', {
    label: '',
    grantType: 'password',
    tokenUrl: 'ftp://provider.example/token',
    clientId: 'x',
    apiBaseUrl: 'not a url',
    scope: 'read\nwrite',
    tenantId: 'bad tenant!',
    surprise: true,
  });
  expect(res.status).toBe(400);
  expect(res.body.error).toBe('invalid_request');
  const byPath = Object.fromEntries(res.body.details.map((d: { path: string; message: string }) => [d.path, d.message]));
  expect(Object.keys(byPath).sort()).toEqual(['(body)', 'apiBaseUrl', 'clientSecret', 'grantType', 'label', 'scope', 'tenantId', 'tokenUrl'].sort());
  expect(byPath.clientSecret).toBe('is required');
  expect(byPath.tokenUrl).toMatch(/https/);
  expect(byPath['(body)']).toMatch(/surprise/);

  const refresh = await api.post('/v1/integrations', clientCredentialsBody(stack, { grantType: 'refresh_token' }));
  expect(refresh.status).toBe(400);
  expect(refresh.body.details).toEqual([{ path: 'refreshToken', message: 'is required for the refresh_token grant' }]);

  const internal = await api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl: 'http://169.254.169.254/latest/token' }));
  expect(internal.status).toBe(400);
  expect(internal.body.details[0].path).toBe('tokenUrl');
});

test('HTTP hygiene: auth, unknown ids and routes, methods, media types, body size', async () => {
  expect((await apiClient(stack, null).get('/v1/integrations')).status).toBe(401);
  expect((await apiClient(stack, 'not-the-key').get('/v1/integrations')).status).toBe(401);
  expect((await api.get('/v1/integrations/int_000000000000000000000000')).status).toBe(404);
  expect((await api.get('/v1/integrations/../../etc/passwd')).status).toBe(404);
  expect((await api.get('/v1/nothing-here')).body).toMatchObject({ error: 'not_found' });
  expect((await api.call('DELETE', '/v1/integrations')).status).toBe(405);
  const xml = await api.call('POST', '/v1/integrations', '<a/>', { 'content-type': 'application/xml' });
  expect(xml.status).toBe(415);
  const invalid = await api.call('POST', '/v1/integrations', '{"label":', {});
  expect(invalid.status).toBe(400);
  const huge = await api.post('/v1/integrations', clientCredentialsBody(stack, { label: 'x'.repeat(100_000) }));
  expect(huge.status).toBe(413);
  for (const r of [xml, invalid, huge]) expect(r.text).not.toMatch(/at .*\.ts:\d+/); // no stack traces
  expect((await fetch(`${stack.apiUrl}/healthz`)).status).toBe(200);
  const ready = await fetch(`${stack.apiUrl}/readyz`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
  expect(await ready.json()).toEqual({ status: 'ready', checks: { temporal: 'ok', mongodb: 'ok', secretsManager: 'ok' } });
});

test('lists and filters integrations by tenant and status', async () => {
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack, { tenantId: 'globex' }));
  expect(created.status).toBe(201);
  const globex = await api.get('/v1/integrations?tenantId=globex');
  expect(globex.body.items.map((i: { id: string }) => i.id)).toEqual([created.body.id]);
  // A revoked one beside it: the status filter must tell them apart, not just be accepted.
  const gone = await api.post('/v1/integrations', clientCredentialsBody(stack, { tenantId: 'globex' }));
  expect((await api.post(`/v1/integrations/${gone.body.id}/revoke`)).status).toBe(200);
  const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id).sort();
  const statuses = (res: { body: { items: { status: string }[] } }) => [...new Set(res.body.items.map((i) => i.status))];
  const active = await api.get('/v1/integrations?status=active');
  expect(statuses(active)).toEqual(['active']);
  expect(ids(active)).toContain(created.body.id);
  expect(ids(active)).not.toContain(gone.body.id);
  const revoked = await api.get('/v1/integrations?status=revoked');
  expect(statuses(revoked)).toEqual(['revoked']);
  expect(ids(revoked)).toContain(gone.body.id);
  expect(ids(await api.get('/v1/integrations?tenantId=globex&status=revoked'))).toEqual([gone.body.id]);
  expect(ids(await api.get('/v1/integrations?tenantId=globex'))).toEqual([created.body.id, gone.body.id].sort());
  expect((await api.get('/v1/integrations?status=sleepy')).status).toBe(400);
});
