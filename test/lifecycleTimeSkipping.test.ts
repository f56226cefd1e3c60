// The lifecycle's rules as the workflow runs them, on Temporal's time-skipping test server with scripted activities:
// degraded after N failures, the 429 pace, coalescing, "not retried blindly", revocation while requests wait. Counts of
// provider requests over skipped hours, never wall-clock sleeps. The real provider, vault and registry are proven by
// the end-to-end suites; here the rule under test is the workflow's own, so its activities are fakes.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Context } from '@temporalio/activity';
import { WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { EncryptionCodec } from '../lib/codec';
import type { IntegrationWorkflowInput, integrationWorkflow } from '../workflows/integration';
import { completeConsentUpdate, refreshNowUpdate, revokeSignal, stateQuery, updateConfigUpdate, updatePolicyUpdate } from '../workflows/messages';
import { providerFailure, type IntegrationConfig, type LifecyclePolicy, type ProviderFailure, type TokenOutcome, type TransitionEvent } from '../workflows/model';
import { fixtureCodecKeys } from './support/fixtureCodec';
import { eventually } from './support/harness';
import { startTestServer, type TestServer } from './support/timeSkipping';
import { testWorkflowBundle } from './support/testWorkflowBundle';

const root = fileURLToPath(new URL('..', import.meta.url));
const failureConverterPath = join(root, 'lib', 'failureConverter.ts');
const codecKeys = fixtureCodecKeys(); // a test-only key: every payload here is ciphertext, as in production

const policy: LifecyclePolicy = {
  refreshBufferMs: 5 * 60_000,
  defaultLifetimeSeconds: 3600,
  retryBaseMs: 10_000,
  retryMaxMs: 60_000,
  degradedAfterAttempts: 3,
  degradedRetryMs: 10 * 60_000,
  historyLimit: 10_000,
};
const MIN = 60_000;

let env: TestWorkflowEnvironment;
let testServer: TestServer;
let workflowBundle: WorkflowBundleOption;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  testServer = await startTestServer(codecKeys, 'lifecycle-time-skipping');
  env = testServer.env;
  workflowBundle = await testWorkflowBundle();
}, 180_000);

afterAll(async () => {
  await testServer?.stop();
});

/** One provider answer per refresh request, scripted by the test; every request is counted with its (skipped) time. */
class ScriptedProvider {
  readonly calls: { at: number; refresh: boolean }[] = [];
  readonly events: TransitionEvent[] = [];
  revocations = 0;
  private version = 1;
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  constructor(public answer: () => ProviderFailure | null) {}

  /** Holds every provider request until release(). */
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open?.();
    this.gate = null;
  }
  refreshes(): { at: number }[] {
    return this.calls.filter((c) => c.refresh);
  }

  activities() {
    return {
      obtainAndStoreToken: async (input: { nextGeneration: number; refresh?: unknown }): Promise<TokenOutcome> => {
        this.calls.push({ at: Context.current().info.scheduledTimestampMs, refresh: input.refresh !== undefined });
        // Held: heartbeat like the real activity (the workflow gives it a 5 s heartbeat timeout), so a slow test is not a retry.
        for (let gate = this.gate; gate; gate = this.gate) {
          Context.current().heartbeat();
          await Promise.race([gate, new Promise((r) => setTimeout(r, 1000))]);
        }
        const failure = this.answer();
        if (failure) return { ok: false, failure };
        this.version += 1;
        return {
          ok: true,
          token: {
            secretArn: 'arn:fake',
            secretVersionId: `v${this.version}`,
            generation: input.nextGeneration,
            expiresAt: new Date(Date.now() + 3600_000).toISOString(),
            expiresInSeconds: 3600,
            scope: 'read',
            tokenType: 'Bearer',
            hasRefreshToken: false,
          },
        };
      },
      storeClientSecret: async () => ({ secretArn: 'arn:fake', secretVersionId: 'v1', generation: 1 }),
      revokeAtProvider: async () => {
        this.revocations += 1;
        return { ok: true, detail: 'revoked' };
      },
      registerIntegration: async (input: { events: TransitionEvent[] }) => void this.events.push(...input.events),
      recordTransition: async (input: { event: TransitionEvent | null }) => void (input.event && this.events.push(input.event)),
      saveConfig: async () => undefined,
      deleteSecret: async () => undefined,
      publishNotices: async () => ({ subscriptions: 0 }),
    };
  }
}

const ok = () => null;
const unavailable = () => providerFailure('transient', 'provider_http_503', 'The provider is temporarily unavailable: HTTP 503.');
const throttled = () => providerFailure('transient', 'provider_http_429', 'The provider is temporarily unavailable: HTTP 429.', { retryAfterSeconds: 1800 });

