// zod shapes of what the API answers: the OpenAPI document's response bodies (the inputs live beside their routes).
import { z } from 'zod';
import { ROLES } from '../../lib/principals';
import { CLIENT_ASSERTION_ALGS, GRANT_TYPES, NOTICE_TYPES, STATUSES, TOKEN_AUTH_METHODS } from '../../workflows/model';
import { ERROR_CODES } from '../../lib/errors';

const isoTime = z.string().meta({ format: 'date-time' });
const nullable = <T extends z.ZodType>(t: T) => t.nullable();

export const fieldIssue = z.object({ path: z.string(), message: z.string() }).meta({ id: 'FieldIssue' });

/** Every 4xx/5xx body: a stable code from the closed set, a sentence for people, and the fields at fault. */
export const errorBody = (codes: readonly string[] = ERROR_CODES) =>
  z.object({
    error: z.enum(codes as [string, ...string[]]),
    message: z.string(),
    details: z.array(fieldIssue).optional(),
    /** The integration's status when it is why the request failed (409, 410, 503). */
    status: z.enum(STATUSES).optional(),
    /** The provider's own error code and text when it refused a request Steward made for you (422, 502, 504). */
    providerCode: z.string().optional(),
    providerError: z.string().optional(),
    providerErrorDescription: z.string().nullable().optional(),
    /** A create that is still validating: poll GET /v1/integrations/{id}. */
    integrationId: z.string().optional(),
  });

const lastError = z.object({ code: z.string(), message: z.string(), at: z.string() }).meta({ id: 'LastError' });

export const integration = z
  .object({
    id: z.string(),
    label: z.string(),
    grantType: z.enum(GRANT_TYPES),
    tokenUrl: z.string(),
    clientId: z.string(),
    scope: nullable(z.string()),
    apiBaseUrl: z.string(),
    tenantId: nullable(z.string()),
    revocationUrl: nullable(z.string()),
    tokenAuthMethod: z.enum(TOKEN_AUTH_METHODS),
    clientAssertionAlg: nullable(z.enum(CLIENT_ASSERTION_ALGS)).meta({ description: 'private_key_jwt: how the client assertion is signed' }),
    clientKeyId: nullable(z.string()).meta({ description: 'private_key_jwt: the kid the assertion names' }),
    clientCertificateThumbprint: nullable(z.string()).meta({ description: 'private_key_jwt: the x5t#S256 header (the certificate registered at the provider)' }),
    assertionSubject: nullable(z.string()).meta({ description: 'jwt_bearer: the assertion\'s sub (null: the client id)' }),
    assertionAudience: nullable(z.string()).meta({ description: 'jwt_bearer: the assertion\'s aud (null: the token URL)' }),
    authorizationUrl: nullable(z.string()),
    redirectUri: nullable(z.string()),
    owner: z.string(),
    preset: nullable(z.string()),
    issuer: nullable(z.string()),
    issRequired: z.boolean(),
    dpop: z.boolean().meta({ description: 'RFC 9449: tokens are bound to a DPoP key Steward holds; use them through the proxy' }),
    revokeReplacedGrant: z.boolean().meta({ description: 'Whether a refresh token replaced by re-consent or PATCH is revoked at the provider (RFC 7009)' }),
    authorizationParams: z.record(z.string(), z.string()),
    status: z.enum(STATUSES),
    expiresAt: nullable(isoTime),
    lastRefreshAt: nullable(isoTime),
    lastError: lastError.nullable(),
    failingSince: nullable(isoTime),
    consecutiveFailures: z.number().int(),
    hasRefreshToken: z.boolean(),
    refreshDueAt: nullable(isoTime),
    refreshWarning: nullable(z.string()),
    createdAt: isoTime,
    updatedAt: isoTime,
    workflowId: z.string(),
    links: z.object({ self: z.string(), token: z.string(), events: z.string(), temporalUi: z.string().optional() }),
  })
  .meta({ id: 'Integration' });

export const consentLinkBody = z.object({ authorizationUrl: z.string(), expiresAt: isoTime }).meta({ id: 'ConsentLink' });

export const integrationCreated = integration.extend({ consent: consentLinkBody.optional() }).meta({ id: 'IntegrationCreated' });

export const integrationDetail = integration
  .extend({ workflowTaskFailing: z.object({ attempts: z.number().int() }).nullable() })
  .meta({ id: 'IntegrationDetail' });

export const integrationList = z.object({ items: z.array(integration), nextCursor: z.string().nullable() });

export const servedToken = z
  .object({ access_token: z.string(), token_type: z.string(), expires_at: isoTime, scope: z.string().nullable(), api_base_url: z.string().meta({ description: "The integration's API base URL" }) })
  .meta({ id: 'Token' });

export const transitionEvent = z
  .object({ integrationId: z.string(), seq: z.number().int(), from: z.enum(STATUSES).nullable(), to: z.enum(STATUSES), reason: z.string(), actor: z.string(), at: z.string() })
  .meta({ id: 'TransitionEvent' });

export const eventPage = z.object({ items: z.array(transitionEvent), nextCursor: z.string().nullable() });

export const tokenRejectedResult = z.object({
  result: z.enum(['recently_refreshed', 'refreshed', 'refresh_failed', 'pending']),
  status: z.enum(STATUSES),
  expiresAt: nullable(isoTime).optional(),
  nextRefreshAllowedAt: isoTime.optional(),
  lastError: lastError.nullable().optional(),
  message: z.string().optional(),
}).meta({ id: 'TokenRejectedResult' });

