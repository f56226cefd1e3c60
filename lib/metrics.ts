// Prometheus metrics, defined once: what the api and the worker measure, the registry each exposes, and the worker's /metrics server.
import http from 'node:http';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Counter, Gauge, Histogram, Registry as MetricsRegistry, collectDefaultMetrics, type Metric } from 'prom-client';
import type { Logger } from 'pino';
import { STATUSES, type Status } from '../workflows/model';

// Created unregistered: each process registers only what it produces, so no process shows zeros it can never move.
const registers: MetricsRegistry[] = [];
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

// ── worker ──────────────────────────────────────────────────────────────────────────────────────
export const refreshAttempts = new Counter({
  name: 'steward_refresh_attempts_total',
  help: 'Token refresh attempts (timer, retry or on demand); validations and reconfigurations are not counted.',
  registers,
});
export const refreshSuccesses = new Counter({ name: 'steward_refresh_successes_total', help: 'Refresh attempts that stored a new token.', registers });
export const refreshFailures = new Counter({
  name: 'steward_refresh_failures_total',
  help: 'Failed refresh attempts by error class (transient, consent_required, client_rejected, rejected, internal) and code.',
  labelNames: ['error_class', 'code'] as const,
  registers,
});
export const refreshLag = new Histogram({
  name: 'steward_refresh_lag_seconds',
  help: 'Seconds between the planned refresh time and the new token being stored (refreshes that were due).',
  buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
  registers,
});
export const providerRequestDuration = new Histogram({
  name: 'steward_provider_request_duration_seconds',
  help: 'Provider token and revocation endpoint calls by outcome (2xx, 4xx, 5xx, timeout, error).',
  labelNames: ['outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers,
});
export const webhookNotices = new Counter({
  name: 'steward_webhook_notices_total',
  help: 'Notices published to webhook subscriptions, by type (one per notice, however many subscriptions).',
  labelNames: ['type'] as const,
  registers,
});
export const webhookAttempts = new Histogram({
  name: 'steward_webhook_delivery_attempt_duration_seconds',
  help: 'Webhook delivery attempts by outcome (accepted, refused, gone).',
  labelNames: ['outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers,
});

// ── both ────────────────────────────────────────────────────────────────────────────────────────
export const vaultRequestDuration = new Histogram({
  name: 'steward_vault_request_duration_seconds',
  help: 'Secrets Manager calls by operation and outcome (ok, not_found, error), SDK retries included.',
  labelNames: ['operation', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers,
});

// ── api ─────────────────────────────────────────────────────────────────────────────────────────
export const TOKEN_OUTCOMES = ['served', 'unauthorized', 'forbidden', 'not_found', 'unavailable', 'revoked', 'no_valid_token', 'rate_limited', 'error'] as const;
export type TokenOutcome = (typeof TOKEN_OUTCOMES)[number];
export const tokenRequestDuration = new Histogram({
  name: 'steward_token_request_duration_seconds',
  help: 'Token endpoint requests by outcome; the _count series counts requests.',
  labelNames: ['outcome'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});
export const tokenRequests = new Counter({ name: 'steward_token_requests_total', help: 'Token endpoint requests by outcome.', labelNames: ['outcome'] as const, registers });
export const tokenRejections = new Counter({
  name: 'steward_token_rejections_reported_total',
  help: 'Reports from services that a provider refused a token, by what Steward did (refreshed, already_refreshed, pending).',
  labelNames: ['result'] as const,
  registers,
});
/** Proxied requests by class: the upstream's status class, or what Steward answered itself (never an id in a label). */
export const PROXY_OUTCOMES = ['upstream_2xx', 'upstream_3xx', 'upstream_4xx', 'upstream_401', 'upstream_429', 'upstream_5xx', 'truncated', 'held', 'refused_path', 'request_too_large', 'response_too_large', 'timeout', 'upstream_error', 'denied', 'no_token', 'error'] as const;
export type ProxyOutcome = (typeof PROXY_OUTCOMES)[number];
export const proxyRequestDuration = new Histogram({
  name: 'steward_proxy_request_duration_seconds',
  help: 'Token proxy requests by outcome, until the answer is fully sent; the _count series counts requests.',
  labelNames: ['outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers,
});
export const proxyRetries = new Counter({
  name: 'steward_proxy_upstream_401_total',
  help: 'Proxied requests the upstream refused with 401, by what followed (retried with a refreshed token, not_refreshed).',
  labelNames: ['result'] as const,
  registers,
});

export function proxyOutcomeOf(status: number): ProxyOutcome {
  if (status === 401) return 'upstream_401';
  if (status === 429) return 'upstream_429';
  return status >= 500 ? 'upstream_5xx' : status >= 400 ? 'upstream_4xx' : status >= 300 ? 'upstream_3xx' : 'upstream_2xx';
}
export const workflowTasksFailing = new Counter({
  name: 'steward_workflow_task_failing_reads_total',
  help: 'Integration reads (GET /v1/integrations/:id) that found its workflow task failing 3+ times in a row: refreshes are stopped; alert on any increase.',
  registers,
});

/** Read side of the registry the api's gauges are computed from at scrape time. */
export interface HealthSource {
  countsByStatus(): Promise<Record<Status, number>>;
  soonestActiveExpiry(): Promise<string | null>;
}

function registryOf(metrics: Metric[]): MetricsRegistry {
  const registry = new MetricsRegistry();
  collectDefaultMetrics({ register: registry });
  for (const m of metrics) registry.registerMetric(m);
  return registry;
}

export function workerMetrics(): MetricsRegistry {
  return registryOf([refreshAttempts, refreshSuccesses, refreshFailures, refreshLag, providerRequestDuration, vaultRequestDuration, webhookNotices, webhookAttempts]);
}

/** Reuses an answer for a few seconds: /metrics needs no key, so scrapes must not be able to load MongoDB at will. */
function memo<T>(fn: () => Promise<T>, ms: number): () => Promise<T> {
  let at = 0;
  let last: Promise<T> | null = null;
  return () => {
    if (!last || Date.now() - at > ms) {
      at = Date.now();
      last = fn();
      last.catch(() => {
        last = null;
      });
    }
    return last;
  };
}

/** The api's metrics, with gauges read from MongoDB at scrape time (every api instance reports the same fleet-wide values). */
export function apiMetrics(source: HealthSource, logger: Logger, cacheMs = 5000): MetricsRegistry {
  const countsByStatus = memo(() => source.countsByStatus(), cacheMs);
  const soonestActiveExpiry = memo(() => source.soonestActiveExpiry(), cacheMs);
  const registry = registryOf([tokenRequests, tokenRequestDuration, tokenRejections, proxyRequestDuration, proxyRetries, vaultRequestDuration, workflowTasksFailing]);
  const collectErrors = new Counter({
    name: 'steward_metrics_collect_errors_total',
    help: 'Scrapes whose registry-derived gauges could not be read (MongoDB unreachable); those gauges are then absent or +Inf.',
    registers: [registry],
  });
  const failed = (err: unknown) => {
    collectErrors.inc();
    logger.warn({ err: { message: (err as Error)?.message } }, 'metrics: registry read failed');
  };
  new Gauge({
    name: 'steward_integrations',
    help: 'Integrations by status (all tenants).',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const counts = await countsByStatus();
        for (const status of STATUSES) this.set({ status }, counts[status] ?? 0);
      } catch (err) {
        failed(err);
      }
    },
  });
  new Gauge({
    name: 'steward_token_soonest_expiry_seconds',
    help: 'Seconds until the soonest-expiring token of an active integration expires (+Inf when there is none).',
    registers: [registry],
    async collect() {
      try {
        const soonest = await soonestActiveExpiry();
        this.set(soonest ? (Date.parse(soonest) - Date.now()) / 1000 : Infinity);
      } catch (err) {
        failed(err);
        this.set(Infinity);
      }
    },
  });
  return registry;
}

/** Token endpoint outcome from the answer's status (the error handler maps codes to statuses in one place). */
export function tokenOutcome(status: number): TokenOutcome {
  const byStatus: Record<number, TokenOutcome> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'unavailable', 410: 'revoked', 429: 'rate_limited', 503: 'no_valid_token' };
  return status >= 200 && status < 300 ? 'served' : (byStatus[status] ?? 'error');
}

/** Times every Secrets Manager command of this client (the vault's and the webhook signing secrets'). */
export function instrumentSecretsManager(sm: SecretsManagerClient): void {
  sm.middlewareStack.add(
    (next, context) => async (args) => {
      const end = vaultRequestDuration.startTimer({ operation: String(context.commandName ?? 'unknown').replace(/Command$/, '') });
      try {
        const out = await next(args);
        end({ outcome: 'ok' });
        return out;
      } catch (err) {
        end({ outcome: (err as { name?: string }).name === 'ResourceNotFoundException' ? 'not_found' : 'error' });
        throw err;
      }
    },
    { step: 'initialize', name: 'stewardVaultMetrics' },
  );
}

/** Wraps the provider fetch so every token and revocation call is timed by outcome. */
export function observeProviderFetch<F extends (url: string, init: RequestInit) => Promise<Response>>(fetchFn: F): F {
  return (async (url: string, init: RequestInit) => {
    const end = providerRequestDuration.startTimer();
    try {
      const res = await fetchFn(url, init);
      end({ outcome: `${Math.floor(res.status / 100)}xx` });
      return res;
    } catch (err) {
      const name = (err as { name?: string }).name;
      end({ outcome: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'error' });
      throw err;
    }
  }) as F;
}

/**
 * The worker's small http server: GET /metrics, GET /healthz (the process answers) and GET /readyz (`ready()` says the
 * worker polls Temporal: the image's health check), nothing else.
 */
export async function serveMetrics(
  registry: MetricsRegistry,
  opts: { host: string; port: number; logger: Logger; ready?: () => boolean },
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || (path !== '/metrics' && path !== '/healthz' && path !== '/readyz')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (path === '/readyz') {
      const ready = opts.ready?.() ?? false;
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(ready ? '{"status":"ready"}' : '{"status":"starting"}');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: Error) => {
        opts.logger.warn({ err: { message: err.message } }, 'metrics: scrape failed');
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal_error"}');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  opts.logger.info({ url: `http://${opts.host}:${typeof address === 'object' && address ? address.port : opts.port}/metrics` }, 'worker metrics listening');
  return server;
}
