// The console's admin pages and each role's view, in a real browser (Debian chromium via playwright-core) against a real
// stack whose integrations are in every settled status: fleet-health charts, access keys, audit trail, webhooks,
// ownership transfer, paging through 1,500 events, and no secret on any page.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from '../scripts/stack';
import { FAST_LIFECYCLE, apiClient, bootStack, clientCredentialsBody, eventually, statusOf, storeInspector, type Stack } from './support/harness';
import { startFaultProxy, type FaultProxy } from './support/faultProxy';
import { openBrowser, type TestBrowser } from './support/browser';

const ARTIFACTS = join(ROOT, 'test-artifacts', 'console-pages');
const SERVER_ERROR = { kind: 'status', status: 500, body: '{"error":"server_error"}', contentType: 'application/json' } as const;

let stack: Stack;
let api: ReturnType<typeof apiClient>;
let browser: TestBrowser;
let page: Page;
let proxy: FaultProxy;
/** One integration per settled status (validating lasts only while the first token is obtained). */
const ids = { active: '', degraded: '', awaitingConsent: '', disconnected: '', revoked: '', globex: '' };
/** Everything that must never appear on a page once its one showing is over. */
const secrets: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'console', 'dist', 'index.html'))) throw new Error('The console is not built: run `npm run build:console` (npm test does it).');
  if (existsSync(ARTIFACTS)) for (const f of readdirSync(ARTIFACTS)) if (f.endsWith('.png')) rmSync(join(ARTIFACTS, f));
  [stack, browser] = await Promise.all([bootStack('console-pages', FAST_LIFECYCLE), openBrowser({ artifactsDir: ARTIFACTS, viewport: { width: 1280, height: 900 } })]);
  api = apiClient(stack);
  page = browser.page;
  proxy = await startFaultProxy(stack.provider.url);
  secrets.push(stack.adminKey, stack.demoClient.clientSecret, 'first-secret-value', 'second-secret-value');

  const create = async (overrides: Record<string, unknown>) => {
    const res = await api.post('/v1/integrations', clientCredentialsBody(stack, { apiBaseUrl: stack.provider.url, ...overrides }));
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  ids.active = await create({ label: 'Acme CRM' });
  ids.globex = await create({ label: 'Globex ERP', tenantId: 'globex' });
  ids.degraded = await create({ label: 'Acme billing (flaky provider)', tokenUrl: `${proxy.url}/token` });
  proxy.setMode(SERVER_ERROR);
  await stack.provider.addClient({ clientId: 'rotating', clientSecret: 'first-secret-value' });
  ids.disconnected = await create({ label: 'Acme warehouse', clientId: 'rotating', clientSecret: 'first-secret-value' });
  await stack.provider.setClientSecret('rotating', 'second-secret-value');
  const meta = (await api.get('/v1/meta')).body;
  ids.awaitingConsent = await create({
    label: 'Acme mailbox (user consent)',
    grantType: 'authorization_code',
    authorizationUrl: stack.provider.authorizationUrl,
    redirectUri: meta.redirectUri,
    scope: 'openid offline_access read',
  });
  ids.revoked = await create({ label: 'Acme legacy (long history)' });
  expect((await api.post(`/v1/integrations/${ids.revoked}/revoke`)).status).toBe(200);
  await seedHistory(ids.revoked, 1500);
  await eventually(async () => (await statusOf(api, ids.degraded)).status === 'degraded', 'degraded', 30_000);
  await eventually(async () => (await statusOf(api, ids.disconnected)).status === 'disconnected', 'disconnected', 30_000);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await stack?.stop();
});

/**
 * Gives a revoked integration a long history: `n` routine refreshes between its first token and its revocation, written
 * straight into the registry (refreshing 1,500 times for real would take many minutes; the pages read the same rows).
 */
