// Serving and ending: tokens keep flowing while the worker is down, reads follow the workflow's due time, revocation stops everything.
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { RunningProcess } from '../scripts/stack';
import { apiClient, bootStack, clientCredentialsBody, eventually, introspect, statusOf, storeInspector, tokenRequest, type Stack } from './support/harness';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let store: Awaited<ReturnType<typeof storeInspector>>;

beforeAll(async () => {
  stack = await bootStack('serving', {
    isolated: true, // restarts FerretDB
    providerTokenTtlSeconds: 20,
    env: { STEWARD_REFRESH_BUFFER_SECONDS: '5', STEWARD_TOKEN_WAIT_MS: '1000', STEWARD_STATE_CACHE_MS: '200', STEWARD_PROVIDER_TIMEOUT_MS: '1500' },
  });
  api = apiClient(stack);
  store = await storeInspector(stack);
});

afterAll(async () => {
  await store?.close();
  await stack?.stop();
});

const eventsOf = async (id: string) => (await api.get(`/v1/integrations/${id}/events?limit=1000`)).body.items.reverse() as { to: string; from: string; reason: string; actor: string }[];

test('a valid token keeps being served while the worker is stopped, and never once it has expired', async () => {
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack));
  const id = created.body.id;
  const expiresAt = Date.parse(created.body.expiresAt);
  await stack.stopWorker();
  try {
    const first = await api.get(`/v1/integrations/${id}/token`);
    for (let i = 0; i < 30; i++) {
      const res = await api.get(`/v1/integrations/${id}/token`);
      expect(res.status).toBe(200);
      expect(res.body.access_token).toBe(first.body.access_token);
    }
    // Due (past its planned refresh) but valid: served at once; the absent worker gets a background nudge once it is late.
    await eventually(async () => expiresAt - Date.now() < 4500, 'the token to become due', 20_000);
    const started = Date.now();
    const inBuffer = await api.get(`/v1/integrations/${id}/token`);
    expect(inBuffer.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(Date.parse(inBuffer.body.expires_at)).toBeGreaterThan(Date.now());

    await eventually(async () => expiresAt < Date.now(), 'the token to expire', 10_000);
    const expired = await api.get(`/v1/integrations/${id}/token`);
    expect(expired.status).toBe(503);
  } finally {
    await stack.startWorker();
  }
  // Back up, the worker's overdue timer fires and the integration serves a fresh token.
  const fresh = await eventually(async () => {
    const res = await api.get(`/v1/integrations/${id}/token`);
    return res.status === 200 && res.body;
  }, 'a fresh token after the worker returns', 30_000);
  expect((await introspect(stack, fresh.access_token)).active).toBe(true);
});

