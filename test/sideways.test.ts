// Sideways routes to tokens and around the audit trail (issue 9 §3, §5, §6, §7): reconnect rights, owner, codec server,
// canonical audit keys, anonymous limits, readiness details, per-principal caps, reserved authorization parameters.
import { once } from 'node:events';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Connection } from '@temporalio/client';
import { loadApiConfig } from '../lib/config';
import type { RunningProcess } from '../scripts/stack';
import { driveBrowserFlow } from './support/oauthBrowser';
import { apiClient, bootStack, clientCredentialsBody, eventually, type Stack } from './support/harness';

let stack: Stack;
let admin: ReturnType<typeof apiClient>;
let redirectUri: string;
const keys: Record<string, { key: string; id: string }> = {};
const replicas: RunningProcess[] = [];

beforeAll(async () => {
  stack = await bootStack('sideways');
  admin = apiClient(stack);
  redirectUri = (await admin.get('/v1/meta')).body.redirectUri;
  const key = async (name: string, body: Record<string, unknown>) => {
    const res = await admin.post('/v1/keys', { name, ...body });
    expect(res.status).toBe(201);
    keys[name] = { key: res.body.key, id: res.body.id };
  };
  await key('admin2', { role: 'admin' });
  await key('support', { role: 'support' });
  await key('supportConfined', { role: 'support', tenants: ['acme'] });
  await key('agency', { role: 'agency', tenants: ['acme'] });
  await key('agencyTokens', { role: 'agency', tenants: ['acme'], canReadTokens: true });
  await key('service', { role: 'service', tenants: ['acme'] });
});

afterAll(async () => {
  for (const r of replicas) await r.stop();
  await stack?.stop();
});

const as = (who: string) => apiClient(stack, keys[who].key);
const replica = async (name: string, env: Record<string, string>) => {
  const started = await stack.startApiReplica(name, env);
  replicas.push(started.process);
  return started.url;
};

function authCodeBody(overrides: Record<string, unknown> = {}) {
  return {
    label: 'Consent target',
    grantType: 'authorization_code',
    authorizationUrl: stack.provider.authorizationUrl,
    tokenUrl: stack.provider.tokenUrl,
    revocationUrl: stack.provider.revocationUrl,
    redirectUri,
    clientId: stack.demoClient.clientId,
    clientSecret: stack.demoClient.clientSecret,
    scope: 'openid offline_access read',
    apiBaseUrl: 'https://api.example.com',
    tenantId: 'acme',
    ...overrides,
  };
}

const linkAs = (who: string, id: string) => as(who).call('GET', `/v1/integrations/${id}/authorize`, undefined, { accept: 'application/json' });

