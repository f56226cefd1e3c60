// Connector presets, discovery and idle-expiring refresh tokens, against the real provider (and a stub for header quirks).
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { driveBrowserFlow } from './support/oauthBrowser';
import { apiClient, bootStack, clientCredentialsBody, eventually, statusOf, type Stack } from './support/harness';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let stub: Server;
let stubUrl: string;
let lastStubHeaders: IncomingHttpHeaders = {};

beforeAll(async () => {
  // Refresh tokens expire 8 s after their last use: an idle expiry, for real, at the provider.
  stack = await bootStack('connectors', { providerRefreshTokenTtlSeconds: 8 });
  api = apiClient(stack);
  stub = createServer((req, res) => {
    lastStubHeaders = req.headers;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'stub-token-value', token_type: 'Bearer' }));
  }).listen(0, '127.0.0.1');
  await once(stub, 'listening');
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
});

afterAll(async () => {
  stub?.closeAllConnections();
  stub?.close();
  await stack?.stop();
});

test('GET /v1/connectors lists Generic and every preset with the fields it needs and its documentation', async () => {
  const res = await api.get('/v1/connectors');
  const ids = res.body.items.map((i: { id: string }) => i.id);
  expect(ids).toEqual(expect.arrayContaining(['generic', 'salesforce', 'hubspot', 'google', 'microsoft-entra', 'amazon-sp-api', 'ebay', 'shopify', 'walmart-marketplace', 'etsy', 'zoho', 'xero', 'quickbooks', 'mercado-libre']));
  const shopify = (await api.get('/v1/connectors/shopify')).body;
  expect(shopify.fields.map((f: { name: string }) => f.name)).toEqual(['clientId', 'clientSecret', 'presetValues.shop', 'scope']);
  expect(shopify.docsUrl).toMatch(/^https:\/\/shopify\.dev\//);
  expect((await api.get('/v1/connectors/nope')).status).toBe(404);
});

test('creating from a preset asks only for what is customer-specific, and says exactly what is missing or wrong', async () => {
  const missing = await api.post('/v1/integrations', { label: 'Shop', grantType: 'authorization_code', preset: 'shopify', clientId: 'c', clientSecret: 's', redirectUri: `${stack.apiUrl}/v1/oauth/callback` });
  expect(missing.status).toBe(400);
  expect(missing.body.details).toEqual([{ path: 'presetValues.shop', message: expect.stringContaining('is required for Shopify') }]);
  const injected = await api.post('/v1/integrations', { label: 'Shop', grantType: 'authorization_code', preset: 'shopify', presetValues: { shop: 'evil.com/x?' }, clientId: 'c', clientSecret: 's', redirectUri: `${stack.apiUrl}/v1/oauth/callback` });
  expect(injected.body.details).toEqual([{ path: 'presetValues.shop', message: 'is not a valid Shop (e.g. acme-store)' }]);
  const wrongGrant = await api.post('/v1/integrations', { label: 'W', grantType: 'authorization_code', preset: 'walmart-marketplace', clientId: 'c', clientSecret: 's', redirectUri: `${stack.apiUrl}/v1/oauth/callback` });
  expect(wrongGrant.body.details).toContainEqual({ path: 'grantType', message: 'Walmart Marketplace supports client_credentials' });
  expect((await api.post('/v1/integrations', { label: 'X', grantType: 'client_credentials', preset: 'nope', clientId: 'c', clientSecret: 's' })).body.details).toEqual([
    { path: 'preset', message: 'is not a known connector (see GET /v1/connectors)' },
  ]);
});

test('a preset\'s behaviour applies with overridden URLs: extra consent parameters, auth method, default scope', async () => {
  const created = await api.post('/v1/integrations', {
    label: 'Google (demo provider)',
    grantType: 'authorization_code',
    preset: 'google',
    authorizationUrl: stack.provider.authorizationUrl,
    tokenUrl: stack.provider.tokenUrl,
    revocationUrl: stack.provider.revocationUrl,
    apiBaseUrl: 'https://www.googleapis.com',
    redirectUri: `${stack.apiUrl}/v1/oauth/callback`,
    clientId: stack.demoClient.clientId,
    clientSecret: stack.demoClient.clientSecret,
    tenantId: 'acme',
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ preset: 'google', scope: 'openid email', tokenAuthMethod: 'client_secret_post', issuer: null });
  const link = new URL(created.body.consent.authorizationUrl);
  expect(Object.fromEntries(link.searchParams)).toMatchObject({ access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true', response_type: 'code' });
});

test('discovery: an issuer URL is enough; the issuer is checked, and the callback then requires exactly it', async () => {
  const cc = await api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl: undefined, revocationUrl: undefined, issuer: stack.provider.issuer }));
  expect(cc.status).toBe(201);
  expect(cc.body).toMatchObject({ tokenUrl: stack.provider.tokenUrl, revocationUrl: stack.provider.revocationUrl, issuer: stack.provider.issuer, status: 'active' });

  const wrongIssuer = await api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl: undefined, issuer: `${stack.provider.issuer}/tenant-b` }));
  expect(wrongIssuer.status).toBe(400);
  expect(wrongIssuer.body.details[0]).toMatchObject({ path: 'issuer', message: expect.stringContaining('discovery failed') });

  const redirectUri = `${stack.apiUrl}/v1/oauth/callback`;
  const ac = await api.post('/v1/integrations', {
    label: 'Discovered consent',
    grantType: 'authorization_code',
    issuer: stack.provider.issuer,
    apiBaseUrl: 'https://api.example.com',
    redirectUri,
    scope: 'openid offline_access read',
    clientId: stack.demoClient.clientId,
    clientSecret: stack.demoClient.clientSecret,
  });
  expect(ac.status).toBe(201);
  expect(ac.body.authorizationUrl).toBe(stack.provider.authorizationUrl);
  const callback = await driveBrowserFlow(ac.body.consent.authorizationUrl, redirectUri, 'bob');
  expect(callback.searchParams.get('iss')).toBe(stack.provider.issuer);
  expect((await fetch(callback)).status).toBe(200);
  expect((await statusOf(api, ac.body.id)).status).toBe('active');
});

