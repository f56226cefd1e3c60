// Secrets Manager as AWS runs it: the emulator enforces the real limits, Steward stays inside its write budget,
// keeps rotated refresh tokens through a worker killed mid-write, and its token store is opaque in a database dump.
import {
  CreateSecretCommand,
  LimitExceededException,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { SM_LIMITS } from '../scripts/smQuota';
import type { TokenStore } from '../lib/tokenStore';
import { apiClient, bootStack, clientCredentialsBody, eventually, FAST_LIFECYCLE, introspect, statusOf, openTokenStore, storeInspector, type Stack } from './support/harness';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let store: Awaited<ReturnType<typeof storeInspector>>;
let opened: Awaited<ReturnType<typeof openTokenStore>>;
let tokenStore: TokenStore;

beforeAll(async () => {
  stack = await bootStack('vault', FAST_LIFECYCLE);
  api = apiClient(stack);
  store = await storeInspector(stack);
  // The test reads the token store as the worker does, with the stack's key ring.
  opened = await openTokenStore(stack);
  tokenStore = opened.tokenStore;
}, 180_000);

afterAll(async () => {
  await opened?.close();
  await store?.close();
  await stack?.stop();
});

// maxSockets: the SDK's default pool (50 sockets) lets no more than 50 requests reach the proxy before the first
// answers come back, so a burst on a busy machine could stay under 50 writes/s and never be throttled.
const smClient = (maxAttempts: number) =>
  new SecretsManagerClient({ region: 'us-east-1', endpoint: stack.motoUrl, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts, requestHandler: { httpAgent: { maxSockets: 200 } } });
/** One attempt per call, repeated only while the regional rate refuses it: the answer under test is the quota's. */
async function unthrottled<T>(call: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if ((err as Error).name !== 'ThrottlingException') throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
const eventsOf = async (id: string) => (await api.get(`/v1/integrations/${id}/events?limit=1000`)).body.items.reverse() as { to: string; reason: string }[];
const secretName = (id: string) => `steward/integrations/${id}`;

test('the emulator refuses a 101st version in 24 h, throttles past 50 writes/s and refuses values over 64 KiB, as AWS does', async () => {
  const patient = smClient(10); // filling the quota must not itself be refused for rate
  const strict = smClient(1);
  const SecretId = `quota-test/${Date.now()}`;
  const token = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  await patient.send(new CreateSecretCommand({ Name: SecretId, SecretString: 'v0', ClientRequestToken: token(0) }));
  for (let n = 1; n < 100; n++) await patient.send(new PutSecretValueCommand({ SecretId, SecretString: `v${n}`, ClientRequestToken: token(n) }));
  const put = (n: number) => unthrottled(() => strict.send(new PutSecretValueCommand({ SecretId, SecretString: `v${n}`, ClientRequestToken: token(n) })));
  await expect(put(100)).rejects.toBeInstanceOf(LimitExceededException);
  // A retry of an accepted write is idempotent, not a new version.
  await expect(put(99)).resolves.toBeDefined();
  try {
    stack.smQuota.setClockOffset(24 * 3600_000 + 60_000);
    await expect(put(101)).resolves.toBeDefined();
  } finally {
    stack.smQuota.setClockOffset(0);
  }

  // 150 writes sent at once: past 50 in one second some are throttled. A machine too busy to get them out within a
  // second gets up to five bursts.
  let throttled = 0;
  for (let round = 0; round < 5 && throttled === 0; round++) {
    const burst = await Promise.allSettled(Array.from({ length: 150 }, (_, n) => strict.send(new UpdateSecretCommand({ SecretId, Description: `burst ${round}.${n}` }))));
    throttled = burst.filter((r) => r.status === 'rejected' && (r.reason as Error).name === 'ThrottlingException').length;
  }
  expect(throttled).toBeGreaterThan(0);

  const huge = strict.send(new PutSecretValueCommand({ SecretId, SecretString: 'x'.repeat(65_537), ClientRequestToken: token(102) }));
  await expect(huge).rejects.toMatchObject({ name: 'ValidationException' });
  patient.destroy();
  strict.destroy();
});

/** A rotating refresh-token integration on the demo provider (every refresh issues a new refresh token). */
async function createRotating(): Promise<{ id: string; refreshToken: string }> {
  const minted = await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'read');
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack, { grantType: 'refresh_token', refreshToken: minted.refresh_token }));
  expect(created.status).toBe(201);
  return { id: created.body.id, refreshToken: minted.refresh_token };
}