async function seedHistory(id: string, n: number) {
  const store = await storeInspector(stack);
  try {
    const events = store.db.collection('integration_events');
    const existing = await events.find({ integrationId: id }).sort({ seq: 1 }).toArray();
    const revoked = existing[existing.length - 1];
    expect(revoked.to).toBe('revoked');
    // A refresh a minute for n minutes before the revocation; its first events move back to where that history began.
    const stepMs = 60_000;
    const fromMs = Date.parse(revoked.at) - (n + 1) * stepMs;
    for (const [k, e] of existing.slice(0, -1).entries()) await events.updateOne({ _id: e._id }, { $set: { at: new Date(fromMs + k).toISOString() } });
    await events.deleteOne({ _id: revoked._id });
    const seeded = Array.from({ length: n }, (_, i) => ({
      integrationId: id,
      seq: revoked.seq + i,
      from: 'active',
      to: 'active',
      reason: 'refreshed',
      actor: 'system',
      at: new Date(fromMs + (i + 1) * stepMs).toISOString(),
    }));
    await events.insertMany(seeded);
    const { _id: _old, ...last } = revoked;
    await events.insertOne({ ...last, seq: revoked.seq + n });
  } finally {
    await store.close();
  }
}

const consoleUrl = (path = '') => `${stack.apiUrl}/console${path}`;
const nav = () => page.getByRole('navigation', { name: 'Main' });

async function signInAs(key: string, landing: string) {
  await page.goto(consoleUrl('/'));
  await page.evaluate(() => sessionStorage.clear());
  // Back to the root, not a reload: the last session's app may already have moved to its own landing page (/fleet),
  // which a role without the fleet would then see as "Page not found" after signing in.
  await page.goto(consoleUrl('/'));
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: landing }).waitFor();
}

async function expectNoSecrets() {
  const html = await page.content();
  for (const s of secrets) expect(html).not.toContain(s);
}

async function createKey(body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const res = await api.post('/v1/keys', body);
  expect(res.status).toBe(201);
  secrets.push(res.body.key);
  return { id: res.body.id, key: res.body.key };
}

