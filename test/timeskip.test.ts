// Real one-hour tokens on Temporal's time-skipping test server: refreshed 55 minutes in; degraded at expiry when no refresh got through.
import { stateQuery } from '../workflows/messages';
import type { IntegrationWorkflowInput } from '../workflows/integration';
import { startFaultProxy, type FaultProxy } from './support/faultProxy';
import { bootStack, eventually, storeInspector, type Stack } from './support/harness';
import { createInput, startTimeSkipping, type TimeSkipping } from './support/timeSkipping';

let stack: Stack;
let skipping: TimeSkipping;
let env: TimeSkipping['env'];
let store: Awaited<ReturnType<typeof storeInspector>>;
let proxy: FaultProxy;

beforeAll(async () => {
  stack = await bootStack('timeskip', { providerTokenTtlSeconds: 3600 });
  store = await storeInspector(stack);
  proxy = await startFaultProxy(stack.provider.url);
  skipping = await startTimeSkipping(stack, 'timeskip');
  env = skipping.env;
}, 180_000);

afterAll(async () => {
  await skipping?.stop();
  await store?.close();
  await proxy?.close();
  await stack?.stop();
});

/** A client-credentials integration on the demo provider with the production lifecycle defaults (5-minute buffer). */
function oneHourIntegration(id: string, label: string, tokenUrl: string): IntegrationWorkflowInput {
  return createInput(stack, { id, label, grantType: 'client_credentials', secrets: { clientSecret: stack.demoClient.clientSecret }, tokenUrl });
}

test('a one-hour token is refreshed 55 minutes in, and the next one scheduled another 55 minutes on', async () => {
  const id = 'int_0000000000000000000000ff';
  const input = oneHourIntegration(id, 'One-hour token', stack.provider.tokenUrl);
  const handle = await env.client.workflow.start('integrationWorkflow', { args: [input], workflowId: `integration-${id}`, taskQueue: 'timeskip' });
  await eventually(async () => (await handle.query(stateQuery)).status === 'active', 'validation', 30_000);

  await env.sleep('54 minutes');
  expect((await handle.query(stateQuery)).lastRefreshAt).toBe((await store.db.collection('integration_events').findOne({ integrationId: id, seq: 2 }))!.at);

  await env.sleep('2 minutes');
  const events = await eventually(async () => {
    const list = await store.db.collection('integration_events').find({ integrationId: id }).sort({ seq: 1 }).toArray();
    return list.length >= 3 && list;
  }, 'the scheduled refresh', 30_000);
  const validatedAt = Date.parse(events[1].at);
  const refreshedAt = Date.parse(events[2].at);
  expect(events[2]).toMatchObject({ from: 'active', to: 'active', reason: 'refreshed', actor: 'system' });
  const minutes = (refreshedAt - validatedAt) / 60_000;
  expect(minutes).toBeGreaterThanOrEqual(55);
  expect(minutes).toBeLessThan(55.5);

  await env.sleep('55 minutes');
  await eventually(async () => (await store.db.collection('integration_events').countDocuments({ integrationId: id, reason: 'refreshed' })) >= 2, 'a second refresh', 30_000);
  await handle.terminate('test over');
}, 240_000);

test('a token that expires while the next attempt waits (429, Retry-After 30 min) turns the integration degraded at expiry', async () => {
  const id = 'int_0000000000000000000000fe';
  const handle = await env.client.workflow.start('integrationWorkflow', {
    args: [oneHourIntegration(id, 'Throttled', `${proxy.url}/token`)],
    workflowId: `integration-${id}`,
    taskQueue: 'timeskip',
  });
  const { expiresAt } = await eventually(async () => {
    const s = await handle.query(stateQuery);
    return s.status === 'active' && s;
  }, 'validation', 30_000);

  proxy.setMode({ kind: 'status', status: 429, retryAfterSeconds: 1800 }, { paths: ['/token'] });
  await env.sleep('56 minutes'); // the refresh at 55 minutes is throttled; the retry waits until 85
  const throttled = await eventually(async () => {
    const s = await handle.query(stateQuery);
    return s.consecutiveFailures === 1 && s;
  }, 'the throttled refresh', 30_000);
  // One failure is below the degraded threshold (4) and the token still has 4 minutes: still active.
  expect(throttled).toMatchObject({ status: 'active', lastError: { code: 'provider_http_429' } });

  await env.sleep('5 minutes'); // past the token's expiry at 60 minutes, long before the retry
  await eventually(async () => (await handle.query(stateQuery)).status === 'degraded', 'degraded at expiry', 30_000);
  const degraded = (await store.db.collection('integration_events').findOne({ integrationId: id, to: 'degraded' }))!;
  expect(degraded).toMatchObject({ from: 'active', reason: 'token expired before a refresh succeeded', actor: 'system' });
  expect(Date.parse(degraded.at)).toBeGreaterThanOrEqual(Date.parse(expiresAt!));
  // The expiry changed the status only: the provider was not asked again before its Retry-After.
  expect(proxy.requests().filter((r) => r.path === '/token' && r.answeredWith === 429)).toHaveLength(1);

  proxy.setMode({ kind: 'pass' });
  await env.sleep('30 minutes');
  await eventually(async () => (await store.db.collection('integration_events').findOne({ integrationId: id, reason: 'recovered' })) !== null, 'recovery at the retry', 30_000);
  expect((await handle.query(stateQuery)).status).toBe('active');
  await handle.terminate('test over');
}, 240_000);
