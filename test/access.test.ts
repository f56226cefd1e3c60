// Access boundaries: every role against every endpoint, tenant confinement, API keys, audit trail, rate limits, codec server.
import { Connection } from '@temporalio/client';
import type { RunningProcess } from '../scripts/stack';
import { apiClient, bootStack, clientCredentialsBody, eventually, type Stack } from './support/harness';

let stack: Stack;
let admin: ReturnType<typeof apiClient>;
const keys: Record<string, string> = {};
const ids: Record<'acme' | 'globex' | 'acmePrefix' | 'consent', string> = { acme: '', globex: '', acmePrefix: '', consent: '' };

beforeAll(async () => {
  stack = await bootStack('access');
  admin = apiClient(stack);
  const create = async (tenantId: string, extra: Record<string, unknown> = {}) => {
    const res = await admin.post('/v1/integrations', clientCredentialsBody(stack, { tenantId, ...extra }));
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  ids.acme = await create('acme');
  ids.globex = await create('globex');
  ids.acmePrefix = await create('acme-2'); // shares a prefix with an allowed tenant
  ids.consent = await create('acme', {
    grantType: 'authorization_code',
    authorizationUrl: stack.provider.authorizationUrl,
    redirectUri: `${stack.apiUrl}/v1/oauth/callback`,
    scope: 'openid offline_access',
  });
  const key = async (body: Record<string, unknown>) => {
    const res = await admin.post('/v1/keys', body);
    expect(res.status).toBe(201);
    expect(res.body.key).toMatch(/^stw_/);
    return res.body.key as string;
  };
  keys.admin = stack.adminKey;
  keys.support = await key({ name: 'Support desk', role: 'support' });
  keys.finance = await key({ name: 'Finance', role: 'finance' });
  keys.agency = await key({ name: 'Agency A', role: 'agency', tenants: ['acme'] });
  keys.agencyTokens = await key({ name: 'Agency A (tokens)', role: 'agency', tenants: ['acme'], canReadTokens: true });
  keys.service = await key({ name: 'Billing service', role: 'service', integrations: [ids.acme] });
  keys.serviceTenant = await key({ name: 'Sync service', role: 'service', tenants: ['acme'] });
});

afterAll(async () => {
  await stack?.stop();
});

const as = (who: string) => apiClient(stack, keys[who]);
type Row = [string, string, string, () => unknown, Record<string, number>];
const ROLES = ['admin', 'support', 'finance', 'agency', 'agencyTokens', 'service', 'serviceTenant'];

// [what, method, path, body, expected status per role]
const MATRIX: Row[] = [
  ['list integrations', 'GET', '/v1/integrations', () => undefined, { admin: 200, support: 200, finance: 200, agency: 200, agencyTokens: 200, service: 403, serviceTenant: 403 }],
  ['read own-tenant integration', 'GET', '/v1/integrations/{acme}', () => undefined, { admin: 200, support: 200, finance: 200, agency: 200, agencyTokens: 200, service: 403, serviceTenant: 403 }],
  ['read other-tenant integration', 'GET', '/v1/integrations/{globex}', () => undefined, { admin: 200, support: 200, finance: 200, agency: 404, agencyTokens: 404, service: 403, serviceTenant: 403 }],
  ['read prefix-sharing tenant', 'GET', '/v1/integrations/{acmePrefix}', () => undefined, { admin: 200, agency: 404, agencyTokens: 404 }],
  ['events', 'GET', '/v1/integrations/{acme}/events', () => undefined, { admin: 200, support: 200, finance: 403, agency: 200, agencyTokens: 200, service: 403, serviceTenant: 403 }],
  ['token (own)', 'GET', '/v1/integrations/{acme}/token', () => undefined, { admin: 200, support: 403, finance: 403, agency: 403, agencyTokens: 200, service: 200, serviceTenant: 200 }],
  ['token (other tenant)', 'GET', '/v1/integrations/{globex}/token', () => undefined, { admin: 200, agencyTokens: 404, service: 404, serviceTenant: 404 }],
  ['token (prefix-sharing tenant)', 'GET', '/v1/integrations/{acmePrefix}/token', () => undefined, { agencyTokens: 404, serviceTenant: 404 }],
  ['refresh', 'POST', '/v1/integrations/{acme}/refresh', () => undefined, { admin: 200, support: 200, finance: 403, agency: 200, agencyTokens: 200, service: 403, serviceTenant: 403 }],
  ['refresh other tenant', 'POST', '/v1/integrations/{globex}/refresh', () => undefined, { agency: 404 }],
  ['update', 'PATCH', '/v1/integrations/{acme}', () => ({ label: 'Renamed' }), { admin: 200, support: 403, finance: 403, agency: 403, agencyTokens: 403, service: 403, serviceTenant: 403 }],
  ['consent link', 'GET', '/v1/integrations/{consent}/authorize', () => undefined, { admin: 200, support: 200, finance: 403, agency: 200, service: 403 }],
  ['transfer ownership', 'POST', '/v1/integrations/{acme}/owner', () => ({ owner: 'team-revenue' }), { admin: 200, support: 403, finance: 403, agency: 403, service: 403 }],
  ['create in own tenant', 'POST', '/v1/integrations', () => clientCredentialsBody(stack, { tenantId: 'acme' }), { admin: 201, support: 403, finance: 403, agency: 201, service: 403 }],
  ['create in other tenant', 'POST', '/v1/integrations', () => clientCredentialsBody(stack, { tenantId: 'globex' }), { agency: 403, agencyTokens: 403 }],
  ['create without tenant', 'POST', '/v1/integrations', () => clientCredentialsBody(stack, { tenantId: undefined }), { agency: 403 }],
  ['list keys', 'GET', '/v1/keys', () => undefined, { admin: 200, support: 403, finance: 403, agency: 403, service: 403 }],
  ['create key', 'POST', '/v1/keys', () => ({ name: 'x', role: 'admin' }), { support: 403, finance: 403, agency: 403, service: 403 }],
  ['audit', 'GET', '/v1/audit', () => undefined, { admin: 200, support: 403, finance: 403, agency: 403, service: 403 }],
  ['unauthenticated counts', 'GET', '/v1/audit/unauthenticated', () => undefined, { admin: 200, support: 403, finance: 403, agency: 403, service: 403 }],
  ['codec use counts', 'GET', '/v1/audit/codec-uses', () => undefined, { admin: 200, support: 403, finance: 403, agency: 403, service: 403 }],
  ['codec session', 'POST', '/v1/codec/session', () => undefined, { admin: 204, support: 204, finance: 403, agency: 403, agencyTokens: 403, service: 403 }],
  ['summary', 'GET', '/v1/summary', () => undefined, { admin: 200, support: 200, finance: 200, agency: 403, service: 403 }],
  ['webhooks', 'GET', '/v1/webhooks', () => undefined, { admin: 200, support: 403, finance: 403, agency: 403, service: 403 }],
  ['who am I', 'GET', '/v1/me', () => undefined, Object.fromEntries(ROLES.map((r) => [r, 200]))],
];

test.each(MATRIX)('%s: %s %s', async (_what, method, template, body, expected) => {
  const path = template.replace(/\{(\w+)\}/g, (_, k: keyof typeof ids) => ids[k]);
  for (const [role, status] of Object.entries(expected)) {
    const res = await as(role).call(method, path, body(), { accept: 'application/json' });
    expect(`${role} → ${res.status}`).toBe(`${role} → ${status}`);
    expect(res.text).not.toContain(stack.demoClient.clientSecret);
    if (role !== 'admin' && !path.endsWith('/token')) expect(res.text).not.toMatch(/"access_token"/);
  }
});

test('lists are confined to the principal\'s tenants; /v1/me tells the console what to show', async () => {
  const listed = (await as('agency').get('/v1/integrations')).body.items.map((i: { tenantId: string }) => i.tenantId);
  expect(new Set(listed)).toEqual(new Set(['acme']));
  expect((await as('agency').get('/v1/integrations?tenantId=globex')).body.items).toEqual([]);
  const me = (await as('finance').get('/v1/me')).body;
  expect(me).toMatchObject({ role: 'finance', actions: ['integration:read', 'summary:read'] });
});

test('keys: missing, malformed, unknown, expired and revoked keys are all 401; revocation is immediate', async () => {
  for (const header of [undefined, 'Bearer', 'Bearer short', 'Basic abc', `Bearer ${keys.support}x`, 'Bearer stw_0000000000000000_' + 'A'.repeat(43)]) {
    const res = await fetch(`${stack.apiUrl}/v1/integrations`, { headers: header ? { authorization: header } : {} });
    expect(res.status).toBe(401);
  }
  const expiring = (await admin.post('/v1/keys', { name: 'short-lived', role: 'finance', expiresAt: new Date(Date.now() + 1500).toISOString() })).body;
  expect((await apiClient(stack, expiring.key).get('/v1/integrations')).status).toBe(200);
  // Refused once its expiry passes (waited for, not slept through).
  await eventually(async () => (await apiClient(stack, expiring.key).get('/v1/integrations')).status === 401, 'the expired key to be refused', 15_000, 100);
  expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiring.expiresAt));

  const doomed = (await admin.post('/v1/keys', { name: 'doomed', role: 'support' })).body;
  expect((await apiClient(stack, doomed.key).get('/v1/integrations')).status).toBe(200);
  expect((await admin.call('DELETE', `/v1/keys/${doomed.id}`)).status).toBe(200);
  expect((await apiClient(stack, doomed.key).get('/v1/integrations')).status).toBe(401);

  const listed = (await admin.get('/v1/keys')).body.items;
  expect(listed.find((k: { id: string }) => k.id === doomed.id).revokedAt).not.toBeNull();
  expect(JSON.stringify(listed)).not.toMatch(/stw_[a-z0-9]{16}_/); // keys are never shown again
  const stored = JSON.stringify(await (await import('./support/harness')).storeInspector(stack).then(async (s) => {
    const docs = await s.db.collection('api_keys').find({}).toArray();
    await s.close();
    return docs;
  }));
  for (const k of Object.values(keys).filter((k) => k.startsWith('stw_'))) expect(stored).not.toContain(k);

  const bad = await admin.post('/v1/keys', { name: '', role: 'agency', canReadTokens: 'yes' });
  expect(bad.status).toBe(400);
  expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['canReadTokens', 'name']);
  const noTenants = await admin.post('/v1/keys', { name: 'Agency B', role: 'agency' });
  expect(noTenants.body.details).toEqual([{ path: 'tenants', message: 'is required for agencies' }]);
});

