// Reads follow the one refresh rule: between scheduled refreshes they cost no provider request and no secret write, and never wait while valid.
import { ListSecretVersionIdsCommand } from '@aws-sdk/client-secrets-manager';
import { randomBytes } from 'node:crypto';
import { startDemoProvider, type DemoProvider } from '../demo/provider';
import { startFaultProxy, type FaultProxy } from './support/faultProxy';
import { apiClient, bootStack, eventually, storeInspector, type Stack } from './support/harness';

const N = 25;
const PROVIDER_TIMEOUT_MS = 2000;
const client = { clientId: 'duerule-client', clientSecret: randomBytes(18).toString('base64url') };

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let store: Awaited<ReturnType<typeof storeInspector>>;
const started: { provider: DemoProvider; proxy: FaultProxy }[] = [];

beforeAll(async () => {
  // The default 300 s buffer: 30 s and 300 s tokens fall under the half-life rule, 900 s ones under the buffer rule.
  // Default retry pace too (2 s base, degraded after 4 failures, then every 150–300 s); a short provider timeout makes
  // the api count the lifecycle late (twice the timeout past its plan) within a 30 s token's life.
  stack = await bootStack('duerule', { env: { STEWARD_STATE_CACHE_MS: '200', STEWARD_PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS) } });
  api = apiClient(stack);
  store = await storeInspector(stack);
});

afterAll(async () => {
  for (const { provider, proxy } of started) {
    await proxy.close();
    await provider.close();
  }
  await store?.close();
  await stack?.stop();
});

/** A refresh-token integration on its own demo provider (given lifetime and rotation), reached through a counting proxy. */
async function integrationOn(lifetimeSeconds: number, rotate: boolean) {
  const provider = await startDemoProvider({ port: 0, clients: [client], accessTokenTtlSeconds: lifetimeSeconds, rotateRefreshTokens: rotate });
  const proxy = await startFaultProxy(provider.url);
  started.push({ provider, proxy });
  const minted = await provider.mintRefreshToken(client.clientId, 'read');
  const created = await api.post('/v1/integrations', {
    label: `due rule ${lifetimeSeconds}s ${rotate ? 'rotating' : 'fixed'}`,
    grantType: 'refresh_token',
    tokenUrl: `${proxy.url}/token`,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    refreshToken: minted.refresh_token,
    scope: 'read',
    apiBaseUrl: 'https://api.example.com',
    tenantId: 'acme',
  });
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  return {
    id,
    proxy,
    /** Token requests (grants, not revocation) the provider received before `until`. */
    tokenRequestsBefore: (until: number) => proxy.requests().filter((r) => r.path === '/token' && r.at < until).length,
    /** Every secret version written so far (the emulator dates them to the second only, so they are told apart by id). */
    secretVersions: async () => {
      const out = await store.sm.send(new ListSecretVersionIdsCommand({ SecretId: `steward/integrations/${id}`, IncludeDeprecated: true, MaxResults: 100 }));
      return (out.Versions ?? []).map((v) => v.VersionId!);
    },
    introspect: async (token: string) => {
      const res = await fetch(provider.introspectionUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ token }),
      });
      return ((await res.json()) as { active: boolean }).active;
    },
  };
}

/** The projection the workflow wrote, as the api reads it. */
async function projection(id: string): Promise<{ status: string; consecutiveFailures: number; refreshDueAt: string; nextAttemptAt: string; expiresAt: string; secretVersionId: string }> {
  const doc = await store.db.collection('integrations').findOne({ _id: id as never });
  return doc!.state;
}

const eventsOf = async (id: string) => (await api.get(`/v1/integrations/${id}/events?limit=1000`)).body.items.reverse() as { reason: string; actor: string }[];

const readToken = async (id: string) => {
  const res = await api.get(`/v1/integrations/${id}/token`);
  expect(res.status).toBe(200);
  return res.body.access_token as string;
};

