// Grants survive the network and the worker: late provider answers are awaited and stored, a lost one is named
// (refresh_answer_lost), a dead worker's attempt is retried promptly, a retry never sends while a live attempt awaits
// its answer (refresh_in_flight), and a replaced refresh token is revoked.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startFaultProxy, type FaultProxy } from './support/faultProxy';
import { IN_FLIGHT_LIVE_MS, tokenActivities } from '../activities/tokens';
import { loadWorkerConfig } from '../lib/config';
import { Credentials } from '../lib/credentials';
import { Registry } from '../lib/registry';
import type { TokenStore } from '../lib/tokenStore';
import { Vault } from '../lib/vault';
import { apiClient, bootStack, clientCredentialsBody, eventually, FAST_LIFECYCLE, introspect, statusOf, openTokenStore, storeInspector, type Stack } from './support/harness';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let proxy: FaultProxy;
let opened: Awaited<ReturnType<typeof openTokenStore>>;
let tokenStore: TokenStore;
let store: Awaited<ReturnType<typeof storeInspector>>;

beforeAll(async () => {
  stack = await bootStack('lostgrants', FAST_LIFECYCLE); // STEWARD_PROVIDER_TIMEOUT_MS is 1.5 s here
  api = apiClient(stack);
  store = await storeInspector(stack);
  proxy = await startFaultProxy(stack.provider.url);
  opened = await openTokenStore(stack);
  tokenStore = opened.tokenStore;
}, 180_000);

afterAll(async () => {
  await opened?.close();
  await store?.close();
  await proxy?.close();
  await stack?.stop();
});

const eventsOf = async (id: string) => (await api.get(`/v1/integrations/${id}/events?limit=1000`)).body.items.reverse() as { to: string; reason: string }[];
const refreshCount = async (id: string) => (await eventsOf(id)).filter((e) => e.reason === 'refreshed').length;

/** A rotating refresh-token integration (every refresh issues a new refresh token; reuse of a spent one revokes the grant). */
async function createRotating(tokenUrl: string): Promise<string> {
  const minted = await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'read');
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack, { grantType: 'refresh_token', refreshToken: minted.refresh_token, tokenUrl }));
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/** Revokes integrations at the end of a test: the proxy's counted faults must meet the next test's requests only. */
async function retire(ids: string[]): Promise<void> {
  for (const id of ids) expect([200, 202]).toContain((await api.post(`/v1/integrations/${id}/revoke`)).status);
  await eventually(async () => (await Promise.all(ids.map(async (id) => (await statusOf(api, id)).status === 'revoked'))).every(Boolean), 'the integrations revoked');
}

/**
 * Whether the grant Steward holds is still alive at the provider (its newest refresh token introspects active). A
 * refresh in flight has already rotated the token at the provider before Steward stores the new one, so a grant
 * counts as lost only when it stays dead for 10 s.
 */
async function grantAlive(id: string): Promise<boolean> {
  const aliveNow = async () => {
    const held = await tokenStore.latest(id);
    return Boolean(held?.value.refreshToken && (await introspect(stack, held.value.refreshToken)).active);
  };
  return eventually(aliveNow, `the grant of ${id} to introspect active`, 10_000, 500).then(
    () => true,
    () => false,
  );
}

/**
 * Every token answer held `ms` by the proxy until each of `ids` refreshed `times` more or gave up on two attempts
 * (abandoned answers); then answers flow again until each is refreshed or needs consent. Returns the grants lost.
 */