const refreshCount = async (id: string) => (await eventsOf(id)).filter((e) => e.reason === 'refreshed').length;

test('refreshing 3-second tokens with rotation writes no Secrets Manager version beyond the budget; nothing degrades', async () => {
  const { id } = await createRotating();
  const served: string[] = [];
  await eventually(async () => {
    const token = await api.get(`/v1/integrations/${id}/token`);
    if (token.status === 200 && !served.includes(token.body.access_token)) served.push(token.body.access_token);
    return (await refreshCount(id)) >= 8;
  }, 'eight refreshes', 90_000, 200);
  // Created once (urgent: a person supplied the refresh token); every rotation since waits for the 15-minute spacing.
  expect(stack.smQuota.ledger.versionCount(secretName(id))).toBe(1);
  expect(await store.db.collection('token_records').countDocuments({ integrationId: id, pending: true })).toBeGreaterThan(0);
  expect((await eventsOf(id)).map((e) => e.to)).not.toContain('degraded');
  expect((await statusOf(api, id)).status).toBe('active');
  const latest = await api.get(`/v1/integrations/${id}/token`);
  expect(latest.status).toBe(200);
  expect((await introspect(stack, latest.body.access_token)).active).toBe(true);
  expect(served.length).toBeGreaterThan(2); // the api read new generations from the token store
}, 120_000);

test('a MongoDB dump holds no token, in plaintext or in any common encoding', async () => {
  const { id, refreshToken } = await createRotating();
  await eventually(async () => (await refreshCount(id)) >= 2, 'two refreshes', 60_000);
  const accessToken = (await api.get(`/v1/integrations/${id}/token`)).body.access_token as string;
  const records = await store.db.collection('token_records').find({ integrationId: id }).toArray();
  expect(records.length).toBeGreaterThan(0);
  const dump = await store.dumpAll();
  const raw = Buffer.concat(records.map((r) => Buffer.from(r.data.buffer)));
  for (const secret of [accessToken, refreshToken, stack.demoClient.clientSecret]) {
    for (const form of [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), Buffer.from(secret).toString('hex')]) {
      expect(dump.includes(form)).toBe(false);
    }
    expect(raw.includes(Buffer.from(secret))).toBe(false);
  }
}, 90_000);

test('a vault behind the workflow (only an older generation held) is a transient failure: the spent refresh token is not presented', async () => {
  const { id } = await createRotating();
  await eventually(async () => (await refreshCount(id)) >= 2, 'two refreshes', 60_000);
  await stack.stopWorker(); // freeze the lifecycle while the vault is rolled back
  const latest = await tokenStore.latest(id); // the refresh token the provider currently honours
  expect(latest?.value.refreshToken).toBeTruthy();
  // Roll the vault back: only Secrets Manager's creation-time version (the refresh token minted first, long spent) remains.
  await store.db.collection('token_records').deleteMany({ integrationId: id });
  await stack.startWorker();
  await api.post(`/v1/integrations/${id}/refresh`);
  const state = await eventually(async () => {
    const s = await statusOf(api, id);
    return s.lastError?.code === 'vault_behind' && s;
  }, 'the refresh to fail as vault_behind', 60_000);
  expect(state.status).not.toBe('awaiting_consent');
  // Presenting the spent refresh token would have made the provider revoke the whole grant, the current refresh token included.
  expect((await introspect(stack, latest!.value.refreshToken!)).active).toBe(true);
}, 150_000);

