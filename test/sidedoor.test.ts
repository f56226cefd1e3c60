// Temporal is not a side door: whoever reaches the Temporal frontend (the `temporal` CLI) or the Web UI's HTTP API
// without the codec key can start, signal or update nothing; the integration keeps working and nothing leaks.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { TOOLS_BIN } from '../scripts/stack';
import { apiClient, bootStack, clientCredentialsBody, eventually, introspect, storeInspector, type Stack } from './support/harness';

const run = promisify(execFile);

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let store: Awaited<ReturnType<typeof storeInspector>>;
let id: string;
let token: string;
const outputs: string[] = []; // everything the CLI and the UI answered, checked for secrets at the end
let attacker: Server;
let attackerUrl: string;
let attackerHits = 0;

beforeAll(async () => {
  stack = await bootStack('sidedoor', { withUi: true });
  api = apiClient(stack);
  store = await storeInspector(stack);
  attacker = createServer((_req, res) => {
    attackerHits += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"attacker","token_type":"Bearer","expires_in":3600}');
  }).listen(0, '127.0.0.1');
  await once(attacker, 'listening');
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});

// Each attempt meets an integration of its own, so one attempt's effect cannot mask another's.
const ids: string[] = [];
beforeEach(async () => {
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack));
  expect(created.status).toBe(201);
  id = created.body.id;
  ids.push(id);
  token = (await api.get(`/v1/integrations/${id}/token`)).body.access_token;
});

afterAll(async () => {
  attacker?.closeAllConnections();
  attacker?.close();
  await store?.close();
  await stack?.stop();
});