describe.each([30, 300, 900])('%i s provider tokens', (lifetime) => {
  test.each([true, false])(`${N} reads between two scheduled refreshes: 0 provider requests, 0 secret writes, one active token (rotation %s)`, async (rotate) => {
    const it = await integrationOn(lifetime, rotate);
    if (lifetime === 30) {
      // Short enough to read right after the workflow's own refresh (at half-life, 15 s in), not only after creation.
      await eventually(async () => (await eventsOf(it.id)).some((e) => e.reason === 'refreshed' && e.actor === 'system'), 'the first scheduled refresh', 40_000);
    }
    const before = await projection(it.id);
    const dueAt = Date.parse(before.refreshDueAt);
    const start = Date.now();
    expect(dueAt).toBeGreaterThan(start);
    const requestsBefore = it.tokenRequestsBefore(start);
    const versionsBefore = await it.secretVersions();

    const tokens: string[] = [];
    for (let round = 0; round < N / 5; round++) tokens.push(...(await Promise.all(Array.from({ length: 5 }, () => readToken(it.id)))));
    const end = Date.now();
    expect(end).toBeLessThan(dueAt); // all N reads fell between the two scheduled refreshes

    // Provider requests by time; secret writes by id, leaving out the version a scheduled refresh produced.
    const caused = async (until: number, scheduled: string | null) => ({
      requests: it.tokenRequestsBefore(until) - requestsBefore,
      writes: (await it.secretVersions()).filter((v) => !versionsBefore.includes(v) && v !== scheduled).length,
    });
    expect(await caused(Math.min(Date.now(), dueAt), null)).toEqual({ requests: 0, writes: 0 });
    expect((await projection(it.id)).secretVersionId).toBe(before.secretVersionId);
    if (lifetime === 30) {
      // Up to the next scheduled refresh nothing else happened either (a background request would have shown by then).
      const next = await eventually(async () => {
        const now = await projection(it.id);
        return now.secretVersionId !== before.secretVersionId && now;
      }, 'the next scheduled refresh', 40_000);
      expect(await caused(dueAt, next.secretVersionId)).toEqual({ requests: 0, writes: 0 });
    }
    expect(new Set(tokens).size).toBe(1);
    expect(await it.introspect(tokens[0]!)).toBe(true);
    expect((await eventsOf(it.id)).filter((e) => e.actor === 'token-endpoint')).toEqual([]);
  });
});

test('with the worker stopped, reads of a valid token past its due time return that token (no wait for a refresh that cannot happen)', async () => {
  const it = await integrationOn(30, true);
  const token = await readToken(it.id);
  const dueAt = Date.parse((await projection(it.id)).refreshDueAt);
  await stack.stopWorker();
  try {
    // Past the due time and past the grace an attempt of the lifecycle may take: reads now also nudge the absent worker.
    await eventually(async () => Date.now() > dueAt + 2 * PROVIDER_TIMEOUT_MS, 'the lifecycle to be late', 30_000);
    const served = await Promise.all(Array.from({ length: N }, () => readToken(it.id)));
    expect(new Set(served)).toEqual(new Set([token]));
    expect(await it.introspect(token)).toBe(true);
  } finally {
    await stack.startWorker();
  }
  // Back up, the overdue timer refreshes: the rule delayed nothing, it only stopped reads from asking early.
  await eventually(async () => (await readToken(it.id)) !== token, 'a fresh token after the worker returns', 40_000);
});

test('while the provider fails and the lifecycle backs off, reads add no provider attempt to its pace', async () => {
  const it = await integrationOn(30, true);
  it.proxy.setMode({ kind: 'status', status: 503 }, { paths: ['/token'] });
  try {
    // Due 15 s in; four failed attempts 1–8 s apart make it degraded, the next attempt 150–300 s later.
    const degraded = await eventually(async () => {
      const now = await projection(it.id);
      return now.status === 'degraded' && now.consecutiveFailures >= 4 && now;
    }, 'the integration to degrade to the slow pace', 60_000);
    const plannedAt = Date.parse(degraded.nextAttemptAt);
    const from = Date.now();
    expect(plannedAt).toBeGreaterThan(from);
    const requestsBefore = it.tokenRequestsBefore(from);

    const answers: number[] = [];
    const readAll = async () => {
      for (let round = 0; round < N / 5; round++) answers.push(...(await Promise.all(Array.from({ length: 5 }, async () => (await api.get(`/v1/integrations/${it.id}/token`)).status))));
    };
    await readAll(); // valid or not, as it happens
    await eventually(async () => Date.now() > Date.parse(degraded.expiresAt), 'the token to expire', 30_000);
    await readAll(); // expired, the next attempt minutes away: refused at once
    expect(answers.slice(N).every((status) => status === 503)).toBe(true);
    expect(answers.every((status) => status === 200 || status === 503)).toBe(true);
    expect(it.tokenRequestsBefore(Math.min(Date.now(), plannedAt)) - requestsBefore).toBe(0);
  } finally {
    it.proxy.setMode({ kind: 'pass' });
  }
});