test('the audit trail records changes, key management, ownership transfers and denied attempts — never a secret', async () => {
  const items = (await admin.get('/v1/audit?limit=1000')).body.items as { action: string; outcome: string; principalId: string; target: string | null }[];
  const seen = (action: string, outcome: string) => items.some((e) => e.action === action && e.outcome === outcome);
  expect(seen('integration:create', 'succeeded')).toBe(true);
  expect(seen('key:manage', 'succeeded')).toBe(true);
  expect(seen('integration:transfer', 'succeeded')).toBe(true);
  expect(seen('integration:update', 'denied')).toBe(true);
  // 401s without a key are counted per address and minute, not written one by one.
  expect(items.some((e) => e.principalId === 'anonymous')).toBe(false);
  const unauthenticated = (await admin.get('/v1/audit/unauthenticated')).body.items as { principalId: string; count: number }[];
  expect(unauthenticated.filter((r) => r.principalId.startsWith('address:')).reduce((n, r) => n + r.count, 0)).toBeGreaterThanOrEqual(6);
  expect(items.some((e) => e.outcome === 'denied' && e.target === ids.globex)).toBe(true); // cross-tenant probe (404)
  const text = JSON.stringify(items);
  expect(text).not.toContain(stack.demoClient.clientSecret);
  for (const k of Object.values(keys)) expect(text).not.toContain(k);

  const reads = (await admin.get(`/v1/audit/token-reads?integrationId=${ids.acme}`)).body.items as { principalId: string; count: number }[];
  expect(reads.filter((r) => r.count > 0).length).toBeGreaterThanOrEqual(2);
  expect((await admin.get(`/v1/integrations/${ids.acme}`)).body.owner).toBe('team-revenue');
});

