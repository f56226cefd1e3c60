// The token mirror: two api instances on one stack see revocations and status changes within the documented bound, a stale reader reloads, and list pages are exact under inserts.
import mongoose from 'mongoose';
import { GAP_WAIT_MS, LogCursor, STALE_READER_MS } from '../lib/changeLog';
import { LocalKeyRing } from '../lib/envelope';
import { loadWorkerConfig } from '../lib/config';
import { Registry } from '../lib/registry';
import { TokenStore } from '../lib/tokenStore';
import { propagationBoundMs, TokenMirror } from '../api/tokenMirror';
import { apiClient, bootStack, clientCredentialsBody, type Stack } from './support/harness';
import type { RunningProcess } from '../scripts/stack';

const POLL_MS = 250;
const BOUND_MS = propagationBoundMs(POLL_MS);
// Two processes, a FerretDB and the load of a shared machine between a write and a read: what the bound does not cover.
const SLACK_MS = 1500;

let stack: Stack;
let a: ReturnType<typeof apiClient>;
let b: ReturnType<typeof apiClient>;
let replica: { url: string; process: RunningProcess };

beforeAll(async () => {
  stack = await bootStack('mirror', { env: { STEWARD_MIRROR_POLL_MS: String(POLL_MS) } });
  a = apiClient(stack);
  // B's registry fallback would only start after a minute: what B refuses, it learned from its mirror.
  replica = await stack.startApiReplica('api-b', { STEWARD_STATE_CACHE_MS: '60000' });
  b = apiClient({ ...stack, apiUrl: replica.url });
});

afterAll(async () => {
  await replica?.process.stop();
  await stack?.stop();
});

/** Reads the token on `api` until it is refused; returns how long after `since` that was. */
async function refusedWithin(api: ReturnType<typeof apiClient>, id: string, since: number, limitMs: number): Promise<{ ms: number; status: number }> {
  for (;;) {
    const res = await api.get(`/v1/integrations/${id}/token`);
    const ms = Date.now() - since;
    if (res.status !== 200) return { ms, status: res.status };
    if (ms > limitMs) throw new Error(`still served ${ms} ms after the change`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('a revoke through A stops A at once and B within the documented bound', async () => {
  const { id } = (await a.post('/v1/integrations', clientCredentialsBody(stack))).body;
  expect((await a.get(`/v1/integrations/${id}/token`)).status).toBe(200);
  expect((await b.get(`/v1/integrations/${id}/token`)).status).toBe(200);
  const answered = await a.post(`/v1/integrations/${id}/revoke`);
  expect(answered.status).toBeLessThan(300);
  const answeredAt = Date.now();
  // A marked the integration revoked before it asked the workflow: its very next read is refused, with no wait.
  expect((await a.get(`/v1/integrations/${id}/token`)).status).toBe(410);
  const onB = await refusedWithin(b, id, answeredAt, BOUND_MS + SLACK_MS);
  expect(onB.status).toBe(410);
});

test('a status change reaches the other instance within the bound', async () => {
  const client = { clientId: `mirror-${Date.now()}`, clientSecret: 'first-secret-value' };
  expect((await fetch(`${stack.provider.url}/__control/clients`, { method: 'POST', body: JSON.stringify(client) })).status).toBe(201);
  const { id } = (await a.post('/v1/integrations', clientCredentialsBody(stack, client))).body;
  expect((await b.get(`/v1/integrations/${id}/token`)).status).toBe(200);
  // The provider no longer knows the secret: the forced refresh ends in invalid_client, so the integration is disconnected.
  await fetch(`${stack.provider.url}/__control/clients/${client.clientId}/secret`, { method: 'POST', body: JSON.stringify({ clientSecret: 'second-secret-value' }) });
  const refreshed = await a.post(`/v1/integrations/${id}/refresh`);
  expect(refreshed.body.status).toBe('disconnected');
  const onB = await refusedWithin(b, id, Date.now(), BOUND_MS + SLACK_MS);
  expect(onB.status).toBe(409);
});

describe('a mirror in this process, on the stack\'s registry', () => {
  let registry: Registry;
  let conn: mongoose.Connection;
  let store: TokenStore;
  beforeAll(async () => {
    registry = await Registry.connect(stack.mongoUri);
    conn = registry.conn;
    store = new TokenStore(conn, new LocalKeyRing(loadWorkerConfig(stack.env).tokenStoreKeys));
  });
  afterAll(async () => registry?.close());

  test('a poll after more than a minute without one reloads everything, including what the log no longer holds', async () => {
    const { id } = (await a.post('/v1/integrations', clientCredentialsBody(stack))).body;
    let now = Date.now();
    const mirror = new TokenMirror(registry, store, { pollMs: 60_000, clock: () => now });
    await mirror.start();
    mirror.stop(); // polls are stepped by hand below
    expect(mirror.get(id)?.label).toBeDefined();
    // A change the log does not announce (as if its entry had been pruned while the reader slept).
    await conn.db!.collection('integrations').updateOne({ _id: id }, { $set: { label: 'changed behind the log' } });
    now += 1000;
    await mirror.poll();
    expect(mirror.get(id)?.label).not.toBe('changed behind the log');
    now += STALE_READER_MS + 1;
    await mirror.poll();
    expect(mirror.get(id)?.label).toBe('changed behind the log');
  });

  test('list pages return every integration exactly once while others are inserted', async () => {
    const integrations = conn.db!.collection<Record<string, unknown>>('integrations');
    const template = (await integrations.findOne({}))!;
    const insert = (n: number, tag: string) =>
      integrations.insertMany(
        Array.from({ length: n }, (_, i) => ({ ...template, _id: `int_${tag}${String(i).padStart(24 - tag.length, '0')}`, createdAt: new Date(), updatedAt: new Date() })) as never[],
      );
    await insert(60, 'aa');
    const before = new Set((await integrations.find({}, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)));
    const seen: string[] = [];
    let after: string | null = null;
    let page = 0;
    do {
      const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await a.get(`/v1/integrations?limit=7${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i) => i.id));
      after = res.body.nextCursor;
      if (page++ % 2 === 0) await insert(3, `b${page}`); // newer than every cursor: they belong before the first page
    } while (after);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen).toContain(id);
  });
});

describe('the log cursor (no database)', () => {
  const entry = (rev: number, id = `i${rev}`) => ({ _id: rev, integrationId: id, at: new Date() });

  test('waits for a gap, then passes it, and the rescan still applies its late entry', () => {
    const c = new LogCursor();
    c.reset(0, 0);
    expect(c.take([entry(1), entry(3)], 0)).toEqual(['i1', 'i3']);
    expect(c.confirmed).toBe(1); // 2 is missing: wait
    expect(c.take([entry(3)], GAP_WAIT_MS - 1)).toEqual([]);
    expect(c.confirmed).toBe(1);
    c.take([], GAP_WAIT_MS);
    expect(c.confirmed).toBe(3);
    expect(c.givenUp(GAP_WAIT_MS)).toEqual([2]);
    expect(c.filled(entry(2))).toBe('i2');
    expect(c.givenUp(GAP_WAIT_MS)).toEqual([]);
  });

  test('a gap that fills in time is applied in order', () => {
    const c = new LogCursor();
    c.reset(10, 0);
    c.take([entry(12)], 0);
    expect(c.confirmed).toBe(10);
    expect(c.take([entry(11), entry(12)], 100)).toEqual(['i11']);
    expect(c.confirmed).toBe(12);
  });
});