describe('§3 roles cannot reach tokens sideways', () => {
  let consented = '';

  test('a consent link for a consented integration is a reconnect: admins and agencies with token rights only; both issue and completion are audited', async () => {
    const created = await as('agency').post('/v1/integrations', authCodeBody());
    expect(`${created.status} ${created.text}`).toMatch(/^201 /);
    consented = created.body.id;
    // Awaiting consent: support and an agency without token rights may send the link.
    expect((await linkAs('support', consented)).status).toBe(200);
    const link = await linkAs('agency', consented);
    expect(link.status).toBe(200);
    const callback = await driveBrowserFlow(link.body.authorizationUrl, redirectUri, 'alice');
    expect((await fetch(callback)).status).toBe(200);
    expect((await admin.get(`/v1/integrations/${consented}`)).body.status).toBe('active');

    // Active: a new link would re-point the live connection to whoever consents next.
    const statuses = Object.fromEntries(await Promise.all(['support', 'agency', 'agencyTokens', 'admin2'].map(async (who) => [who, (await linkAs(who, consented)).status])));
    expect(statuses).toEqual({ support: 403, agency: 403, agencyTokens: 200, admin2: 200 });

    // The completed consent is audited under the principal that issued the link, and the event names it.
    const audit = (await admin.get(`/v1/audit?target=${consented}&limit=200`)).body.items as { action: string; principalId: string; outcome: string }[];
    expect(audit).toEqual(expect.arrayContaining([
      expect.objectContaining({ action: 'consent:complete', principalId: keys.agency.id, outcome: 'succeeded' }),
      expect.objectContaining({ action: 'integration:consent', principalId: keys.agency.id, outcome: 'succeeded' }),
      expect.objectContaining({ action: 'integration:consent', principalId: keys.support.id, outcome: 'succeeded' }),
      expect.objectContaining({ action: 'integration:consent', principalId: keys.support.id, outcome: 'denied' }),
    ]));
    const events = (await admin.get(`/v1/integrations/${consented}/events`)).body.items as { reason: string; actor: string }[];
    expect(events.find((e) => e.reason === 'consent granted')?.actor).toBe(keys.agency.id);
  });

  test('an agency sets owner only to itself or one of its tenants', async () => {
    const body = (owner: string) => clientCredentialsBody(stack, { tenantId: 'acme', owner });
    const foreign = await as('agency').post('/v1/integrations', body('team-globex'));
    expect(foreign.status).toBe(400);
    expect(foreign.body.details).toEqual([{ path: 'owner', message: 'must be your own key id or one of your tenants' }]);
    expect((await as('agency').post('/v1/integrations', body(keys.agency.id))).status).toBe(201);
    expect((await as('agency').post('/v1/integrations', body('acme'))).status).toBe(201);
    expect((await admin.post('/v1/integrations', body('team-globex'))).status).toBe(201); // admins are unconfined
  });

  test('codec server: unconfined principals only, authorization codes redacted, a cookie dies with its key, uses counted and rate limited', async () => {
    expect(consented).not.toBe('');
    const base = await replica('api-codec', { STEWARD_RATE_LIMIT_PER_MINUTE: '8', STEWARD_TEMPORAL_UI_URL: 'http://127.0.0.1:8233' });
    // The consent completion travels as an update carrying the authorization code and its PKCE verifier.
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const history = await connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: `integration-${consented}` } });
    await connection.close();
    const accepted = history.history!.events!.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes).find((a) => a?.acceptedRequest?.input?.name === 'completeConsent');
    const payload = accepted!.acceptedRequest!.input!.args!.payloads![0];
    const wire = { payloads: [{ metadata: Object.fromEntries(Object.entries(payload.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(payload.data!).toString('base64') }] };
    const decode = (headers: Record<string, string>) => fetch(`${base}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(wire) });

    const ok = await decode({ authorization: `Bearer ${keys.support.key}` });
    expect(ok.status).toBe(200);
    const plain = JSON.parse(Buffer.from(((await ok.json()) as { payloads: { data: string }[] }).payloads[0].data, 'base64').toString());
    expect(plain).toMatchObject({ actor: keys.agency.id, code: '[redacted]', codeVerifier: '[redacted]', redirectUri });

    // Tenant-confined keys cannot decode other tenants' payloads, so they cannot use the codec at all.
    expect((await decode({ authorization: `Bearer ${keys.supportConfined.key}` })).status).toBe(403);
    expect((await fetch(`${base}/v1/codec/session`, { method: 'POST', headers: { authorization: `Bearer ${keys.supportConfined.key}` } })).status).toBe(403);

    // A cookie stops working the moment its key is revoked.
    const doomed = (await admin.post('/v1/keys', { name: 'codec doomed', role: 'support' })).body as { key: string; id: string };
    const session = await fetch(`${base}/v1/codec/session`, { method: 'POST', headers: { authorization: `Bearer ${doomed.key}` } });
    expect(session.status).toBe(204);
    const cookie = session.headers.get('set-cookie')!.split(';')[0];
    expect((await decode({ cookie })).status).toBe(200);
    expect((await fetch(`${base}/v1/keys/${doomed.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${stack.adminKey}` } })).status).toBe(200);
    expect((await decode({ cookie })).status).toBe(401);

    // Rate limited per principal like /v1 (8 a minute: 2 used above by support), and every use counted.
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await decode({ authorization: `Bearer ${keys.support.key}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 429]);
    const uses = (await (await fetch(`${base}/v1/audit/codec-uses?principalId=${keys.support.id}`, { headers: { authorization: `Bearer ${stack.adminKey}` } })).json()) as { items: { count: number; target: string }[] };
    expect(uses.items.reduce((n, r) => n + r.count, 0)).toBe(8);
  });
});

