// private_key_jwt (RFC 7523 client assertions) against the real authorization server: create with RSA and EC keys,
// refresh with rotation, key rotation by PATCH, revocation, what the assertions carry, hostile keys, and the key's secrecy.
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiClient, bootStack, eventually, introspect, storeInspector, type Stack } from './support/harness';
import { startFaultProxy, type FaultProxy } from './support/faultProxy';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let store: Awaited<ReturnType<typeof storeInspector>>;
let proxy: FaultProxy;

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const nextEc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsaPem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const ecJwk = JSON.stringify({ ...ec.privateKey.export({ format: 'jwk' }), kid: 'ec-1' });
const nextEcPem = nextEc.privateKey.export({ type: 'sec1', format: 'pem' }) as string;
const publicJwk = (key: KeyObject, kid: string, alg: string) => ({ ...key.export({ format: 'jwk' }), kid, alg, use: 'sig' });
/** Every form a supplied key could leak in: the PEM's base64 body lines and the JWK's private parts. */
const keyFragments = [...rsaPem.split('\n').filter((l) => l.length > 40), JSON.parse(ecJwk).d, ...nextEcPem.split('\n').filter((l) => l.length > 40)];

function decodeJwt(jwt: string) {
  const [header, payload] = jwt.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part!, 'base64url').toString('utf8')));
  return { header, payload };
}

beforeAll(async () => {
  stack = await bootStack('private-key-jwt');
  api = apiClient(stack);
  store = await storeInspector(stack);
  proxy = await startFaultProxy(stack.provider.url);
  await stack.provider.addClient({ clientId: 'pkjwt-rsa', tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [publicJwk(rsa.publicKey, 'rsa-1', 'RS256')] } });
  await stack.provider.addClient({ clientId: 'pkjwt-ec', tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [publicJwk(ec.publicKey, 'ec-1', 'ES256')] } });
});

afterAll(async () => {
  await proxy?.close();
  await store?.close();
  await stack?.stop();
});

const body = (overrides: Record<string, unknown>) => ({
  label: `Key ${Math.random().toString(16).slice(2, 8)}`,
  grantType: 'client_credentials',
  issuer: stack.provider.issuer,
  tokenUrl: `${proxy.url}/token`,
  revocationUrl: `${proxy.url}/token/revocation`,
  scope: 'read',
  apiBaseUrl: 'https://api.example.com',
  tenantId: 'acme',
  ...overrides,
});

test('an RSA key: created active, the token is the client’s, each assertion short-lived, unique and addressed to the issuer', async () => {
  const before = proxy.requests().length;
  const res = await api.post('/v1/integrations', body({ clientId: 'pkjwt-rsa', privateKey: rsaPem, clientKeyId: 'rsa-1' }));
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ status: 'active', tokenAuthMethod: 'private_key_jwt', clientAssertionAlg: 'RS256', clientKeyId: 'rsa-1', clientCertificateThumbprint: null });
  const token = await api.get(`/v1/integrations/${res.body.id}/token`);
  expect(token.status).toBe(200);
  expect(await introspect(stack, token.body.access_token)).toMatchObject({ active: true, client_id: 'pkjwt-rsa' });

  expect((await api.post(`/v1/integrations/${res.body.id}/refresh`, {})).status).toBeLessThan(300);
  await eventually(async () => proxy.requests().slice(before).filter((r) => r.clientAssertion).length >= 2, 'two signed token requests');
  const assertions = proxy.requests().slice(before).flatMap((r) => (r.clientAssertion ? [decodeJwt(r.clientAssertion)] : []));
  for (const { header, payload } of assertions) {
    expect(header).toMatchObject({ alg: 'RS256', kid: 'rsa-1' });
    expect(payload).toMatchObject({ iss: 'pkjwt-rsa', sub: 'pkjwt-rsa', aud: stack.provider.issuer });
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(60);
  }
  expect(new Set(assertions.map((a) => a.payload.jti)).size).toBe(assertions.length);
});

test('an EC key as a JWK on a rotating refresh-token grant: refreshes, rotates, and revocation ends the grant at the provider', async () => {
  const minted = await stack.provider.mintRefreshToken('pkjwt-ec', 'read');
  const res = await api.post('/v1/integrations', body({ grantType: 'refresh_token', clientId: 'pkjwt-ec', privateKey: ecJwk, refreshToken: minted.refresh_token }));
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ status: 'active', clientAssertionAlg: 'ES256', clientKeyId: 'ec-1' });
  // The create rotated the minted refresh token: the provider no longer honours it.
  expect((await introspect(stack, minted.refresh_token)).active).toBe(false);
  const first = (await api.get(`/v1/integrations/${res.body.id}/token`)).body.access_token;
  expect((await api.post(`/v1/integrations/${res.body.id}/refresh`, {})).status).toBeLessThan(300);
  const second = await eventually(async () => {
    const t = (await api.get(`/v1/integrations/${res.body.id}/token`)).body.access_token;
    return t && t !== first ? t : null;
  }, 'a refreshed token');
  expect(await introspect(stack, second)).toMatchObject({ active: true, client_id: 'pkjwt-ec' });

  expect((await api.post(`/v1/integrations/${res.body.id}/revoke`, {})).status).toBe(200);
  // Revocation signed with the key too (RFC 7009 at the provider): the grant's tokens are gone there.
  await eventually(async () => !(await introspect(stack, second)).active, 'the provider to revoke the grant');
});

