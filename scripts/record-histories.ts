// Records workflow histories for the replay test: boots a real stack, drives each scenario, writes test/histories/<name>.json.
// Usage: npm run record-histories [-- --only name,name] [--out dir]. An existing fixture is never overwritten: fixtures
// recorded before a workflow change are what proves the change replays; a new path gets a new scenario name.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '../test/support/historyJson';
import proto from '@temporalio/proto';
import { connectClient } from '../lib/temporal';
import { BOUND_FIELDS_REVALIDATE, DEGRADE_AT_TOKEN_EXPIRY, LOOP_DECIDES_FROM_HISTORY, UNSUBSCRIBE_NEEDS_PRINCIPAL } from '../workflows/patches';
import { ROOT } from './stack';
import { startStack, type Stack } from './steward';
import { startFaultProxy, type FaultProxy } from '../test/support/faultProxy';
import { FIXTURE_CODEC_KEY, FIXTURE_DEMO_CLIENT_SECRET, fixtureCodecKeys } from '../test/support/fixtureCodec';
import { FAST_LIFECYCLE, apiClient, clientCredentialsBody, eventually, storeInspector } from '../test/support/harness';
import { driveBrowserFlow } from '../test/support/oauthBrowser';

const { temporal } = proto; // CommonJS package: named exports are not visible to ESM
const EventType = temporal.api.enums.v1.EventType;
const MAX_FIXTURE_BYTES = 1024 * 1024;
const WAIT_MS = 60_000;

/** One history to write: the workflow (and run, for a run that continued as new); `role` names a scenario's extra file. */
interface Recording {
  role?: string;
  workflowId: string;
  runId?: string;
}

interface Context {
  stack: Stack;
  api: ReturnType<typeof apiClient>;
  client: Client;
  store: Awaited<ReturnType<typeof storeInspector>>;
  redirectUri: string;
  proxy(): Promise<FaultProxy>;
}

interface Scenario {
  name: string;
  /** Fixture names of the scenario's extra histories by role (e.g. the continued run); its main one is `name`. */
  also?: Record<string, string>;
  /** Runs alone: webhook notices fan out to every subscription, so nothing else may publish meanwhile. */
  alone?: boolean;
  run(ctx: Context): Promise<Recording[]>;
}

type Api = Context['api'];
const eventsOf = async (api: Api, id: string) => (await api.get(`/v1/integrations/${id}/events?limit=1000`)).body.items.reverse() as { from: string | null; to: string; reason: string; actor: string }[];
const statusIs = (api: Api, id: string, status: string) =>
  eventually(async () => (await api.get(`/v1/integrations/${id}`)).body?.status === status, `${id} to be ${status}`, WAIT_MS);

function expectStatus(res: { status: number; text: string }, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
}

async function create(api: Api, body: Record<string, unknown>): Promise<{ id: string; workflowId: string }> {
  const res = await api.post('/v1/integrations', body);
  expectStatus(res, 201, 'create');
  return { id: res.body.id, workflowId: res.body.workflowId };
}

/** How many events of `type` the workflow's history holds now: the recorder waits on what history records. */
async function countEvents(client: Client, workflowId: string, type: number): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((e) => e.eventType === type).length;
}

const waitEvents = (client: Client, workflowId: string, type: number, atLeast: number, what: string) =>
  eventually(async () => (await countEvents(client, workflowId, type)) >= atLeast, what, WAIT_MS);

function authCodeBody(ctx: Context, label: string) {
  const { stack } = ctx;
  return {
    label,
    grantType: 'authorization_code',
    authorizationUrl: stack.provider.authorizationUrl,
    tokenUrl: stack.provider.tokenUrl,
    revocationUrl: stack.provider.revocationUrl,
    redirectUri: ctx.redirectUri,
    clientId: stack.demoClient.clientId,
    clientSecret: stack.demoClient.clientSecret,
    scope: 'openid offline_access read',
    apiBaseUrl: 'https://api.example.com',
    tenantId: 'acme',
  };
}

/** Logs in and consents at the demo provider, then hands the redirect to Steward's callback. */
async function consent(ctx: Context, authorizationUrl: string): Promise<void> {
  const callback = await driveBrowserFlow(authorizationUrl, ctx.redirectUri, 'alice');
  const landing = await fetch(callback);
  if (landing.status !== 200) throw new Error(`consent callback answered ${landing.status}`);
}

