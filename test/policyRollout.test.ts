// Lifecycle settings changed on the api reach running integrations: POST /v1/policy/rollout sends them (updatePolicy).
import { refreshDelayMs } from '../workflows/schedule';
import { apiClient, bootStack, clientCredentialsBody, eventually, statusOf, type Stack } from './support/harness';

let stack: Stack;
let admin: ReturnType<typeof apiClient>;
let replica: Awaited<ReturnType<Stack['startApiReplica']>>;
/** The api after a deploy that changed STEWARD_REFRESH_BUFFER_SECONDS from 300 to 1200. */
let changed: ReturnType<typeof apiClient>;
const ids = { acme1: '', acme2: '', globex: '' };
const HOUR_TOKEN = 3600;
const NEW_BUFFER = 1200;
/** bootStack's refresh floor (STEWARD_MIN_REFRESH_SECONDS=1), far below these delays. */
const FLOOR_MS = 1000;
/**
 * Each integration's token lifetime as the provider stated it: 3600 s, or 3599 s when the provider crossed a second
 * while answering. Found from the plan under the 300 s buffer.
 */
const lifetime: Record<string, number> = {};
/** The plan (seconds from issue) the workflow's own rule gives each integration's token under `buffer`. */
const under = (buffer: number) => (id: string) => refreshDelayMs(lifetime[id]!, { refreshBufferMs: buffer * 1000, minRefreshIntervalMs: FLOOR_MS }) / 1000;

/** Seconds from the token's issue to its planned refresh (refreshDelayMs of its lifetime). */
const plannedDelay = async (id: string) => {
  const s = await statusOf(admin, id);
  return s.refreshDueAt && s.lastRefreshAt ? (Date.parse(s.refreshDueAt) - Date.parse(s.lastRefreshAt)) / 1000 : null;
};

