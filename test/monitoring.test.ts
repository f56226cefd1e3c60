// Monitoring: metrics move with refreshes, signed webhooks arrive in order (also after the receiver was down), a flood of rejection reports refreshes once.
import http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../scripts/stack';
import { signatureHeader, verifySignature } from '../lib/webhooks';
import { noticesFor } from '../workflows/notices';
import type { IntegrationConfig, IntegrationState, LifecyclePolicy, Status } from '../workflows/model';
import { startFaultProxy, type FaultProxy } from './support/faultProxy';
import { FAST_LIFECYCLE, apiClient, bootStack, clientCredentialsBody, eventually, statusOf, storeInspector, type Stack } from './support/harness';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let workerPort: number;
const REJECTED_WINDOW_MS = 3000;
const proxies: FaultProxy[] = [];

beforeAll(async () => {
  workerPort = await freePort();
  stack = await bootStack('monitoring', {
    // 20 s tokens and a 15 s buffer: refreshed at half-life (10 s), "near expiry" once 5 s old.
    providerTokenTtlSeconds: 20,
    env: {
      ...FAST_LIFECYCLE.env,
      STEWARD_REFRESH_BUFFER_SECONDS: '15',
      STEWARD_WORKER_HTTP_PORT: String(workerPort),
      STEWARD_WEBHOOK_RETRY_BASE_SECONDS: '0.2',
      STEWARD_WEBHOOK_RETRY_MAX_SECONDS: '1',
      STEWARD_TOKEN_REJECTED_WINDOW_SECONDS: String(REJECTED_WINDOW_MS / 1000),
    },
  });
  api = apiClient(stack);
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await stack?.stop();
});

async function proxy(): Promise<FaultProxy> {
  const p = await startFaultProxy(stack.provider.url);
  proxies.push(p);
  return p;
}