async function consentLink(ctx: Context, id: string): Promise<string> {
  const res = await ctx.api.call('GET', `/v1/integrations/${id}/authorize`, undefined, { accept: 'application/json' });
  expectStatus(res, 200, 'consent link');
  return res.body.authorizationUrl;
}

const UPDATE_ACCEPTED = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED;

const scenarios: Scenario[] = [
  {
    name: 'create-rejected',
    alone: true,
    async run({ api, stack, client }) {
      const res = await api.post('/v1/integrations', clientCredentialsBody(stack, { label: 'Rejected', clientSecret: 'wrong-fixture-secret' }));
      expectStatus(res, 422, 'create with a wrong secret');
      // The api answers no id for a refused create; at this point it is the only completed integration workflow.
      const found = await eventually(async () => {
        for await (const wf of client.workflow.list({ query: `WorkflowType = 'integrationWorkflow' AND ExecutionStatus = 'Completed'` })) return wf;
        return null;
      }, 'the refused workflow in visibility', WAIT_MS);
      return [{ workflowId: found.workflowId, runId: found.runId }];
    },
  },
  {
    name: 'create-client-credentials',
    async run({ api, stack }) {
      const { workflowId } = await create(api, clientCredentialsBody(stack));
      return [{ workflowId }];
    },
  },
  {
    name: 'create-refresh-token',
    async run({ api, stack }) {
      const minted = await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'openid read');
      const { workflowId } = await create(api, clientCredentialsBody(stack, { grantType: 'refresh_token', refreshToken: minted.refresh_token, scope: undefined }));
      return [{ workflowId }];
    },
  },
  {
    name: 'create-authorization-code-consent',
    async run(ctx) {
      const res = await ctx.api.post('/v1/integrations', authCodeBody(ctx, 'Consent'));
      expectStatus(res, 201, 'create (authorization code)');
      if (res.body.status !== 'awaiting_consent') throw new Error(`expected awaiting_consent, got ${res.body.status}`);
      await consent(ctx, res.body.consent.authorizationUrl);
      await statusIs(ctx.api, res.body.id, 'active');
      return [{ workflowId: res.body.workflowId }];
    },
  },
  {
    name: 'scheduled-refresh',
    async run({ api, stack }) {
      const { id, workflowId } = await create(api, clientCredentialsBody(stack));
      await eventually(async () => (await eventsOf(api, id)).some((e) => e.reason === 'refreshed' && e.actor === 'system'), 'a scheduled refresh', WAIT_MS);
      return [{ workflowId }];
    },
  },
  {
    name: 'rotation',
    async run({ api, stack }) {
      const minted = await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'openid read');
      const { id, workflowId } = await create(api, clientCredentialsBody(stack, { grantType: 'refresh_token', refreshToken: minted.refresh_token, scope: undefined }));
      await eventually(async () => (await eventsOf(api, id)).filter((e) => e.reason === 'refreshed').length >= 2, 'two rotating refreshes', WAIT_MS);
      return [{ workflowId }];
    },
  },
  {
    name: 'degraded-recovered',
    async run(ctx) {
      const { api, stack } = ctx;
      const proxy = await ctx.proxy();
      const { id, workflowId } = await create(api, clientCredentialsBody(stack, { tokenUrl: `${proxy.url}/token` }));
      proxy.setMode({ kind: 'status', status: 500, body: '{"error":"server_error"}', contentType: 'application/json' });
      await api.post(`/v1/integrations/${id}/refresh`);
      await statusIs(api, id, 'degraded');
      proxy.setMode({ kind: 'pass' });
      await eventually(async () => (await eventsOf(api, id)).some((e) => e.reason === 'recovered'), 'recovered', WAIT_MS);
      return [{ workflowId }];
    },
  },
  {
    name: 'invalid-grant-reconsent',
    async run(ctx) {
      const { api, stack, store } = ctx;
      const res = await api.post('/v1/integrations', authCodeBody(ctx, 'Re-consent'));
      expectStatus(res, 201, 'create (authorization code)');
      const { id, workflowId } = res.body;
      await consent(ctx, res.body.consent.authorizationUrl);
      await statusIs(api, id, 'active');
      // The user removes the app at the provider: its refresh token is revoked, the next refresh gets invalid_grant.
      const held = JSON.parse((await store.sm.send(new GetSecretValueCommand({ SecretId: `steward/integrations/${id}` }))).SecretString!);
      const auth = `Basic ${Buffer.from(`${stack.demoClient.clientId}:${stack.demoClient.clientSecret}`).toString('base64')}`;
      await fetch(stack.provider.revocationUrl, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: held.refreshToken }),
      });
      await api.post(`/v1/integrations/${id}/refresh`);
      await statusIs(api, id, 'awaiting_consent');
      await consent(ctx, await consentLink(ctx, id));
      await statusIs(api, id, 'active');
      return [{ workflowId }];
    },
  },
  {
    name: 'invalid-client-new-credentials',
    async run({ api, stack }) {
      const clientId = `rotating-${randomBytes(3).toString('hex')}`;
      await stack.provider.addClient({ clientId, clientSecret: 'fixture-first-secret' });
      const { id, workflowId } = await create(api, clientCredentialsBody(stack, { clientId, clientSecret: 'fixture-first-secret' }));
      await stack.provider.setClientSecret(clientId, 'fixture-second-secret');
      await api.post(`/v1/integrations/${id}/refresh`);
      await statusIs(api, id, 'disconnected');
      expectStatus(await api.patch(`/v1/integrations/${id}`, { clientSecret: 'fixture-still-wrong' }), 422, 'PATCH with a wrong secret');
      expectStatus(await api.patch(`/v1/integrations/${id}`, { clientSecret: 'fixture-second-secret' }), 200, 'PATCH with the new secret');
      await statusIs(api, id, 'active');
      return [{ workflowId }];
    },
  },
  {
    name: 'config-change',
    async run({ api, stack }) {
      const { id, workflowId } = await create(api, clientCredentialsBody(stack));
      expectStatus(await api.patch(`/v1/integrations/${id}`, { label: 'Renamed', apiBaseUrl: 'https://api2.example.com' }), 200, 'PATCH label');
      expectStatus(await api.patch(`/v1/integrations/${id}`, { scope: 'read' }), 200, 'PATCH scope');
      // Since issue 9 a client id change needs the secret again (a 400 without it, before the workflow sees it).
      expectStatus(await api.patch(`/v1/integrations/${id}`, { clientId: 'nobody-registered', clientSecret: stack.demoClient.clientSecret }), 422, 'PATCH unknown client');
      return [{ workflowId }];
    },
  },
  {
    name: 'refresh-coalesced',
    async run(ctx) {
      const { api, stack, client } = ctx;
      const proxy = await ctx.proxy();
      const { id, workflowId } = await create(api, clientCredentialsBody(stack, { tokenUrl: `${proxy.url}/token` }));
      const accepted = await countEvents(client, workflowId, UPDATE_ACCEPTED);
      // The provider holds the first refresh; three more requests arrive meanwhile and share one later attempt.
      proxy.setMode({ kind: 'hang' }, { paths: ['/token'] });
      const calls = [api.post(`/v1/integrations/${id}/refresh`)];
      await eventually(async () => proxy.requests().some((r) => r.answeredWith === 'hang'), 'the first refresh held at the provider', WAIT_MS);
      for (let i = 0; i < 3; i++) calls.push(api.post(`/v1/integrations/${id}/refresh`));
      await waitEvents(client, workflowId, UPDATE_ACCEPTED, accepted + 4, 'four refresh requests accepted');
      proxy.setMode({ kind: 'pass' });
      for (const res of await Promise.all(calls)) expectStatus(res, 200, 'refresh');
      return [{ workflowId }];
    },
  },
  {
    name: 'revoke',
    async run({ api, stack, client }) {
      const { id, workflowId } = await create(api, clientCredentialsBody(stack));
      expectStatus(await api.post(`/v1/integrations/${id}/revoke`), 200, 'revoke');
      await client.workflow.getHandle(workflowId).result();
      return [{ workflowId }];
    },
  },
  {
    name: 'revoke-with-requests-waiting',
    async run(ctx) {
      const { api, stack, client } = ctx;
      const proxy = await ctx.proxy();
      const { id, workflowId } = await create(api, clientCredentialsBody(stack, { tokenUrl: `${proxy.url}/token` }));
      const accepted = await countEvents(client, workflowId, UPDATE_ACCEPTED);
      proxy.setMode({ kind: 'hang' }, { paths: ['/token'] });
      const calls = [api.post(`/v1/integrations/${id}/refresh`)];
      await eventually(async () => proxy.requests().some((r) => r.answeredWith === 'hang'), 'a refresh held at the provider', WAIT_MS);
      // A credential change and another refresh queue behind the held one; then the revocation arrives.
      calls.push(api.patch(`/v1/integrations/${id}`, { scope: 'read' }), api.post(`/v1/integrations/${id}/refresh`));
      await waitEvents(client, workflowId, UPDATE_ACCEPTED, accepted + 3, 'three requests accepted');
      calls.push(api.post(`/v1/integrations/${id}/revoke`));
      await waitEvents(client, workflowId, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, 1, 'the revocation signal');
      proxy.setMode({ kind: 'pass' });
      await Promise.all(calls);
      await client.workflow.getHandle(workflowId).result();
      return [{ workflowId }];
    },
  },
  {
    name: 'continue-as-new',
    also: { continued: 'continued-run' },
    async run({ stack, client }) {
      // A second api with a short history limit: its integrations hand over to a new run after their first refresh.
      const replica = await stack.startApiReplica('api-short-history', { STEWARD_HISTORY_LIMIT: '40' });
      try {
        const api = apiClient({ ...stack, apiUrl: replica.url });
        const { id, workflowId } = await create(api, clientCredentialsBody(stack));
        const handle = client.workflow.getHandle(workflowId);
        const { firstRunId, runId } = await eventually(async () => {
          const d = await handle.describe();
          const first = d.raw.workflowExecutionInfo?.firstRunId;
          return d.runId !== first && d.status.name === 'RUNNING' && { firstRunId: first!, runId: d.runId };
        }, 'a continued-as-new run', WAIT_MS);
        const refreshes = async () => (await eventsOf(api, id)).filter((e) => e.reason === 'refreshed').length;
        const handedOverAfter = await refreshes();
        await eventually(async () => (await refreshes()) > handedOverAfter, 'a refresh by the continued run', WAIT_MS);
        return [
          { workflowId, runId: firstRunId },
          { role: 'continued', workflowId, runId },
        ];
      } finally {
        await replica.process.stop();
      }
    },
  },
  {
    // Issue 16 §3: a 429 with a long Retry-After leaves the next attempt after expiry; the token's own timer degrades it.
    name: `${DEGRADE_AT_TOKEN_EXPIRY}--retry-waits-past-expiry`,
    async run(ctx) {
      const { api, stack } = ctx;
      const proxy = await ctx.proxy();
      const { id, workflowId } = await create(api, clientCredentialsBody(stack, { tokenUrl: `${proxy.url}/token` }));
      proxy.setMode({ kind: 'status', status: 429, retryAfterSeconds: 60 });
      await api.post(`/v1/integrations/${id}/refresh`);
      await eventually(async () => (await eventsOf(api, id)).some((e) => e.to === 'degraded' && e.reason === 'token expired before a refresh succeeded'), 'degraded at expiry', WAIT_MS);
      proxy.setMode({ kind: 'pass' });
      expectStatus(await api.post(`/v1/integrations/${id}/refresh`), 200, 'refresh');
      await statusIs(api, id, 'active');
      return [{ workflowId }];
    },
  },
  {
    // Issue 16: a freshly started worker finds the refresh timer fired and refresh requests waiting in the same task.
    name: 'timer-fired-with-requests-after-restart',
    alone: true,
    async run({ api, stack, client }) {
      const { id, workflowId } = await create(api, clientCredentialsBody(stack));
      await waitEvents(client, workflowId, EventType.EVENT_TYPE_TIMER_STARTED, 1, 'the refresh timer');
      await stack.stopWorker();
      let calls: Promise<unknown>[] = [];
      try {
        await waitEvents(client, workflowId, EventType.EVENT_TYPE_TIMER_FIRED, 1, 'the refresh timer to fire with no worker');
        // An operator's refresh and a token read inside the buffer (refresh unless valid until…) arrive meanwhile.
        calls = [api.post(`/v1/integrations/${id}/refresh`), api.get(`/v1/integrations/${id}/token`)];
        await new Promise((r) => setTimeout(r, 1000)); // let both reach Temporal: a pending update leaves no trace to wait on
      } finally {
        await stack.startWorker();
      }
      await Promise.all(calls);
      await eventually(async () => (await eventsOf(api, id)).some((e) => e.reason === 'refreshed'), 'the refresh', WAIT_MS);
      return [{ workflowId }];
    },
  },
  {
    name: 'webhook-delivery',
    alone: true,
    async run({ api, stack, client }) {
      // A receiver that refuses its first delivery (so the workflow retries after a backoff) and accepts the rest.
      const received: string[] = [];
      let refusedOnce = false;
      const receiver = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          if (!refusedOnce) {
            refusedOnce = true;
            res.writeHead(500).end();
            return;
          }
          received.push((JSON.parse(body) as { type: string }).type);
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      try {
        const sub = await api.post('/v1/webhooks', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, description: 'fixture receiver' });
        expectStatus(sub, 201, 'webhook subscription');
        const { id } = await create(api, clientCredentialsBody(stack));
        expectStatus(await api.post(`/v1/integrations/${id}/revoke`), 200, 'revoke');
        await eventually(async () => received.includes('activated') && received.includes('revoked'), 'activated and revoked delivered', WAIT_MS);
        const workflowId = `webhook-${sub.body.id}`;
        expectStatus(await api.call('DELETE', `/v1/webhooks/${sub.body.id}`), 204, 'unsubscribe');
        await client.workflow.getHandle(workflowId).result();
        return [{ workflowId }];
      } finally {
        receiver.close();
        receiver.closeAllConnections();
      }
    },
  },
];