let counter = 0;
function config(grantType: IntegrationConfig['grantType'] = 'client_credentials'): IntegrationConfig {
  counter += 1;
  return {
    id: `int_ts_${Date.now().toString(36)}_${counter}`,
    label: 'time-skipped',
    grantType,
    tokenUrl: 'https://idp.example/token',
    clientId: 'client',
    scope: 'read',
    apiBaseUrl: 'https://api.example',
    tenantId: null,
    revocationUrl: 'https://idp.example/revoke',
    tokenAuthMethod: 'client_secret_basic',
    authorizationUrl: grantType === 'authorization_code' ? 'https://idp.example/authorize' : null,
    redirectUri: grantType === 'authorization_code' ? 'https://steward.example/callback' : null,
    owner: 'test',
    preset: null,
    issuer: null,
    authorizationParams: {},
    tokenRequestHeaders: [],
  };
}

/** Starts an integration on a fresh in-process worker serving `provider`, runs `body`, then ends the workflow. */
async function withIntegration(
  provider: ScriptedProvider,
  body: (handle: WorkflowHandle<typeof integrationWorkflow>) => Promise<void>,
  grantType?: IntegrationConfig['grantType'],
): Promise<void> {
  const taskQueue = `ts-${++counter}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities: provider.activities(),
    dataConverter: { payloadCodecs: [new EncryptionCodec(codecKeys)], failureConverterPath },
  });
  const cfg = config(grantType);
  const input: IntegrationWorkflowInput = { kind: 'create', config: cfg, secrets: { clientSecret: 'fake-secret' }, policy, actor: 'admin:test' };
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof integrationWorkflow>('integrationWorkflow', { args: [input], workflowId: `integration-${cfg.id}`, taskQueue });
    await eventually(async () => (await handle.query(stateQuery)).status !== 'validating', 'creation');
    try {
      await body(handle);
    } finally {
      await handle.terminate('test over').catch(() => undefined);
    }
  });
}

const status = async (handle: WorkflowHandle, want: string) =>
  eventually(async () => {
    const s = await handle.query(stateQuery);
    return s.status === want && s;
  }, `status ${want}`);

test('degraded at the Nth transient failure in a row, still degraded an hour later at the slower pace, recovered on success', async () => {
  const provider = new ScriptedProvider(ok);
  await withIntegration(provider, async (handle) => {
    provider.answer = unavailable;
    await env.sleep(55 * MIN + 2 * MIN); // the planned refresh at 55 min fails, then 2 retries within a minute and a half
    const degraded = await status(handle, 'degraded');
    expect(degraded.consecutiveFailures).toBe(policy.degradedAfterAttempts);
    expect(provider.refreshes()).toHaveLength(policy.degradedAfterAttempts);
    expect(provider.events.filter((e) => e.to === 'degraded' && e.from !== 'degraded').map((e) => e.reason)).toEqual([
      `refresh failed (provider_http_503), attempt ${policy.degradedAfterAttempts}`,
    ]);

    const before = provider.refreshes().length;
    await env.sleep(60 * MIN);
    const inHour = await eventually(async () => provider.refreshes().length - before >= 60 * MIN / policy.degradedRetryMs && provider.refreshes().length - before, 'the degraded pace');
    // Jittered between half and the whole degraded pace: 6 to 12 attempts in an hour, never the healthy backoff's hundreds.
    expect(inHour).toBeGreaterThanOrEqual(60 * MIN / policy.degradedRetryMs);
    expect(inHour).toBeLessThanOrEqual(2 * (60 * MIN / policy.degradedRetryMs));
    expect((await handle.query(stateQuery)).status).toBe('degraded');

    provider.answer = ok;
    await env.sleep(policy.degradedRetryMs);
    await status(handle, 'active');
    expect(provider.events.at(-1)).toMatchObject({ from: 'degraded', to: 'active', reason: 'recovered' });
  });
}, 120_000);

test('a 429 with Retry-After 30 min is retried every 30 min and no sooner: 4 requests in 100 skipped minutes', async () => {
  const provider = new ScriptedProvider(ok);
  await withIntegration(provider, async (handle) => {
    provider.answer = throttled;
    await env.sleep(55 * MIN + 100 * MIN);
    await eventually(async () => provider.refreshes().length >= 4, 'four throttled attempts');
    const at = provider.refreshes().map((c) => c.at);
    expect(at).toHaveLength(4); // at 55, 85, 115 and 145 minutes; the next is due at 175
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(1800_000);
    expect((await handle.query(stateQuery)).lastError?.code).toBe('provider_http_429');
  });
}, 120_000);

test('five refreshNow requests at once are answered by one provider request', async () => {
  const provider = new ScriptedProvider(ok);
  await withIntegration(provider, async (handle) => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => handle.executeUpdate(refreshNowUpdate, { args: [{ actor: `service:s${i}` }] })),
    );
    expect(provider.refreshes()).toHaveLength(1);
    expect(new Set(answers.map((a) => a.secretVersionId))).toEqual(new Set(['v3'])); // created with v2, refreshed once
  });
}, 120_000);

test.each([
  ['invalid_grant', 'awaiting_consent', 'consent_required'],
  ['invalid_client', 'disconnected', 'client_rejected'],
] as const)('%s is not retried blindly: %s after exactly one request, none more in a skipped day', async (code, to, kind) => {
  const provider = new ScriptedProvider(ok);
  await withIntegration(provider, async (handle) => {
    provider.answer = () => providerFailure(kind, code, 'refused');
    await env.sleep(55 * MIN + MIN);
    await status(handle, to);
    await env.sleep(24 * 60 * MIN);
    expect(provider.refreshes()).toHaveLength(1);
    expect((await handle.query(stateQuery)).status).toBe(to);
  });
}, 120_000);

test('consent completes an integration awaiting it; revocation answers the requests still waiting and sends none of them', async () => {
  const provider = new ScriptedProvider(ok);
  await withIntegration(
    provider,
    async (handle) => {
      expect((await handle.query(stateQuery)).status).toBe('awaiting_consent');
      const consent = { actor: 'user:u1', code: 'code', codeVerifier: 'verifier', redirectUri: 'https://steward.example/callback' };
      const granted = await handle.executeUpdate(completeConsentUpdate, { args: [consent] });
      expect(granted).toMatchObject({ ok: true, state: { status: 'active' } });

      provider.hold(); // the next provider request hangs until released
      const refresh = handle.executeUpdate(refreshNowUpdate, { args: [{ actor: 'service:s1' }] });
      await eventually(async () => provider.calls.length === 2, 'the refresh under way');
      const change = await handle.startUpdate(updateConfigUpdate, { args: [{ actor: 'admin:a', changes: { scope: 'write' } }], waitForStage: WorkflowUpdateStage.ACCEPTED });
      const reconsent = await handle.startUpdate(completeConsentUpdate, { args: [consent], waitForStage: WorkflowUpdateStage.ACCEPTED });
      await handle.signal(revokeSignal, { actor: 'admin:a', reason: 'test' });
      provider.release();

      expect(await change.result()).toMatchObject({ ok: false, failure: { code: 'revoked' } });
      expect(await reconsent.result()).toMatchObject({ ok: false, failure: { code: 'revoked' } });
      expect((await refresh).status).toBe('revoked');
      await handle.result();
      expect(provider.calls).toHaveLength(2); // the consent and the refresh under way; the queued ones never ran
      expect(provider.revocations).toBe(1);
      expect(provider.events.at(-1)).toMatchObject({ to: 'revoked', reason: 'revoked: test', actor: 'admin:a' });
    },
    'authorization_code',
  );
}, 120_000);

test('new lifecycle settings reach a running integration: a 20-minute buffer moves the planned refresh from 55 to 40 minutes', async () => {
  const provider = new ScriptedProvider(ok);
  await withIntegration(provider, async (handle) => {
    const wider = { ...policy, refreshBufferMs: 20 * MIN };
    // Unattributed: refused by the validator, nothing changes.
    await expect(handle.executeUpdate(updatePolicyUpdate, { args: [{ actor: '', settings: wider }] })).rejects.toThrow();
    await expect(handle.executeUpdate(updatePolicyUpdate, { args: [{ actor: 'admin:a', settings: { ...wider, retryBaseMs: -1 } }] })).rejects.toThrow();
    await handle.executeUpdate(updatePolicyUpdate, { args: [{ actor: 'admin:a', settings: wider }] });
    expect(provider.events.at(-1)).toMatchObject({ from: 'active', to: 'active', reason: 'lifecycle policy updated', actor: 'admin:a' });

    await env.sleep(41 * MIN);
    await eventually(async () => provider.refreshes().length === 1, 'the refresh at 40 minutes');
    const created = provider.calls[0]!.at;
    expect(provider.refreshes()[0]!.at - created).toBeGreaterThanOrEqual(40 * MIN);
    expect(provider.refreshes()[0]!.at - created).toBeLessThan(41 * MIN);
  });
}, 120_000);
