// The admin console in a real browser (Debian chromium via playwright-core) against a real stack and oidc-provider's own pages.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from '../scripts/stack';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { apiClient, bootStack, clientCredentialsBody, eventually, storeInspector, type Stack } from './support/harness';
import { openBrowser, type TestBrowser } from './support/browser';
import { startJwtBearerStub } from './support/jwtBearerStub';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'console');

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let browser: TestBrowser;
let page: Page;
/** The authorization-code integration connected by one test and re-consented by the next. */
let authCodeId = '';

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'console', 'dist', 'index.html'))) throw new Error('The console is not built: run `npm run build:console` (npm test does it).');
  // Fresh screenshots each run; the stack's logs (logs-<time>/) stay beside them.
  if (existsSync(ARTIFACTS)) for (const f of readdirSync(ARTIFACTS)) if (f.endsWith('.png')) rmSync(join(ARTIFACTS, f));
  // With the Temporal UI, so integrations carry their "Open in Temporal UI" link.
  [stack, browser] = await Promise.all([bootStack('console', { withUi: true }), openBrowser({ artifactsDir: ARTIFACTS })]);
  api = apiClient(stack);
  page = browser.page;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

// API base URLs must resolve (the URL guard looks them up) and this machine has no DNS beyond loopback: the provider's own address stands in.
const consoleUrl = (path = '') => `${stack.apiUrl}/console${path}`;
const badge = (p: Page = page) => p.locator('.page-status [data-status]');
const idFromUrl = () => /\/console\/integrations\/(int_[a-f0-9]+)$/.exec(page.url())?.[1] ?? '';