/** Sum of the samples of `name` whose labels include `labels` (0 when there is none yet). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) total += Number(m[3]);
  }
  return total;
}

const scrape = async (url: string) => {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
};
const workerMetrics = () => scrape(`http://127.0.0.1:${workerPort}/metrics`);
const apiMetrics = () => scrape(`${stack.apiUrl}/metrics`);

const SERVER_ERROR = { kind: 'status', status: 500, body: '{"error":"server_error"}', contentType: 'application/json' } as const;

test('metrics: refresh attempts, successes, failures by class, lag, token endpoint, provider and vault latency, fleet gauges', async () => {
  const p = await proxy();
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl: `${p.url}/token` }));
  expect(created.status).toBe(201);
  const id = created.body.id;
  const before = await workerMetrics();

  expect((await api.post(`/v1/integrations/${id}/refresh`)).status).toBe(200);
  let after = await workerMetrics();
  expect(sample(after, 'steward_refresh_attempts_total')).toBe(sample(before, 'steward_refresh_attempts_total') + 1);
  expect(sample(after, 'steward_refresh_successes_total')).toBe(sample(before, 'steward_refresh_successes_total') + 1);

  p.setMode(SERVER_ERROR);
  await api.post(`/v1/integrations/${id}/refresh`);
  after = await workerMetrics();
  expect(sample(after, 'steward_refresh_failures_total', { error_class: 'transient', code: 'server_error' })).toBeGreaterThan(
    sample(before, 'steward_refresh_failures_total', { error_class: 'transient', code: 'server_error' }),
  );
  expect(sample(after, 'steward_provider_request_duration_seconds_count', { outcome: '5xx' })).toBeGreaterThan(0);
  p.setMode({ kind: 'pass' });
  await eventually(async () => (await statusOf(api, id)).status === 'active' && (await statusOf(api, id)).consecutiveFailures === 0, 'recovery', 20_000);

  // A refresh that was due (the timer's, at half-life) is measured against its plan.
  const lagBefore = sample(await workerMetrics(), 'steward_refresh_lag_seconds_count');
  const lagged = await eventually(async () => {
    const text = await workerMetrics();
    return sample(text, 'steward_refresh_lag_seconds_count') > lagBefore && text;
  }, 'a timer refresh to be measured', 25_000);
  expect(sample(lagged, 'steward_refresh_lag_seconds_sum') - sample(before, 'steward_refresh_lag_seconds_sum')).toBeLessThan(30);
  expect(sample(lagged, 'steward_provider_request_duration_seconds_count', { outcome: '2xx' })).toBeGreaterThan(0);
  expect(sample(lagged, 'steward_vault_request_duration_seconds_count', { operation: 'GetSecretValue', outcome: 'ok' })).toBeGreaterThan(0);
  // Refreshes of unchanged durable material stay in the token store (write budget); creation wrote the secret.
  expect(sample(lagged, 'steward_vault_request_duration_seconds_count', { operation: 'CreateSecret', outcome: 'ok' })).toBeGreaterThan(0);

  const apiBefore = await apiMetrics();
  expect((await api.get(`/v1/integrations/${id}/token`)).status).toBe(200);
  expect((await apiClient(stack, 'not-a-valid-key').get(`/v1/integrations/${id}/token`)).status).toBe(401);
  const apiAfter = await apiMetrics();
  for (const outcome of ['served', 'unauthorized']) {
    expect(sample(apiAfter, 'steward_token_requests_total', { outcome })).toBe(sample(apiBefore, 'steward_token_requests_total', { outcome }) + 1);
    expect(sample(apiAfter, 'steward_token_request_duration_seconds_count', { outcome })).toBe(
      sample(apiBefore, 'steward_token_request_duration_seconds_count', { outcome }) + 1,
    );
  }
  expect(sample(apiAfter, 'steward_integrations', { status: 'active' })).toBeGreaterThanOrEqual(1);
  const soonest = sample(apiAfter, 'steward_token_soonest_expiry_seconds');
  expect(soonest).toBeGreaterThan(0);
  expect(soonest).toBeLessThanOrEqual(20);
  // The api reads refreshed tokens from the token store (lib/credentials.ts), so its Secrets Manager latency may be
  // empty here; the worker's is asserted above.
  // Tenant-free and identifier-free: nothing in either exposition names a tenant, an integration or a secret.
  for (const text of [apiAfter, lagged]) {
    expect(text).not.toContain('acme');
    expect(text).not.toContain(id);
    expect(text).not.toContain(stack.demoClient.clientSecret);
  }
});

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function startReceiver(port: number, sink: Received[]): Promise<{ close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      sink.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

test('webhooks: signed notices arrive in order — degraded, token_expiring, recovered — even after the receiver was down', async () => {
  const port = await freePort();
  const received: Received[] = [];
  let receiver = await startReceiver(port, received);

  const sub = await api.post('/v1/webhooks', { url: `http://127.0.0.1:${port}/hook`, description: 'ops pager' });
  expect(sub.status).toBe(201);
  const secret: string = sub.body.signingSecret;
  expect(secret).toMatch(/^whsec_/);
  const listed = await api.get('/v1/webhooks');
  expect(listed.body.items.map((s: { id: string }) => s.id)).toContain(sub.body.id);
  expect(listed.text).not.toContain(secret); // shown once
  expect((await api.post('/v1/webhooks', { url: 'http://10.0.0.1/hook' })).status).toBe(400);
  expect((await api.post('/v1/webhooks', { url: 'ftp://example.com/hook' })).status).toBe(400);

  const p = await proxy();
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl: `${p.url}/token` }));
  const id: string = created.body.id;
  const token = (await api.get(`/v1/integrations/${id}/token`)).body.access_token as string;
  const mine = () => received.filter((r) => JSON.parse(r.body).integrationId === id);
  await eventually(async () => mine().length === 1, 'the activated notice', 15_000);

  // The receiver goes away; the provider fails long enough to degrade and to come within the refresh buffer.
  await receiver.close();
  p.setMode(SERVER_ERROR);
  await api.post(`/v1/integrations/${id}/refresh`);
  await eventually(async () => (await statusOf(api, id)).status === 'degraded', 'degraded', 15_000);
  // The summary comes from the api's token mirror: the worker's write reaches it within the mirror's bound (README).
  const summary = await eventually(async () => {
    const res = await api.get('/v1/summary');
    return res.status === 200 && res.body.byStatus.degraded >= 1 && res;
  }, 'the degraded count in the summary', 5_000);
  expect(summary.body.byTenant.find((t: { tenantId: string }) => t.tenantId === 'acme').byStatus.degraded).toBeGreaterThanOrEqual(1);
  expect(summary.body.oldestUnresolvedFailure).toMatchObject({ id, status: 'degraded', lastError: { code: 'server_error' } });
  await eventually(async () => sample(await apiMetrics(), 'steward_integrations', { status: 'degraded' }) >= 1, 'the degraded gauge', 10_000);
  await eventually(async () => Date.parse(created.body.expiresAt) - Date.now() < 13_000, 'the token to be well inside its buffer', 15_000);
  const inBuffer = Date.now();
  await eventually(async () => p.requests().some((r) => r.path === '/token' && r.at >= inBuffer && typeof r.answeredWith === 'number' && r.answeredWith >= 500), 'one more failed retry inside the buffer', 15_000, 100);
  p.setMode({ kind: 'pass' });
  await eventually(async () => (await statusOf(api, id)).status === 'active', 'recovery', 15_000);
  // Deliveries keep failing after the recovery (notices go in order, so the oldest undelivered one is retried):
  // nothing arrived meanwhile.
  const recoveredAt = Date.now();
  const deliveries = async () => (await api.get(`/v1/webhooks/${sub.body.id}/deliveries?limit=200`)).body.items as { outcome: string; at: string }[];
  await eventually(async () => (await deliveries()).some((d) => d.outcome === 'refused' && Date.parse(d.at) >= recoveredAt), 'a refused delivery after the recovery', 15_000);
  expect(mine()).toHaveLength(1);

  receiver = await startReceiver(port, received);
  try {
    await eventually(async () => mine().some((r) => JSON.parse(r.body).type === 'recovered'), 'the recovered notice', 20_000);
  } finally {
    await receiver.close();
  }
  const notices = mine().map((r) => JSON.parse(r.body));
  expect(notices.map((n) => n.type)).toEqual(['activated', 'degraded', 'token_expiring', 'recovered']);
  expect(notices[1]).toMatchObject({ from: 'active', to: 'degraded', tenantId: 'acme', integrationId: id });
  expect(notices[3]).toMatchObject({ from: 'degraded', to: 'active', reason: 'recovered' });
  expect(new Set(notices.map((n) => n.id)).size).toBe(notices.length);

  for (const r of mine()) {
    const header = r.headers['steward-signature'] as string;
    expect(verifySignature(header, r.body, secret)).toBe(true);
    expect(verifySignature(header, r.body, 'whsec_wrong')).toBe(false);
    expect(verifySignature(header, r.body.replace('"acme"', '"evil"'), secret)).toBe(false);
    expect(r.headers['steward-event-id']).toBe(JSON.parse(r.body).id);
    for (const forbidden of [secret, token, stack.demoClient.clientSecret, 'access_token', 'refresh_token', 'clientSecret', 'secretArn', 'arn:aws']) {
      expect(r.body).not.toContain(forbidden);
    }
  }
  // Deliveries made while the receiver was down were retried: each attempt is its own activity, visible in the UI by id.
  expect(Math.max(...mine().map((r) => Number(r.headers['steward-delivery-attempt'])))).toBeGreaterThan(1);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const history = await new Client({ connection }).workflow.getHandle(`webhook-${sub.body.id}`).fetchHistory();
    const attempts = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.activityId)
      .filter((a): a is string => Boolean(a?.startsWith(`${notices[1].id}#`)));
    expect(attempts.length).toBeGreaterThan(1);
    expect(attempts[0]).toBe(`${notices[1].id}#1`);
  } finally {
    await connection.close();
  }

  // The signing secret lives in Secrets Manager only.
  const store = await storeInspector(stack);
  try {
    expect(await store.dumpAll()).not.toContain(secret);
  } finally {
    await store.close();
  }
  expect((await api.call('DELETE', `/v1/webhooks/${sub.body.id}`)).status).toBe(204);
  expect((await api.get(`/v1/webhooks/${sub.body.id}`)).status).toBe(404);
});

test('many services reporting a rejected token at once cause exactly one refresh, and the next token request gets the new token', async () => {
  const p = await proxy();
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl: `${p.url}/token` }));
  const id: string = created.body.id;
  const old = (await api.get(`/v1/integrations/${id}/token`)).body.access_token as string;
  // Reports replace a token only once it is older than the window (STEWARD_TOKEN_REJECTED_WINDOW_SECONDS, 3 s here).
  const lastRefreshAt: string = await eventually(async () => (await statusOf(api, id)).lastRefreshAt, 'the token to be recorded');
  await eventually(async () => Date.now() > Date.parse(lastRefreshAt) + REJECTED_WINDOW_MS, 'the token to outlive the report window', 10_000, 50);

  const startedAt = Date.now();
  const reports = await Promise.all(Array.from({ length: 25 }, () => api.post(`/v1/integrations/${id}/token/rejected`)));
  const providerCalls = p.requests().filter((r) => r.path === '/token' && r.at >= startedAt);
  expect(providerCalls).toHaveLength(1);
  expect(reports.every((r) => r.status === 200)).toBe(true);
  expect(reports.some((r) => r.body.result === 'refreshed')).toBe(true);
  expect(reports.every((r) => ['refreshed', 'recently_refreshed'].includes(r.body.result))).toBe(true);
  // Reported again at once: within the window nothing more happens.
  const again = await api.post(`/v1/integrations/${id}/token/rejected`);
  expect(again.body.result).toBe('recently_refreshed');

  const fresh = await api.get(`/v1/integrations/${id}/token`);
  expect(fresh.status).toBe(200);
  expect(fresh.body.access_token).not.toBe(old);
  const events = (await api.get(`/v1/integrations/${id}/events?limit=1000`)).body.items.reverse() as { reason: string; at: string }[];
  expect(events.filter((e) => e.reason === 'refreshed' && Date.parse(e.at) >= startedAt)).toHaveLength(1);

  expect(p.requests().filter((r) => r.path === '/token' && r.at >= startedAt)).toHaveLength(1);
  expect((await api.post(`/v1/integrations/int_000000000000000000000000/token/rejected`)).status).toBe(404);
  expect(sample(await apiMetrics(), 'steward_token_rejections_reported_total', { result: 'refreshed' })).toBeGreaterThanOrEqual(1);
});

test('rules: which transitions notify, when a token counts as expiring, how signatures are checked', () => {
  const config = { id: 'int_x', label: 'L', tenantId: 't' } as IntegrationConfig;
  const policy = { refreshBufferMs: 300_000 } as LifecyclePolicy;
  const now = Date.parse('2030-01-01T00:00:00Z');
  const state = (over: Partial<IntegrationState>) =>
    ({ status: 'active', expiresAt: new Date(now + 3_600_000).toISOString(), consecutiveFailures: 0, lastError: null, generation: 3, ...over }) as IntegrationState;
  const event = (from: Status | null, to: Status, seq = 7) => ({ integrationId: 'int_x', seq, from, to, reason: 'r', actor: 'a', at: new Date(now).toISOString() });
  const types = (from: Status | null, to: Status, s = state({ status: to })) => noticesFor(event(from, to), s, config, policy, now).map((n) => n.type);

  expect(types('active', 'active')).toEqual([]); // a routine refresh
  expect(types(null, 'validating')).toEqual([]);
  expect(types('validating', 'active')).toEqual(['activated']);
  expect(types('active', 'degraded')).toEqual(['degraded']);
  expect(types('degraded', 'active')).toEqual(['recovered']);
  expect(types('disconnected', 'active')).toEqual(['activated']);
  expect(types('active', 'awaiting_consent')).toEqual(['awaiting_consent']);
  expect(types('degraded', 'revoked')).toEqual(['revoked']);

  const inBuffer = new Date(now + 120_000).toISOString();
  expect(types('active', 'active', state({ expiresAt: inBuffer, consecutiveFailures: 1 }))).toEqual([]); // one failure is not "keeps failing"
  const warned = noticesFor(event('active', 'active', 8), state({ expiresAt: inBuffer, consecutiveFailures: 2 }), config, policy, now);
  const again = noticesFor(event('degraded', 'degraded', 9), state({ status: 'degraded', expiresAt: inBuffer, consecutiveFailures: 3 }), config, policy, now);
  expect(warned.map((n) => n.type)).toEqual(['token_expiring']);
  expect(again[0].id).toBe(warned[0].id); // the same token's warning: deduplicated downstream
  expect(types('active', 'degraded', state({ status: 'degraded', expiresAt: new Date(now - 1000).toISOString(), consecutiveFailures: 5 }))).toEqual(['degraded']);

  const body = '{"id":"x"}';
  const header = signatureHeader('whsec_k', body, Math.floor(now / 1000));
  expect(verifySignature(header, body, 'whsec_k', { now })).toBe(true);
  expect(verifySignature(header, body, 'whsec_k', { now: now + 301_000 })).toBe(false); // too old: a replay
  expect(verifySignature(header.replace(/v1=../, 'v1=00'), body, 'whsec_k', { now })).toBe(false);
  expect(verifySignature('garbage', body, 'whsec_k', { now })).toBe(false);
});
