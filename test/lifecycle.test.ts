// The refresh lifecycle against the real provider: refresh before expiry, rotation, no expired token ever, continue-as-new.
import { Connection, Client } from '@temporalio/client';
import {
  FAST_LIFECYCLE,
  apiClient,
  bootStack,
  clientCredentialsBody,
  eventually,
  introspect,
  statusOf,
  tokenRequest,
  type Stack,
} from './support/harness';

let stack: Stack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  // A short history limit makes every integration here continue-as-new after a few refreshes.
  stack = await bootStack('lifecycle', { ...FAST_LIFECYCLE, env: { ...FAST_LIFECYCLE.env, STEWARD_HISTORY_LIMIT: '60' } });
  api = apiClient(stack);
});

afterAll(async () => {
  await stack?.stop();
});

const eventsOf = async (id: string) => (await api.get(`/v1/integrations/${id}/events?limit=1000`)).body.items.reverse() as { to: string; from: string; reason: string; actor: string; at: string }[];

test('a token is refreshed by the workflow before it expires', async () => {
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack));
  expect(created.status).toBe(201);
  const firstExpiry = Date.parse(created.body.expiresAt);
  const first = (await api.get(`/v1/integrations/${created.body.id}/token`)).body;

  const refreshed = await eventually(async () => (await eventsOf(created.body.id)).find((e) => e.reason === 'refreshed' && e.actor === 'system'), 'a scheduled refresh', 15_000);
  // 6 s tokens, 2 s buffer: the refresh lands about 4 s in, well before the first token expires.
  expect(Date.parse(refreshed.at)).toBeLessThan(firstExpiry);
  const second = await eventually(async () => {
    const t = (await api.get(`/v1/integrations/${created.body.id}/token`)).body;
    return t.access_token !== first.access_token && t;
  }, 'the new token to be served');
  expect(Date.parse(second.expires_at)).toBeGreaterThan(firstExpiry);
  expect((await introspect(stack, second.access_token)).active).toBe(true);
});

test('refresh-token grant: the rotated refresh token replaces the old one, which the provider then rejects', async () => {
  const minted = await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'openid read');
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack, { grantType: 'refresh_token', refreshToken: minted.refresh_token, scope: undefined }));
  expect(created.status).toBe(201);
  expect(created.body.hasRefreshToken).toBe(true);
  expect(created.text).not.toContain(minted.refresh_token);
  // Validation spent the supplied refresh token: rotation made it inactive at the provider.
  expect((await introspect(stack, minted.refresh_token)).active).toBe(false);

  // Two scheduled refreshes later the integration still works: each rotated token was stored before use.
  await eventually(async () => (await eventsOf(created.body.id)).filter((e) => e.reason === 'refreshed').length >= 2, 'two refreshes', 20_000);
  const token = (await api.get(`/v1/integrations/${created.body.id}/token`)).body;
  expect((await introspect(stack, token.access_token)).active).toBe(true);

  // Replaying the old refresh token is rejected, and the provider revokes the whole grant (theft detection)…
  const replay = await tokenRequest(stack, { grant_type: 'refresh_token', refresh_token: minted.refresh_token });
  expect(replay.body.error).toBe('invalid_grant');
  // …so the next refresh gets invalid_grant: the integration waits for renewed consent instead of retrying.
  await api.post(`/v1/integrations/${created.body.id}/refresh`);
  const state = await statusOf(api, created.body.id);
  expect(state.status).toBe('awaiting_consent');
  expect(state.lastError.code).toBe('invalid_grant');
  const blocked = await api.get(`/v1/integrations/${created.body.id}/token`);
  expect(blocked.status).toBe(409);
  expect(blocked.body).toMatchObject({ error: 'integration_unavailable', status: 'awaiting_consent' });
  const last = (await eventsOf(created.body.id)).at(-1)!;
  expect(last).toMatchObject({ from: 'active', to: 'awaiting_consent', reason: 'invalid_grant' });
});

test('the token endpoint never returns an expired token across several refresh cycles', async () => {
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack));
  const seen = new Set<string>();
  const bad: string[] = [];
  let served = 0;
  // Read continuously (every 100 ms) until the third token: two refresh cycles, every read checked on the way (eventually
  // retries on a throw, so bad reads are collected, not thrown).
  await eventually(
    async () => {
      const res = await api.get(`/v1/integrations/${created.body.id}/token`);
      const now = Date.now();
      served++;
      if (res.status !== 200) bad.push(`status ${res.status}`);
      else if (Date.parse(res.body.expires_at) <= now) bad.push(`expired ${res.body.expires_at} at ${new Date(now).toISOString()}`);
      else seen.add(res.body.access_token);
      return seen.size >= 3;
    },
    'three tokens in a row',
    30_000,
    100,
  );
  expect(bad).toEqual([]);
  expect(served).toBeGreaterThan(seen.size * 5); // each token was read many times, through its refresh window too
});

test('long-running integrations continue-as-new with their state and keep working', async () => {
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack));
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const handle = new Client({ connection }).workflow.getHandle(created.body.workflowId);
    await eventually(async () => {
      const d = await handle.describe();
      return d.runId !== d.raw.workflowExecutionInfo?.firstRunId && d.status.name === 'RUNNING';
    }, 'a continued-as-new run', 60_000, 500);
    const state = await statusOf(api, created.body.id);
    expect(state.status).toBe('active');
    expect((await api.get(`/v1/integrations/${created.body.id}/token`)).status).toBe(200);
    const refreshes = async () => (await eventsOf(created.body.id)).filter((e) => e.reason === 'refreshed').length;
    const handedOverAfter = await refreshes();
    expect(handedOverAfter).toBeGreaterThanOrEqual(1);
    // The continued run carries the state and keeps refreshing on schedule.
    await eventually(async () => (await refreshes()) > handedOverAfter, 'a refresh by the continued run', 15_000);
    expect((await eventsOf(created.body.id)).map((e) => e.reason).slice(0, 2)).toEqual(['created', 'validated']);
  } finally {
    await connection.close();
  }
});
