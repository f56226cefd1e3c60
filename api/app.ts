// Builds the Express app: health, authenticated /v1 routes, JSON-only errors.
import express from 'express';
import type { Logger } from 'pino';
import type { ApiConfig } from '../lib/config';
import type { ConsentStore } from '../lib/consent';
import type { IdempotencyKeys } from '../lib/idempotency';
import { rateLimit, type AugmentedRequest } from 'express-rate-limit';
import type { AuditLog } from '../lib/audit';
import { StewardError } from '../lib/errors';
import type { KeyStore } from '../lib/principals';
import { adminRoutes } from './adminRoutes';
import { auditTrail } from './auditTrail';
import type { Registry } from '../lib/registry';
import type { Vault } from '../lib/vault';
import { allow, authenticate, identifier, ROLE_ACTIONS, may } from './auth';
import { AnonymousLimit } from './anonymousLimit';
import { connectorRoutes } from './connectorRoutes';
import { codecRoutes, codecSessionRoute, type CodecSessions } from './codecServer';
import { consoleRoutes } from './console';
import { docsRoutes } from './contract/docsRoutes';
import { HealthReader } from '../lib/health';
import { apiMetrics } from '../lib/metrics';
import { metricsEndpoint } from './metricsRoutes';
import { tokenRoute } from './tokenRoute';
import { mirroredHealth, summaryRoutes } from './summary';
import { tokenFeedbackRoutes } from './tokenFeedback';
import { webhookRoutes, type WebhookAdmin } from './webhookRoutes';
import { webhookDeliveryRoutes } from './webhookDeliveryRoutes';
import { fleetRoutes } from './fleetRoutes';
import { FleetReader } from '../lib/fleet';
import { DeliveryLog } from '../lib/webhookDeliveries';
import { authorizeRoutes, callbackRoutes } from './consentRoutes';
import { errorHandler, methodNotAllowed, notFoundRoute, requireJson } from './httpErrors';
import type { Lifecycle } from './lifecycle';
import { integrationRoutes } from './routes';
import { proxyRoutes } from './proxy';
import type { TokenService } from './tokens';

export interface AppDeps {
  config: ApiConfig;
  logger: Logger;
  registry: Registry;
  vault: Vault;
  lifecycle: Lifecycle;
  tokens: TokenService;
  consent: ConsentStore;
  idempotency: IdempotencyKeys;
  keys: KeyStore;
  audit: AuditLog;
  webhooks: WebhookAdmin;
  codecSessions: CodecSessions;
  /** Checks Temporal is reachable. */
  temporalReady: () => Promise<void>;
}

/** Requests per principal per minute (per api instance); over it: 429 with Retry-After. */
function perPrincipalLimit(limit: number) {
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => req.principal!.id,
    handler: (req, res, next) => {
      const resetAt = (req as AugmentedRequest).rateLimit?.resetTime?.getTime() ?? Date.now() + 60_000;
      res.set('Retry-After', String(Math.max(1, Math.ceil((resetAt - Date.now()) / 1000))));
      next(new StewardError('rate_limited', 'Too many requests; retry after the time in Retry-After.'));
    },
  });
}

export function createApp(deps: AppDeps): express.Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // A served token is counted (audit trail, per minute) and measured (metrics): one log line per read is debug.
      const level = req.action === 'token:read' && res.statusCode < 400 ? 'debug' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger[level]({ method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  });

  const bootstrapKey = config.bootstrapAdmin ? config.adminKey : null;
  const identify = identifier(bootstrapKey, deps.keys);
  const authenticated = authenticate(bootstrapKey, deps.keys, new AnonymousLimit(config.anonymousRateLimitPerMinute));
  const limit = perPrincipalLimit(config.rateLimitPerMinute);
  // The hot path first: a token read passes only the layers it needs (api/tokenRoute.ts).
  app.use(tokenRoute({ tokens: deps.tokens, audit: deps.audit, logger, authenticate: authenticated, limit }));
  // The published contract: public, like the health checks (it says what the API is, nothing about what it holds).
  app.use(docsRoutes({ publicUrl: config.publicUrl }));
  app.route('/healthz').get((_req, res) => void res.json({ status: 'ok' })).all(methodNotAllowed);
  app
    .route('/readyz')
    .get(async (req, res) => {
      const checks = { temporal: deps.temporalReady, mongodb: () => deps.registry.ping(), secretsManager: () => deps.vault.ping() };
      const results = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000).unref())]);
            return [name, 'ok'] as const;
          } catch (err) {
            return [name, `unreachable: ${(err as Error).message}`] as const;
          }
        }),
      );
      const ready = results.every(([, r]) => r === 'ok');
      // Which dependency is down, and why, tells an attacker what to aim at: details need a valid key.
      const details = (await identify(req)) ? { checks: Object.fromEntries(results) } : {};
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', ...details });
    })
    .all(methodNotAllowed);

  // Prometheus scrapes without a key: fleet-wide numbers only, no tenant, integration id or secret in any label.
  const health = new HealthReader(deps.registry.conn);
  app.route('/metrics').get(metricsEndpoint(apiMetrics(mirroredHealth(deps.tokens.mirror, health), logger))).all(methodNotAllowed);

  const uiOrigin = config.temporalUiUrl ? new URL(config.temporalUiUrl).origin : null;
  app.use(
    '/codec',
    codecRoutes({ codecKeys: config.codecKeys, uiOrigin, adminKey: bootstrapKey, keys: deps.keys, sessions: deps.codecSessions, audit: deps.audit, limit }),
  );
  app.use('/v1', auditTrail(deps.audit, logger));
  // The provider's redirect back carries no API key: the one-time state is its credential.
  app.use('/v1', callbackRoutes(deps));
  app.use('/v1', authenticated, limit);
  // The token proxy streams bodies of any type through: it comes before the JSON body parser.
  app.use('/v1/integrations/:id/proxy', proxyRoutes(deps));
  app.use('/v1', requireJson, express.json({ limit: '64kb', strict: true }));
  app.use('/v1', adminRoutes(deps), codecSessionRoute(deps.codecSessions, config.caps.codecSessions));
  // Who am I and what may I do: the console shows only the actions in this list.
  app
    .route('/v1/me')
    .get((req, res) => {
      const { id, name, role, tenants, canReadTokens } = req.principal!;
      res.json({ id, name, role, tenants, canReadTokens, actions: ROLE_ACTIONS[role].filter((a) => may(req.principal!, a)) });
    })
    .all(methodNotAllowed);
  app
    .route('/v1/meta')
    .get(allow('integration:read'), (_req, res) => {
      res.json({ redirectUri: `${config.publicUrl}/v1/oauth/callback`, temporalUiUrl: config.temporalUiUrl ?? null });
    })
    .all(methodNotAllowed);
  app.use('/v1/integrations', integrationRoutes(deps), authorizeRoutes(deps), tokenFeedbackRoutes(deps));
  app.use('/v1/webhooks', webhookDeliveryRoutes({ webhooks: deps.webhooks, deliveries: new DeliveryLog(deps.registry.conn) }), webhookRoutes(deps));
  app.use('/v1/fleet', fleetRoutes({ fleet: new FleetReader(deps.registry.conn, health) }));
  app.use('/v1/connectors', connectorRoutes());
  app.use('/v1/summary', summaryRoutes({ health, mirror: deps.tokens.mirror }));
  app.use('/console', consoleRoutes());
  app.use(notFoundRoute);
  app.use(errorHandler(logger));
  return app;
}