describe('§5 the audit trail cannot be sidestepped', () => {
  test('token reads through /V1, percent-encoded ids and trailing slashes are counted under the canonical id', async () => {
    const id = (await admin.post('/v1/integrations', clientCredentialsBody(stack, { tenantId: 'acme' }))).body.id as string;
    const encoded = [...id].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    const paths = [`/v1/integrations/${id}/token`, `/V1/integrations/${id}/token`, `/v1/INTEGRATIONS/${encoded}/token`, `/v1/integrations/${id}/token/`];
    for (const p of paths) expect(`${p} → ${(await as('service').get(p)).status}`).toBe(`${p} → 200`);
    const counted = await eventually(async () => {
      const items = (await admin.get(`/v1/audit/token-reads?integrationId=${id}`)).body.items as { count: number }[];
      const total = items.reduce((n, r) => n + r.count, 0);
      return total === paths.length ? total : null;
    }, 'four token reads counted');
    expect(counted).toBe(4);

    // A change through an odd spelling is recorded under the matched route and resolved id.
    expect((await admin.call('PATCH', `/V1/integrations/${encoded}/`, { label: 'Odd path' })).status).toBe(200);
    const row = await eventually(async () => {
      const rows = (await admin.get(`/v1/audit?target=${id}`)).body.items as { action: string; path: string }[];
      return rows.find((r) => r.action === 'integration:update');
    }, 'the update audited under its id');
    expect(row.path).toBe('/v1/integrations/:id');
  });

  test('requests without a valid key are limited per address and counted per minute, not written one by one', async () => {
    const base = await replica('api-anonymous', { STEWARD_ANONYMOUS_RATE_LIMIT_PER_MINUTE: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${base}/v1/integrations`, { headers: { authorization: `Bearer guess-${i}` } })).status);
    // A minute boundary inside the loop restarts the window: accept either shape, but never more than 3 401s in a row.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // A valid key from the same address still works.
    expect((await fetch(`${base}/v1/integrations`, { headers: { authorization: `Bearer ${stack.adminKey}` } })).status).toBe(200);
    const adminHeaders = { authorization: `Bearer ${stack.adminKey}` };
    const unauth = (await (await fetch(`${base}/v1/audit/unauthenticated?limit=100`, { headers: adminHeaders })).json()) as { items: { principalId: string; count: number }[] };
    const limited = (await (await fetch(`${base}/v1/audit/rate-limited?limit=100`, { headers: adminHeaders })).json()) as { items: { principalId: string; count: number }[] };
    const sum = (rows: { principalId: string; count: number }[]) => rows.filter((r) => r.principalId.startsWith('address:')).reduce((n, r) => n + r.count, 0);
    expect(sum(unauth.items) + sum(limited.items)).toBeGreaterThanOrEqual(5);
    const rows = (await (await fetch(`${base}/v1/audit?principalId=anonymous`, { headers: adminHeaders })).json()) as { items: unknown[] };
    expect(rows.items).toEqual([]);
  });

  test('/readyz tells anonymous callers up or down only; details need a key', async () => {
    const anonymous = await fetch(`${stack.apiUrl}/readyz`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: 'ready' });
    const keyed = (await (await fetch(`${stack.apiUrl}/readyz`, { headers: { authorization: `Bearer ${keys.service.key}` } })).json()) as { checks: Record<string, string> };
    expect(keyed.checks).toEqual({ temporal: 'ok', mongodb: 'ok', secretsManager: 'ok' });
  });
});

describe('§6 abuse by configuration', () => {
  test('a refresh floor: a 1-second expires_in or a 2-second idle setting cannot make the worker refresh more than once per 30 s; the integration says why', async () => {
    const stub = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"floor-test-token","token_type":"Bearer","expires_in":1}'));
    stub.listen(0, '127.0.0.1');
    await once(stub, 'listening');
    try {
      const base = await replica('api-floor', { STEWARD_MIN_REFRESH_SECONDS: '30' });
      const post = async (body: Record<string, unknown>) => {
        const res = await fetch(`${base}/v1/integrations`, { method: 'POST', headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(res.status).toBe(201);
        return (await res.json()) as { id: string };
      };
      const shortLived = await post({ ...clientCredentialsBody(stack), tokenUrl: `http://127.0.0.1:${(stub.address() as AddressInfo).port}/token`, revocationUrl: undefined });
      const idle = await post({
        ...clientCredentialsBody(stack),
        grantType: 'refresh_token',
        refreshToken: (await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'read')).refresh_token,
        lifecycle: { refreshTokenIdleSeconds: 2 },
      });
      for (const { id } of [shortLived, idle]) {
        const view = (await admin.get(`/v1/integrations/${id}`)).body as { status: string; lastRefreshAt: string; refreshDueAt: string; refreshWarning: string | null };
        expect(view.status).toBe('active');
        expect(Date.parse(view.refreshDueAt) - Date.parse(view.lastRefreshAt)).toBeGreaterThanOrEqual(29_000);
        expect(view.refreshWarning).toMatch(/at most one per 30 s/);
      }
      // Without a floor problem there is no warning.
      const plain = (await admin.post('/v1/integrations', clientCredentialsBody(stack))).body as { refreshWarning: string | null };
      expect(plain.refreshWarning).toBeNull();
    } finally {
      stub.closeAllConnections();
      stub.close();
    }
  });

  test('authorizationParams cannot set the parameters Steward sets itself', async () => {
    for (const name of ['request', 'request_uri', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'response_type', 'client_id', 'scope']) {
      const res = await admin.post('/v1/integrations', authCodeBody({ authorizationParams: { prompt: 'consent', [name]: 'x' } }));
      expect(`${name} → ${res.status} ${JSON.stringify(res.body?.details)}`).toBe(`${name} → 400 ${JSON.stringify([{ path: `authorizationParams.${name}`, message: 'is set by Steward and cannot be overridden' }])}`);
    }
  });

  test('per-principal caps on open consent links, codec sessions, API keys and webhook subscriptions', async () => {
    const base = await replica('api-caps', { STEWARD_MAX_OPEN_CONSENT_LINKS: '2', STEWARD_MAX_CODEC_SESSIONS: '1', STEWARD_MAX_API_KEYS: '1', STEWARD_MAX_WEBHOOKS: '1' });
    const call = (key: string, method: string, path: string, body?: unknown) =>
      fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${key}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const desk = (await admin.post('/v1/keys', { name: 'capped desk', role: 'support' })).body.key as string;
    const awaiting = (await admin.post('/v1/integrations', authCodeBody())).body.id as string;
    const links = [];
    for (let i = 0; i < 3; i++) links.push((await call(desk, 'GET', `/v1/integrations/${awaiting}/authorize`)).status);
    expect(links).toEqual([200, 200, 429]);
    const sessions = [];
    for (let i = 0; i < 2; i++) sessions.push((await call(desk, 'POST', '/v1/codec/session')).status);
    expect(sessions).toEqual([204, 429]);
    const created = [];
    for (let i = 0; i < 2; i++) created.push((await call(keys.admin2.key, 'POST', '/v1/keys', { name: `by admin2 ${i}`, role: 'finance' })).status);
    expect(created).toEqual([201, 409]);
    const hooks = [];
    for (let i = 0; i < 2; i++) hooks.push((await call(keys.admin2.key, 'POST', '/v1/webhooks', { url: `http://127.0.0.1:9/hook-${i}` })).status);
    expect(hooks).toEqual([201, 409]);
  });
});

