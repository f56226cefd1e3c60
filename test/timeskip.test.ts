// A real one-hour token on Temporal's time-skipping test server: the workflow sleeps 55 minutes of workflow time, then refreshes.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { stateQuery } from '../workflows/messages';
import { bootStack, eventually, storeInspector, type Stack } from './support/harness';
import { createInput, startTimeSkipping, type TimeSkipping } from './support/timeSkipping';

let stack: Stack;
let skipping: TimeSkipping;
let env: TestWorkflowEnvironment;
let store: Awaited<ReturnType<typeof storeInspector>>;

beforeAll(async () => {
  stack = await bootStack('timeskip', { providerTokenTtlSeconds: 3600 });
  store = await storeInspector(stack);
  skipping = await startTimeSkipping(stack, 'timeskip');
  env = skipping.env;
}, 180_000);

afterAll(async () => {
  await skipping?.stop();
  await store?.close();
  await stack?.stop();
});

test('a one-hour token is refreshed 55 minutes in, and the next one scheduled another 55 minutes on', async () => {
  const id = 'int_0000000000000000000000ff';
  const input = createInput(stack, { id, label: 'One-hour token', grantType: 'client_credentials', secrets: { clientSecret: stack.demoClient.clientSecret } });
  const handle = await env.client.workflow.start('integrationWorkflow', { args: [input], workflowId: `integration-${id}`, taskQueue: skipping.taskQueue });
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
