// The one place that reads process.env: parses it with zod and fails fast naming the bad variable.
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);
const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const keyRing = z
  .string()
  .min(1)
  .transform((raw, ctx) => {
    // "id:base64key[,id:base64key…]" — the first key encrypts, all keys decrypt (rotation).
    const keys = raw.split(',').map((part) => {
      const [id, b64] = part.trim().split(':');
      const key = Buffer.from(b64 ?? '', 'base64');
      if (!id || !/^[A-Za-z0-9_.-]{1,64}$/.test(id) || key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: 'expected "keyId:<32 bytes base64>" entries separated by commas' });
      }
      return { id, key };
    });
    return keys;
  });

const common = {
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  STEWARD_TASK_QUEUE: z.string().min(1).default('steward-integrations'),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI').default('mongodb://127.0.0.1:27017/steward'),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  AWS_ENDPOINT_URL_SECRETS_MANAGER: z.url().optional(),
  STEWARD_SECRET_PREFIX: z.string().regex(/^[A-Za-z0-9/_+=.@-]*$/).default('steward/integrations/'),
  STEWARD_WEBHOOK_SECRET_PREFIX: z.string().regex(/^[A-Za-z0-9/_+=.@-]*$/).default('steward/webhooks/'),
  STEWARD_CODEC_KEY: keyRing,
  // The token store's key-encryption keys: a key ring of its own, never the payload codec's.
  STEWARD_TOKEN_STORE_KEYS: keyRing,
  STEWARD_ALLOW_INSECURE_PROVIDERS: bool.default(false),
  STEWARD_PROVIDER_TIMEOUT_MS: int(10_000),
  // A refresh-token request spends its token at the provider: its answer is awaited this long before giving up on it
  // (a late answer still carries the only valid refresh token). Must stay below the token activity's 5-minute
  // startToCloseTimeout in workflows/integration.ts.
  STEWARD_REFRESH_ANSWER_TIMEOUT_MS: z.coerce.number().int().min(1).max(240_000).default(120_000),
  STEWARD_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

const lifecycle = {
  STEWARD_REFRESH_BUFFER_SECONDS: seconds(300),
  STEWARD_DEFAULT_TOKEN_LIFETIME_SECONDS: seconds(3600),
  STEWARD_RETRY_BASE_SECONDS: seconds(2),
  STEWARD_RETRY_MAX_SECONDS: seconds(120),
  STEWARD_DEGRADED_AFTER_ATTEMPTS: int(4),
  STEWARD_DEGRADED_RETRY_SECONDS: seconds(300),
  STEWARD_HISTORY_LIMIT: int(2000),
  // The refresh floor: no integration refreshes more often than this, whatever its provider or settings ask.
  STEWARD_MIN_REFRESH_SECONDS: seconds(30),
};

const workerSchema = z.object({
  ...common,
  STEWARD_WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  STEWARD_WORKER_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  // A fleet of mostly sleeping workflows (README, "Running a fleet"): each cached one costs ~0.3 MiB of worker memory,
  // each evicted one a replay of its history when its timer fires. 4,000 keeps a worker near 1.5 GiB.
  STEWARD_WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(1_000_000).default(4_000),
  STEWARD_WORKER_MAX_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(10_000).default(40),
  STEWARD_WORKER_MAX_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(100),
  STEWARD_WORKER_STICKY_SECONDS: z.coerce.number().min(1).max(600).default(10),
  STEWARD_WEBHOOK_RETRY_BASE_SECONDS: seconds(2),
  STEWARD_WEBHOOK_RETRY_MAX_SECONDS: seconds(300),
  STEWARD_WEBHOOK_GIVE_UP_SECONDS: seconds(86_400),
  STEWARD_WEBHOOK_TIMEOUT_MS: int(10_000),
  // Secrets Manager write budget (lib/writeBudget.ts): AWS keeps ~100 versions per secret per 24 h.
  STEWARD_VAULT_WRITE_SPACING_SECONDS: z.coerce.number().min(0).default(900),
  STEWARD_VAULT_MAX_WRITES_PER_DAY: z.coerce.number().int().min(1).max(100).default(96),
  // A workflow bundle built from this same source (scripts/chaos.ts builds one per run): a restarted worker skips
  // bundling, seconds of CPU. Unset: the worker bundles workflows/ itself at start.
  STEWARD_WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
});
const apiSchema = z.object({
  ...common,
  ...lifecycle,
  STEWARD_HOST: z.string().default('127.0.0.1'),
  STEWARD_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  STEWARD_ADMIN_KEY: z.string().min(32, 'must be at least 32 characters'),
  // Off once another admin key exists: the bootstrap key then authenticates nothing.
  STEWARD_BOOTSTRAP_ADMIN: bool.default(true),
  STEWARD_ANONYMOUS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  STEWARD_MAX_OPEN_CONSENT_LINKS: int(50),
  STEWARD_MAX_CODEC_SESSIONS: int(20),
  STEWARD_MAX_API_KEYS: int(200),
  STEWARD_MAX_WEBHOOKS: int(50),
  STEWARD_STATE_CACHE_MS: z.coerce.number().int().min(0).default(1000),
  // How often each api instance reads the registry's change log into its token mirror (api/tokenMirror.ts).
  STEWARD_MIRROR_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  STEWARD_TOKEN_WAIT_MS: int(8000),
  STEWARD_TEMPORAL_UI_URL: z.url().optional(),
  STEWARD_PUBLIC_URL: z.url().optional(),
  STEWARD_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  STEWARD_CONSENT_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
  STEWARD_TOKEN_REJECTED_WINDOW_SECONDS: z.coerce.number().min(0).default(10),
  // The token proxy (api/proxy.ts): bodies stream through within these bounds.
  STEWARD_PROXY_MAX_REQUEST_BYTES: int(10 * 1024 * 1024),
  STEWARD_PROXY_MAX_RESPONSE_BYTES: int(100 * 1024 * 1024),
  STEWARD_PROXY_TIMEOUT_MS: int(30_000),
});

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
/** `npm run dev` (scripts/dev.ts): fixed local ports and the demo provider's settings. */
const devSchema = z.object({
  STEWARD_PORT: port(3000),
  DEV_TEMPORAL_PORT: port(7233),
  DEV_TEMPORAL_UI_PORT: port(8233),
  DEV_MONGO_PORT: port(27017),
  DEV_MOTO_PORT: port(4566),
  DEMO_PROVIDER_PORT: port(4000),
  DEMO_ACCESS_TOKEN_TTL: int(3600),
  DEMO_REFRESH_TOKEN_TTL: z.coerce.number().int().positive().optional(),
  /** The demo provider's /__control routes (mint refresh tokens, remove clients, change secrets), loopback only. */
  DEMO_TEST_CONTROLS: bool.default(false),
});

export type WorkerConfig = ReturnType<typeof toWorkerConfig>;
export type ApiConfig = ReturnType<typeof toApiConfig>;

export class ConfigError extends Error {}

function parse<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

function toCommon(e: z.infer<z.ZodObject<typeof common>>) {
  return {
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.STEWARD_TASK_QUEUE },
    mongodbUri: e.MONGODB_URI,
    aws: { region: e.AWS_REGION, secretsManagerEndpoint: e.AWS_ENDPOINT_URL_SECRETS_MANAGER },
    secretPrefix: e.STEWARD_SECRET_PREFIX,
    webhookSecretPrefix: e.STEWARD_WEBHOOK_SECRET_PREFIX,
    codecKeys: e.STEWARD_CODEC_KEY,
    tokenStoreKeys: e.STEWARD_TOKEN_STORE_KEYS,
    allowInsecureProviders: e.STEWARD_ALLOW_INSECURE_PROVIDERS,
    providerTimeoutMs: e.STEWARD_PROVIDER_TIMEOUT_MS,
    refreshAnswerTimeoutMs: e.STEWARD_REFRESH_ANSWER_TIMEOUT_MS,
    logLevel: e.STEWARD_LOG_LEVEL,
  };
}

