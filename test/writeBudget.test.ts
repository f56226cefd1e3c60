// 48 hours of 15-minute tokens with refresh-token rotation, on Temporal's time-skipping server: Secrets Manager gets no
// more versions than the write budget allows, AWS's quota (enforced in front of moto on the same skipped clock) is
// never hit, and nothing degrades.
import { stateQuery } from '../workflows/messages';
import { bootStack, eventually, storeInspector, type Stack } from './support/harness';
import { createInput, startTimeSkipping, type TimeSkipping } from './support/timeSkipping';

let stack: Stack;
let skipping: TimeSkipping;
let store: Awaited<ReturnType<typeof storeInspector>>;

beforeAll(async () => {
  stack = await bootStack('writebudget', { providerTokenTtlSeconds: 900 });
  store = await storeInspector(stack);
  skipping = await startTimeSkipping(stack, 'writebudget');
}, 180_000);

afterAll(async () => {
  await skipping?.stop();
  await store?.close();
  await stack?.stop();
});

test('two days of 15-minute rotating tokens: ≤ 96 versions in any 24 h, no LimitExceededException, no degradation', async () => {
  const { env } = skipping;
  const id = 'int_0000000000000000000000fe';
  const name = `steward/integrations/${id}`;
  const minted = await stack.provider.mintRefreshToken(stack.demoClient.clientId, 'read');
  // Production lifecycle defaults: 5-minute buffer, so 15-minute tokens refresh every 10 minutes.
  const input = createInput(stack, {
    id,
    label: 'Fifteen-minute rotating token',
    grantType: 'refresh_token',
    secrets: { clientSecret: stack.demoClient.clientSecret, refreshToken: minted.refresh_token },
  });
  const handle = await env.client.workflow.start('integrationWorkflow', { args: [input], workflowId: `integration-${id}`, taskQueue: skipping.taskQueue });
  await eventually(async () => (await handle.query(stateQuery)).status === 'active', 'validation', 30_000);

  // The emulator's 24-hour window runs on the skipped clock too.
  const syncClock = async () => stack.smQuota.setClockOffset((await env.currentTimeMs()) - Date.now());
  let mostVersionsIn24h = 0;
  for (let halfHour = 0; halfHour < 96; halfHour++) {
    await syncClock();
    await env.sleep('30 minutes');
    await syncClock();
    mostVersionsIn24h = Math.max(mostVersionsIn24h, stack.smQuota.ledger.versionCount(name));
  }

  const events = await store.db.collection('integration_events').find({ integrationId: id }).toArray();
  const refreshes = events.filter((e) => e.reason === 'refreshed').length;
  expect(refreshes).toBeGreaterThanOrEqual(280); // every 10 minutes for 48 hours: 288, a version each before
  expect(mostVersionsIn24h).toBeLessThanOrEqual(96);
  expect(stack.smQuota.ledger.refused.LimitExceededException).toBe(0);
  // The rotated refresh tokens did reach Secrets Manager, spaced by the budget (about one every 20 minutes).
  expect(stack.smQuota.ledger.acceptedVersions).toBeGreaterThan(100);
  expect(events.map((e) => e.to)).not.toContain('degraded');
  expect(events.map((e) => e.to)).not.toContain('awaiting_consent');
  expect((await handle.query(stateQuery)).status).toBe('active');
  await handle.terminate('test over');
}, 900_000);