test('a storm that saturates the region\'s 50 writes/s throttles Steward\'s writes, and nothing degrades', async () => {
  await stack.stopWorker();
  await stack.startWorker({ STEWARD_VAULT_WRITE_SPACING_SECONDS: '0' }); // every rotation asks Secrets Manager
  const { id } = await createRotating();
  await eventually(async () => (await refreshCount(id)) >= 1, 'a first refresh', 60_000);
  const refusedBefore = stack.smQuota.ledger.refusedBySecret.get(secretName(id)) ?? 0;
  // Other tenants of the region take all 50 writes/s until three refreshes went by.
  stack.smQuota.ledger.backgroundWritesPerSecond = SM_LIMITS.writesPerSecond;
  let versionsBefore = 0;
  try {
    // A write admitted just before the storm belongs to a refresh that is recorded by the next event at the latest.
    const stormStart = await refreshCount(id);
    await eventually(async () => (await refreshCount(id)) >= stormStart + 1, 'a refresh in the storm', 60_000);
    versionsBefore = stack.smQuota.ledger.versionCount(secretName(id));
    const refreshesBefore = await refreshCount(id);
    await eventually(async () => (await refreshCount(id)) >= refreshesBefore + 3, 'three refreshes during the storm', 60_000);
  } finally {
    stack.smQuota.ledger.backgroundWritesPerSecond = 0;
  }
  expect(stack.smQuota.ledger.refusedBySecret.get(secretName(id)) ?? 0).toBeGreaterThan(refusedBefore); // Steward's own writes were throttled
  expect((await eventsOf(id)).map((e) => e.to)).not.toContain('degraded');
  expect((await statusOf(api, id)).status).toBe('active');
  expect(stack.smQuota.ledger.versionCount(secretName(id))).toBe(versionsBefore); // nothing got through: all pending in the store
  // Weather passes: the rotated refresh token reaches Secrets Manager after the storm.
  await eventually(async () => stack.smQuota.ledger.versionCount(secretName(id)) > versionsBefore, 'a version after the storm', 60_000);
  await stack.stopWorker();
  await stack.startWorker();
}, 180_000);

test('a worker killed while Secrets Manager writes a rotated refresh token loses nothing: the grant keeps refreshing after restart', async () => {
  // Every refresh tries Secrets Manager (no spacing), so the write to kill in is the rotation's.
  const eager = { STEWARD_VAULT_WRITE_SPACING_SECONDS: '0' };
  await stack.stopWorker();
  await stack.startWorker(eager);
  const { id } = await createRotating();
  await eventually(async () => (await refreshCount(id)) >= 1, 'a first refresh', 60_000);

  const held = stack.smQuota.holdNext((w) => w.operation === 'PutSecretValue' && w.secret === secretName(id));
  await held.reached;
  // The provider has answered and rotated; the new refresh token is in the token store, pending; Secrets Manager has not got it.
  const pending = await store.db.collection('token_records').find({ integrationId: id, pending: true }).sort({ generation: -1 }).limit(1).toArray();
  expect(pending).toHaveLength(1);
  process.kill(-stack.worker!.pid, 'SIGKILL');
  await stack.stopWorker();
  held.release();

  const before = await refreshCount(id);
  await stack.startWorker(eager);
  // The killed attempt times out and is retried; it finds the pending generation instead of spending the old token.
  await eventually(async () => (await refreshCount(id)) >= before + 3, 'three more refreshes after the restart', 150_000, 500);
  expect((await eventsOf(id)).map((e) => e.to)).not.toContain('awaiting_consent');
  const token = await eventually(async () => {
    const res = await api.get(`/v1/integrations/${id}/token`);
    return res.status === 200 && res.body;
  }, 'a served token');
  expect((await introspect(stack, token.access_token)).active).toBe(true);
  await stack.stopWorker();
  await stack.startWorker();
}, 240_000);