function toWorkerConfig(e: z.infer<typeof workerSchema>) {
  return {
    ...toCommon(e),
    workerHttpPort: e.STEWARD_WORKER_HTTP_PORT,
    workerHttpHost: e.STEWARD_WORKER_HTTP_HOST,
    workflowBundlePath: e.STEWARD_WORKFLOW_BUNDLE_PATH,
    tuning: {
      maxCachedWorkflows: e.STEWARD_WORKER_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTaskExecutions: e.STEWARD_WORKER_MAX_WORKFLOW_TASKS,
      maxConcurrentActivityTaskExecutions: e.STEWARD_WORKER_MAX_ACTIVITIES,
      stickyQueueScheduleToStartTimeout: e.STEWARD_WORKER_STICKY_SECONDS * 1000,
    },
    writeBudget: { minSpacingMs: e.STEWARD_VAULT_WRITE_SPACING_SECONDS * 1000, maxPerDay: e.STEWARD_VAULT_MAX_WRITES_PER_DAY },
    webhooks: {
      timeoutMs: e.STEWARD_WEBHOOK_TIMEOUT_MS,
      delivery: {
        retryBaseMs: e.STEWARD_WEBHOOK_RETRY_BASE_SECONDS * 1000,
        retryMaxMs: e.STEWARD_WEBHOOK_RETRY_MAX_SECONDS * 1000,
        giveUpAfterMs: e.STEWARD_WEBHOOK_GIVE_UP_SECONDS * 1000,
      },
    },
  };
}

