// Test harness: boots a real stack per suite (on the run's shared Temporal, FerretDB and moto) and gives tests a small
// authenticated API client.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, type Stack, type StackOptions } from '../../scripts/steward';
import { ROOT } from '../../scripts/stack';
import { sharedRun, suiteSlice } from './sharedStack';

export type { Stack };

export interface BootOptions extends Partial<StackOptions> {
  /**
   * Private Temporal, FerretDB and moto for this suite: needed to restart or stop them (restartDependency).
   * Custom ports or persistent data imply it.
   */
  isolated?: boolean;
}

/**
 * A stack for one suite: its own worker, api, demo provider and Secrets Manager quota proxy, on the run's shared
 * dependencies (its own task queue, database and moto account) unless it asks for private ones.
 */
export async function bootStack(suite: string, bootOpts: BootOptions = {}): Promise<Stack> {
  const { isolated, ...opts } = bootOpts;
  const run = sharedRun();
  const shared = run && !isolated && !opts.ports && !opts.persistent ? suiteSlice(run, suite) : undefined;
  return startStack({
    dataDir: mkdtempSync(join(tmpdir(), `steward-${suite}-`)),
    logDir: join(ROOT, 'test-artifacts', suite, `logs-${Date.now()}`),
    providerTestControls: true,
    ...opts,
    shared,
    // Suites compress lifecycles into seconds, below the production refresh floor (30 s); a suite that tests the
    // floor itself sets STEWARD_MIN_REFRESH_SECONDS in opts.env or on an api replica.
    env: { STEWARD_MIN_REFRESH_SECONDS: '1', ...(run ? { STEWARD_WORKFLOW_BUNDLE_PATH: run.workflowBundlePath } : {}), ...opts.env },
  });
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export function apiClient(stack: Stack, key: string | null = stack.adminKey) {
  async function call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const res = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  }
  return {
    call,
    get: <T = any>(path: string) => call<T>('GET', path),
    post: <T = any>(path: string, body?: unknown) => call<T>('POST', path, body),
    patch: <T = any>(path: string, body?: unknown) => call<T>('PATCH', path, body),
  };
}

/** A create body for the demo provider's client-credentials client, with overrides. */
export function clientCredentialsBody(stack: Stack, overrides: Record<string, unknown> = {}) {
  return {
    label: `Test ${randomBytes(3).toString('hex')}`,
    grantType: 'client_credentials',
    tokenUrl: stack.provider.tokenUrl,
    clientId: stack.demoClient.clientId,
    clientSecret: stack.demoClient.clientSecret,
    scope: 'read write',
    apiBaseUrl: 'https://api.example.com',
    tenantId: 'acme',
    revocationUrl: stack.provider.revocationUrl,
    ...overrides,
  };
}

/** Polls until `check` returns a truthy value; fails naming `what` with the last value seen. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** RFC 7662 introspection at the real provider, as the demo client. */
export async function introspect(stack: Stack, token: string): Promise<{ active: boolean; [k: string]: unknown }> {
  const res = await fetch(stack.provider.introspectionUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${stack.demoClient.clientId}:${stack.demoClient.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ token }),
  });
  return (await res.json()) as { active: boolean };
}

/** Direct read access to what the stack stored, to prove what is (and is not) there. */
export async function storeInspector(stack: Stack) {
  const { default: mongoose } = await import('mongoose');
  const { SecretsManagerClient, ListSecretsCommand } = await import('@aws-sdk/client-secrets-manager');
  const mongo = await new mongoose.mongo.MongoClient(stack.mongoUri).connect();
  const db = mongo.db();
  const sm = new SecretsManagerClient({ region: 'us-east-1', endpoint: stack.motoUrl, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  return {
    db,
    sm,
    async integrationCount(filter: Record<string, unknown> = {}) {
      return db.collection('integrations').countDocuments(filter);
    },
    async secretNames(): Promise<string[]> {
      const out = await sm.send(new ListSecretsCommand({ MaxResults: 100 }));
      return (out.SecretList ?? []).map((s) => s.Name!);
    },
    /** Every document of every collection, as one JSON string. */
    async dumpAll(): Promise<string> {
      const collections = await db.listCollections().toArray();
      const docs = await Promise.all(collections.map((c) => db.collection(c.name).find({}).toArray()));
      return JSON.stringify(docs);
    },
    async close() {
      await mongo.close();
      sm.destroy();
    },
  };
}

/** Short-lived tokens and a fast retry policy, so whole lifecycles fit in seconds. */
export const FAST_LIFECYCLE = {
  providerTokenTtlSeconds: 6,
  env: {
    STEWARD_REFRESH_BUFFER_SECONDS: '2',
    STEWARD_RETRY_BASE_SECONDS: '0.5',
    STEWARD_RETRY_MAX_SECONDS: '2',
    STEWARD_DEGRADED_AFTER_ATTEMPTS: '2',
    STEWARD_DEGRADED_RETRY_SECONDS: '1',
    STEWARD_PROVIDER_TIMEOUT_MS: '1500',
    STEWARD_STATE_CACHE_MS: '200',
  },
};

export const statusOf = async (api: ReturnType<typeof apiClient>, id: string) => (await api.get(`/v1/integrations/${id}`)).body;

/** Token-endpoint form POST as a given client (to play the attacker or the provider's own checks). */
export async function tokenRequest(stack: Stack, params: Record<string, string>, client = stack.demoClient) {
  const res = await fetch(stack.provider.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

/** The token store as the worker reads it (the stack's key ring, its own MongoDB connection); close it in teardown. */
export async function openTokenStore(stack: Stack) {
  const [{ default: mongoose }, { loadWorkerConfig }, { LocalKeyRing }, { TokenStore }] = await Promise.all([
    import('mongoose'),
    import('../../lib/config'),
    import('../../lib/envelope'),
    import('../../lib/tokenStore'),
  ]);
  const connection = await mongoose.createConnection(stack.mongoUri).asPromise();
  const tokenStore = new TokenStore(connection, new LocalKeyRing(loadWorkerConfig(stack.env).tokenStoreKeys));
  return { connection, tokenStore, close: () => connection.close() };
}
