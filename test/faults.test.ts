// Wrong answers under faults: parallel consent callbacks, requests overtaken by revocation, retried creates, racing audit flushes.
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { AuditLog } from '../lib/audit';
import { loadApiConfig } from '../lib/config';
import { ConsentStore } from '../lib/consent';
import { connectClient } from '../lib/temporal';
import { Lifecycle } from '../api/lifecycle';
import { stateQuery } from '../workflows/messages';
import { driveBrowserFlow } from './support/oauthBrowser';
import { startFaultProxy, type FaultProxy } from './support/faultProxy';
import { apiClient, bootStack, clientCredentialsBody, eventually, introspect, storeInspector, type Stack } from './support/harness';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let store: Awaited<ReturnType<typeof storeInspector>>;
let proxy: FaultProxy;
let redirectUri: string;
let replica: Awaited<ReturnType<Stack['startApiReplica']>>;

beforeAll(async () => {
  stack = await bootStack('faults');
  api = apiClient(stack);
  store = await storeInspector(stack);
  proxy = await startFaultProxy(stack.provider.url);
  redirectUri = (await api.get('/v1/meta')).body.redirectUri;
  replica = await stack.startApiReplica('api-2');
});

afterAll(async () => {
  await replica?.process.stop();
  await proxy?.close();
  await store?.close();
  await stack?.stop();
});

describe('consent callback', () => {
  // A few rounds: the race this guards against shows in about one round of three against the old code.
  test.each([1, 2, 3])('20 parallel fetches of one callback: one code exchange, the grant stays alive, the rest are told "already used" (round %i)', async () => {
    // Token requests go through a pass-through proxy so the test can count what reaches the provider's token endpoint.
    const created = await api.post('/v1/integrations', {
      label: 'Parallel callbacks',
      grantType: 'authorization_code',
      authorizationUrl: stack.provider.authorizationUrl,
      tokenUrl: `${proxy.url}/token`,
      redirectUri,
      clientId: stack.demoClient.clientId,
      clientSecret: stack.demoClient.clientSecret,
      scope: 'openid offline_access read',
      apiBaseUrl: 'https://api.example.com',
      tenantId: 'acme',
    });
    expect(created.status).toBe(201);
    const callback = await driveBrowserFlow(created.body.consent.authorizationUrl, redirectUri, 'alice');
    const before = proxy.requests().filter((r) => r.path === '/token').length;

    // Half of them through a second api instance, as a load balancer would spread them.
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const res = await fetch(i % 2 ? callback.toString().replace(stack.apiUrl, replica.url) : callback.toString());
        return { status: res.status, html: await res.text() };
      }),
    );

    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    const others = answers.filter((a) => a.status !== 200);
    expect(others.map((a) => a.status)).toEqual(Array(19).fill(400));
    for (const other of others) expect(other.html).toContain('already been used');
    expect(proxy.requests().filter((r) => r.path === '/token').length - before).toBe(1);
    const token = await api.get(`/v1/integrations/${created.body.id}/token`);
    expect(token.status).toBe(200);
    expect((await introspect(stack, token.body.access_token)).active).toBe(true);
  });
});

test('a state is consumed once when 20 callers race for it on separate connections', async () => {
  const codecKey = { id: 'test', key: randomBytes(32) };
  const conns = await Promise.all(Array.from({ length: 4 }, () => mongoose.createConnection(stack.mongoUri).asPromise()));
  try {
    const stores = conns.map((c) => new ConsentStore(c, [codecKey], 60_000));
    for (let round = 0; round < 10; round++) {
      const { state } = await stores[0].start(`int_race_${round}`, 'test');
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % stores.length].consume(state)));
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(['ok', ...Array(19).fill('used')]);
    }
  } finally {
    await Promise.all(conns.map((c) => c.close()));
  }
});

describe('audit minute counts', () => {
  let conns: mongoose.Connection[];
  let logs: AuditLog[];
  let uri: string;

  beforeEach(async () => {
    // Two api replicas' audit logs on their own connections, as two processes would have them.
    uri = stack.mongoUri.replace(/\/steward$/, `/audit_${randomBytes(4).toString('hex')}`);
    conns = await Promise.all([1, 2].map(() => mongoose.createConnection(uri).asPromise()));
    logs = conns.map((c) => new AuditLog(c));
    await Promise.all(conns.map((c) => c.models.AuditMinuteCount.init()));
  });

  afterEach(async () => {
    await Promise.all(logs.map((l) => l.close().catch(() => undefined)));
    await Promise.all(conns.map((c) => c.close()));
  });

  const total = async (target: string) => {
    const rows = await conns[0].collection('audit_minute_counts').find({ target }).toArray();
    return rows.reduce((sum, r) => sum + (r.count as number), 0);
  };

  test('concurrent flushes of the same minute from two replicas all land, none fails', async () => {
    const targets = Array.from({ length: 25 }, (_, i) => `int_race_${i}`);
    for (const target of targets) {
      for (const log of logs) {
        log.count('token_read', 'principal-a', target);
        log.count('token_read', 'principal-a', target);
      }
    }
    const results = await Promise.allSettled(logs.map((l) => l.flush()));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    for (const target of targets) expect(await total(target)).toBe(4);
  });

  test('a batch whose flush failed is kept and lands with the next flush', async () => {
    const [log] = logs;
    for (let i = 0; i < 3; i++) log.count('rate_limited', 'principal-b', '/v1/integrations');
    // A real failure: the connection is gone while the batch is written.
    await conns[0].close();
    await expect(log.flush()).rejects.toThrow();
    await conns[0].openUri(uri);
    await log.flush();
    expect(await total('/v1/integrations')).toBe(3);
  });
});