test('a key rotated by PATCH is validated first: an unregistered key is refused and the old one keeps working', async () => {
  const created = await api.post('/v1/integrations', body({ clientId: 'pkjwt-ec', privateKey: ecJwk }));
  expect(created.status).toBe(201);
  const id = created.body.id;

  const refused = await api.patch(`/v1/integrations/${id}`, { privateKey: nextEcPem, clientKeyId: 'ec-2' });
  expect(refused.status).toBe(422);
  expect(JSON.stringify(refused.body)).not.toContain('BEGIN');
  expect((await api.get(`/v1/integrations/${id}`)).body).toMatchObject({ status: 'active', clientKeyId: 'ec-1' });
  expect((await api.post(`/v1/integrations/${id}/refresh`, {})).status).toBeLessThan(300);

  await stack.provider.addClient({
    clientId: 'pkjwt-ec',
    tokenEndpointAuthMethod: 'private_key_jwt',
    jwks: { keys: [publicJwk(ec.publicKey, 'ec-1', 'ES256'), publicJwk(nextEc.publicKey, 'ec-2', 'ES256')] },
  });
  const rotated = await api.patch(`/v1/integrations/${id}`, { privateKey: nextEcPem, clientKeyId: 'ec-2' });
  expect(rotated.status).toBe(200);
  expect(rotated.body).toMatchObject({ status: 'active', clientKeyId: 'ec-2', clientAssertionAlg: 'ES256' });
  const events = (await api.get(`/v1/integrations/${id}/events`)).body.items.map((e: { reason: string }) => e.reason);
  expect(events).toContain('reconfigured');

  // Changing how the stored key is used without supplying a credential again: refused.
  const unbound = await api.patch(`/v1/integrations/${id}`, { tokenAuthMethod: 'client_secret_basic' });
  expect(unbound.status).toBe(400);
  expect(unbound.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'tokenAuthMethod' })]));
});

test('a certificate names the key by its x5t#S256 thumbprint; a certificate of another key is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-cert-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=steward-test', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  const certificate = readFileSync(certFile, 'utf8');
  const certKey = readFileSync(keyFile, 'utf8');

  const mismatch = await api.post('/v1/integrations', body({ clientId: 'pkjwt-rsa', privateKey: rsaPem, certificate }));
  expect(mismatch.status).toBe(400);
  expect(mismatch.body.details).toEqual([{ path: 'certificate', message: 'does not belong to privateKey (its public key differs)' }]);

  const { createPublicKey, X509Certificate } = await import('node:crypto');
  await stack.provider.addClient({ clientId: 'pkjwt-cert', tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [publicJwk(createPublicKey(certKey), 'cert-1', 'PS256')] } });
  const before = proxy.requests().length;
  const res = await api.post('/v1/integrations', body({ clientId: 'pkjwt-cert', privateKey: certKey, certificate, clientAssertionAlg: 'PS256' }));
  expect(res.status).toBe(201);
  const thumbprint = createHash('sha256').update(new X509Certificate(certificate).raw).digest('base64url');
  expect(res.body).toMatchObject({ clientAssertionAlg: 'PS256', clientCertificateThumbprint: thumbprint, clientKeyId: null });
  const signed = proxy.requests().slice(before).find((r) => r.clientAssertion);
  expect(decodeJwt(signed!.clientAssertion!).header).toEqual({ alg: 'PS256', 'x5t#S256': thumbprint });
});

test('hostile and unusable keys are refused before anything is stored, naming the field', async () => {
  const integrationsBefore = await store.integrationCount();
  const secretsBefore = (await store.secretNames()).length;
  const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ privateKey: rsa.publicKey.export({ type: 'spki', format: 'pem' }) }, 'privateKey', /public key/],
    [{ privateKey: JSON.stringify(publicJwk(ec.publicKey, 'x', 'ES256')) }, 'privateKey', /public JSON Web Key/],
    [{ privateKey: weak }, 'privateKey', /1024 bits/],
    [{ privateKey: p384 }, 'privateKey', /P-256/],
    [{ privateKey: ed }, 'privateKey', /ed25519 key/],
    [{ privateKey: rsaPem, clientAssertionAlg: 'ES256' }, 'clientAssertionAlg', /RS256 or PS256/],
    [{ privateKey: rsaPem, clientSecret: 'also-a-secret' }, 'privateKey', /replaces clientSecret/],
    [{ privateKey: rsaPem, tokenAuthMethod: 'client_secret_post' }, 'privateKey', /only accepted with tokenAuthMethod private_key_jwt/],
    [{ tokenAuthMethod: 'private_key_jwt' }, 'privateKey', /is required/],
    [{ clientSecret: 'x-secret', clientKeyId: 'k' }, 'clientKeyId', /only accepted with privateKey/],
  ];
  for (const [fields, path, message] of cases) {
    const res = await api.post('/v1/integrations', body({ clientId: 'pkjwt-rsa', ...fields }));
    expect(res.status).toBe(400);
    const detail = res.body.details.find((d: { path: string }) => d.path === path);
    expect(detail?.message).toMatch(message);
  }
  // A well-formed key the provider does not know: the provider refuses the assertion, nothing is kept.
  const unknown = await api.post('/v1/integrations', body({ clientId: 'pkjwt-rsa', privateKey: nextEcPem }));
  expect(unknown.status).toBe(422);
  expect(await store.integrationCount()).toBe(integrationsBefore);
  expect((await store.secretNames()).length).toBe(secretsBefore);
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
