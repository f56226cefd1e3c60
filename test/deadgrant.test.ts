// A grant the provider refused is not served a moment longer than Steward knows it (the workflow's projection may lag
// seconds behind a worker kill), and the worker keeps recording projections through a FerretDB restart.
import { startFaultProxy, type FaultProxy } from './support/faultProxy';
import type { TokenStore } from '../lib/tokenStore';
import { apiClient, bootStack, clientCredentialsBody, eventually, introspect, openTokenStore, statusOf, type Stack } from './support/harness';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let proxy: FaultProxy;
let opened: Awaited<ReturnType<typeof openTokenStore>>;
let tokenStore: TokenStore;
/** Set by a test: the next successful token answer kills the worker as it starts back (the worst moment). */
let killOnNextAnswer = false;

beforeAll(async () => {
  stack = await bootStack('deadgrant', {
    isolated: true, // restarts FerretDB
    providerTokenTtlSeconds: 300, // the held access token outlives the whole test: only a revocation makes it unservable
    env: {
      STEWARD_REFRESH_BUFFER_SECONDS: '10',
      STEWARD_RETRY_BASE_SECONDS: '0.5',
      STEWARD_RETRY_MAX_SECONDS: '2',
      STEWARD_PROVIDER_TIMEOUT_MS: '1500',
      STEWARD_STATE_CACHE_MS: '0', // each read sees the store as it is: what is served follows what Steward knows
    },
  });
  api = apiClient(stack);
  proxy = await startFaultProxy(stack.provider.url, {
    onAnswer: (r) => {
      if (!killOnNextAnswer || r.path !== '/token' || r.answeredWith !== 200) return;
      killOnNextAnswer = false;
      process.kill(-stack.worker!.pid, 'SIGKILL');
    },
  });
  opened = await openTokenStore(stack);
  tokenStore = opened.tokenStore;
}, 180_000);

afterAll(async () => {
  await opened?.close();
  await proxy?.close();
  await stack?.stop();
});

test('a grant refused for reuse after a lost rotation: its access token is refused from the moment the refusal is settled, long before the workflow projects it', async () => {
  const minted = await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'read');
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack, { grantType: 'refresh_token', refreshToken: minted.refresh_token, tokenUrl: `${proxy.url}/token` }));
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const held = await eventually(async () => {
    const res = await api.get(`/v1/integrations/${id}/token`);
    return res.status === 200 && res;
  }, 'a first token', 60_000);

  // The provider rotates, the worker dies as the answer starts back: the rotated grant is lost. The next worker's
  // retry presents the spent refresh token, and the provider revokes the whole grant, the held access token with it.
  killOnNextAnswer = true;
  const manual = api.post(`/v1/integrations/${id}/refresh`);
  await eventually(async () => !killOnNextAnswer, 'the worker killed as the rotation answer starts back', 30_000, 50);
  // From the moment the refusal is settled (the in-flight note goes after the dead mark) the token must be refused,
  // while the workflow's own task waits on the dead worker's sticky queue. Reads start before the new worker does.
  const afterSettled: { status: number; error?: string; projected: string }[] = [];
  let sawInFlight = false;
  const reads = eventually(
    async () => {
      const inFlight = await tokenStore.refreshInFlight(id);
      sawInFlight ||= Boolean(inFlight);
      const res = await api.get(`/v1/integrations/${id}/token`);
      const projected = (await statusOf(api, id)).status as string;
      if (sawInFlight && !inFlight) afterSettled.push({ status: res.status, error: res.body?.error, projected });
      return projected === 'awaiting_consent';
    },
    'the integration to need consent',
    90_000,
    50,
  );
  await stack.stopWorker();
  await stack.startWorker();
  await reads;
  await manual;
  expect((await introspect(stack, held.body.access_token)).active).toBe(false); // the provider revoked it
  const served = afterSettled.filter((r) => r.status === 200);
  const beforeProjection = afterSettled.filter((r) => r.projected !== 'awaiting_consent');
  console.log(`dead grant: ${afterSettled.length} reads after the refusal was settled, ${beforeProjection.length} of them before the projection said awaiting_consent; ${served.length} served the revoked token`);
  expect(served).toEqual([]);
  expect(beforeProjection.length).toBeGreaterThan(0); // the window this test is about existed
  expect(beforeProjection.every((r) => r.error === 'integration_unavailable')).toBe(true);
  expect((await statusOf(api, id)).lastError?.code).toBe('refresh_answer_lost');

  // A new grant (a person supplies a fresh refresh token) is a newer generation: served again.
  const fresh = await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'read');
  expect((await api.patch(`/v1/integrations/${id}`, { refreshToken: fresh.refresh_token })).status).toBe(200);
  const again = await eventually(async () => {
    const res = await api.get(`/v1/integrations/${id}/token`);
    return res.status === 200 && res;
  }, 'a token from the new grant');
  expect((await introspect(stack, again.body.access_token)).active).toBe(true);
}, 180_000);

test('after a FerretDB restart the running worker records refreshes again (projection and events) without being restarted', async () => {
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack));
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const workerPid = stack.worker!.pid;
  const reasonsOf = async () => ((await api.get(`/v1/integrations/${id}/events?limit=1000`)).body.items as { reason: string }[]).map((e) => e.reason);
  const refreshedBefore = (await reasonsOf()).filter((r) => r === 'refreshed').length;
  const before = await statusOf(api, id);

  await stack.restartDependency('ferretdb', 3000);
  const after = await eventually(async () => {
    const res = await api.post(`/v1/integrations/${id}/refresh`);
    return res.status === 200 && res.body.lastRefreshAt !== before.lastRefreshAt && res.body;
  }, 'a refresh recorded in the projection after the restart', 60_000, 500);
  expect(after.status).toBe('active');
  await eventually(async () => (await reasonsOf()).filter((r) => r === 'refreshed').length > refreshedBefore, 'the refresh recorded as an event');
  expect(stack.worker!.pid).toBe(workerPid);
  expect((await api.get(`/v1/integrations/${id}/token`)).status).toBe(200);
}, 120_000);