// Issue 9: the patched branches of the secret binding and of attributed unsubscribes.
scenarios.push(
  {
    name: `${BOUND_FIELDS_REVALIDATE}--config-change`,
    async run({ api, stack }) {
      const { id, workflowId } = await create(api, clientCredentialsBody(stack));
      expectStatus(await api.patch(`/v1/integrations/${id}`, { label: 'Renamed' }), 200, 'PATCH label');
      const revocationUrl = `${stack.provider.revocationUrl}?v=2`;
      expectStatus(await api.patch(`/v1/integrations/${id}`, { revocationUrl, clientSecret: stack.demoClient.clientSecret }), 200, 'PATCH revocationUrl with the secret');
      expectStatus(await api.patch(`/v1/integrations/${id}`, { revocationUrl: null }), 200, 'PATCH revocationUrl removed');
      expectStatus(await api.patch(`/v1/integrations/${id}`, { clientId: 'nobody-registered', clientSecret: stack.demoClient.clientSecret }), 422, 'PATCH unknown client');
      return [{ workflowId }];
    },
  },
  {
    name: `${UNSUBSCRIBE_NEEDS_PRINCIPAL}--webhook-delivery`,
    alone: true,
    async run({ api, stack, client }) {
      const received: string[] = [];
      const receiver = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          received.push((JSON.parse(body) as { type: string }).type);
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      try {
        const sub = await api.post('/v1/webhooks', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, description: 'fixture receiver' });
        expectStatus(sub, 201, 'webhook subscription');
        await create(api, clientCredentialsBody(stack));
        await eventually(async () => received.includes('activated'), 'activated delivered', WAIT_MS);
        const workflowId = `webhook-${sub.body.id}`;
        // An unsubscribe naming no principal (as the CLI sends it) is recorded and ignored; the api's one ends the run.
        await client.workflow.getHandle(workflowId).signal('unsubscribe');
        await waitEvents(client, workflowId, EventType.EVENT_TYPE_MARKER_RECORDED, 1, 'the patch marker');
        expectStatus(await api.call('DELETE', `/v1/webhooks/${sub.body.id}`), 204, 'unsubscribe');
        await client.workflow.getHandle(workflowId).result();
        return [{ workflowId }];
      } finally {
        receiver.close();
        receiver.closeAllConnections();
      }
    },
  },
);