test('rate limits per principal answer 429 with Retry-After; the Temporal UI decodes through the codec server for admins and support only', async () => {
  let api2: RunningProcess | null = null;
  try {
    const replica = await stack.startApiReplica('api-limited', { STEWARD_RATE_LIMIT_PER_MINUTE: '5', STEWARD_TEMPORAL_UI_URL: 'http://127.0.0.1:8233' });
    api2 = replica.process;
    const base = replica.url;
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${base}/v1/integrations`, { headers: { authorization: `Bearer ${keys.finance}` } });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Refused requests are counted per minute, not written one by one: a flood must not become a write flood.
    const financeId = keys.finance.split('_')[1];
    const adminHeaders = { authorization: `Bearer ${stack.adminKey}` };
    const counted = (await (await fetch(`${base}/v1/audit/rate-limited?principalId=${financeId}`, { headers: adminHeaders })).json()) as { items: { count: number; target: string }[] };
    expect(counted.items).toEqual([expect.objectContaining({ count: 2, target: '/v1/integrations' })]);
    const entries = (await (await fetch(`${base}/v1/audit?principalId=${financeId}`, { headers: adminHeaders })).json()) as { items: { status: number }[] };
    expect(entries.items.filter((e) => e.status === 429)).toEqual([]);
    expect((await fetch(`${base}/v1/integrations`, { headers: { authorization: `Bearer ${keys.support}` } })).status).toBe(200); // per principal

    // A real encrypted payload from this integration's history.
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const history = await connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: `integration-${ids.acme}` } });
    await connection.close();
    const input = history.history!.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    const wire = {
      payloads: [{ metadata: Object.fromEntries(Object.entries(input.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(input.data!).toString('base64') }],
    };
    const decode = (headers: Record<string, string>) =>
      fetch(`${base}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1:8233', ...headers }, body: JSON.stringify(wire) });

    expect((await decode({})).status).toBe(401);
    expect((await decode({ authorization: `Bearer ${keys.service}` })).status).toBe(403);
    const ok = await decode({ authorization: `Bearer ${stack.adminKey}` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    const decoded = (await ok.json()) as { payloads: { data: string }[] };
    const plain = Buffer.from(decoded.payloads[0].data, 'base64').toString();
    expect(plain).toContain(ids.acme);
    // The create input carries the client secret: the UI sees the configuration, never the secret.
    expect(plain).not.toContain(stack.demoClient.clientSecret);
    expect(plain).toContain('[redacted]');

    // The console trades a support key for an HttpOnly cookie the Temporal UI sends along.
    const session = await fetch(`${base}/v1/codec/session`, { method: 'POST', headers: { authorization: `Bearer ${keys.support}` } });
    expect(session.status).toBe(204);
    const cookie = session.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect((await decode({ cookie: cookie.split(';')[0] })).status).toBe(200);
    expect((await fetch(`${base}/v1/codec/session`, { method: 'POST', headers: { authorization: `Bearer ${keys.agency}` } })).status).toBe(403);
    const preflight = await fetch(`${base}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:8233', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
  } finally {
    await api2?.stop();
  }
});
