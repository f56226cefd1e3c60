// Secrets go only where they were validated: URL and client changes need the secret again, and the activities that
// read a secret refuse to send it elsewhere, whatever the workflow asks.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { tokenActivities } from '../activities/tokens';
import { Credentials } from '../lib/credentials';
import { Vault } from '../lib/vault';
import type { IntegrationConfig } from '../workflows/model';
import { apiClient, bootStack, clientCredentialsBody, eventually, introspect, openTokenStore, storeInspector, type Stack } from './support/harness';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let store: Awaited<ReturnType<typeof storeInspector>>;
let vault: Vault;
let opened: Awaited<ReturnType<typeof openTokenStore>>;
let credentials: Credentials;
// The attacker's server: records every request, answers like a token endpoint so a validation would succeed.
let attacker: Server;
let attackerUrl: string;
const received: { url: string; authorization: string; body: string }[] = [];

beforeAll(async () => {
  stack = await bootStack('binding');
  api = apiClient(stack);
  store = await storeInspector(stack);
  vault = new Vault(store.sm, 'steward/integrations/');
  // The activities read secrets as the worker does: Secrets Manager and the token store, with the stack's key ring.
  opened = await openTokenStore(stack);
  credentials = new Credentials(vault, opened.tokenStore);
  attacker = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({ url: req.url ?? '', authorization: req.headers.authorization ?? '', body });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'attacker-token', token_type: 'Bearer', expires_in: 3600 }));
  }).listen(0, '127.0.0.1');
  await once(attacker, 'listening');
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});

afterAll(async () => {
  attacker?.closeAllConnections();
  attacker?.close();
  await opened?.close();
  await store?.close();
  await stack?.stop();
});

beforeEach(() => {
  received.length = 0;
});

/** Nothing the attacker received holds the client secret or a token, in any form. */
function attackerGotNothing(): void {
  expect(received).toEqual([]);
}