test('refresh tokens that expire when idle are kept alive without anyone asking; without the setting they die', async () => {
  const keptAlive = await api.post('/v1/integrations', clientCredentialsBody(stack, {
    grantType: 'refresh_token',
    refreshToken: (await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'read')).refresh_token,
    lifecycle: { refreshTokenIdleSeconds: 8 },
  }));
  const neglected = await api.post('/v1/integrations', clientCredentialsBody(stack, {
    grantType: 'refresh_token',
    refreshToken: (await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'read')).refresh_token,
  }));
  expect([keptAlive.status, neglected.status]).toEqual([201, 201]);

  // Access tokens live an hour here; only the idle rule makes the workflow refresh (every 4 s: half of 8).
  await eventually(async () => {
    const events = (await api.get(`/v1/integrations/${keptAlive.body.id}/events?limit=1000`)).body.items.reverse() as { reason: string }[];
    return events.filter((e) => e.reason === 'refreshed').length >= 3;
  }, 'idle refreshes', 25_000);
  expect((await api.get(`/v1/integrations/${neglected.body.id}/events?limit=1000`)).body.items.reverse().map((e: { reason: string }) => e.reason)).toEqual(['created', 'validated']);

  await api.post(`/v1/integrations/${keptAlive.body.id}/refresh`);
  expect((await statusOf(api, keptAlive.body.id)).status).toBe('active');
  await api.post(`/v1/integrations/${neglected.body.id}/refresh`);
  expect(await statusOf(api, neglected.body.id)).toMatchObject({ status: 'awaiting_consent', lastError: { code: 'invalid_grant' } });
});

test('quirks: a preset\'s token-request headers are sent (fresh correlation id), and a missing expires_in takes the preset\'s lifetime', async () => {
  const created = await api.post('/v1/integrations', { label: 'Walmart (stub)', grantType: 'client_credentials', preset: 'walmart-marketplace', tokenUrl: `${stubUrl}/v3/token`, clientId: 'c', clientSecret: 'walmart-secret-value' });
  expect(created.status).toBe(201);
  expect(lastStubHeaders).toMatchObject({ accept: 'application/json', 'wm_svc.name': 'Walmart Marketplace' });
  expect(lastStubHeaders['wm_qos.correlation_id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(lastStubHeaders.authorization).toMatch(/^Basic /);
  const lifetime = (Date.parse(created.body.expiresAt) - Date.now()) / 1000;
  expect(lifetime).toBeGreaterThan(880); // Walmart's 15 minutes, not the 1-hour default
  expect(lifetime).toBeLessThanOrEqual(900);

  const custom = await api.post('/v1/integrations', clientCredentialsBody(stack, { tokenUrl: `${stubUrl}/token`, revocationUrl: undefined, lifecycle: { defaultTokenLifetimeSeconds: 1234 } }));
  expect(Math.round((Date.parse(custom.body.expiresAt) - Date.now()) / 1000)).toBeGreaterThan(1220);
});