/**
 * The same drivers recorded again once a patch exists, under new names (`<patch id>--<scenario>`): the old fixtures prove
 * the pre-patch branch still replays, these the patched one.
 */
function variant(patchId: string, base: string): Scenario {
  const scenario = scenarios.find((s) => s.name === base);
  if (!scenario) throw new Error(`no scenario ${base}`);
  const also = scenario.also && Object.fromEntries(Object.entries(scenario.also).map(([role, name]) => [role, `${patchId}--${name}`]));
  return { ...scenario, name: `${patchId}--${base}`, also };
}

scenarios.push(
  ...[
    'scheduled-refresh',
    'degraded-recovered',
    'refresh-coalesced',
    'continue-as-new',
    'timer-fired-with-requests-after-restart',
    'invalid-grant-reconsent',
    'invalid-client-new-credentials',
    'config-change',
    'revoke-with-requests-waiting',
  ].map((base) => variant(LOOP_DECIDES_FROM_HISTORY, base)),
);

/** Stops a still-running workflow (its history then ends cleanly), fetches the history and writes it once. */
async function save(client: Client, outDir: string, name: string, rec: Recording): Promise<number> {
  const handle = client.workflow.getHandle(rec.workflowId, rec.runId);
  if ((await handle.describe()).status.name === 'RUNNING') {
    // Terminate between tasks (no workflow task or activity in flight), so the history ends on completed work.
    await eventually(async () => {
      const { raw } = await handle.describe();
      return !raw.pendingWorkflowTask && (raw.pendingActivities ?? []).length === 0;
    }, `${name} to be idle`, WAIT_MS, 50);
    await handle.terminate('history recorded');
  }
  const json = historyToJSON(await handle.fetchHistory());
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_FIXTURE_BYTES) throw new Error(`${name}: history is ${bytes} bytes, over the 1 MiB fixture limit; shorten the scenario`);
  writeFileSync(join(outDir, `${name}.json`), `${json}\n`, { flag: 'wx' }); // wx: never overwrite a fixture
  return bytes;
}

