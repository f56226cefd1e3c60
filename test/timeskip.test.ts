// A real one-hour token on Temporal's time-skipping test server: the workflow sleeps 55 minutes of workflow time, then refreshes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort, ROOT, startProcess, type RunningProcess } from '../scripts/stack';
import { dataConverter } from '../lib/temporal';
import { loadApiConfig } from '../lib/config';
import { stateQuery } from '../workflows/messages';
import type { IntegrationWorkflowInput } from '../workflows/integration';
import { bootStack, eventually, storeInspector, type Stack } from './support/harness';

let stack: Stack;
let env: TestWorkflowEnvironment;
let worker: RunningProcess;
let store: Awaited<ReturnType<typeof storeInspector>>;

beforeAll(async () => {
  stack = await bootStack('timeskip', { providerTokenTtlSeconds: 3600 });
  store = await storeInspector(stack);
  const port = await freePort();
  const codecKeys = loadApiConfig(stack.env).codecKeys;
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { port, executable: { type: 'existing-path', path: join(ROOT, '.tools/bin/temporal-test-server') } },
    client: { dataConverter: dataConverter(codecKeys) },
  });
  // The dev server registers these at start; the test server needs them added.
  const { temporal } = (await import('@temporalio/proto')).default;
  const { INDEXED_VALUE_TYPE_KEYWORD: KEYWORD, INDEXED_VALUE_TYPE_DATETIME: DATETIME } = temporal.api.enums.v1.IndexedValueType;
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: { IntegrationStatus: KEYWORD, TenantId: KEYWORD, TokenExpiresAt: DATETIME },
  });
  // The real worker process, pointed at the test server instead of the dev server.
  const logFile = join(ROOT, 'test-artifacts', 'timeskip', `timeskip-worker-${Date.now()}.log`);
  worker = await startProcess({
    name: 'timeskip-worker',
    command: process.execPath,
    args: ['--import', 'tsx', join(ROOT, 'worker/main.ts')],
    env: { ...stack.env, TEMPORAL_ADDRESS: `127.0.0.1:${port}`, STEWARD_TASK_QUEUE: 'timeskip' },
    logFile,
    // The test server lacks DescribeTaskQueue, so readiness comes from the worker's own (info-level) log line.
    ready: async () => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('"worker started"'),
  });
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
  await store?.close();
  await stack?.stop();
});

test('a one-hour token is refreshed 55 minutes in, and the next one scheduled another 55 minutes on', async () => {
  const id = 'int_0000000000000000000000ff';
  const input: IntegrationWorkflowInput = {
    kind: 'create',
    actor: 'test',
    secrets: { clientSecret: stack.demoClient.clientSecret },
    policy: loadApiConfig(stack.env).lifecycle, // production defaults
    config: {
      id,
      label: 'One-hour token',
      grantType: 'client_credentials',
      tokenUrl: stack.provider.tokenUrl,
      clientId: stack.demoClient.clientId,
      scope: 'read',
      apiBaseUrl: 'https://api.example.com',
      tenantId: null,
      revocationUrl: null,
      tokenAuthMethod: 'client_secret_basic',
      authorizationUrl: null,
      redirectUri: null,
      owner: 'test',
      preset: null,
      issuer: null,
      authorizationParams: {},
      tokenRequestHeaders: [],
    },
  };
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