function toApiConfig(e: z.infer<typeof apiSchema>) {
  return {
    ...toCommon(e),
    host: e.STEWARD_HOST,
    port: e.STEWARD_PORT,
    adminKey: e.STEWARD_ADMIN_KEY,
    bootstrapAdmin: e.STEWARD_BOOTSTRAP_ADMIN,
    /** Per-principal caps on what a principal can hold open: consent links, codec sessions, keys it created, webhooks. */
    caps: {
      openConsentLinks: e.STEWARD_MAX_OPEN_CONSENT_LINKS,
      codecSessions: e.STEWARD_MAX_CODEC_SESSIONS,
      apiKeys: e.STEWARD_MAX_API_KEYS,
      webhooks: e.STEWARD_MAX_WEBHOOKS,
    },
    stateCacheMs: e.STEWARD_STATE_CACHE_MS,
    mirrorPollMs: e.STEWARD_MIRROR_POLL_MS,
    tokenWaitMs: e.STEWARD_TOKEN_WAIT_MS,
    temporalUiUrl: e.STEWARD_TEMPORAL_UI_URL,
    /** Where browsers reach the api; the default OAuth redirect URI is derived from it. */
    publicUrl: (e.STEWARD_PUBLIC_URL ?? `http://${e.STEWARD_HOST}:${e.STEWARD_PORT}`).replace(/\/$/, ''),
    consentTtlMs: e.STEWARD_CONSENT_TTL_SECONDS * 1000,
    rateLimitPerMinute: e.STEWARD_RATE_LIMIT_PER_MINUTE,
    /** Requests without a valid key, per client address and minute. */
    anonymousRateLimitPerMinute: e.STEWARD_ANONYMOUS_RATE_LIMIT_PER_MINUTE,
    /** A reported token rejection causes at most one refresh per this window. */
    tokenRejectedWindowMs: e.STEWARD_TOKEN_REJECTED_WINDOW_SECONDS * 1000,
    /** The token proxy's bounds: request and response body bytes, and the wait for the upstream's answer (and between its chunks). */
    proxy: { maxRequestBytes: e.STEWARD_PROXY_MAX_REQUEST_BYTES, maxResponseBytes: e.STEWARD_PROXY_MAX_RESPONSE_BYTES, timeoutMs: e.STEWARD_PROXY_TIMEOUT_MS },
    // Carried into each new workflow's input: workflows cannot read the environment.
    lifecycle: {
      refreshBufferMs: e.STEWARD_REFRESH_BUFFER_SECONDS * 1000,
      defaultLifetimeSeconds: e.STEWARD_DEFAULT_TOKEN_LIFETIME_SECONDS,
      retryBaseMs: e.STEWARD_RETRY_BASE_SECONDS * 1000,
      retryMaxMs: e.STEWARD_RETRY_MAX_SECONDS * 1000,
      degradedAfterAttempts: e.STEWARD_DEGRADED_AFTER_ATTEMPTS,
      degradedRetryMs: e.STEWARD_DEGRADED_RETRY_SECONDS * 1000,
      historyLimit: e.STEWARD_HISTORY_LIMIT,
      minRefreshIntervalMs: e.STEWARD_MIN_REFRESH_SECONDS * 1000,
    },
  };
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env) {
  return toWorkerConfig(parse(workerSchema, env));
}

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env) {
  return toApiConfig(parse(apiSchema, env));
}

export function loadDevConfig(env: NodeJS.ProcessEnv = process.env) {
  const e = parse(devSchema, env);
  return {
    ports: {
      api: e.STEWARD_PORT,
      temporal: e.DEV_TEMPORAL_PORT,
      temporalUi: e.DEV_TEMPORAL_UI_PORT,
      mongo: e.DEV_MONGO_PORT,
      moto: e.DEV_MOTO_PORT,
      provider: e.DEMO_PROVIDER_PORT,
    },
    provider: {
      accessTokenTtlSeconds: e.DEMO_ACCESS_TOKEN_TTL,
      refreshTokenTtlSeconds: e.DEMO_REFRESH_TOKEN_TTL,
      testControls: e.DEMO_TEST_CONTROLS,
    },
  };
}
