// The JWT bearer grant (RFC 7523 §2.1) for service accounts (Google, Salesforce's JWT flow): created active from a
// signed assertion alone, renewed on its own before expiry with a fresh assertion each time, a changed subject proven
// first, refused keys and misplaced fields stop before anything is stored, revocation ends it, and the key stays secret.
// The token endpoint is a stub beside the real provider (oidc-provider has no such grant) that verifies every
// assertion's signature, iss, sub, aud, exp, lifetime and jti.
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiClient, bootStack, eventually, storeInspector, type Stack } from './support/harness';
import { startJwtBearerStub, type JwtBearerStub } from './support/jwtBearerStub';

const TOKEN_SECONDS = 8;

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let store: Awaited<ReturnType<typeof storeInspector>>;
let google: JwtBearerStub;
let salesforce: JwtBearerStub;

const serviceAccount = generateKeyPairSync('rsa', { modulusLength: 2048 });
const connectedApp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const serviceAccountPem = serviceAccount.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const connectedAppPem = connectedApp.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const strangerPem = stranger.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const keyFragments = [serviceAccountPem, connectedAppPem, strangerPem].flatMap((pem) => pem.split('\n').filter((l) => l.length > 40));

const SA_EMAIL = 'reports@acme-project.iam.gserviceaccount.com';
const CONSUMER_KEY = '3MVG9acmeConsumerKey';
const SF_AUDIENCE = 'https://login.salesforce.com';

beforeAll(async () => {
  stack = await bootStack('jwt-bearer', { env: { STEWARD_REFRESH_BUFFER_SECONDS: '3' } });
  api = apiClient(stack);
  store = await storeInspector(stack);
  google = await startJwtBearerStub({
    accounts: [{ issuer: SA_EMAIL, publicKey: serviceAccount.publicKey, kid: 'sa-key-1', subjects: ['admin@acme.test', 'finance@acme.test'] }],
    expiresIn: TOKEN_SECONDS,
  });
  salesforce = await startJwtBearerStub({ accounts: [{ issuer: CONSUMER_KEY, publicKey: connectedApp.publicKey, subjects: ['integration@acme.test'] }], expiresIn: 3600, audience: SF_AUDIENCE });
});

afterAll(async () => {
  await google?.close();
  await salesforce?.close();
  await store?.close();
  await stack?.stop();
});

const googleBody = (overrides: Record<string, unknown> = {}) => ({
  label: `Drive reports ${Math.random().toString(16).slice(2, 8)}`,
  grantType: 'jwt_bearer',
  tokenUrl: google.tokenUrl,
  revocationUrl: `${google.url}/revoke`,
  clientId: SA_EMAIL,
  privateKey: serviceAccountPem,
  clientKeyId: 'sa-key-1',
  assertionSubject: 'admin@acme.test',
  scope: 'https://www.googleapis.com/auth/drive.readonly',
  apiBaseUrl: 'https://www.googleapis.com',
  tenantId: 'acme',
  ...overrides,
});

test('a service account is created active from a signed assertion alone: no client secret, no refresh token, nothing else authenticates', async () => {
  const before = google.requests().length;
  const res = await api.post('/v1/integrations', googleBody());
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ status: 'active', grantType: 'jwt_bearer', tokenAuthMethod: 'none', clientAssertionAlg: 'RS256', clientKeyId: 'sa-key-1', assertionSubject: 'admin@acme.test', assertionAudience: null });
  const token = await api.get(`/v1/integrations/${res.body.id}/token`);
  expect(token.status).toBe(200);
  expect(google.introspect(token.body.access_token)).toEqual({ active: true, sub: 'admin@acme.test', scope: 'https://www.googleapis.com/auth/drive.readonly', iss: SA_EMAIL });

  const [request] = google.requests().slice(before);
  expect(request).toMatchObject({ grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer', answeredWith: 200, clientAuthentication: [], scopeParameter: 'https://www.googleapis.com/auth/drive.readonly' });
  expect(request!.header).toMatchObject({ alg: 'RS256', kid: 'sa-key-1', typ: 'JWT' });
  expect(request!.claims).toMatchObject({ iss: SA_EMAIL, sub: 'admin@acme.test', aud: google.tokenUrl, scope: 'https://www.googleapis.com/auth/drive.readonly' });
  const claims = request!.claims as { iat: number; exp: number };
  expect(claims.exp - claims.iat).toBeLessThanOrEqual(120);
});

test(`with ${TOKEN_SECONDS} s tokens it renews on its own before expiry, each time with a fresh assertion, and never serves an expired token`, async () => {
  const res = await api.post('/v1/integrations', googleBody());
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  const first = (await api.get(`/v1/integrations/${id}/token`)).body.access_token as string;
  const mine = () => google.requests().filter((r) => r.answeredWith === 200 && r.claims?.sub === 'admin@acme.test');
  const start = mine().length;
  // Read the token throughout three lifetimes: each read must be one the stub still honours and has not expired.
  const served = new Set<string>([first]);
  await eventually(
    async () => {
      const t = await api.get(`/v1/integrations/${id}/token`);
      expect(t.status).toBe(200);
      expect(new Date(t.body.expires_at).getTime()).toBeGreaterThan(Date.now());
      expect(google.introspect(t.body.access_token).active).toBe(true);
      served.add(t.body.access_token);
      return mine().length - start >= 3 && served.size >= 3;
    },
    'three renewals without being asked',
    4 * TOKEN_SECONDS * 1000 + 20_000,
    500,
  );
  const jtis = mine().map((r) => r.claims!.jti);
  expect(new Set(jtis).size).toBe(jtis.length);
  const state = await api.get(`/v1/integrations/${id}`);
  expect(state.body.status).toBe('active');
});