describe('§7 smaller items', () => {
  test('the callback page cannot be framed; a callback for a revoked integration is a plain 410 page', async () => {
    const id = (await admin.post('/v1/integrations', authCodeBody())).body.id as string;
    const link = new URL((await linkAs('admin2', id)).body.authorizationUrl);
    expect((await admin.post(`/v1/integrations/${id}/revoke`)).status).toBe(200);
    const res = await fetch(`${redirectUri}?state=${link.searchParams.get('state')}&code=whatever`);
    expect(res.status).toBe(410);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  test('events page newest first with a cursor: the latest event is never hidden behind old ones', async () => {
    const id = (await admin.post('/v1/integrations', clientCredentialsBody(stack))).body.id as string;
    for (let i = 0; i < 3; i++) expect((await admin.post(`/v1/integrations/${id}/refresh`)).status).toBe(200);
    expect((await admin.post(`/v1/integrations/${id}/revoke`)).status).toBe(200);
    const seen: { seq: number; reason: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = (await admin.get(`/v1/integrations/${id}/events?limit=2${cursor ? `&before=${cursor}` : ''}`)).body as { items: { seq: number; reason: string }[]; nextCursor: string | null };
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen[0].reason).toMatch(/^revoked/); // the newest, on the first page
    expect(seen.map((e) => e.seq)).toEqual([...seen.map((e) => e.seq)].sort((a, b) => b - a));
    expect(new Set(seen.map((e) => e.seq)).size).toBe(seen.length);
    expect(seen.map((e) => e.reason).slice(-2)).toEqual(['validated', 'created']);
    expect((await admin.get(`/v1/integrations/${id}/events?before=zero`)).body.details).toEqual([{ path: 'before', message: expect.any(String) }]);
  });

  test('the data folder is 0700 and every file in it 0600', async () => {
    const modes: string[] = [];
    const walk = (dir: string) => {
      modes.push(`${dir} ${(statSync(dir).mode & 0o777).toString(8)}`);
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile()) modes.push(`${path} ${(statSync(path).mode & 0o777).toString(8)}`);
      }
    };
    walk(stack.dataDir);
    expect(modes.length).toBeGreaterThan(3);
    expect(modes.filter((m) => !/ (600|700)$/.test(m))).toEqual([]);
  });

  test('the bootstrap admin key needs 32+ characters and can be switched off once another admin key exists', async () => {
    const env = { STEWARD_CODEC_KEY: `k1:${Buffer.alloc(32, 1).toString('base64')}`, STEWARD_TOKEN_STORE_KEYS: `t1:${Buffer.alloc(32, 2).toString('base64')}` };
    expect(() => loadApiConfig({ ...env, STEWARD_ADMIN_KEY: 'a'.repeat(31) })).toThrow(/STEWARD_ADMIN_KEY/);
    expect(loadApiConfig({ ...env, STEWARD_ADMIN_KEY: 'a'.repeat(32) }).bootstrapAdmin).toBe(true);
    const base = await replica('api-no-bootstrap', { STEWARD_BOOTSTRAP_ADMIN: 'false' });
    expect((await fetch(`${base}/v1/keys`, { headers: { authorization: `Bearer ${stack.adminKey}` } })).status).toBe(401);
    expect((await fetch(`${base}/v1/keys`, { headers: { authorization: `Bearer ${keys.admin2.key}` } })).status).toBe(200);
  });
});
