// Wrong answers under faults: parallel consent callbacks, requests overtaken by revocation, retried creates, racing audit flushes.
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { AuditLog } from '../lib/audit';
import { ConsentStore } from '../lib/consent';
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
      const { state } = await stores[0].start(`int_race_${round}`);
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