async function createActive(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await api.post('/v1/integrations', clientCredentialsBody(stack, overrides));
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const events = async (id: string) => (await api.get(`/v1/integrations/${id}/events?limit=1000`)).body.items.reverse() as { reason: string; actor: string }[];

test.each([
  ['tokenUrl', () => `${attackerUrl}/token`],
  ['revocationUrl', () => `${attackerUrl}/revoke`],
  ['clientId', () => 'another-client'],
  ['tokenAuthMethod', () => 'client_secret_post'],
])('PATCH %s without the client secret: 400 naming the field, nothing changes, nothing is sent', async (field, value) => {
  const id = await createActive();
  const before = (await api.get(`/v1/integrations/${id}`)).body;
  const res = await api.patch(`/v1/integrations/${id}`, { [field]: value() });
  expect(res.status).toBe(400);
  expect(res.body.details).toContainEqual({ path: field, message: expect.stringContaining('supply clientSecret') });
  expect((await api.get(`/v1/integrations/${id}`)).body).toMatchObject({ [field]: before[field], status: 'active' });
  attackerGotNothing();
});

test('PATCH revocationUrl elsewhere without the secret, then revoke: the real provider revokes, the other server gets nothing', async () => {
  const id = await createActive();
  const { access_token: token } = (await api.get(`/v1/integrations/${id}/token`)).body;
  expect((await api.patch(`/v1/integrations/${id}`, { revocationUrl: `${attackerUrl}/revoke` })).status).toBe(400);
  expect((await api.post(`/v1/integrations/${id}/revoke`)).status).toBe(200);
  expect((await introspect(stack, token)).active).toBe(false);
  attackerGotNothing();
});

test('PATCH revocationUrl with the client secret re-validates and records an event with the principal', async () => {
  const id = await createActive();
  const res = await api.patch(`/v1/integrations/${id}`, { revocationUrl: `${stack.provider.revocationUrl}?v=2`, clientSecret: stack.demoClient.clientSecret });
  expect(res.status).toBe(200);
  expect(res.body.revocationUrl).toBe(`${stack.provider.revocationUrl}?v=2`);
  expect(await events(id)).toContainEqual(expect.objectContaining({ reason: 'reconfigured', actor: 'bootstrap-admin' }));
});

test('a token endpoint on another origin needs the refresh token too, for integrations that hold one', async () => {
  const res = await api.post(
    '/v1/integrations',
    clientCredentialsBody(stack, { grantType: 'authorization_code', authorizationUrl: stack.provider.authorizationUrl, redirectUri: `${stack.apiUrl}/v1/oauth/callback`, scope: 'openid offline_access' }),
  );
  expect(res.status).toBe(201);
  const moved = await api.patch(`/v1/integrations/${res.body.id}`, { tokenUrl: `${attackerUrl}/token`, clientSecret: 'a-new-secret-for-there' });
  expect(moved.status).toBe(400);
  expect(moved.body.details).toEqual([{ path: 'refreshToken', message: expect.stringContaining('never sent there') }]);
  attackerGotNothing();
});

describe('the activities that read a secret check its binding themselves', () => {
  let id: string;
  let config: IntegrationConfig;
  let secretArn: string;
  const activities = () => tokenActivities({ credentials, http: { allowInsecure: true, timeoutMs: 5000, refreshAnswerTimeoutMs: 5000 } });

  beforeAll(async () => {
    id = await createActive();
    const record = await store.db.collection('integrations').findOne({ _id: id as never });
    config = { ...(record as unknown as IntegrationConfig), id };
    secretArn = (record as unknown as { state: { secretArn: string } }).state.secretArn;
    expect(secretArn).toBeTruthy();
  });

  test('a token request aimed elsewhere is refused before anything is sent', async () => {
    const current = await vault.read(secretArn);
    const outcome = await activities().obtainAndStoreToken({
      integrationId: id,
      config: { ...config, tokenUrl: `${attackerUrl}/token` },
      secretArn,
      supplied: null,
      nextGeneration: current!.value.generation + 1,
      defaultLifetimeSeconds: 3600,
    });
    expect(outcome).toMatchObject({ ok: false, failure: { code: 'secret_binding' } });
    attackerGotNothing();
  });

  test('a revocation aimed elsewhere sends nothing and says so', async () => {
    const result = await activities().revokeAtProvider({ config: { ...config, revocationUrl: `${attackerUrl}/revoke` }, secretArn });
    expect(result).toMatchObject({ ok: false, notSent: true, detail: expect.stringContaining('nothing was sent') });
    attackerGotNothing();
  });
});

test('revoking a record bound before its revocation endpoint moved: secret deleted, nothing sent, the event says so', async () => {
  // Created with the revocation endpoint elsewhere (bound: the admin supplied the secret with it)…
  const id = await createActive({ revocationUrl: `${attackerUrl}/revoke` });
  const record = (await store.db.collection('integrations').findOne({ _id: id as never })) as unknown as { state: { secretArn: string } };
  // …then the record loses its binding, as one written before bindings existed: bound to its token origin only.
  const current = (await vault.read(record.state.secretArn))!;
  expect(current.value.binding?.origins.sort()).toEqual([new URL(stack.provider.tokenUrl).origin, attackerUrl].sort());
  const { binding: _binding, ...legacy } = current.value;
  await store.sm.send(new PutSecretValueCommand({ SecretId: current.arn, SecretString: JSON.stringify(legacy) }));

  expect((await api.post(`/v1/integrations/${id}/revoke`)).status).toBe(200);
  const after = await eventually(async () => {
    const items = await events(id);
    return items.some((e) => e.reason.includes('outside the secret binding')) && items;
  }, 'the revocation event');
  expect(after).toContainEqual(expect.objectContaining({ reason: 'revocation endpoint outside the secret binding: nothing sent; secret deleted anyway' }));
  expect(await store.secretNames()).not.toContain(`steward/integrations/${id}`);
  attackerGotNothing();
});
