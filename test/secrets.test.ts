// Secret hygiene: after a full lifecycle, no secret is in MongoDB, in Temporal history without the codec key, or in any log.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { EncryptionCodec } from '../lib/codec';
import { loadWorkerConfig } from '../lib/config';
import { webhookTaskQueue } from '../workflows/messages';
import { apiClient, bootStack, clientCredentialsBody, FAST_LIFECYCLE, eventually, storeInspector, type Stack } from './support/harness';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let store: Awaited<ReturnType<typeof storeInspector>>;
let logDir: string;

beforeAll(async () => {
  stack = await bootStack('secrets', FAST_LIFECYCLE);
  api = apiClient(stack);
  store = await storeInspector(stack);
  logDir = join(stack.worker!.logFile, '..');
});

afterAll(async () => {
  await store?.close();
  await stack?.stop();
});

/** Walks a decoded protobuf object; collects every byte blob as text, and every payload. */
function walk(node: unknown, texts: string[], payloads: Payload[]): void {
  if (node instanceof Uint8Array) {
    texts.push(Buffer.from(node).toString('latin1'));
    return;
  }
  if (!node || typeof node !== 'object') {
    if (typeof node === 'string') texts.push(node);
    return;
  }
  if ('metadata' in node && 'data' in node && (node as Payload).data instanceof Uint8Array) payloads.push(node as Payload);
  for (const value of Object.values(node)) walk(value, texts, payloads);
}

test('no client secret, access token or refresh token reaches MongoDB, plaintext history or logs', async () => {
  const secrets: string[] = [stack.demoClient.clientSecret, 'patched-secret-value-42'];
  await stack.provider.addClient({ clientId: 'hygiene', clientSecret: 'patched-secret-value-42' });

  // A lifecycle that touches every path that carries secrets: create (both grants), refresh, a failed and a good update, revoke.
  const cc = await api.post('/v1/integrations', clientCredentialsBody(stack));
  const minted = await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'read');
  secrets.push(minted.refresh_token);
  const rt = await api.post('/v1/integrations', clientCredentialsBody(stack, { grantType: 'refresh_token', refreshToken: minted.refresh_token }));
  const rejected = await api.post('/v1/integrations', clientCredentialsBody(stack, { clientSecret: 'rejected-secret-value-7' }));
  secrets.push('rejected-secret-value-7');
  expect([cc.status, rt.status, rejected.status]).toEqual([201, 201, 422]);
  for (const { body } of [cc, rt]) {
    secrets.push((await api.get(`/v1/integrations/${body.id}/token`)).body.access_token);
    const held = JSON.parse((await store.sm.send(new GetSecretValueCommand({ SecretId: `steward/integrations/${body.id}` }))).SecretString!);
    if (held.refreshToken) secrets.push(held.refreshToken);
  }
  await eventually(async () => (await api.get(`/v1/integrations/${cc.body.id}/events?limit=1000`)).body.items.some((e: { reason: string }) => e.reason === 'refreshed'), 'a refresh', 15_000);
  secrets.push((await api.get(`/v1/integrations/${cc.body.id}/token`)).body.access_token);
  expect((await api.patch(`/v1/integrations/${cc.body.id}`, { clientId: 'hygiene', clientSecret: 'wrong-in-patch-value-9' })).status).toBe(422);
  secrets.push('wrong-in-patch-value-9');
  expect((await api.patch(`/v1/integrations/${cc.body.id}`, { clientId: 'hygiene', clientSecret: 'patched-secret-value-42' })).status).toBe(200);
  expect((await api.post(`/v1/integrations/${rt.body.id}/revoke`)).status).toBe(200);

  const leaks = (where: string, text: string) => secrets.filter((s) => text.includes(s)).map((s) => `${where}: …${s.slice(-4)}`);

  // MongoDB: every document of every collection.
  expect(leaks('mongodb', await store.dumpAll())).toEqual([]);

  // Temporal: the raw history of every workflow of this stack (its task queues), read without the codec key.
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const codec = new EncryptionCodec(loadWorkerConfig(stack.env).codecKeys);
  const rawTexts: string[] = [];
  const payloads: Payload[] = [];
  try {
    const query = `TaskQueue IN ('${stack.taskQueue}', '${webhookTaskQueue(stack.taskQueue)}')`;
    const list = await connection.workflowService.listWorkflowExecutions({ namespace: 'default', pageSize: 100, query });
    expect(list.executions.length).toBeGreaterThanOrEqual(3);
    for (const execution of list.executions) {
      const history = await connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: execution.execution! });
      walk(history.history, rawTexts, payloads);
    }
  } finally {
    await connection.close();
  }
  expect(leaks('temporal history', rawTexts.join('\n'))).toEqual([]);
  const plain = payloads.filter((p) => Buffer.from(p.metadata!.encoding!).toString() !== 'binary/encrypted');
  // Search attributes stay plaintext so Temporal can index them: they hold only status, tenant and expiry. Patch
  // markers (patched() in workflow code) and the TemporalChangeVersion search attribute they set are written by the
  // SDK's core, not the codec: they hold only patch ids.
  const isPatchMarker = (p: Payload) =>
    /^\{"id":"[a-z0-9-]+","deprecated":(true|false)\}$/.test(Buffer.from(p.data!).toString()) ||
    (Buffer.from(p.metadata!.type ?? []).toString() === 'KeywordList' && /^\["[a-z0-9-]+"(,"[a-z0-9-]+")*\]$/.test(Buffer.from(p.data!).toString()));
  for (const p of plain.filter((x) => !isPatchMarker(x))) {
    expect(`${Buffer.from(p.metadata!.type ?? []).toString()}: ${Buffer.from(p.data!).toString()}`).toMatch(/^(Keyword|Datetime): /);
    expect(JSON.parse(Buffer.from(p.data!).toString())).toMatch(/^(validating|active|degraded|awaiting_consent|disconnected|revoked|acme|\d{4}-\d\d-\d\dT[\d:.]+Z)$/);
  }
  // Control: with the key, the create inputs do hold the client secrets — so the check above could have failed.
  const decoded = (await codec.decode(payloads)).map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
  expect(decoded).toContain(stack.demoClient.clientSecret);

  // Logs of every process in the stack: api and worker stopped first, so every line they were going to write is written.
  await Promise.all([stack.stopApi(), stack.stopWorker()]);
  // Shared Temporal, FerretDB and moto log elsewhere; their logs hold every suite's output, this one's included.
  const logs = [...new Set([logDir, stack.dependencyLogDir])].flatMap((dir) => readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'))).join('\n');
  expect(logs.length).toBeGreaterThan(1000);
  expect(leaks('logs', logs)).toEqual([]);
});