async function throughLateAnswers(ids: string[], ms: number, times: number): Promise<number> {
  const before = new Map(await Promise.all(ids.map(async (id) => [id, await refreshCount(id)] as const)));
  const refreshedEnough = async (id: string) => (await refreshCount(id)) >= before.get(id)! + times;
  proxy.setMode({ kind: 'delay', ms }, { paths: ['/token'] });
  try {
    await eventually(
      async () => (await Promise.all(ids.map(async (id) => (await refreshedEnough(id)) || (await statusOf(api, id)).consecutiveFailures >= 2))).every(Boolean),
      'every integration to refresh through late answers or abandon two of them',
      120_000,
      500,
    );
  } finally {
    proxy.setMode({ kind: 'pass' });
  }
  await eventually(
    async () => (await Promise.all(ids.map(async (id) => (await statusOf(api, id)).status === 'awaiting_consent' || (await refreshedEnough(id))))).every(Boolean),
    'every integration to be refreshed or need consent',
    60_000,
    500,
  );
  let lost = 0;
  for (const id of ids) if ((await statusOf(api, id)).status === 'awaiting_consent' || !(await grantAlive(id))) lost++;
  return lost;
}

test('provider answers later than STEWARD_PROVIDER_TIMEOUT_MS but within the refresh bound are awaited and stored: no rotating grant is lost', async () => {
  const rotating = async (n: number) => {
    const ids = await Promise.all(Array.from({ length: n }, () => createRotating(`${proxy.url}/token`)));
    await eventually(async () => (await Promise.all(ids.map(refreshCount))).every((c) => c >= 1), 'a first refresh each', 60_000);
    return ids;
  };
  // Control: with the refresh bound at the provider timeout (what Steward did before), the late answers are abandoned
  // and the retry presents the spent refresh token: the provider revokes those grants.
  const created: string[] = [];
  try {
    await stack.stopWorker();
    await stack.startWorker({ STEWARD_REFRESH_ANSWER_TIMEOUT_MS: '1500' });
    const control = await rotating(3);
    created.push(...control);
    const lostBefore = await throughLateAnswers(control, 4000, 1);
    expect(lostBefore).toBe(control.length);
    // Their abandoned requests were noted as in flight, so the invalid_grant that follows is named for the network.
    for (const id of control) expect((await statusOf(api, id)).lastError?.code).toBe('refresh_answer_lost');

    await stack.stopWorker();
    await stack.startWorker(); // default bound: 120 s
    const kept = await rotating(3);
    created.push(...kept);
    const lostAfter = await throughLateAnswers(kept, 4000, 2);
    expect(lostAfter).toBe(0);
    for (const id of kept) {
      const events = await eventsOf(id);
      expect(events.map((e) => e.to)).not.toContain('awaiting_consent');
      expect(events.map((e) => e.reason).join(' ')).not.toContain('invalid_grant');
      const token = await api.get(`/v1/integrations/${id}/token`);
      expect(token.status).toBe(200);
      expect((await introspect(stack, token.body.access_token)).active).toBe(true);
    }
    console.log(`late answers (4 s, provider timeout 1.5 s): grants lost ${lostBefore}/${control.length} with the bound at the provider timeout, ${lostAfter}/${kept.length} with the refresh bound`);
  } finally {
    await retire(created); // even after a failure: their refreshes must not meet the next test's proxy faults
  }
}, 300_000);

test('an answer lost in transit (the provider rotated, the connection closed) followed by invalid_grant is refresh_answer_lost', async () => {
  const id = await createRotating(`${proxy.url}/token`);
  await eventually(async () => (await refreshCount(id)) >= 1, 'a first refresh', 60_000);
  const spentToken = (await tokenStore.latest(id))!.value.refreshToken!;
  proxy.setMode({ kind: 'drop' }, { paths: ['/token'], times: 1 });
  const state = await eventually(async () => {
    const s = await statusOf(api, id);
    return s.status === 'awaiting_consent' && s;
  }, 'the integration to need consent', 60_000);
  expect(proxy.requests().some((r) => r.answeredWith === 'drop')).toBe(true);
  expect(state.lastError.code).toBe('refresh_answer_lost');
  expect(state.lastError.message).toContain('lost in transit');
  expect((await eventsOf(id)).find((e) => e.to === 'awaiting_consent')?.reason).toBe('refresh_answer_lost');
  // The note left in the store says nothing secret: an integration id and a generation.
  expect(Object.keys((await opened.connection.db!.collection('refresh_in_flight').findOne({}, { projection: { _id: 0 } })) ?? { generation: 0, startedAt: 0 }).sort()).toEqual(['generation', 'startedAt']);
  expect((await introspect(stack, spentToken)).active).toBe(false);
}, 120_000);