test('fleet health: every chart draws the stack\'s real data, with text alternatives; the lists act in one click', async () => {
  await signInAs(stack.adminKey, 'Fleet health');
  await page.getByLabel('Period').selectOption({ label: 'Last 15 minutes' });

  const status = page.getByTestId('chart-status');
  for (const s of ['active', 'degraded', 'awaiting_consent', 'disconnected', 'revoked']) await status.locator(`path[data-series="${s}"]`).waitFor();
  const alt = await status.locator('[role="img"]').getAttribute('aria-label');
  expect(alt).toMatch(/Now: .*active.*degraded.*awaiting consent.*disconnected.*revoked/);

  // Tokens live 6 s here: every active one is on the expiry timeline with its renewal planned before it expires.
  const expiries = page.getByTestId('chart-expiries');
  await expiries.locator(`g[data-integration-id="${ids.active}"] rect`).waitFor();
  const plan = (await api.get('/v1/fleet?hours=0.25')).body.upcomingExpiries.find((e: { id: string }) => e.id === ids.active);
  expect(Date.parse(plan.refreshDueAt)).toBeLessThan(Date.parse(plan.expiresAt));

  const outcomes = page.getByTestId('chart-outcomes');
  await eventually(async () => (await outcomes.locator('rect[data-outcome="success"]').count()) > 0 && (await outcomes.locator('rect[data-outcome="server_error"]').count()) > 0, 'success and server_error bars', 20_000);
  await outcomes.locator('rect[data-outcome="invalid_client"]').waitFor();
  await outcomes.getByText('Show the numbers').click();
  expect(await outcomes.locator('table').textContent()).toContain('server_error');

  await page.getByTestId('oldest-failure').getByRole('link').waitFor();
  const degraded = page.getByTestId('degraded-list').locator(`li[data-integration-id="${ids.degraded}"]`);
  await degraded.getByRole('button', { name: 'Refresh now' }).click();
  await degraded.getByText('still degraded').waitFor();
  const consent = page.getByTestId('consent-list').locator(`li[data-integration-id="${ids.awaitingConsent}"]`);
  await consent.getByRole('button', { name: 'Get consent link' }).click();
  expect(await consent.locator('input').inputValue()).toContain(stack.provider.authorizationUrl);
  await expectNoSecrets();
  await browser.shot('fleet-health');

  // Tablet width: the navigation wraps, the charts shrink, nothing spills sideways.
  await page.setViewportSize({ width: 820, height: 1100 });
  await page.getByTestId('chart-status').locator('path[data-series="active"]').waitFor();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  await browser.shot('fleet-health-tablet');
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('integration page: the lifetime strip shows the last tokens; ownership transfer is audited and the owner field says who', async () => {
  await page.goto(consoleUrl(`/integrations/${ids.active}`));
  await page.getByRole('heading', { level: 1, name: 'Acme CRM' }).waitFor();
  const strip = page.getByTestId('lifetime-strip');
  await eventually(async () => (await strip.locator('.token-span[data-how="refreshed"]').count()) >= 2, 'two refreshed tokens on the strip', 30_000);
  expect(await strip.locator('[role="img"]').getAttribute('aria-label')).toMatch(/obtained by refresh/);

  await page.getByRole('button', { name: 'Transfer ownership' }).click();
  const dialog = page.getByRole('dialog', { name: 'Transfer ownership' });
  await dialog.getByLabel('New owner').fill('team-payments');
  await dialog.getByRole('button', { name: 'Transfer' }).click();
  await page.getByText('Ownership transferred: team-payments now owns this integration.').waitFor();
  await eventually(async () => (await page.getByTestId('owner').textContent()) === 'team-payments', 'the owner field', 10_000);
  expect((await api.get(`/v1/integrations/${ids.active}`)).body.owner).toBe('team-payments');
  await browser.shot('integration-owner-transferred');

  // The audit trail shows the transfer just made, newest first, filtered to this integration.
  await nav().getByRole('link', { name: 'Audit trail' }).click();
  await page.getByLabel('Integration or key id').fill(ids.active);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const row = page.getByTestId('audit-table').locator('tbody tr').first();
  await eventually(async () => (await row.getAttribute('data-action')) === 'integration:transfer', 'the transfer at the top of the trail', 15_000);
  expect(await row.getAttribute('data-outcome')).toBe('succeeded');
  await expectNoSecrets();
  await browser.shot('audit-transfer');
});

test('the timeline pages back through all 1,500 seeded events, newest first', async () => {
  const total = await (async () => {
    const store = await storeInspector(stack);
    try {
      return await store.db.collection('integration_events').countDocuments({ integrationId: ids.revoked });
    } finally {
      await store.close();
    }
  })();
  expect(total).toBeGreaterThan(1500);
  await page.goto(consoleUrl(`/integrations/${ids.revoked}`));
  await page.getByRole('heading', { level: 1, name: 'Acme legacy (long history)' }).waitFor();
  const items = page.locator('.timeline-item');
  await items.first().waitFor();
  expect(await items.first().getAttribute('data-to')).toBe('revoked');
  for (let i = 0; i < 10 && (await page.getByRole('button', { name: 'Load older events' }).count()) > 0; i++) {
    const before = await items.count();
    await page.getByRole('button', { name: 'Load older events' }).click();
    await eventually(async () => (await items.count()) > before || (await page.getByTestId('timeline-end').count()) > 0, 'an older page', 15_000);
  }
  await page.getByTestId('timeline-end').waitFor();
  expect(await items.count()).toBe(total);
  expect(await items.last().getAttribute('data-to')).toBe('validating');
  await page.getByTestId('lifetime-strip').waitFor();
  await browser.shot('timeline-all-history');
});

test('access: create a key (shown once, with a copy button), use it, see it used, revoke it with a confirmation that says what stops', async () => {
  await page.goto(consoleUrl('/access'));
  await page.getByRole('heading', { level: 1, name: 'Access' }).waitFor();
  await page.getByText('Create an API key').click();
  await page.getByLabel('Name', { exact: true }).fill('Billing service');
  await page.getByLabel('Role', { exact: true }).selectOption('service');
  await page.getByLabel('Integrations (optional)').fill(ids.active);
  await page.getByRole('button', { name: 'Create key' }).click();
  await page.getByText('you will not see this key again').waitFor();
  const key = await page.locator('#new-key-value').inputValue();
  expect(key).toMatch(/^stw_/);
  await page.getByRole('button', { name: 'Copy', exact: true }).waitFor();
  await browser.shot('access-key-created');

  // The key works for what it was given.
  const asService = apiClient(stack, key);
  expect((await asService.get(`/v1/integrations/${ids.active}/token`)).status).toBe(200);
  await page.getByRole('button', { name: /hide the key/ }).click();
  secrets.push(key);
  await expectNoSecrets();

  const me = (await asService.get('/v1/me')).body;
  const row = page.locator(`tr[data-key-id="${me.id}"]`);
  await eventually(
    async () => {
      await page.reload();
      await row.waitFor();
      return !(await row.locator('td').nth(5).textContent())?.includes('never');
    },
    'the key shown as used',
    20_000,
    1000,
  );
  await browser.shot('access-key-used');

  await row.getByRole('button', { name: 'Revoke' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke the key “Billing service”?' });
  for (const words of ['What stops, at once', 'Every request made with this key is refused', 'Services using it stop getting access tokens for 1 integration', 'Cannot be undone']) {
    await dialog.getByText(words).first().waitFor();
  }
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
  await browser.shot('access-revoke-confirm');
  await dialog.getByRole('button', { name: 'Revoke key' }).click();
  await page.getByText('Revoked “Billing service”: it no longer works.').waitFor();
  await eventually(async () => (await row.getAttribute('data-state')) === 'revoked', 'the row says revoked', 10_000);
  await eventually(async () => (await asService.get(`/v1/integrations/${ids.active}/token`)).status === 401, 'the key refused', 5_000);
  await expectNoSecrets();
  await browser.shot('access-revoked');

  // The audit trail has the revocation just made.
  await nav().getByRole('link', { name: 'Audit trail' }).click();
  await page.getByLabel('Integration or key id').fill(me.id);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const top = page.getByTestId('audit-table').locator('tbody tr').first();
  await eventually(async () => (await top.textContent())?.includes('DELETE'), 'the revocation in the trail', 15_000);
  await page.getByRole('tab', { name: 'Token reads per minute' }).click();
  await page.getByTestId('counted-table').locator('tr', { hasText: me.id }).first().waitFor();
  await browser.shot('audit-token-reads');
});

test('webhooks: subscribe (signing secret shown once), see a delivery arrive for a real notice, delete it', async () => {
  const received: string[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      // The first attempt is refused, so the page shows a retry as well as the accepted delivery.
      res.writeHead(received.length === 1 ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    await page.goto(consoleUrl('/webhooks'));
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page.getByLabel('URL', { exact: true }).fill(url);
    await page.getByLabel('Description (optional)').fill('ops pager');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByText('you will not see it again').waitFor();
    const secret = await page.locator('#new-signing-secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await browser.shot('webhook-subscribed');
    await page.getByRole('button', { name: /hide the secret/ }).click();
    secrets.push(secret);

    // A real notice: a new integration becomes active.
    await api.post('/v1/integrations', clientCredentialsBody(stack, { label: 'Acme notices', apiBaseUrl: stack.provider.url }));
    await eventually(async () => received.length > 1, 'the notice accepted on its second attempt', 30_000);
    const card = page.locator('section[data-webhook-id]', { hasText: url });
    await card.locator('[data-testid="deliveries"] tr[data-outcome="accepted"]').first().waitFor({ timeout: 20_000 });
    const refused = card.locator('[data-testid="deliveries"] tr[data-outcome="refused"]').first();
    expect(await refused.textContent()).toMatch(/HTTP 500.*about/);
    await expectNoSecrets();
    await browser.shot('webhook-delivery');

    await card.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete the subscription for ${url}?` });
    await dialog.getByText('No new notice is sent to this URL').waitFor();
    await dialog.getByRole('button', { name: 'Delete subscription' }).click();
    await page.getByText(`Deleted the subscription for ${url}.`).waitFor();
    expect((await api.get('/v1/webhooks')).body.items).toHaveLength(0);
  } finally {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});

test('each role sees its own view: support, finance, agency; a service key cannot sign in', async () => {
  const support = await createKey({ name: 'Ana (support)', role: 'support' });
  const finance = await createKey({ name: 'Fin (finance)', role: 'finance' });
  const agency = await createKey({ name: 'Agency for Globex', role: 'agency', tenants: ['globex'] });
  const service = await createKey({ name: 'Billing', role: 'service', integrations: [ids.active] });
  const navLinks = async () => (await nav().getByRole('link').allTextContents()).map((t) => t.trim());

  // Support: fleet and integrations, refresh and consent links; no keys, audit, webhooks, revoke or transfer.
  await signInAs(support.key, 'Fleet health');
  expect(await navLinks()).toEqual(['Fleet health', 'Integrations']);
  await page.getByTestId('consent-list').getByRole('button', { name: 'Get consent link' }).first().waitFor();
  await page.getByTestId('degraded-list').getByRole('button', { name: 'Refresh now' }).first().waitFor();
  await browser.shot('role-support-fleet');
  await page.goto(consoleUrl(`/integrations/${ids.active}`));
  await page.getByRole('button', { name: 'Refresh now' }).waitFor();
  for (const name of ['Revoke', 'Update credentials', 'Transfer ownership']) expect(await page.getByRole('button', { name }).count()).toBe(0);
  await page.locator('.timeline-item').first().waitFor();
  await page.goto(consoleUrl('/access'));
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  await expectNoSecrets();

  // Finance: status and reports only: no action buttons anywhere, no history.
  await signInAs(finance.key, 'Fleet health');
  expect(await navLinks()).toEqual(['Fleet health', 'Integrations']);
  await page.getByTestId('chart-status').locator('path[data-series="active"]').waitFor();
  await page.getByTestId('degraded-list').locator('li').first().waitFor();
  expect(await page.getByRole('button', { name: 'Refresh now' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Get consent link' }).count()).toBe(0);
  await browser.shot('role-finance-fleet');
  await page.goto(consoleUrl(`/integrations/${ids.degraded}`));
  await page.getByText('Your role does not include the lifecycle history.').waitFor();
  expect(await page.locator('.page-actions button').count()).toBe(0);
  await expectNoSecrets();

  // Agency (globex): lands on its integrations, sees only its tenant's, and no fleet page.
  await signInAs(agency.key, 'Integrations');
  expect(await navLinks()).toEqual(['Integrations']);
  await page.locator(`tr[data-integration-id="${ids.globex}"]`).waitFor();
  expect(await page.locator('tbody tr').count()).toBe(1);
  await browser.shot('role-agency');
  await page.goto(consoleUrl(`/integrations/${ids.active}`));
  await page.getByRole('heading', { level: 1, name: 'Integration not found' }).waitFor();
  await page.goto(consoleUrl('/fleet'));
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  await expectNoSecrets();

  // Service: a token reader, not a console user.
  await page.goto(consoleUrl('/'));
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await page.getByLabel('API key').fill(service.key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('belongs to a service principal, which cannot use the console').waitFor();
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  await browser.shot('role-service-refused');
  await expectNoSecrets();
});

test('the read endpoints behind the pages: fleet confined to the caller\'s tenants, audit filters validated and paged', async () => {
  const globexSupport = await createKey({ name: 'Globex support', role: 'support', tenants: ['globex'] });
  const asGlobex = apiClient(stack, globexSupport.key);
  const mine = (await asGlobex.get('/v1/fleet?hours=1')).body;
  const last = mine.statusHistory[mine.statusHistory.length - 1].counts;
  expect(Object.values(last).reduce((a: number, b) => a + (b as number), 0)).toBe(1); // Globex ERP only
  expect(mine.upcomingExpiries.map((e: { id: string }) => e.id)).toEqual([ids.globex]);
  expect(JSON.stringify(mine)).not.toContain(ids.degraded);
  const all = (await api.get('/v1/fleet?hours=1')).body;
  expect(all.refreshOutcomes.some((r: { outcomes: Record<string, number> }) => r.outcomes.server_error > 0)).toBe(true);
  expect(mine.refreshOutcomes.every((r: { outcomes: Record<string, number> }) => !r.outcomes.server_error)).toBe(true);
  expect((await apiClient(stack, (await createKey({ name: 'Agency', role: 'agency', tenants: ['acme'] })).key).get('/v1/fleet')).status).toBe(403);
  const bad = await api.get('/v1/fleet?hours=9999');
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('hours');

  const badCursor = await api.get('/v1/audit?before=nonsense');
  expect(badCursor.status).toBe(400);
  expect(badCursor.text).toContain('before');
  const first = (await api.get('/v1/audit?limit=2&outcome=succeeded')).body;
  expect(first.items).toHaveLength(2);
  const second = (await api.get(`/v1/audit?limit=2&outcome=succeeded&before=${encodeURIComponent(first.nextCursor)}`)).body;
  expect(second.items.map((e: { id: string }) => e.id)).not.toContain(first.items[1].id);
  expect(Date.parse(second.items[0].at)).toBeLessThanOrEqual(Date.parse(first.items[1].at));
  const acmeOnly = (await api.get('/v1/audit?tenantId=globex&limit=1000')).body.items as { target: string }[];
  expect(acmeOnly.every((e) => e.target === ids.globex)).toBe(true);
});
