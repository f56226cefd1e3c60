// The authorization-code journey against oidc-provider's own login and consent pages: consent, re-consent, and abuse.
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { driveBrowserFlow } from './support/oauthBrowser';
import { apiClient, bootStack, introspect, statusOf, storeInspector, type Stack } from './support/harness';

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let store: Awaited<ReturnType<typeof storeInspector>>;
let redirectUri: string;

beforeAll(async () => {
  stack = await bootStack('consent');
  api = apiClient(stack);
  store = await storeInspector(stack);
  redirectUri = (await api.get('/v1/meta')).body.redirectUri;
});

afterAll(async () => {
  await store?.close();
  await stack?.stop();
});

const eventsOf = async (id: string) => (await api.get(`/v1/integrations/${id}/events?limit=1000`)).body.items.reverse() as { from: string; to: string; reason: string }[];

function authCodeBody(label = 'Salesforce via consent') {
  return {
    label,
    grantType: 'authorization_code',
    authorizationUrl: stack.provider.authorizationUrl,
    tokenUrl: stack.provider.tokenUrl,
    revocationUrl: stack.provider.revocationUrl,
    redirectUri,
    clientId: stack.demoClient.clientId,
    clientSecret: stack.demoClient.clientSecret,
    scope: 'openid offline_access read',
    apiBaseUrl: 'https://api.example.com',
    tenantId: 'acme',
  };
}

/** What the user's browser does: open the link, log in, consent, follow the redirect back to Steward. */
async function consentThroughBrowser(authorizationUrl: string, opts: { deny?: boolean } = {}) {
  const callback = await driveBrowserFlow(authorizationUrl, redirectUri, 'alice', opts);
  return { callback, landing: await visit(callback.toString()) };
}

async function visit(url: string) {
  const res = await fetch(url);
  return { status: res.status, html: await res.text() };
}

async function consentLinkFor(id: string): Promise<string> {
  const res = await api.call('GET', `/v1/integrations/${id}/authorize`, undefined, { accept: 'application/json' });
  expect(res.status).toBe(200);
  return res.body.authorizationUrl;
}

test('create waits for consent; consenting at the provider makes it active with tokens in the vault', async () => {
  const created = await api.post('/v1/integrations', authCodeBody());
  expect(created.status).toBe(201);
  expect(created.body.status).toBe('awaiting_consent');
  const link = new URL(created.body.consent.authorizationUrl);
  expect(link.origin + link.pathname).toBe(stack.provider.authorizationUrl);
  expect(Object.fromEntries(link.searchParams)).toMatchObject({ response_type: 'code', code_challenge_method: 'S256', redirect_uri: redirectUri, client_id: 'steward-demo' });
  expect(link.searchParams.get('state')!.length).toBeGreaterThanOrEqual(43);
  expect((await api.get(`/v1/integrations/${created.body.id}/token`)).status).toBe(409);
  const held = JSON.parse((await store.sm.send(new GetSecretValueCommand({ SecretId: `steward/integrations/${created.body.id}` }))).SecretString!);
  expect(held).toMatchObject({ clientSecret: stack.demoClient.clientSecret, accessToken: null, refreshToken: null });

  const { landing, callback } = await consentThroughBrowser(created.body.consent.authorizationUrl);
  expect(landing.status).toBe(200);
  expect(landing.html).toContain('Connected');
  expect(landing.html).not.toContain(callback.searchParams.get('code')!);

  const state = await statusOf(api, created.body.id);
  expect(state).toMatchObject({ status: 'active', hasRefreshToken: true });
  expect((await api.get(`/v1/integrations/${created.body.id}/token`)).status).toBe(200);
  expect((await eventsOf(created.body.id)).map((e) => e.reason)).toEqual(['created', 'consent required', 'consent granted']);

  // Replaying the same redirect: the state is spent, nothing changes.
  const token = (await api.get(`/v1/integrations/${created.body.id}/token`)).body.access_token;
  const replay = await visit(callback.toString());
  expect(replay.status).toBe(400);
  expect(replay.html).toContain('already been used');
  expect((await api.get(`/v1/integrations/${created.body.id}/token`)).body.access_token).toBe(token);
});