test('Salesforce’s JWT flow: an EC key, the login host as audience from the preset, the username as subject', async () => {
  const res = await api.post('/v1/integrations', {
    label: 'Salesforce JWT',
    grantType: 'jwt_bearer',
    preset: 'salesforce',
    tokenUrl: salesforce.tokenUrl,
    revocationUrl: `${salesforce.url}/revoke`,
    apiBaseUrl: 'https://acme.my.salesforce.com/services/data',
    clientId: CONSUMER_KEY,
    privateKey: connectedAppPem,
    assertionSubject: 'integration@acme.test',
    scope: 'api',
    tenantId: 'acme',
  });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ status: 'active', preset: 'salesforce', tokenAuthMethod: 'none', clientAssertionAlg: 'ES256', assertionAudience: SF_AUDIENCE });
  const last = salesforce.requests().at(-1)!;
  expect(last).toMatchObject({ answeredWith: 200, clientAuthentication: [] });
  expect(last.header).toMatchObject({ alg: 'ES256' });
  expect(last.claims).toMatchObject({ iss: CONSUMER_KEY, sub: 'integration@acme.test', aud: SF_AUDIENCE });
});

test('a changed subject is proven by obtaining a token first; one the account may not act for is refused and changes nothing', async () => {
  const res = await api.post('/v1/integrations', googleBody());
  const id = res.body.id as string;
  const moved = await api.patch(`/v1/integrations/${id}`, { assertionSubject: 'finance@acme.test' });
  expect(moved.status).toBe(200);
  expect(moved.body.assertionSubject).toBe('finance@acme.test');
  expect(google.requests().at(-1)).toMatchObject({ answeredWith: 200, claims: expect.objectContaining({ sub: 'finance@acme.test' }) });
  expect(google.introspect((await api.get(`/v1/integrations/${id}/token`)).body.access_token).sub).toBe('finance@acme.test');

  const refused = await api.patch(`/v1/integrations/${id}`, { assertionSubject: 'ceo@acme.test' });
  expect(refused.status).toBe(422);
  expect(JSON.stringify(refused.body)).toContain('invalid_grant');
  const after = await api.get(`/v1/integrations/${id}`);
  expect(after.body).toMatchObject({ status: 'active', assertionSubject: 'finance@acme.test' });
  expect(google.introspect((await api.get(`/v1/integrations/${id}/token`)).body.access_token)).toMatchObject({ active: true, sub: 'finance@acme.test' });
});

test('misplaced fields and a key the provider does not know are refused before anything is stored, naming the field', async () => {
  const integrationsBefore = await store.integrationCount();
  const secretsBefore = (await store.secretNames()).length;
  const { privateKey: _omitted, ...withoutKey } = googleBody();
  const cases: [Record<string, unknown>, string][] = [
    [withoutKey, 'privateKey'],
    [googleBody({ clientSecret: 'also-a-secret' }), 'clientSecret'],
    [googleBody({ tokenAuthMethod: 'client_secret_basic' }), 'tokenAuthMethod'],
    [{ ...googleBody({ grantType: 'client_credentials', privateKey: undefined, clientKeyId: undefined }), clientSecret: 's3cret-value' }, 'assertionSubject'],
    [{ ...googleBody({ grantType: 'client_credentials', privateKey: undefined, clientKeyId: undefined, assertionSubject: undefined }), clientSecret: 's3cret-value', tokenAuthMethod: 'none' }, 'tokenAuthMethod'],
  ];
  for (const [body, field] of cases) {
    const res = await api.post('/v1/integrations', JSON.parse(JSON.stringify(body)));
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { path: string }) => d.path)).toContain(field);
  }
  const unknownKey = await api.post('/v1/integrations', googleBody({ privateKey: strangerPem }));
  expect(unknownKey.status).toBe(422);
  expect(JSON.stringify(unknownKey.body)).toContain('invalid_grant');
  expect(await store.integrationCount()).toBe(integrationsBefore);
  expect((await store.secretNames()).length).toBe(secretsBefore);

  const live = (await api.post('/v1/integrations', googleBody())).body.id as string;
  const secretOnJwt = await api.patch(`/v1/integrations/${live}`, { clientSecret: 'not-for-this-grant' });
  expect(secretOnJwt.status).toBe(400);
  expect(secretOnJwt.body.details.map((d: { path: string }) => d.path)).toContain('clientSecret');
});

test('revocation stops serving and revokes the access token at the provider', async () => {
  const id = (await api.post('/v1/integrations', googleBody())).body.id as string;
  const token = (await api.get(`/v1/integrations/${id}/token`)).body.access_token as string;
  const revokedBefore = google.revoked();
  expect((await api.post(`/v1/integrations/${id}/revoke`, {})).status).toBe(200);
  expect((await api.get(`/v1/integrations/${id}/token`)).status).toBe(410);
  await eventually(async () => google.revoked() > revokedBefore && !google.introspect(token).active, 'the provider to revoke the access token');
});

test('the private keys appear nowhere but the vault: not in MongoDB, API answers or logs', async () => {
  const dump = await store.dumpAll();
  const listed = JSON.stringify((await api.get('/v1/integrations?limit=500')).body);
  const logDir = join(stack.worker!.logFile, '..');
  const logs = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8')).join('\n');
  for (const fragment of keyFragments) {
    expect(dump).not.toContain(fragment);
    expect(listed).not.toContain(fragment);
    expect(logs).not.toContain(fragment);
  }
});