test('a worker killed while its refresh request is in flight: the attempt is retried within seconds and the grant survives', async () => {
  const id = await createRotating(`${proxy.url}/token`);
  await eventually(async () => (await refreshCount(id)) >= 1, 'a first refresh', 60_000);
  const holdFrom = proxy.requests().length;
  proxy.setMode({ kind: 'hang' }, { paths: ['/token'], times: 1 });
  await eventually(async () => proxy.requests().slice(holdFrom).some((r) => r.answeredWith === 'hang'), 'a refresh request held at the proxy', 30_000);
  process.kill(-stack.worker!.pid, 'SIGKILL');
  await stack.stopWorker();
  const before = await refreshCount(id);
  await stack.startWorker();
  const restartedAt = Date.now();
  // Without heartbeats the dead attempt would only time out after the 5-minute start-to-close bound.
  await eventually(async () => (await refreshCount(id)) >= before + 1, 'a refresh after the restart', 90_000, 200);
  console.log(`dead worker's attempt: refreshed ${Date.now() - restartedAt} ms after the new worker was up (heartbeat timeout 5 s)`);
  await eventually(async () => (await refreshCount(id)) >= before + 2, 'two refreshes after the restart', 90_000, 500);
  expect((await eventsOf(id)).map((e) => e.to)).not.toContain('awaiting_consent');
  expect(await grantAlive(id)).toBe(true);
  await retire([id]);
}, 180_000);

test('two attempts of one refresh side by side (a live attempt taken for dead and retried): the second sends nothing while the first awaits its answer, and the grant survives', async () => {
  const id = await createRotating(`${proxy.url}/token`);
  await eventually(async () => (await refreshCount(id)) >= 1, 'a first refresh', 60_000);
  // The two attempts run here, as the activity the worker runs: with the worker stopped, nothing else refreshes.
  await stack.stopWorker();
  const config = loadWorkerConfig(stack.env);
  const sm = new SecretsManagerClient({ region: 'us-east-1', endpoint: stack.motoUrl, credentials: { accessKeyId: 'steward-local', secretAccessKey: 'steward-local' } });
  const registry = await Registry.connect(stack.mongoUri);
  try {
    const { obtainAndStoreToken } = tokenActivities({
      credentials: new Credentials(new Vault(sm, config.secretPrefix), tokenStore),
      http: { allowInsecure: true, timeoutMs: config.providerTimeoutMs, refreshAnswerTimeoutMs: 60_000 },
    });
    const held = (await tokenStore.latest(id))!;
    const input = { integrationId: id, config: (await registry.find(id))!, secretArn: null, supplied: null, nextGeneration: held.generation + 1, defaultLifetimeSeconds: 3600 };
    const from = proxy.requests().length;
    const sent = () => proxy.requests().slice(from).filter((r) => r.path === '/token').length;
    // The provider answers the first attempt 9 s late; the second starts once the first has awaited past the
    // heartbeat timeout (what a retry after a missed heartbeat sees): only the renewed note can stop it.
    proxy.setMode({ kind: 'delay', ms: 9000 }, { paths: ['/token'] });
    const first = obtainAndStoreToken(input);
    await eventually(async () => {
      const note = await tokenStore.refreshInFlight(id);
      return note?.generation === input.nextGeneration && note.awaitedAt && note.awaitedAt.getTime() - note.startedAt.getTime() > IN_FLIGHT_LIVE_MS + 500;
    }, 'the first attempt to have awaited its answer longer than the heartbeat timeout', 30_000, 200);
    const second = await obtainAndStoreToken(input);
    // Had it sent, the provider would take the spent refresh token for a replay and revoke the grant (the second
    // attempt may still come back ok: it finds the first one's answer stored by then).
    expect(`${sent()} refresh request(s)`).toBe('1 refresh request(s)');
    expect(!second.ok && second.failure).toMatchObject({ kind: 'transient', code: 'refresh_in_flight' });
    const outcome = await first;
    expect(outcome.ok && outcome.token.generation).toBe(input.nextGeneration);
    expect(sent()).toBe(1);
    expect(await tokenStore.refreshInFlight(id)).toBeNull();
    expect(await grantAlive(id)).toBe(true);
  } finally {
    proxy.setMode({ kind: 'pass' });
    await registry.close();
    sm.destroy();
    await stack.startWorker();
  }
  // The workflow takes up the generation its attempt stored and refreshes on from it.
  const before = await refreshCount(id);
  await eventually(async () => (await refreshCount(id)) >= before + 2, 'two refreshes after the worker is back', 60_000, 500);
  expect((await eventsOf(id)).map((e) => e.to)).not.toContain('awaiting_consent');
  expect(await grantAlive(id)).toBe(true);
  await retire([id]);
}, 180_000);