test('re-consent in place after the provider stops accepting the refresh token: same id, history kept', async () => {
  const created = await api.post('/v1/integrations', authCodeBody('Re-consent'));
  const id = created.body.id;
  await consentThroughBrowser(created.body.consent.authorizationUrl);
  // The provider revokes the refresh token (the user removed the app at the provider, say).
  const held = JSON.parse((await store.sm.send(new GetSecretValueCommand({ SecretId: `steward/integrations/${id}` }))).SecretString!);
  const auth = `Basic ${Buffer.from(`${stack.demoClient.clientId}:${stack.demoClient.clientSecret}`).toString('base64')}`;
  await fetch(stack.provider.revocationUrl, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: held.refreshToken }) });
  await api.post(`/v1/integrations/${id}/refresh`);
  expect((await statusOf(api, id)).status).toBe('awaiting_consent');

  const { landing } = await consentThroughBrowser(await consentLinkFor(id));
  expect(landing.status).toBe(200);
  expect((await statusOf(api, id)).status).toBe('active');
  expect((await api.get(`/v1/integrations/${id}/token`)).status).toBe(200);
  expect((await eventsOf(id)).map((e) => `${e.from}>${e.to}`)).toEqual([
    'null>validating',
    'validating>awaiting_consent',
    'awaiting_consent>active',
    'active>awaiting_consent',
    'awaiting_consent>active',
  ]);
});

test('re-consent while the grant is still valid revokes the replaced refresh token at the provider (RFC 7009) when revokeReplacedGrant is on', async () => {
  const created = await api.post('/v1/integrations', { ...authCodeBody('Re-consent, grant still valid'), revokeReplacedGrant: true });
  expect(created.body.revokeReplacedGrant).toBe(true);
  const id = created.body.id;
  await consentThroughBrowser(created.body.consent.authorizationUrl);
  expect((await statusOf(api, id)).status).toBe('active');
  // Consent is written to Secrets Manager at once, and the demo client's tokens here outlive the test: this is the held grant.
  const held = JSON.parse((await store.sm.send(new GetSecretValueCommand({ SecretId: `steward/integrations/${id}` }))).SecretString!);
  expect((await introspect(stack, held.refreshToken)).active).toBe(true);

  const { landing } = await consentThroughBrowser(await consentLinkFor(id));
  expect(landing.status).toBe(200);
  const now = JSON.parse((await store.sm.send(new GetSecretValueCommand({ SecretId: `steward/integrations/${id}` }))).SecretString!);
  expect(now.refreshToken).not.toBe(held.refreshToken);
  expect((await introspect(stack, now.refreshToken)).active).toBe(true);
  expect((await introspect(stack, held.refreshToken)).active).toBe(false);
  const reasons = (await eventsOf(id)).map((e) => e.reason);
  expect(reasons).toEqual(['created', 'consent required', 'consent granted', 'consent granted; replaced refresh token revoked at the provider']);
});