/** One of 50 concurrent operations on an integration: rename, refresh, transfer, or `fourth` (a re-validation or a token read). */
function mixedOperation(id: string, i: number, fourth: () => ReturnType<ReturnType<typeof apiClient>['get']>) {
  switch (i % 4) {
    case 0:
      return api.patch(`/v1/integrations/${id}`, { label: `Renamed ${i}` });
    case 1:
      return api.post(`/v1/integrations/${id}/refresh`);
    case 2:
      return api.post(`/v1/integrations/${id}/owner`, { owner: `team-${i}` });
    default:
      return fourth();
  }
}

describe('requests overtaken by revocation', () => {
  const ALLOWED = [200, 201, 202, 404, 409, 410];

  test('50 mixed concurrent operations with a revoke in the middle answer 2xx, 404, 409 or 410, never 500', async () => {
    const created = await api.post('/v1/integrations', clientCredentialsBody(stack, { label: 'Mixed operations' }));
    expect(created.status).toBe(201);
    const id = created.body.id;
    const operation = (i: number) =>
      i === 25
        ? api.post(`/v1/integrations/${id}/revoke`)
        : mixedOperation(id, i, () => api.patch(`/v1/integrations/${id}`, { clientSecret: stack.demoClient.clientSecret })); // re-validates
    // The first half is under way (one has answered) when the revoke and the second half go out.
    const firstHalf = Array.from({ length: 25 }, (_, i) => operation(i));
    await Promise.race(firstHalf);
    const answers = await Promise.all([...firstHalf, ...Array.from({ length: 25 }, (_, i) => operation(25 + i))]);
    const unexpected = answers.map((a, i) => ({ i, status: a.status, error: a.body?.error })).filter((a) => !ALLOWED.includes(a.status));
    expect(unexpected).toEqual([]);
    expect(answers[25].status === 200 || answers[25].status === 202).toBe(true);
    await eventually(async () => (await api.get(`/v1/integrations/${id}`)).body.status === 'revoked', 'the integration to be revoked');
    // Afterwards every change is plainly 410.
    const late = await Promise.all([
      api.patch(`/v1/integrations/${id}`, { label: 'Too late' }),
      api.post(`/v1/integrations/${id}/refresh`),
      api.post(`/v1/integrations/${id}/owner`, { owner: 'team-late' }),
    ]);
    expect(late.map((a) => a.status)).toEqual([410, 410, 410]);
  });

  test('a create whose update-with-start RPC is cancelled answers pending (504), not 500, and the workflow carries on', async () => {
    const config = loadApiConfig(stack.env);
    const { client, connection } = await connectClient({ ...config.temporal, codecKeys: config.codecKeys });
    try {
      const lifecycle = new Lifecycle(client, config.temporal.taskQueue, config.lifecycle);
      proxy.setMode({ kind: 'hang' }, { paths: ['/token'] }); // validation waits at the provider
      const id = `int_${randomBytes(12).toString('hex')}`;
      const body = clientCredentialsBody(stack, { tokenUrl: `${proxy.url}/token` });
      const integration = {
        id,
        label: body.label,
        grantType: 'client_credentials' as const,
        tokenUrl: body.tokenUrl,
        clientId: body.clientId,
        scope: body.scope,
        apiBaseUrl: body.apiBaseUrl,
        tenantId: body.tenantId,
        revocationUrl: null,
        tokenAuthMethod: 'client_secret_basic' as const,
        authorizationUrl: null,
        redirectUri: null,
        owner: 'test',
        preset: null,
        issuer: null,
        authorizationParams: {},
        tokenRequestHeaders: [],
      };
      const abort = new AbortController();
      const creating = client.withAbortSignal(abort.signal, () => lifecycle.create(integration, { clientSecret: body.clientSecret }, 'test', 60_000));
      await eventually(async () => proxy.requests().some((r) => r.path === '/token' && r.answeredWith === 'hang'), 'validation to reach the provider');
      abort.abort();
      await expect(creating).rejects.toMatchObject({ code: 'pending' });
      proxy.setMode({ kind: 'pass' });
      await eventually(async () => (await api.get(`/v1/integrations/${id}`)).body?.status === 'active', 'the create to finish on its own');
    } finally {
      proxy.setMode({ kind: 'pass' });
      await connection.close();
    }
  });
});