export const me = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  tenants: z.array(z.string()).nullable(),
  canReadTokens: z.boolean(),
  actions: z.array(z.string()),
});

export const meta = z.object({ redirectUri: z.string(), temporalUiUrl: z.string().nullable() });

export const apiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    tenants: z.array(z.string()).nullable(),
    integrations: z.array(z.string()).nullable(),
    canReadTokens: z.boolean(),
    createdAt: isoTime,
    createdBy: z.string(),
    expiresAt: nullable(isoTime),
    revokedAt: nullable(isoTime),
    lastUsedAt: nullable(isoTime).optional(),
  })
  .meta({ id: 'ApiKey' });

export const apiKeyCreated = apiKey.extend({ key: z.string(), notice: z.string() });
export const apiKeyList = z.object({ items: z.array(apiKey) });

export const auditEntries = z.object({
  nextCursor: z.string().nullable().optional(),
  items: z.array(
    z.object({
      id: z.string().optional(),
      at: isoTime,
      principalId: z.string(),
      role: z.string(),
      action: z.string(),
      method: z.string(),
      path: z.string(),
      target: z.string().nullable(),
      status: z.number().int(),
      outcome: z.enum(['succeeded', 'denied', 'failed']),
      ip: z.string().nullable(),
    }),
  ),
});

export const countedEntries = z.object({
  items: z.array(z.object({ kind: z.string(), principalId: z.string(), target: z.string(), minute: isoTime, count: z.number().int() })),
});

const webhook = z
  .object({ id: z.string(), url: z.string(), description: z.string().nullable(), createdAt: isoTime, createdBy: z.string(), links: z.object({ self: z.string() }) })
  .meta({ id: 'Webhook' });

export const webhookCreated = webhook.extend({
  signingSecret: z.string(),
  signature: z.object({ header: z.string(), format: z.string() }),
  noticeTypes: z.array(z.enum(NOTICE_TYPES)),
});
export const webhookList = z.object({ items: z.array(webhook) });

export const webhookDeliveries = z.object({
  items: z.array(
    z.object({
      subscriptionId: z.string(),
      noticeId: z.string(),
      noticeType: z.string(),
      attempt: z.number().int(),
      outcome: z.enum(['accepted', 'refused', 'gone']),
      status: z.number().int().nullable(),
      detail: z.string(),
      at: isoTime,
      nextRetryAround: nullable(isoTime),
    }),
  ),
});

export const fleet = z.object({
  hours: z.number(),
  statusHistory: z.array(z.object({ at: isoTime, counts: z.record(z.enum(STATUSES), z.number().int()) })),
  upcomingExpiries: z.array(
    z.object({ id: z.string(), label: z.string(), tenantId: z.string().nullable(), status: z.enum(STATUSES), expiresAt: isoTime, refreshDueAt: nullable(isoTime), nextAttemptAt: nullable(isoTime) }),
  ),
  refreshOutcomes: z.array(z.object({ host: z.string(), preset: z.string().nullable(), outcomes: z.record(z.string(), z.number().int()), total: z.number().int() })),
  generatedAt: isoTime,
});
export { webhook };

// A connector's description is data from lib/connectors.ts, read by the console; its inner shape varies by provider.
export const connector = z.looseObject({ id: z.string(), name: z.string(), grantTypes: z.array(z.enum(GRANT_TYPES)), fields: z.array(z.looseObject({ name: z.string() })) }).meta({ id: 'Connector' });
export const connectorList = z.object({ items: z.array(connector) });

const statusCounts = z.record(z.enum(STATUSES), z.number().int());
export const summary = z.object({
  total: z.number().int(),
  byStatus: statusCounts,
  byTenant: z.array(z.object({ tenantId: z.string().nullable(), total: z.number().int(), byStatus: statusCounts })),
  oldestUnresolvedFailure: z
    .looseObject({ id: z.string(), label: z.string(), tenantId: z.string().nullable(), status: z.enum(STATUSES), lastError: lastError.nullable(), links: z.object({ self: z.string() }) })
    .nullable(),
  generatedAt: isoTime,
});

/** The deployment's lifecycle settings as the api gives them to integrations (milliseconds unless named otherwise). */
export const lifecycleSettings = z
  .object({
    refreshBufferMs: z.number(),
    defaultLifetimeSeconds: z.number(),
    retryBaseMs: z.number(),
    retryMaxMs: z.number(),
    degradedAfterAttempts: z.number().int(),
    degradedRetryMs: z.number(),
    historyLimit: z.number().int(),
    minRefreshIntervalMs: z.number().nullable().optional(),
  })
  .meta({ id: 'LifecycleSettings' });

export const policy = z.object({ settings: lifecycleSettings });

export const policyRolloutResult = z.object({
  tenantId: z.string().nullable(),
  settings: lifecycleSettings,
  matched: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int().meta({ description: 'Revoked or ended before the update arrived' }),
  failed: z.number().int(),
  failures: z.array(z.object({ integrationId: z.string(), error: z.string() })),
  complete: z.boolean().meta({ description: 'No integration failed; otherwise the rollout is safe to repeat' }),
});

export const health = z.object({ status: z.literal('ok') });
export const readiness = z.object({ status: z.enum(['ready', 'not_ready']), checks: z.record(z.string(), z.string()).optional() });

const wirePayload = z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() });
export const codecPayloads = z.object({ payloads: z.array(wirePayload) });