test('abuse: denied consent, unknown, expired and replayed state, replayed code, tokens in the redirect, foreign iss', async () => {
  const created = await api.post('/v1/integrations', authCodeBody('Abuse target'));
  const id = created.body.id;
  const unchanged = async () => {
    const s = await statusOf(api, id);
    expect(s.status).toBe('awaiting_consent');
    expect((await eventsOf(id)).length).toBe(2);
  };

  const denied = await consentThroughBrowser(created.body.consent.authorizationUrl, { deny: true });
  expect(denied.callback.searchParams.get('error')).toBe('access_denied');
  expect(denied.landing.status).toBe(400);
  expect(denied.landing.html).toContain('Consent was denied');
  await unchanged();

  const unknown = await visit(`${redirectUri}?code=abc&state=${'x'.repeat(43)}`);
  expect(unknown.status).toBe(400);
  expect(unknown.html).toContain('not recognised');

  const expiring = new URL(await consentLinkFor(id)).searchParams.get('state')!;
  await store.db.collection('consent_sessions').updateOne({ _id: expiring as never }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
  const expired = await visit(`${redirectUri}?code=abc&state=${expiring}`);
  expect(expired.status).toBe(400);
  expect(expired.html).toContain('expired');

  const withTokens = new URL(await consentLinkFor(id)).searchParams.get('state')!;
  const tokens = await visit(`${redirectUri}?code=abc&access_token=evil&state=${withTokens}`);
  expect(tokens.status).toBe(400);
  expect(tokens.html).toContain('tokens in the browser redirect');

  const foreign = new URL(await consentLinkFor(id)).searchParams.get('state')!;
  const mixup = await visit(`${redirectUri}?code=abc&iss=${encodeURIComponent('https://evil.example')}&state=${foreign}`);
  expect(mixup.status).toBe(400);
  expect(mixup.html).toContain('different authorization server');
  await unchanged();

  // A real code, used once; then replayed under a fresh state: the provider refuses it and nothing changes.
  const first = await consentThroughBrowser(await consentLinkFor(id));
  expect(first.landing.status).toBe(200);
  const token = (await api.get(`/v1/integrations/${id}/token`)).body.access_token;
  const code = first.callback.searchParams.get('code')!;
  const fresh = new URL(await consentLinkFor(id)).searchParams.get('state')!;
  const replayedCode = await visit(`${redirectUri}?code=${encodeURIComponent(code)}&state=${fresh}`);
  expect(replayedCode.status).toBe(502);
  expect(replayedCode.html).toContain('refused to exchange');
  expect((await statusOf(api, id)).status).toBe('active');
  expect((await api.get(`/v1/integrations/${id}/token`)).body.access_token).toBe(token);
});

test('consent links: a redirect for browsers, JSON for the console, only for authorization-code integrations', async () => {
  const created = await api.post('/v1/integrations', authCodeBody('Links'));
  const res = await fetch(`${stack.apiUrl}/v1/integrations/${created.body.id}/authorize`, {
    headers: { authorization: `Bearer ${stack.adminKey}`, accept: 'text/html' },
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  expect(res.headers.get('location')!.startsWith(stack.provider.authorizationUrl)).toBe(true);

  const missing = await api.post('/v1/integrations', { ...authCodeBody(), authorizationUrl: undefined, redirectUri: undefined, scope: undefined });
  expect(missing.status).toBe(400);
  expect(missing.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['authorizationUrl', 'redirectUri', 'scope']);
});

test('RFC 9207: when the discovered issuer promises iss, a callback without it is refused; the real redirect (with iss) works', async () => {
  const { authorizationUrl: _explicit, tokenUrl: _token, revocationUrl: _revocation, ...viaDiscovery } = authCodeBody('Discovered issuer');
  const created = await api.post('/v1/integrations', { ...viaDiscovery, issuer: stack.provider.issuer });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ issuer: stack.provider.issuer, issRequired: true });
  const id = created.body.id as string;

  const state = new URL(await consentLinkFor(id)).searchParams.get('state')!;
  const withoutIss = await visit(`${redirectUri}?code=abc&state=${state}`);
  expect(withoutIss.status).toBe(400);
  expect(withoutIss.html).toContain('did not say which authorization server');
  expect((await statusOf(api, id)).status).toBe('awaiting_consent');

  const real = await consentThroughBrowser(await consentLinkFor(id));
  expect(real.callback.searchParams.get('iss')).toBe(stack.provider.issuer);
  expect(real.landing.status).toBe(200);
  expect((await statusOf(api, id)).status).toBe('active');
});