describe('50 concurrent operations on one live integration', () => {
  test('rotating grant: every answer 2xx (or an honest 409/503), no failed workflow task, workflow state equals the projection', async () => {
    const minted = await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'read');
    const created = await api.post('/v1/integrations', clientCredentialsBody(stack, { grantType: 'refresh_token', refreshToken: minted.refresh_token, tokenUrl: `${proxy.url}/token`, scope: 'read' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await eventually(async () => (await api.get(`/v1/integrations/${id}/token`)).status === 200, 'a first token', 60_000);
    const operation = (i: number) => mixedOperation(id, i, () => api.get(`/v1/integrations/${id}/token`));
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => operation(i)));
    const unexpected = answers.map((a, i) => ({ i, status: a.status, error: a.body?.error })).filter((a) => ![200, 202, 409, 503].includes(a.status));
    expect(unexpected).toEqual([]);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(40); // contention is no reason to refuse

    const config = loadApiConfig(stack.env);
    const { client, connection } = await connectClient({ ...config.temporal, codecKeys: config.codecKeys });
    try {
      const handle = client.workflow.getHandle(`integration-${id}`);
      // Quiet again: the projection has caught up with the workflow's own state.
      const settled = await eventually(async () => {
        const state = await handle.query(stateQuery);
        const row = await store.db.collection<{ _id: string; state: { status: string; secretVersionId: string | null } }>('integrations').findOne({ _id: id });
        return state.status === 'active' && row?.state.status === state.status && row.state.secretVersionId === state.secretVersionId && { state, row };
      }, 'the projection to equal the workflow state', 60_000);
      expect(settled.row.state.status).toBe('active');
      const failedTasks: string[] = [];
      for (const event of (await handle.fetchHistory()).events ?? []) {
        if (event.workflowTaskFailedEventAttributes) failedTasks.push(event.workflowTaskFailedEventAttributes.failure?.message ?? 'no message');
      }
      expect(failedTasks).toEqual([]);
      const described = await handle.describe();
      expect(described.raw.pendingWorkflowTask?.attempt ?? 1).toBeLessThanOrEqual(1);
      expect((await api.get(`/v1/integrations/${id}`)).body.workflowTaskFailing).toBeNull();
      // The grant survived the storm: the token served is live at the provider.
      const token = await api.get(`/v1/integrations/${id}/token`);
      expect(token.status).toBe(200);
      expect((await introspect(stack, token.body.access_token)).active).toBe(true);
    } finally {
      await connection.close();
    }
  }, 180_000);
});

describe('Idempotency-Key on create', () => {
  const createWithKey = (body: unknown, key: string, as = api) => as.call('POST', '/v1/integrations', body, { 'idempotency-key': key });
  const countLabelled = (label: string) => store.integrationCount({ label });

  test('a retry while the first create is still validating gets the same integration, and only one exists', async () => {
    const key = `retry-${randomBytes(6).toString('hex')}`;
    const body = clientCredentialsBody(stack, { tokenUrl: `${proxy.url}/token` });
    proxy.setMode({ kind: 'hang' }, { paths: ['/token'] });
    let first: ReturnType<typeof createWithKey> | undefined;
    try {
      first = createWithKey(body, key);
      await eventually(async () => proxy.requests().some((r) => r.path === '/token' && r.answeredWith === 'hang'), 'validation to reach the provider');
      const retries = [1, 2, 3].map(() => createWithKey(body, key));
      proxy.setMode({ kind: 'pass' });
      const answers = await Promise.all([first, ...retries]);
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    } finally {
      proxy.setMode({ kind: 'pass' });
    }
    const again = await fetch(`${stack.apiUrl}/v1/integrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe((await first!).body.id);
    expect(await countLabelled(body.label)).toBe(1);
  });

  test('the same key with another body is refused with 422; another principal with the same key gets its own integration', async () => {
    const key = `reuse-${randomBytes(6).toString('hex')}`;
    const body = clientCredentialsBody(stack);
    const first = await createWithKey(body, key);
    expect(first.status).toBe(201);
    const other = await createWithKey({ ...body, scope: 'read' }, key);
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ error: 'idempotency_key_reused', details: [{ path: 'Idempotency-Key' }] });

    const minted = await api.post('/v1/keys', { name: 'second admin', role: 'admin' });
    expect(minted.status).toBe(201);
    const second = await createWithKey(body, key, apiClient(stack, minted.body.key));
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect(await countLabelled(body.label)).toBe(2);
  });

  test('a malformed key is a 400 naming the header', async () => {
    const res = await createWithKey(clientCredentialsBody(stack), 'has spaces in it');
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ path: 'Idempotency-Key', message: expect.any(String) }]);
  });
});