async function inPool<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: size }, async () => {
    for (let item = queue.shift(); item; item = queue.shift()) await run(item);
  }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, out: { type: 'string' }, parallel: { type: 'string' } } });
  const outDir = values.out ?? join(ROOT, 'test', 'histories');
  mkdirSync(outDir, { recursive: true });
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only?.filter((name) => !scenarios.some((s) => s.name === name)) ?? [];
  if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);
  const exists = (s: Scenario) => [s.name, ...Object.values(s.also ?? {})].filter((name) => existsSync(join(outDir, `${name}.json`)));
  const chosen = scenarios.filter((s) => !only || only.includes(s.name));
  const refused = chosen.filter((s) => exists(s).length > 0);
  if (only && refused.length) {
    throw new Error(`refusing to re-record existing fixture(s) ${refused.flatMap(exists).join(', ')}: record a new scenario under a new name instead`);
  }
  for (const s of refused) console.log(`skip ${s.name}: fixture exists (fixtures are never re-recorded)`);
  const todo = chosen.filter((s) => !refused.includes(s));
  if (todo.length === 0) return;

  // The fixed test-only codec key and demo secret: the replay test decrypts with the same key.
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-record-'));
  writeFileSync(join(dataDir, 'codec-key'), `${FIXTURE_CODEC_KEY}\n`, { mode: 0o600 });
  writeFileSync(join(dataDir, 'demo-client-secret'), `${FIXTURE_DEMO_CLIENT_SECRET}\n`, { mode: 0o600 });
  const stack = await startStack({
    dataDir,
    logDir: join(ROOT, 'test-artifacts', 'record-histories', `logs-${Date.now()}`),
    providerTestControls: true,
    providerTokenTtlSeconds: FAST_LIFECYCLE.providerTokenTtlSeconds,
    env: { ...FAST_LIFECYCLE.env, STEWARD_PROVIDER_TIMEOUT_MS: '15000', STEWARD_WEBHOOK_RETRY_BASE_SECONDS: '0.5' },
  });
  const proxies: FaultProxy[] = [];
  const { client, connection } = await connectClient({ address: stack.temporalAddress, namespace: 'default', codecKeys: fixtureCodecKeys() });
  const store = await storeInspector(stack);
  try {
    const api = apiClient(stack);
    const ctx: Context = {
      stack,
      api,
      client,
      store,
      redirectUri: (await api.get('/v1/meta')).body.redirectUri,
      proxy: async () => {
        const proxy = await startFaultProxy(stack.provider.url);
        proxies.push(proxy);
        return proxy;
      },
    };
    const failures: string[] = [];
    const record = async (s: Scenario) => {
      const started = Date.now();
      try {
        for (const rec of await s.run(ctx)) {
          const name = rec.role ? s.also?.[rec.role] : s.name;
          if (!name) throw new Error(`scenario ${s.name} recorded an undeclared role ${rec.role}`);
          const bytes = await save(client, outDir, name, rec);
          console.log(`recorded ${name}.json (${(bytes / 1024).toFixed(1)} KiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        }
      } catch (err) {
        failures.push(`${s.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    // Alone-scenarios first and last, the rest side by side.
    const [first, ...rest] = todo.filter((s) => s.alone);
    if (first) await record(first);
    await inPool(todo.filter((s) => !s.alone), Number(values.parallel ?? 4), record);
    for (const s of rest) await record(s);
    if (failures.length) throw new Error(`scenarios failed (nothing written for them):\n  ${failures.join('\n  ')}`);
  } finally {
    await Promise.all(proxies.map((p) => p.close()));
    await store.close();
    await connection.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