test('revokeReplacedGrant: off by default for a custom integration (the replaced grant stays valid), on by PATCH (RFC 7009 revocation of the next replaced one); the event says which without the token', async () => {
  const id = await createRotating(stack.provider.tokenUrl);
  expect((await statusOf(api, id)).revokeReplacedGrant).toBe(false);
  await eventually(async () => (await refreshCount(id)) >= 1, 'a first refresh', 60_000);
  // The PATCH's generation is Secrets Manager's current version (a person supplied it: written at once; rotations
  // since wait 15 minutes for the write budget). The generation before it held the replaced token, unspent: the
  // workflow runs one attempt at a time, so no refresh presented it after the PATCH read it.
  const replacedBy = async (refreshToken: string) => {
    const patched = await api.patch(`/v1/integrations/${id}`, { refreshToken });
    expect(patched.status).toBe(200);
    const sm = await store.sm.send(new GetSecretValueCommand({ SecretId: `steward/integrations/${id}` }));
    const generation = (JSON.parse(sm.SecretString!) as { generation: number }).generation;
    const replaced = (await tokenStore.get(id, generation - 1))!.value.refreshToken!;
    expect(replaced).not.toBe(refreshToken);
    return replaced;
  };

  const kept = await replacedBy((await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'read')).refresh_token);
  expect((await introspect(stack, kept)).active).toBe(true);

  const optedIn = await api.patch(`/v1/integrations/${id}`, { revokeReplacedGrant: true });
  expect(optedIn.status).toBe(200);
  expect(optedIn.body.revokeReplacedGrant).toBe(true);
  const revoked = await replacedBy((await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'read')).refresh_token);
  expect((await introspect(stack, revoked)).active).toBe(false);
  expect(await grantAlive(id)).toBe(true);

  const reasons = (await eventsOf(id)).map((e) => e.reason);
  expect(reasons).toContain('reconfigured; replaced refresh token not revoked (revokeReplacedGrant is off for this integration)');
  expect(reasons).toContain('reconfigured; replaced refresh token revoked at the provider');
  expect(JSON.stringify(reasons)).not.toContain(kept);
  expect(JSON.stringify(reasons)).not.toContain(revoked);
  await retire([id]);
}, 120_000);

test('revokeReplacedGrant is validated: a boolean, and never true for a preset whose revocation ends the whole authorization', async () => {
  const minted = await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'read');
  const notBoolean = await api.post('/v1/integrations', clientCredentialsBody(stack, { revokeReplacedGrant: 'yes' }));
  expect(notBoolean.status).toBe(400);
  expect(JSON.stringify(notBoolean.body)).toContain('revokeReplacedGrant');
  const google = await api.post('/v1/integrations', { ...clientCredentialsBody(stack, { grantType: 'refresh_token', refreshToken: minted.refresh_token, preset: 'google', revokeReplacedGrant: true }), tokenUrl: undefined, apiBaseUrl: undefined, revocationUrl: undefined });
  expect(google.status).toBe(400);
  expect(JSON.stringify(google.body)).toContain('revokeReplacedGrant');
  expect(JSON.stringify(google.body)).toContain('ends the whole authorization');
  expect(await store.integrationCount({ preset: 'google' })).toBe(0);
});