test("an api instance with a larger buffer setting follows the workflow's due time: its reads refresh nothing early", async () => {
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack));
  const id = created.body.id;
  let api2: RunningProcess | null = null;
  try {
    const replica = await stack.startApiReplica('api2', { STEWARD_REFRESH_BUFFER_SECONDS: '19', STEWARD_TOKEN_WAIT_MS: '5000' });
    api2 = replica.process;
    // Inside api2's 19 s buffer at once, but the workflow (5 s buffer, 20 s tokens) made the token due only 15 s in.
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${replica.url}/v1/integrations/${id}/token`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
      const body = (await res.json()) as { access_token: string; expires_at: string };
      expect(res.status).toBe(200);
      expect(body.expires_at).toBe(new Date(created.body.expiresAt).toISOString());
    }
    expect((await eventsOf(id)).map((e) => e.reason)).toEqual(['created', 'validated']);
  } finally {
    await api2?.stop();
  }
});

test('revoke: tokens revoked at the provider, secret deleted, token endpoint 410, configuration and events kept', async () => {
  const minted = await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'read');
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack, { grantType: 'refresh_token', refreshToken: minted.refresh_token }));
  expect(created.status).toBe(201);
  const id = created.body.id;
  const access = (await api.get(`/v1/integrations/${id}/token`)).body.access_token;
  const secretName = `steward/integrations/${id}`;
  const held = JSON.parse((await store.sm.send(new GetSecretValueCommand({ SecretId: secretName }))).SecretString!);
  expect((await introspect(stack, held.refreshToken)).active).toBe(true);

  const revoked = await api.post(`/v1/integrations/${id}/revoke`);
  expect(revoked.status).toBe(200);
  expect(revoked.body.status).toBe('revoked');

  expect((await introspect(stack, access)).active).toBe(false);
  expect((await introspect(stack, held.refreshToken)).active).toBe(false);
  expect((await tokenRequest(stack, { grant_type: 'refresh_token', refresh_token: held.refreshToken })).body.error).toBe('invalid_grant');
  const token = await api.get(`/v1/integrations/${id}/token`);
  expect(token.status).toBe(410);
  expect(token.body).toMatchObject({ error: 'integration_revoked' });
  expect(await store.secretNames()).not.toContain(secretName);

  const kept = await api.get(`/v1/integrations/${id}`);
  expect(kept.status).toBe(200);
  expect(kept.body).toMatchObject({ status: 'revoked', label: created.body.label });
  expect((await eventsOf(id)).map((e) => e.to)).toEqual(['validating', 'active', 'revoked']);
  expect((await api.post(`/v1/integrations/${id}/refresh`)).status).toBe(410);
  expect((await api.patch(`/v1/integrations/${id}`, { label: 'again' })).status).toBe(410);
  expect((await api.post(`/v1/integrations/${id}/revoke`)).status).toBe(200); // idempotent
});

test('a secret that vanished from Secrets Manager is written again from the token store on the next refresh', async () => {
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack));
  const id = created.body.id;
  const { DeleteSecretCommand } = await import('@aws-sdk/client-secrets-manager');
  await store.sm.send(new DeleteSecretCommand({ SecretId: `steward/integrations/${id}`, ForceDeleteWithoutRecovery: true }));
  expect((await api.post(`/v1/integrations/${id}/refresh`)).status).toBe(200);
  expect((await statusOf(api, id)).status).toBe('active');
  expect(await store.secretNames()).toContain(`steward/integrations/${id}`); // addressed by name, recreated
  expect((await api.get(`/v1/integrations/${id}/token`)).status).toBe(200);
});

test('an integration whose secret is gone from both stores says so, keeps retrying (not disconnected) and can be reconnected', async () => {
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack));
  const id = created.body.id;
  const { DeleteSecretCommand } = await import('@aws-sdk/client-secrets-manager');
  await store.sm.send(new DeleteSecretCommand({ SecretId: `steward/integrations/${id}`, ForceDeleteWithoutRecovery: true }));
  await store.db.collection('token_records').deleteMany({ integrationId: id });
  await api.post(`/v1/integrations/${id}/refresh`);
  const state = await statusOf(api, id);
  expect(state.status).not.toBe('disconnected'); // transient until someone decides: the secret may come back
  expect(state.lastError.code).toBe('vault_secret_missing');
  const fixed = await api.patch(`/v1/integrations/${id}`, { clientSecret: stack.demoClient.clientSecret });
  expect(fixed.status).toBe(200);
  expect(fixed.body.status).toBe('active');
  expect((await api.get(`/v1/integrations/${id}/token`)).status).toBe(200);
});

test('while MongoDB is out of reach the api answers 503 with Retry-After, never 500, and recovers with it', async () => {
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack));
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const seen: number[] = [];
  const outage = stack.restartDependency('ferretdb', 8000);
  try {
    const during = await eventually(async () => {
      const res = await api.get(`/v1/integrations/${id}`);
      seen.push(res.status);
      return res.status === 503 ? res : null;
    }, 'a 503 while FerretDB is stopped', 20_000, 100);
    expect(during.body).toMatchObject({ error: 'dependency_unavailable' });
    expect(during.headers.get('retry-after')).toBe('2');
  } finally {
    await outage;
  }
  await eventually(async () => {
    const res = await api.get(`/v1/integrations/${id}`);
    seen.push(res.status);
    return res.status === 200;
  }, 'the integration readable again after FerretDB is back', 60_000);
  expect(seen.filter((s) => s >= 500 && s !== 503)).toEqual([]);
});