/** Fills the New Integration form field by field, as a person would. */
async function fillForm(values: Record<string, string>) {
  for (const [label, value] of Object.entries(values)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
}

async function signIn() {
  await page.goto(consoleUrl('/'));
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await page.getByLabel('API key').fill(stack.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Admins land on Fleet health.
  await page.getByRole('heading', { level: 1, name: 'Fleet health' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
}

test('sign in, create a client-credentials integration in the form, see it active, refresh it, revoke it: the token endpoint answers 410', async () => {
  await page.goto(consoleUrl('/'));
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await browser.shot('sign-in');

  // A wrong key is refused on the spot and nothing is kept.
  await page.getByLabel('API key').fill('stw_wrong_key_0000000000000000000000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('API key was not accepted').waitFor();
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

  await page.getByLabel('API key').fill(stack.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Fleet health' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
  expect(page.url()).not.toContain(stack.adminKey);
  expect(await page.evaluate(() => sessionStorage.getItem('steward.apiKey'))).toBe(stack.adminKey);
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
  await page.getByText('No integrations yet').waitFor();
  await browser.shot('list-empty');

  await page.getByRole('link', { name: 'New Integration' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'New Integration' }).waitFor();
  await fillForm({
    Label: 'Salesforce Production Integration',
    'Token URL': stack.provider.tokenUrl,
    'Client ID': stack.demoClient.clientId,
    'Client Secret': stack.demoClient.clientSecret,
    'API Base URL': stack.provider.url,
    'Revocation URL (optional)': stack.provider.revocationUrl,
  });
  await page.getByLabel('Scope (optional)').fill('read write');
  await page.getByLabel('Tenant ID (optional)').fill('acme');
  await browser.shot('form-client-credentials');
  await page.getByRole('button', { name: 'Save and validate' }).click();

  await page.waitForURL(/\/console\/integrations\/int_[a-f0-9]+$/);
  const id = idFromUrl();
  await page.getByText('Integration created').waitFor();
  expect(await badge().getAttribute('data-status')).toBe('active');
  const html = await page.content();
  expect(html).not.toContain(stack.demoClient.clientSecret);
  await page.locator('.timeline-item[data-to="active"]').first().waitFor();
  await browser.shot('integration-created');

  // The list shows it, active, with its tenant, without a reload.
  await page.getByRole('link', { name: 'Integrations', exact: true }).last().click();
  const row = page.locator(`tr[data-integration-id="${id}"]`);
  await row.waitFor();
  expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('active');
  expect(await row.textContent()).toContain('acme');
  await browser.shot('list-one-active');

  await row.getByRole('link', { name: 'Salesforce Production Integration' }).click();
  await page.getByRole('heading', { level: 1, name: 'Salesforce Production Integration' }).waitFor();
  const before = (await api.get(`/v1/integrations/${id}`)).body.lastRefreshAt;
  await page.getByRole('button', { name: 'Refresh now' }).click();
  await page.getByText('Refreshed: the Provider issued a new token.').waitFor();
  expect((await api.get(`/v1/integrations/${id}`)).body.lastRefreshAt).not.toBe(before);
  await page.locator('.timeline-item', { hasText: 'refreshed' }).first().waitFor();
  const temporalUi = page.getByRole('link', { name: 'Open in Temporal UI' });
  expect(await temporalUi.getAttribute('href')).toBe(`${stack.temporalUiUrl}/namespaces/default/workflows/integration-${id}`);
  await browser.shot('refreshed');

  // Update credentials: a secret the provider refuses changes nothing and says why; the right one is accepted.
  await page.getByRole('button', { name: 'Update credentials' }).click();
  const update = page.getByRole('dialog', { name: 'Update credentials' });
  await update.getByLabel('Client Secret').fill('not-the-secret');
  await update.getByRole('button', { name: 'Save credentials' }).click();
  await update.getByTestId('problem').waitFor();
  expect(await update.locator('.provider-error').textContent()).toBe('invalid_client');
  expect(await update.getByLabel('Client Secret').inputValue()).toBe('');
  await browser.shot('update-credentials-rejected');
  expect((await api.get(`/v1/integrations/${id}/token`)).status).toBe(200);
  await update.getByLabel('Client Secret').fill(stack.demoClient.clientSecret);
  await update.getByRole('button', { name: 'Save credentials' }).click();
  await page.getByText('Credentials updated').waitFor();
  expect(await update.isVisible()).toBe(false);

  // The confirmation says what stops, what remains and who can reconnect; Escape backs out, keyboard focus starts on Cancel.
  await page.getByRole('button', { name: 'Revoke' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke “Salesforce Production Integration”?' });
  await dialog.waitFor();
  for (const words of ['What stops', 'Services can no longer get a token', 'stops refreshing', 'revoked at the Provider', 'What remains', 'configuration and the history', 'Who can reconnect', 'creating a new integration']) {
    await dialog.getByText(words).first().waitFor();
  }
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
  await browser.shot('revoke-dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  expect((await api.get(`/v1/integrations/${id}`)).body.status).toBe('active');

  await page.getByRole('button', { name: 'Revoke' }).click();
  await dialog.getByRole('button', { name: 'Revoke integration' }).click();
  await page.locator('.page-status [data-status="revoked"]').waitFor();
  await page.getByText('Token serving and automatic refresh have stopped').first().waitFor();
  expect(await page.getByRole('button', { name: 'Refresh now' }).count()).toBe(0);
  await browser.shot('revoked');

  const token = await api.get(`/v1/integrations/${id}/token`);
  expect(token.status).toBe(410);
});

test('field errors appear inline; a provider rejection shows the provider error; secrets are cleared after each submit', async () => {
  await page.goto(consoleUrl('/integrations/new'));
  await page.getByRole('heading', { level: 1, name: 'New Integration' }).waitFor();
  await page.getByLabel('Token URL', { exact: true }).fill('not a url');
  await page.getByLabel('Client Secret', { exact: true }).fill('typed-then-sent');
  await page.getByRole('button', { name: 'Save and validate' }).click();

  const summary = page.getByTestId('field-summary');
  await summary.waitFor();
  await expectFieldError('Label', 'Label is required');
  await expectFieldError('Token URL', 'Token URL must be an absolute URL');
  await expectFieldError('Client ID', 'Client ID is required');
  expect(await page.getByLabel('Client Secret', { exact: true }).inputValue()).toBe('');
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('field-summary');
  await browser.shot('form-field-errors');

  await fillForm({
    Label: 'Rejected one',
    'Token URL': stack.provider.tokenUrl,
    'Client ID': stack.demoClient.clientId,
    'Client Secret': 'wrong-secret-value',
    'API Base URL': stack.provider.url,
  });
  await page.getByRole('button', { name: 'Save and validate' }).click();
  const problem = page.getByTestId('problem');
  await problem.waitFor();
  expect(await problem.textContent()).toContain('The Provider rejected the request');
  expect(await problem.locator('.provider-error').textContent()).toBe('invalid_client');
  expect(await page.getByTestId('field-summary').count()).toBe(0);
  expect(await page.getByLabel('Client Secret', { exact: true }).inputValue()).toBe('');
  expect(await page.content()).not.toContain('wrong-secret-value');
  await browser.shot('form-provider-rejected');
  expect((await api.get('/v1/integrations')).body.items.some((i: { label: string }) => i.label === 'Rejected one')).toBe(false);

  // The form adapts to the grant type: a Refresh Token field, or the authorization URL and the redirect URI to register.
  await page.getByLabel(/^Refresh Token/).check();
  await page.getByRole('textbox', { name: 'Refresh Token' }).waitFor();
  await page.getByLabel(/^Authorization Code/).check();
  expect(await page.getByRole('textbox', { name: 'Refresh Token' }).count()).toBe(0);
  const redirect = page.getByLabel('Redirect URI', { exact: true });
  expect(await redirect.inputValue()).toBe(`${stack.apiUrl}/v1/oauth/callback`);
  await page.getByLabel('Authorization URL', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Copy' }).waitFor();
  await browser.shot('form-authorization-code');
});

test('the list filters by status and tenant and shows a status change without a reload; a rejected key returns to sign-in', async () => {
  const acme = await api.post('/v1/integrations', clientCredentialsBody(stack, { label: 'Acme CRM', tenantId: 'acme', apiBaseUrl: stack.provider.url }));
  const globex = await api.post('/v1/integrations', clientCredentialsBody(stack, { label: 'Globex ERP', tenantId: 'globex', apiBaseUrl: stack.provider.url }));
  expect([acme.status, globex.status]).toEqual([201, 201]);

  await page.goto(consoleUrl('/integrations'));
  const rowOf = (id: string) => page.locator(`tr[data-integration-id="${id}"]`);
  await rowOf(globex.body.id).waitFor();
  await page.getByLabel('Tenant ID').fill('globex');
  await eventually(async () => (await rowOf(acme.body.id).count()) === 0, 'acme row filtered out', 10_000);
  expect(await rowOf(globex.body.id).count()).toBe(1);
  expect(page.url()).toContain('tenant=globex');

  // Revoked elsewhere (here: through the API); the page polls and the badge changes by itself.
  expect((await api.post(`/v1/integrations/${globex.body.id}/revoke`)).status).toBe(200);
  await rowOf(globex.body.id).locator('[data-status="revoked"]').waitFor({ timeout: 15_000 });
  await browser.shot('list-filter-tenant-live-revoked');
  // The health summary counts what the API's /v1/summary counts.
  const summary = (await api.get('/v1/summary')).body;
  const strip = page.getByTestId('summary');
  await eventually(async () => (await strip.textContent())?.includes(String(summary.byStatus.revoked)) && (await strip.locator('[data-status="revoked"]').count()) === 1, 'the summary to count revoked', 10_000);
  expect(await strip.locator('[data-status="active"]').count()).toBe(1);

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Status').selectOption('active');
  await rowOf(acme.body.id).waitFor();
  await eventually(async () => (await rowOf(globex.body.id).count()) === 0, 'revoked row filtered out', 10_000);
  await browser.shot('list-filter-active');

  // Tablet width: nothing spills sideways.
  await page.setViewportSize({ width: 820, height: 1100 });
  await page.getByLabel('Status').selectOption('');
  await rowOf(globex.body.id).waitFor();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  await browser.shot('list-tablet');
  await rowOf(acme.body.id).getByRole('link').click();
  await page.getByRole('heading', { level: 1, name: 'Acme CRM' }).waitFor();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  await browser.shot('integration-tablet');
  await page.setViewportSize({ width: 1280, height: 860 });

  // A key the API stops accepting ends the session.
  await page.evaluate(() => sessionStorage.setItem('steward.apiKey', 'stw_no_longer_valid_000000000000000'));
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByText('no longer accepts this key').waitFor();
  expect(await page.evaluate(() => sessionStorage.getItem('steward.apiKey'))).toBeNull();
  await browser.shot('signed-out-after-401');

  // And back in, on the page that was asked for; then Sign out forgets the key.
  await page.getByLabel('API key').fill(stack.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Acme CRM' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect(await page.evaluate(() => sessionStorage.getItem('steward.apiKey'))).toBeNull();
});

test('authorization code: create in the form, Authorize, log in and consent at the provider, land back active; the token is served', async () => {
  await signIn();
  await page.getByRole('link', { name: 'New Integration' }).first().click();
  await page.getByLabel(/^Authorization Code/).check();
  await fillForm({
    Label: 'Demo provider (user consent)',
    'Token URL': stack.provider.tokenUrl,
    'Client ID': stack.demoClient.clientId,
    'Client Secret': stack.demoClient.clientSecret,
    Scope: 'openid offline_access read',
    'API Base URL': stack.provider.url,
    'Authorization URL': stack.provider.authorizationUrl,
    'Revocation URL (optional)': stack.provider.revocationUrl,
  });
  const meta = await api.get('/v1/meta');
  expect(await page.getByLabel('Redirect URI', { exact: true }).inputValue()).toBe(meta.body.redirectUri);
  await browser.shot('form-authorization-code-filled');
  await page.getByRole('button', { name: 'Save and continue' }).click();

  await page.waitForURL(/\/console\/integrations\/int_[a-f0-9]+$/);
  const id = idFromUrl();
  await page.getByText('Waiting for consent').waitFor();
  expect(await badge().getAttribute('data-status')).toBe('awaiting_consent');
  expect((await api.get(`/v1/integrations/${id}/token`)).status).toBe(409);
  await browser.shot('awaiting-consent');

  await page.getByRole('button', { name: 'Authorize' }).click();
  await page.waitForURL((url) => url.origin === new URL(stack.provider.url).origin);
  await page.locator('input[name="login"]').fill('alice');
  await page.locator('input[name="password"]').fill('any password');
  await browser.shot('provider-login');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).waitFor();
  await browser.shot('provider-consent');
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.waitForURL((url) => url.pathname === '/v1/oauth/callback');
  await page.getByRole('heading', { name: 'Connected' }).waitFor();
  await browser.shot('callback-connected');
  await page.getByRole('link', { name: 'Open the integration in the console' }).click();

  await page.waitForURL(consoleUrl(`/integrations/${id}`));
  await page.locator('.page-status [data-status="active"]').waitFor();
  await page.locator('.timeline-item', { hasText: 'consent granted' }).waitFor();
  expect(await page.getByRole('button', { name: 'Reconnect' }).count()).toBe(1);
  await browser.shot('authorization-code-active');

  const token = await api.get(`/v1/integrations/${id}/token`);
  expect(token.status).toBe(200);
  expect(token.body.access_token).toEqual(expect.any(String));
  authCodeId = id;
});

test('re-consent: the provider stops accepting the refresh token, the badge turns to awaiting consent, Reconnect makes it active with its history kept', async () => {
  const id = authCodeId;
  expect(id).toMatch(/^int_/);
  // The user removes the app at the provider: its refresh token is revoked there.
  const store = await storeInspector(stack);
  try {
    const held = JSON.parse((await store.sm.send(new GetSecretValueCommand({ SecretId: `steward/integrations/${id}` }))).SecretString!);
    const auth = `Basic ${Buffer.from(`${stack.demoClient.clientId}:${stack.demoClient.clientSecret}`).toString('base64')}`;
    const revoked = await fetch(stack.provider.revocationUrl, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: held.refreshToken }),
    });
    expect(revoked.status).toBe(200);
  } finally {
    await store.close();
  }

  await page.goto(consoleUrl(`/integrations/${id}`));
  await page.getByRole('button', { name: 'Refresh now' }).click();
  await page.locator('.page-status [data-status="awaiting_consent"]').waitFor();
  await page.getByText('Waiting for consent').waitFor();
  expect(await page.locator('.last-error code').textContent()).toBe('invalid_grant');
  await browser.shot('re-consent-awaiting');

  await page.getByRole('button', { name: 'Reconnect' }).click();
  await throughProvider();
  await page.getByRole('heading', { name: 'Connected' }).waitFor();
  await page.getByRole('link', { name: 'Open the integration in the console' }).click();
  await page.locator('.page-status [data-status="active"]').waitFor();
  const reasons = await page.locator('.timeline-reason').allTextContents();
  expect(reasons.reverse()).toEqual(['created', 'consent required', 'consent granted', 'invalid_grant', 'consent granted']);
  await browser.shot('re-consent-active');
  expect((await api.get(`/v1/integrations/${id}/token`)).status).toBe(200);
});

test('consent abuse in the browser: denied consent, a replayed callback and a replayed code each end on a clear page, the integration unchanged', async () => {
  const created = await api.post('/v1/integrations', {
    label: 'Consent abuse target',
    grantType: 'authorization_code',
    tokenUrl: stack.provider.tokenUrl,
    authorizationUrl: stack.provider.authorizationUrl,
    redirectUri: (await api.get('/v1/meta')).body.redirectUri,
    clientId: stack.demoClient.clientId,
    clientSecret: stack.demoClient.clientSecret,
    scope: 'openid offline_access read',
    apiBaseUrl: stack.provider.url,
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const eventCount = async () => (await api.get(`/v1/integrations/${id}/events?limit=1000`)).body.items.length;
  const before = await eventCount();

  // A fresh session at the provider, which would otherwise remember the earlier consent and skip its pages.
  await browser.context.clearCookies();
  await page.goto(consoleUrl(`/integrations/${id}`));
  await page.getByRole('button', { name: 'Authorize' }).click();
  await throughProvider({ deny: true });
  await page.getByRole('heading', { name: 'Consent not granted' }).waitFor();
  expect(await page.textContent('body')).toContain('Nothing was changed');
  await browser.shot('consent-denied');
  const callback = page.url();

  // The same redirect again: its one-time state is spent.
  await page.goto(callback);
  await page.getByRole('heading', { name: 'Consent not completed' }).waitFor();
  expect(await page.textContent('body')).toContain('already been used');
  await browser.shot('consent-replayed');

  await page.getByRole('link', { name: 'Open the integration in the console' }).click();
  await page.locator('.page-status [data-status="awaiting_consent"]').waitFor();
  expect(await eventCount()).toBe(before);
  expect((await api.get(`/v1/integrations/${id}/token`)).status).toBe(409);

  // A real consent, then its authorization code replayed under a fresh state: the provider refuses it, nothing changes.
  await page.getByRole('button', { name: 'Authorize' }).click();
  await throughProvider();
  await page.getByRole('heading', { name: 'Connected' }).waitFor();
  const code = new URL(page.url()).searchParams.get('code')!;
  const token = (await api.get(`/v1/integrations/${id}/token`)).body.access_token;
  const fresh = new URL((await api.call('GET', `/v1/integrations/${id}/authorize`, undefined, { accept: 'application/json' })).body.authorizationUrl).searchParams.get('state')!;
  const { redirectUri } = (await api.get('/v1/meta')).body;
  await page.goto(`${redirectUri}?code=${encodeURIComponent(code)}&state=${fresh}`);
  await page.getByRole('heading', { name: 'Consent not completed' }).waitFor();
  expect(await page.textContent('body')).toContain('refused to exchange');
  await browser.shot('consent-replayed-code');
  expect((await api.get(`/v1/integrations/${id}`)).body.status).toBe('active');
  expect((await api.get(`/v1/integrations/${id}/token`)).body.access_token).toBe(token);
});

test('connector presets: Shopify asks for the shop (not URLs), links its documentation, and shows the API\'s error on the shop field', async () => {
  await signIn();
  await page.getByRole('link', { name: 'New Integration' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'New Integration' }).waitFor();
  // Generic first, then the presets from GET /v1/connectors, each with the grant types it supports.
  const shopify = page.getByRole('radio', { name: /^Shopify/ });
  await shopify.waitFor({ state: 'attached' });
  expect(await page.locator('[data-connector="shopify"]').textContent()).toBe('ShopifyAuth code');
  await shopify.check();

  // Only what Shopify needs: the shop, the credentials, the scope (its default, editable); no URLs, one grant type.
  await page.getByLabel('Shop', { exact: true }).waitFor();
  expect(await page.getByRole('textbox', { name: /^Token URL/ }).count()).toBe(0);
  expect(await page.getByRole('textbox', { name: /^API Base URL/ }).count()).toBe(0);
  expect(await page.getByRole('radio', { name: /^Client Credentials/ }).count()).toBe(0);
  expect(await page.getByRole('radio', { name: /^Authorization Code/ }).isChecked()).toBe(true);
  expect(await page.getByLabel(/^Scope/).inputValue()).toBe('read_products,read_orders');
  const docs = page.getByRole('link', { name: /^Provider documentation/ });
  expect(await docs.getAttribute('href')).toBe('https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant');
  expect(await docs.getAttribute('target')).toBe('_blank');
  await page.getByText('Scopes are comma-separated.').waitFor();
  expect(await page.getByLabel('Redirect URI', { exact: true }).inputValue()).toBe((await api.get('/v1/meta')).body.redirectUri);
  // Advanced shows Shopify's own endpoints as what applies when left empty.
  await page.getByText('Advanced', { exact: true }).click();
  await page.getByText('https://{shop}.myshopify.com/admin/oauth/access_token').first().waitFor();
  await browser.shot('form-preset-shopify-advanced');
  await page.getByText('Advanced', { exact: true }).click();

  await fillForm({ Label: 'Acme Shopify', Shop: 'Acme Store!', 'Client ID': 'shopify-client', 'Client Secret': 'shopify-secret-value' });
  await browser.shot('form-preset-shopify');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.getByTestId('field-summary').waitFor();
  await expectFieldError('Shop', 'is not a valid Shop (e.g. acme-store)');
  expect(await page.getByTestId('field-summary').getByRole('link', { name: 'Shop' }).getAttribute('href')).toBe('#field-presetValues-shop');
  expect(await page.getByLabel('Client Secret', { exact: true }).inputValue()).toBe('');
  await browser.shot('form-preset-shopify-invalid-shop');
  expect((await api.get('/v1/integrations')).body.items.some((i: { label: string }) => i.label === 'Acme Shopify')).toBe(false);

  // Choices come as a select (Amazon's region); switching back to Generic brings the URL fields back.
  await page.getByRole('radio', { name: /^Amazon Selling Partner API/ }).check();
  // Tablet width: the tiles reflow, nothing spills sideways.
  await page.setViewportSize({ width: 820, height: 1100 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  await browser.shot('form-preset-amazon-tablet');
  await page.setViewportSize({ width: 1280, height: 860 });
  const region = page.getByLabel('Region', { exact: true });
  expect(await region.evaluate((el) => el.tagName)).toBe('SELECT');
  expect(await region.locator('option:not([disabled])').allTextContents()).toEqual(['na', 'eu', 'fe']);
  expect(await page.getByRole('textbox', { name: 'Shop' }).count()).toBe(0);
  await page.getByRole('radio', { name: /^Generic/ }).check();
  await page.getByLabel('Token URL', { exact: true }).waitFor();
  expect(await page.getByLabel(/^Scope/).inputValue()).toBe('');
});

test('Generic with only an Issuer URL: the endpoints are discovered, the integration is active and shows the discovered token URL', async () => {
  await page.goto(consoleUrl('/integrations/new'));
  await page.getByRole('heading', { level: 1, name: 'New Integration' }).waitFor();
  expect(await page.getByRole('radio', { name: /^Generic/ }).isChecked()).toBe(true);
  await page.getByLabel(/^Issuer URL/).fill(stack.provider.issuer);
  // With an issuer, the URLs it publishes are optional.
  await page.getByLabel('Token URL (optional)', { exact: true }).waitFor();
  await fillForm({
    Label: 'Discovered provider',
    'Client ID': stack.demoClient.clientId,
    'Client Secret': stack.demoClient.clientSecret,
    'Scope (optional)': 'read write',
    'API Base URL': stack.provider.url,
  });
  await browser.shot('form-generic-discovery');
  await page.getByRole('button', { name: 'Save and validate' }).click();

  await page.waitForURL(/\/console\/integrations\/int_[a-f0-9]+$/);
  const id = idFromUrl();
  await page.getByText('Integration created').waitFor();
  expect(await badge().getAttribute('data-status')).toBe('active');
  const config = page.locator('section[aria-labelledby="h-config"]');
  expect(await config.textContent()).toContain(stack.provider.tokenUrl);
  expect(await config.textContent()).toContain(stack.provider.issuer);
  expect(await page.getByTestId('connector').textContent()).toContain('Generic OAuth 2.0');
  await browser.shot('integration-discovered');
  expect((await api.get(`/v1/integrations/${id}`)).body).toMatchObject({ tokenUrl: stack.provider.tokenUrl, issuer: stack.provider.issuer, preset: null, status: 'active' });
});

test('a preset with its endpoints overridden under Advanced: Xero, client credentials, against the demo provider', async () => {
  await page.goto(consoleUrl('/integrations/new'));
  await page.getByRole('heading', { level: 1, name: 'New Integration' }).waitFor();
  await page.getByRole('radio', { name: /^Xero/ }).check();
  await page.getByRole('radio', { name: /^Client Credentials/ }).check();
  expect(await page.getByLabel(/^Scope/).inputValue()).toBe('offline_access accounting.transactions openid profile email');
  await page.getByText('Refresh tokens rotate and expire after 60 days unused.').waitFor();
  await page.getByText('Advanced', { exact: true }).click();
  await fillForm({
    Label: 'Xero (demo provider)',
    'Client ID': stack.demoClient.clientId,
    'Client Secret': stack.demoClient.clientSecret,
    'Scope (optional)': 'read write',
    'Tenant ID (optional)': 'acme',
    'Token URL (override)': stack.provider.tokenUrl,
    'API Base URL (override)': stack.provider.url,
  });
  // The preset's client authentication applies unless chosen here; nothing else is sent.
  expect(await page.getByLabel('Token authentication method').inputValue()).toBe('');
  await browser.shot('form-preset-xero-advanced');
  await page.getByRole('button', { name: 'Save and validate' }).click();

  await page.waitForURL(/\/console\/integrations\/int_[a-f0-9]+$/);
  const id = idFromUrl();
  await page.getByText('Integration created').waitFor();
  expect(await badge().getAttribute('data-status')).toBe('active');
  const connector = page.getByTestId('connector');
  await connector.getByText('Xero').waitFor();
  expect(await connector.getByRole('link', { name: /^Provider documentation/ }).getAttribute('href')).toBe('https://developer.xero.com/documentation/guides/oauth2/auth-flow');
  expect(await page.locator('.page-status').textContent()).toContain('Xero · Client Credentials');
  await browser.shot('integration-preset-xero');
  expect((await api.get(`/v1/integrations/${id}`)).body).toMatchObject({
    preset: 'xero',
    tokenUrl: stack.provider.tokenUrl,
    apiBaseUrl: stack.provider.url,
    tokenAuthMethod: 'client_secret_basic',
    scope: 'read write',
    status: 'active',
  });
});

test('a Google service account in the form: JWT Bearer asks for a private key, subject and audience (no client secret, no method to choose) and is active', async () => {
  const account = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = account.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const email = 'reports@acme-project.iam.gserviceaccount.com';
  const stub = await startJwtBearerStub({ accounts: [{ issuer: email, publicKey: account.publicKey, kid: 'sa-key-1', subjects: ['admin@acme.test'] }], expiresIn: 3600 });
  try {
    await page.goto(consoleUrl('/integrations/new'));
    await page.getByRole('heading', { level: 1, name: 'New Integration' }).waitFor();
    await page.getByRole('radio', { name: /^Google/ }).check();
    await page.getByRole('radio', { name: /^JWT Bearer/ }).check();
    expect(await page.getByLabel('Client Secret', { exact: true }).count()).toBe(0);
    await page.getByText('Advanced', { exact: true }).click();
    expect(await page.getByLabel('Token authentication method').count()).toBe(0);
    await fillForm({
      Label: 'Drive reports',
      'Client ID': email,
      'Private key': pem,
      'Key ID (optional)': 'sa-key-1',
      'Subject (optional)': 'admin@acme.test',
      'Scope (optional)': 'https://www.googleapis.com/auth/drive.readonly',
      'Token URL (override)': stub.tokenUrl,
      'Revocation URL (override)': `${stub.url}/revoke`,
      'API Base URL (override)': stack.provider.url,
    });
    await browser.shot('form-google-jwt-bearer');
    await page.getByRole('button', { name: 'Save and validate' }).click();

    await page.waitForURL(/\/console\/integrations\/int_[a-f0-9]+$/);
    const id = idFromUrl();
    await page.getByText('Integration created').waitFor();
    expect(await badge().getAttribute('data-status')).toBe('active');
    expect(await page.locator('.page-status').textContent()).toContain('Google · JWT Bearer');
    expect(await page.content()).not.toContain(pem.split('\n')[1]);
    expect((await api.get(`/v1/integrations/${id}`)).body).toMatchObject({ grantType: 'jwt_bearer', preset: 'google', tokenAuthMethod: 'none', clientKeyId: 'sa-key-1', assertionSubject: 'admin@acme.test', status: 'active' });
    expect(stub.requests().at(-1)).toMatchObject({ answeredWith: 200, claims: expect.objectContaining({ iss: email, sub: 'admin@acme.test' }) });
  } finally {
    await stub.close();
  }
});

/** Walks oidc-provider's own login and consent pages (or presses its Cancel) until the browser is back at our callback. */
async function throughProvider(opts: { deny?: boolean } = {}) {
  const provider = new URL(stack.provider.url).origin;
  await page.waitForURL((url) => url.origin === provider || url.pathname === '/v1/oauth/callback');
  for (let step = 0; step < 6; step++) {
    await page.waitForLoadState();
    if (new URL(page.url()).pathname === '/v1/oauth/callback') return;
    const at = page.url();
    if (opts.deny) await page.getByRole('link', { name: '[ Cancel ]' }).click();
    else if (await page.locator('input[name="login"]').count()) {
      await page.locator('input[name="login"]').fill('alice');
      await page.locator('input[name="password"]').fill('any password');
      await page.getByRole('button', { name: 'Sign-in' }).click();
    } else await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.toString() !== at);
  }
  throw new Error(`still at the provider: ${page.url()}`);
}

async function expectFieldError(label: string, message: string) {
  const input = page.getByLabel(label, { exact: true });
  expect(await input.getAttribute('aria-invalid')).toBe('true');
  const errorId = (await input.getAttribute('aria-describedby'))!.split(' ')[0]!;
  expect(await page.locator(`#${errorId}`).textContent()).toContain(message);
}
