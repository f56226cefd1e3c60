// Failure handling on the real stack: what the api serves while the provider is down; invalid_client disconnects; reconfiguration keeps working credentials.
import { loadApiConfig } from '../lib/config';
import { connectClient } from '../lib/temporal';
import { startFaultProxy, type FaultProxy } from './support/faultProxy';
import { FAST_LIFECYCLE, apiClient, bootStack, clientCredentialsBody, eventually, statusOf, type Stack } from './support/harness';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let proxy: FaultProxy;

beforeAll(async () => {
  stack = await bootStack('failures', FAST_LIFECYCLE);
  api = apiClient(stack);
  proxy = await startFaultProxy(stack.provider.url);
});

afterAll(async () => {
  await proxy?.close();
  await stack?.stop();
});

const eventsOf = async (id: string) => (await api.get(`/v1/integrations/${id}/events?limit=1000`)).body.items.reverse() as { to: string; from: string; reason: string }[];

// Degraded after N failures, the 429 pace and recovery are the workflow's rules: test/lifecycleTimeSkipping.test.ts counts
// them over skipped hours. Here what only the real stack shows: what the api serves while the provider is down.
test('with the provider down until the token expires, the token endpoint answers 503 rather than an expired token', async () => {
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl: `${proxy.url}/token` }));
  const id = created.body.id;
  proxy.setMode({ kind: 'reset' });
  try {
    await eventually(async () => Date.parse(created.body.expiresAt) < Date.now(), 'the token to expire', 10_000);
    const res = await api.get(`/v1/integrations/${id}/token`);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'token_unavailable', status: 'degraded' });
  } finally {
    proxy.setMode({ kind: 'pass' });
  }
  await eventually(async () => (await api.get(`/v1/integrations/${id}/token`)).status === 200, 'serving again', 20_000);
});

test('invalid_client disconnects; a wrong new secret is rejected and changes nothing; the right one reconnects', async () => {
  await stack.provider.addClient({ clientId: 'rotating', clientSecret: 'first-secret-value' });
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack, { clientId: 'rotating', clientSecret: 'first-secret-value' }));
  const id = created.body.id;
  await stack.provider.setClientSecret('rotating', 'second-secret-value');

  await api.post(`/v1/integrations/${id}/refresh`);
  const disconnected = await statusOf(api, id);
  expect(disconnected.status).toBe('disconnected');
  expect(disconnected.lastError.code).toBe('invalid_client');
  expect((await api.get(`/v1/integrations/${id}/token`)).status).toBe(409);
  // Not retried blindly (exactly one request over a skipped day): test/lifecycleTimeSkipping.test.ts.

  const wrong = await api.patch(`/v1/integrations/${id}`, { clientSecret: 'still-wrong-value' });
  expect(wrong.status).toBe(422);
  expect(wrong.text).not.toContain('still-wrong-value');
  expect((await statusOf(api, id)).status).toBe('disconnected');

  const fixed = await api.patch(`/v1/integrations/${id}`, { clientSecret: 'second-secret-value' });
  expect(fixed.status).toBe(200);
  expect(fixed.body.status).toBe('active');
  expect((await api.get(`/v1/integrations/${id}/token`)).status).toBe(200);
  expect((await eventsOf(id)).at(-1)).toMatchObject({ from: 'disconnected', to: 'active', reason: 'reconfigured' });
});

test('changing credentials re-validates and keeps the old working ones when the new ones are rejected', async () => {
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack));
  const id = created.body.id;
  const before = (await api.get(`/v1/integrations/${id}/token`)).body;

  const unknownClient = await api.patch(`/v1/integrations/${id}`, { clientId: 'nobody-registered', clientSecret: stack.demoClient.clientSecret });
  expect(unknownClient.status).toBe(422);
  const after = await statusOf(api, id);
  expect(after).toMatchObject({ status: 'active', clientId: stack.demoClient.clientId });
  expect((await api.get(`/v1/integrations/${id}/token`)).status).toBe(200);

  const relabel = await api.patch(`/v1/integrations/${id}`, { label: 'Renamed', apiBaseUrl: 'https://api2.example.com' });
  expect(relabel.status).toBe(200);
  expect(relabel.body).toMatchObject({ label: 'Renamed', apiBaseUrl: 'https://api2.example.com', status: 'active' });
  // Only non-credential fields changed: no new token was needed.
  expect((await api.get(`/v1/integrations/${id}/token`)).body.access_token).toBe(before.access_token);

  const rescoped = await api.patch(`/v1/integrations/${id}`, { scope: 'read' });
  expect(rescoped.status).toBe(200);
  expect((await api.get(`/v1/integrations/${id}/token`)).body.scope).toBe('read');

  expect((await api.patch(`/v1/integrations/${id}`, {})).status).toBe(400);
  expect((await api.patch(`/v1/integrations/${id}`, { grantType: 'refresh_token' })).status).toBe(400);
});

test('a workflow whose task keeps failing is shown degraded with the attempt count, not active', async () => {
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack));
  const id = created.body.id;
  expect((await statusOf(api, id)).workflowTaskFailing).toBeNull();
  const codecKeys = loadApiConfig(stack.env).codecKeys;
  const { client, connection } = await connectClient({ address: stack.temporalAddress, namespace: 'default', codecKeys });
  try {
    // The projection keeps saying active; the workflow's run is replaced by one whose every task fails (code that
    // cannot run its input, as a non-determinism error after a bad deploy would).
    await client.workflow.getHandle(created.body.workflowId).terminate('test: replaced by a failing run');
    const broken = await client.workflow.start('integrationWorkflow', { args: [{ kind: 'continue' }], workflowId: created.body.workflowId, taskQueue: stack.taskQueue });
    const shown = await eventually(async () => {
      const s = await statusOf(api, id);
      return s.workflowTaskFailing && s;
    }, 'the failing workflow task to be reported', 60_000);
    expect(shown.status).toBe('degraded');
    expect(shown.workflowTaskFailing.attempts).toBeGreaterThanOrEqual(3);
    const metrics = await (await fetch(`${stack.apiUrl}/metrics`)).text();
    expect(Number(/^steward_workflow_task_failing_reads_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    await broken.terminate('test over');
  } finally {
    await connection.close();
  }
}, 120_000);