beforeAll(async () => {
  stack = await bootStack('policyrollout', { providerTokenTtlSeconds: HOUR_TOKEN, env: { STEWARD_REFRESH_BUFFER_SECONDS: '300' } });
  admin = apiClient(stack);
  const create = async (tenantId: string) => {
    const res = await admin.post('/v1/integrations', clientCredentialsBody(stack, { tenantId }));
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  [ids.acme1, ids.acme2, ids.globex] = await Promise.all([create('acme'), create('acme'), create('globex')]);
  for (const id of Object.values(ids)) {
    const delay = await eventually(async () => plannedDelay(id), `${id} planned`);
    const stated = [HOUR_TOKEN, HOUR_TOKEN - 1, HOUR_TOKEN - 2].find((s) => refreshDelayMs(s, { refreshBufferMs: 300_000, minRefreshIntervalMs: FLOOR_MS }) / 1000 === delay);
    if (stated === undefined) throw new Error(`${id} is planned ${delay} s after issue: no hour token (3598-3600 s) gives that plan under the 300 s buffer`);
    lifetime[id] = stated;
  }
  replica = await stack.startApiReplica('api-new-settings', { STEWARD_REFRESH_BUFFER_SECONDS: String(NEW_BUFFER) });
  changed = apiClient({ ...stack, apiUrl: replica.url });
});

afterAll(async () => {
  await replica?.process.stop();
  await stack?.stop();
});

test('only admins see the settings or roll them out', async () => {
  const make = async (body: Record<string, unknown>) => (await admin.post('/v1/keys', { name: `k-${body.role}`, ...body })).body.key as string;
  const others = {
    support: await make({ role: 'support' }),
    finance: await make({ role: 'finance' }),
    agency: await make({ role: 'agency', tenants: ['acme'] }),
    service: await make({ role: 'service', tenants: ['acme'] }),
  };
  for (const [role, key] of Object.entries(others)) {
    const as = apiClient({ ...stack, apiUrl: replica.url }, key);
    expect(`${role} → ${(await as.post('/v1/policy/rollout', { tenantId: 'acme' })).status}`).toBe(`${role} → 403`);
    expect(`${role} → ${(await as.get('/v1/policy')).status}`).toBe(`${role} → 403`);
  }
  expect((await apiClient({ ...stack, apiUrl: replica.url }, null).post('/v1/policy/rollout', {})).status).toBe(401);
  expect(await plannedDelay(ids.acme1)).toBe(under(300)(ids.acme1)); // nothing was sent
  expect((await changed.get('/v1/policy')).body.settings).toMatchObject({ refreshBufferMs: NEW_BUFFER * 1000 });
});

test('a malformed rollout request names each bad field and sends nothing', async () => {
  const res = await changed.post('/v1/policy/rollout', { tenantId: "acme' OR TRUE", concurrency: 0, everything: true });
  expect(res.status).toBe(400);
  const paths = (res.body.details as { path: string }[]).map((d) => d.path).sort();
  expect(paths).toEqual(expect.arrayContaining(['concurrency', 'tenantId']));
  expect(res.text).toMatch(/everything/);
  expect(await plannedDelay(ids.acme1)).toBe(under(300)(ids.acme1));
});

test("a tenant's rollout re-plans its running integrations with the new settings and leaves the others alone", async () => {
  // Visibility lists a new workflow shortly after its start: retrying is the documented way, and safe.
  const res = await eventually(async () => {
    const r = await changed.post('/v1/policy/rollout', { tenantId: 'acme', concurrency: 2 });
    return r.status === 200 && r.body.matched === 2 && r;
  }, 'both acme integrations to be found');
  expect(res.body).toMatchObject({ tenantId: 'acme', matched: 2, updated: 2, skipped: 0, failed: 0, failures: [], complete: true });
  expect(res.body.settings.refreshBufferMs).toBe(NEW_BUFFER * 1000);
  for (const id of [ids.acme1, ids.acme2]) await eventually(async () => (await plannedDelay(id)) === under(NEW_BUFFER)(id), `${id} re-planned with the ${NEW_BUFFER} s buffer`);
  expect(await plannedDelay(ids.globex)).toBe(under(300)(ids.globex));
  const events = (await admin.get(`/v1/integrations/${ids.acme1}/events`)).body.items as { reason: string; actor: string }[];
  expect(events).toContainEqual(expect.objectContaining({ reason: 'lifecycle policy updated', actor: 'bootstrap-admin' }));
});

test('retrying a rollout is harmless: the same settings give the same plan', async () => {
  const before = await statusOf(admin, ids.acme1);
  const again = await changed.post('/v1/policy/rollout', { tenantId: 'acme' });
  expect(again.body).toMatchObject({ matched: 2, updated: 2, failed: 0, complete: true });
  const after = await statusOf(admin, ids.acme1);
  expect(after.refreshDueAt).toBe(before.refreshDueAt);
  expect(after.status).toBe('active');
});

test('a revoked integration is not updated; the rollout of every tenant counts the rest', async () => {
  expect([200, 202]).toContain((await admin.post(`/v1/integrations/${ids.acme2}/revoke`)).status);
  await eventually(async () => (await statusOf(admin, ids.acme2)).status === 'revoked', 'acme2 revoked');
  const res = await eventually(async () => {
    const r = await changed.post('/v1/policy/rollout', {});
    // Until visibility has seen the revocation, the revoked one is listed and counted as skipped.
    return r.status === 200 && r.body.matched - r.body.skipped === 2 && r;
  }, 'the rollout to find acme1 and globex running');
  expect(res.body).toMatchObject({ tenantId: null, updated: 2, failed: 0, complete: true });
  await eventually(async () => (await plannedDelay(ids.globex)) === under(NEW_BUFFER)(ids.globex), `globex re-planned with the ${NEW_BUFFER} s buffer`);
});

test('rollouts and refused attempts are in the audit trail', async () => {
  const items = (await admin.get('/v1/audit?limit=1000')).body.items as { action: string; outcome: string; principalId: string }[];
  expect(items).toContainEqual(expect.objectContaining({ action: 'policy:rollout', outcome: 'succeeded', principalId: 'bootstrap-admin' }));
  expect(items.filter((i) => i.action === 'policy:rollout' && i.outcome === 'denied').length).toBeGreaterThanOrEqual(4);
});