/** Runs the real Temporal CLI against the stack's frontend; returns its exit code and output. */
async function temporal(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(resolve(TOOLS_BIN, 'temporal'), [...args, '--address', stack.temporalAddress, '--namespace', 'default'], { timeout: 60_000 });
    outputs.push(stdout, stderr);
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    outputs.push(e.stdout ?? '', e.stderr ?? '');
    return { code: typeof e.code === 'number' ? e.code : 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const workflowId = () => `integration-${id}`;
const events = async () => (await api.get(`/v1/integrations/${id}/events?limit=1000`)).body.items.reverse() as { reason: string; actor: string }[];

/** The integration still works: active, serving, and a refresh through the api goes through. */
async function stillWorking(): Promise<void> {
  const refreshed = await api.post(`/v1/integrations/${id}/refresh`);
  expect(refreshed.status).toBe(200);
  expect(refreshed.body.status).toBe('active');
  const served = await api.get(`/v1/integrations/${id}/token`);
  expect(served.status).toBe(200);
}

test('a plain-JSON revoke signal through the CLI is recorded but changes nothing', async () => {
  const sent = await temporal('workflow', 'signal', '--workflow-id', workflowId(), '--name', 'revoke', '--input', '{"actor":"mallory","reason":"side door"}');
  expect(sent.code).toBe(0); // the frontend accepts any signal; the workflow is what refuses it
  await stillWorking();
  expect((await introspect(stack, token)).active).toBe(true);
  expect((await events()).map((e) => e.actor)).not.toContain('mallory');
});

test.each([
  ['updateConfig', () => JSON.stringify({ actor: 'mallory', changes: { revocationUrl: `${attackerUrl}/revoke`, tokenUrl: `${attackerUrl}/token` } })],
  ['refreshNow', () => JSON.stringify({ actor: 'mallory' })],
  ['completeConsent', () => JSON.stringify({ actor: 'mallory', code: 'x', codeVerifier: 'y', redirectUri: `${attackerUrl}/cb` })],
])('a plain-JSON %s update through the CLI is rejected and changes nothing', async (name, input) => {
  const before = (await api.get(`/v1/integrations/${id}`)).body;
  const sent = await temporal('workflow', 'update', 'execute', '--workflow-id', workflowId(), '--name', name, '--input', input());
  expect(sent.code).not.toBe(0);
  expect(sent.out).toMatch(/unable to update workflow/); // the reason is an encoded failure: ciphertext to the CLI
  const after = (await api.get(`/v1/integrations/${id}`)).body;
  expect({ tokenUrl: after.tokenUrl, revocationUrl: after.revocationUrl, lastRefreshAt: after.lastRefreshAt }).toEqual({
    tokenUrl: before.tokenUrl,
    revocationUrl: before.revocationUrl,
    lastRefreshAt: before.lastRefreshAt,
  });
  expect(attackerHits).toBe(0);
});

test('a forged ciphertext signal (Steward encoding and key id, junk data) is ignored and does not wedge the workflow', async () => {
  const keyId = stack.codecKey.split(':')[0];
  const sent = await temporal(
    'workflow', 'signal', '--workflow-id', workflowId(), '--name', 'revoke',
    '--input-meta', 'encoding=binary/encrypted', '--input-meta', `encryption-key-id=${keyId}`,
    '--input-base64', '--input', randomBytes(64).toString('base64'),
  );
  expect(sent.code).toBe(0);
  await stillWorking();
});

test('a cancel request through the CLI is ignored: the integration keeps refreshing', async () => {
  expect((await temporal('workflow', 'cancel', '--workflow-id', workflowId())).code).toBe(0);
  await stillWorking();
  const described = await temporal('workflow', 'describe', '--workflow-id', workflowId(), '--output', 'json');
  expect(described.out).toMatch(/"status":\s*"WORKFLOW_EXECUTION_STATUS_RUNNING"/);
});

test('a plain-JSON start of an integration workflow fails at once: nothing registered, nothing stored, nothing sent', async () => {
  const forgedId = `int_${randomBytes(12).toString('hex')}`;
  const input = {
    kind: 'create',
    actor: 'mallory',
    secrets: { clientSecret: 'forged-secret-value' },
    policy: { refreshBufferMs: 1000, defaultLifetimeSeconds: 3600, retryBaseMs: 1000, retryMaxMs: 1000, degradedAfterAttempts: 1, degradedRetryMs: 1000, historyLimit: 1000 },
    config: { ...clientCredentialsBody(stack), id: forgedId, tokenUrl: `${attackerUrl}/token`, revocationUrl: null, tokenAuthMethod: 'client_secret_basic', owner: 'mallory', preset: null, issuer: null, authorizationUrl: null, redirectUri: null, authorizationParams: {}, tokenRequestHeaders: [] },
  };
  const started = await temporal('workflow', 'start', '--type', 'integrationWorkflow', '--task-queue', stack.taskQueue, '--workflow-id', `integration-${forgedId}`, '--input', JSON.stringify(input));
  expect(started.code).toBe(0);
  const described = await eventually(async () => {
    const d = await temporal('workflow', 'describe', '--workflow-id', `integration-${forgedId}`, '--output', 'json');
    return /"status":\s*"WORKFLOW_EXECUTION_STATUS_FAILED"/.test(d.out) && d.out;
  }, 'the forged workflow to fail');
  expect(described).toContain('unattributed_start');
  expect(await store.integrationCount({ _id: forgedId })).toBe(0);
  expect(await store.secretNames()).not.toContain(`steward/integrations/${forgedId}`);
  expect(attackerHits).toBe(0);
});

test('an argument-less unsubscribe or a plain-JSON notice to a webhook delivery workflow is ignored; deliveries go on', async () => {
  const delivered: string[] = [];
  const receiver = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    delivered.push(body);
    res.writeHead(204).end();
  }).listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  try {
    const sub = await api.post('/v1/webhooks', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` });
    expect(sub.status).toBe(201);
    const first = await api.post('/v1/integrations', clientCredentialsBody(stack));
    await eventually(async () => delivered.some((d) => d.includes(first.body.id)), 'the first notice');
    const deliveryId = `webhook-${sub.body.id}`;
    const runId = async () => /"runId":\s*"([^"]+)"/.exec((await temporal('workflow', 'describe', '--workflow-id', deliveryId, '--output', 'json')).out)?.[1];
    const runBefore = await runId();
    expect(runBefore).toBeTruthy();
    expect((await temporal('workflow', 'signal', '--workflow-id', deliveryId, '--name', 'unsubscribe')).code).toBe(0);
    const forged = { id: 'forged-1', type: 'revoked', integrationId: 'int_forged', reason: 'side door' };
    expect((await temporal('workflow', 'signal', '--workflow-id', deliveryId, '--name', 'notice', '--input', JSON.stringify(forged))).code).toBe(0);
    const second = await api.post('/v1/integrations', clientCredentialsBody(stack));
    await eventually(async () => delivered.some((d) => d.includes(second.body.id)), 'a notice after the side-door signals');
    expect(delivered.some((d) => d.includes('forged-1') || d.includes('int_forged'))).toBe(false);
    // The same run delivered it: the unsubscribe did not end it (a new notice would otherwise start a fresh run).
    expect(await runId()).toBe(runBefore);
  } finally {
    receiver.closeAllConnections();
    receiver.close();
  }
});

describe('the Temporal Web UI started with the stack', () => {
  const ui = () => stack.temporalUiUrl!;
  // The UI server skips its CSRF check when an Authorization header is present, as an attacker's script would send.
  const uiPost = async (path: string, body: unknown) => {
    const res = await fetch(`${ui()}${path}`, { method: 'POST', headers: { authorization: 'Bearer anything', 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    outputs.push(text);
    return { status: res.status, text };
  };
  const plainPayloads = (value: unknown) => ({ payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify(value)).toString('base64') }] });

  test('reports every write action switched off', async () => {
    const settings = await (await fetch(`${ui()}/api/v1/settings`)).json();
    expect(settings).toMatchObject({
      DisableWriteActions: true,
      StartWorkflowDisabled: true,
      WorkflowSignalDisabled: true,
      WorkflowUpdateDisabled: true,
      WorkflowResetDisabled: true,
      WorkflowCancelDisabled: true,
      WorkflowTerminateDisabled: true,
      BatchActionsDisabled: true,
    });
  });

  test.each([
    ['signal', () => `/api/v1/namespaces/default/workflows/${workflowId()}/signal/revoke`, () => ({ input: plainPayloads({ actor: 'mallory' }) })],
    ['update', () => `/api/v1/namespaces/default/workflows/${workflowId()}/update/updateConfig`, () => ({ request: { input: { name: 'updateConfig', args: plainPayloads({ actor: 'mallory', changes: { label: 'owned' } }) } } })],
    ['terminate', () => `/api/v1/namespaces/default/workflows/${workflowId()}/terminate`, () => ({ reason: 'side door' })],
    ['cancel', () => `/api/v1/namespaces/default/workflows/${workflowId()}/cancel`, () => ({})],
    ['reset', () => `/api/v1/namespaces/default/workflows/${workflowId()}/reset`, () => ({ reason: 'side door' })],
    ['start', () => `/api/v1/namespaces/default/workflows/integration-int_${randomBytes(12).toString('hex')}`, () => ({ workflowType: { name: 'integrationWorkflow' }, taskQueue: { name: 'steward-integrations' } })],
  ])('refuses a %s through its HTTP API', async (_what, path, body) => {
    const res = await uiPost(path(), body());
    expect(res.status).toBe(405);
  });

  test('still shows the workflow (reads are allowed), and the integration keeps working', async () => {
    const res = await fetch(`${ui()}/api/v1/namespaces/default/workflows/${workflowId()}`);
    const text = await res.text();
    outputs.push(text);
    expect(res.status).toBe(200);
    expect(text).toContain('WORKFLOW_EXECUTION_STATUS_RUNNING');
    await stillWorking();
  });
});

test('after every attempt: no secret in any CLI or UI answer, and the integration\'s history names no attacker', async () => {
  const shown = await temporal('workflow', 'show', '--workflow-id', workflowId(), '--output', 'json');
  expect(shown.code).toBe(0);
  const all = outputs.join('\n');
  for (const secret of [stack.demoClient.clientSecret, token, Buffer.from(stack.demoClient.clientSecret).toString('base64')]) expect(all.includes(secret)).toBe(false);
  for (const each of ids) {
    const items = (await api.get(`/v1/integrations/${each}/events?limit=1000`)).body.items.reverse() as { actor: string }[];
    expect({ each, actors: items.filter((e) => e.actor === 'mallory') }).toEqual({ each, actors: [] });
    expect({ each, status: (await api.get(`/v1/integrations/${each}`)).body.status }).toEqual({ each, status: 'active' });
  }
});
