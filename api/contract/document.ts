// The OpenAPI 3.1 document of the HTTP API, built from the zod schemas the routes validate with and the one status map.
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { ERROR_CODES } from '../../lib/errors';
import { codesFor } from '../httpErrors';
import {
  auditPageQuery,
  auditQuery,
  codecRequest,
  deliveriesQuery,
  fleetQuery,
  createHeaders,
  createKey,
  eventsQuery,
  integrationSchemas,
  listQuery,
  ownerTransfer,
  policyRollout,
  tokenRejectedReport,
  webhookSchemas,
} from '../schemas';
import * as out from './responses';
import { PROXY_METHODS, PROXY_ROUTE } from '../proxy';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Auth = 'key' | 'none' | 'optional' | 'codec';

/** What one route takes and answers; `errors` are the statuses it can fail with besides the ones every route shares. */
interface Route {
  method: Method;
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  auth?: Auth;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** The body may be left out (an empty POST). */
  bodyOptional?: boolean;
  ok: Record<number, { description: string; schema?: z.ZodType; type?: 'html' | 'text' | 'any'; headers?: Record<string, string>; links?: Record<string, Link> }>;
  errors?: number[];
  /** The body is passed on as it is, of any media type (the proxy). */
  anyBody?: boolean;
  /** The route's Express path when the OpenAPI path cannot say it (a catch-all rest of the path). */
  expressPath?: string;
}

interface Link {
  operationId: string;
  parameters: Record<string, string>;
}

const integrationIdParam = z.object({ id: z.string().regex(/^int_[a-f0-9]{24}$/).meta({ description: 'An integration id (int_…)' }) });
const proxyParams = integrationIdParam.extend({
  path: z.string().meta({ description: 'The path under the integration\'s apiBaseUrl, as sent (no .., encoded slashes, backslashes or @)' }),
});
const keyIdParam = z.object({ keyId: z.string().regex(/^[a-z0-9]{16}$/).meta({ description: 'An API key id' }) });
const webhookIdParam = z.object({ id: z.string().regex(/^whk_[a-f0-9]{24}$/).meta({ description: 'A webhook subscription id (whk_…)' }) });
const connectorIdParam = z.object({ connectorId: z.string().regex(/^[a-z0-9-]{1,64}$/) });

/** After creating an integration: the operations that take its id (schemathesis follows these in its stateful phase). */
const onIntegration = (...operationIds: string[]): Record<string, Link> =>
  Object.fromEntries(operationIds.map((operationId) => [operationId, { operationId, parameters: { id: '$response.body#/id' } }]));
const INTEGRATION_LINKS = onIntegration('getIntegration', 'updateIntegration', 'getToken', 'refreshIntegration', 'revokeIntegration', 'listEvents', 'transferOwner', 'authorizeIntegration', 'reportTokenRejected');

function routes(): Route[] {
  const integration = integrationSchemas({ allowInsecure: false });
  const webhook = webhookSchemas({ allowInsecure: false });
  return [
    { method: 'get', path: '/healthz', operationId: 'health', summary: 'Liveness: the process answers', tag: 'Operations', auth: 'none', ok: { 200: { description: 'Alive', schema: out.health } } },
    {
      method: 'get',
      path: '/readyz',
      operationId: 'readiness',
      summary: 'Readiness: Temporal, MongoDB and Secrets Manager reachable (which one failed only with a valid key)',
      tag: 'Operations',
      auth: 'optional',
      ok: { 200: { description: 'Ready', schema: out.readiness }, 503: { description: 'A dependency is unreachable', schema: out.readiness } },
    },
    { method: 'get', path: '/metrics', operationId: 'metrics', summary: 'Prometheus metrics (fleet-wide, no tenant labels)', tag: 'Operations', auth: 'none', ok: { 200: { description: 'Prometheus text format', type: 'text' } } },
    { method: 'get', path: '/openapi.json', operationId: 'openapi', summary: 'This document', tag: 'Operations', auth: 'none', ok: { 200: { description: 'The OpenAPI 3.1 document', schema: z.looseObject({ openapi: z.string() }) } } },
    { method: 'get', path: '/docs', operationId: 'docs', summary: 'Human-readable API documentation', tag: 'Operations', auth: 'none', ok: { 200: { description: 'HTML page', type: 'html' } } },
    {
      method: 'get',
      path: '/v1/oauth/callback',
      operationId: 'oauthCallback',
      summary: "The provider's redirect back after consent (a browser page; the one-time state is the credential)",
      tag: 'Consent',
      auth: 'none',
      query: z.looseObject({ state: z.string().optional(), code: z.string().optional(), error: z.string().optional(), iss: z.string().optional() }),
      // A page for the person at the browser, never a machine answer: every outcome is HTML.
      ok: {
        200: { description: 'Connected', type: 'html' },
        400: { description: 'Consent not completed (unknown, expired or used state; provider error; mix-up)', type: 'html' },
        404: { description: 'The integration no longer exists', type: 'html' },
        410: { description: 'The integration was revoked meanwhile', type: 'html' },
        502: { description: 'The provider refused to exchange the code', type: 'html' },
      },
    },
    { method: 'get', path: '/v1/me', operationId: 'me', summary: 'Who am I and what may I do', tag: 'Access', ok: { 200: { description: 'The calling principal', schema: out.me } } },
    { method: 'get', path: '/v1/meta', operationId: 'meta', summary: 'Deployment facts the console needs', tag: 'Access', ok: { 200: { description: 'Redirect URI and Temporal UI', schema: out.meta } } },
    {
      method: 'post',
      path: '/v1/keys',
      operationId: 'createKey',
      summary: 'Create an API key (shown once)',
      tag: 'Access',
      body: createKey,
      ok: { 201: { description: 'The key, shown this once', schema: out.apiKeyCreated, links: { revokeKey: { operationId: 'revokeKey', parameters: { keyId: '$response.body#/id' } } } } },
      errors: [409],
    },
    { method: 'get', path: '/v1/keys', operationId: 'listKeys', summary: 'List API keys (never the keys themselves)', tag: 'Access', ok: { 200: { description: 'Every key', schema: out.apiKeyList } } },
    { method: 'delete', path: '/v1/keys/{keyId}', operationId: 'revokeKey', summary: 'Revoke an API key at once', tag: 'Access', params: keyIdParam, ok: { 200: { description: 'The revoked key', schema: out.apiKey } }, errors: [404] },
    { method: 'get', path: '/v1/audit', operationId: 'listAudit', summary: 'The audit trail, newest first, filtered and paged (before = the previous nextCursor)', tag: 'Audit', query: auditPageQuery, ok: { 200: { description: 'Entries', schema: out.auditEntries } } },
    ...(
      [
        ['token-reads', 'listTokenReadCounts', 'Token reads counted per principal, integration and minute'],
        ['rate-limited', 'listRateLimitedCounts', 'Rate-limited requests counted per minute'],
        ['unauthenticated', 'listUnauthenticatedCounts', 'Unauthenticated requests counted per address and minute'],
        ['codec-uses', 'listCodecUseCounts', 'Codec decodes and encodes counted per minute'],
      ] as const
    ).map(([path, operationId, summary]): Route => ({ method: 'get', path: `/v1/audit/${path}`, operationId, summary, tag: 'Audit', query: auditQuery, ok: { 200: { description: 'Counts', schema: out.countedEntries } } })),
    { method: 'get', path: '/v1/policy', operationId: 'getPolicy', summary: "The lifecycle settings this api gives integrations (from its environment)", tag: 'Operations', ok: { 200: { description: 'The settings', schema: out.policy } } },
    {
      method: 'post',
      path: '/v1/policy/rollout',
      operationId: 'rolloutPolicy',
      summary: "Send this api's lifecycle settings to the running integrations (all, or one tenant's); safe to repeat",
      tag: 'Operations',
      body: policyRollout,
      bodyOptional: true,
      ok: { 200: { description: 'Counts (complete is false when some failed)', schema: out.policyRolloutResult } },
    },
    { method: 'post', path: '/v1/codec/session', operationId: 'startCodecSession', summary: 'Trade the key for a cookie the Temporal UI sends to the codec server', tag: 'Codec', ok: { 204: { description: 'Cookie set', headers: { 'Set-Cookie': 'The codec session cookie (HttpOnly, path /codec)' } } } },
    ...(['decode', 'encode'] as const).map(
      (op): Route => ({
        method: 'post',
        path: `/codec/${op}`,
        operationId: `codec${op[0].toUpperCase()}${op.slice(1)}`,
        summary: `Temporal payload ${op} for the Temporal UI (secrets redacted on decode)`,
        tag: 'Codec',
        auth: 'codec',
        body: codecRequest,
        ok: { 200: { description: 'Payloads', schema: out.codecPayloads } },
      }),
    ),
    {
      method: 'post',
      path: '/v1/integrations',
      operationId: 'createIntegration',
      summary: 'Create an integration: validates the credentials with the provider before answering',
      tag: 'Integrations',
      headers: createHeaders,
      body: integration.create,
      ok: { 201: { description: 'Created (with a consent link while it awaits consent)', schema: out.integrationCreated, headers: { Location: 'The integration', 'Idempotent-Replayed': 'true when an earlier request with this Idempotency-Key answered' }, links: INTEGRATION_LINKS } },
      errors: [409, 422, 502, 504],
    },
    { method: 'get', path: '/v1/integrations', operationId: 'listIntegrations', summary: 'List integrations you may see, newest first, paged (after = the previous nextCursor)', tag: 'Integrations', query: listQuery, ok: { 200: { description: 'Integrations', schema: out.integrationList } } },
    { method: 'get', path: '/v1/integrations/{id}', operationId: 'getIntegration', summary: 'One integration with its workflow health', tag: 'Integrations', params: integrationIdParam, ok: { 200: { description: 'The integration', schema: out.integrationDetail } }, errors: [404] },
    {
      method: 'patch',
      path: '/v1/integrations/{id}',
      operationId: 'updateIntegration',
      summary: 'Change configuration or credentials (validated with the provider first)',
      tag: 'Integrations',
      params: integrationIdParam,
      body: integration.update,
      ok: { 200: { description: 'The changed integration', schema: out.integration } },
      errors: [404, 409, 410, 422, 502, 504],
    },
    {
      method: 'get',
      path: '/v1/integrations/{id}/token',
      operationId: 'getToken',
      summary: 'The current access token (the only answer that carries a secret)',
      tag: 'Tokens',
      params: integrationIdParam,
      ok: { 200: { description: 'A token with at least a few seconds of life left', schema: out.servedToken } },
      errors: [404, 409, 410],
    },
    {
      method: 'post',
      path: '/v1/integrations/{id}/token/rejected',
      operationId: 'reportTokenRejected',
      summary: 'Report that the provider refused a token Steward served; Steward refreshes once',
      tag: 'Tokens',
      params: integrationIdParam,
      body: tokenRejectedReport,
      bodyOptional: true,
      ok: { 200: { description: 'What happened', schema: out.tokenRejectedResult }, 202: { description: 'The refresh is still under way', schema: out.tokenRejectedResult } },
      errors: [404, 409, 410],
    },
    ...PROXY_METHODS.map(
      (method): Route => ({
        method,
        path: '/v1/integrations/{id}/proxy/{path}',
        expressPath: `/v1/integrations/:id/proxy${PROXY_ROUTE}`,
        operationId: `proxy${method[0]!.toUpperCase()}${method.slice(1)}`,
        summary:
          'Call the provider\'s API through Steward: the request goes to apiBaseUrl + path (+ query) with the current token attached ' +
          '(Bearer, or DPoP with a fresh proof). Bodies of any type stream both ways; the provider\'s status, headers (minus ' +
          'hop-by-hop and cookies) and body come back. A 401 refreshes the token once and retries once (bodies up to 64 KiB); ' +
          'a 429 holds the integration until its Retry-After passes. Paths that could leave the API base URL are refused.',
        tag: 'Tokens',
        params: proxyParams,
        anyBody: method !== 'get' && method !== 'delete',
        ok: { 200: { description: 'The provider\'s answer as it gave it (any status and media type)', type: 'any' } },
        errors: [404, 409, 410, 413, 502, 504],
      }),
    ),
    { method: 'post', path: '/v1/integrations/{id}/refresh', operationId: 'refreshIntegration', summary: 'Refresh now', tag: 'Integrations', params: integrationIdParam, ok: { 200: { description: 'The integration after the attempt', schema: out.integration } }, errors: [404, 409, 410, 504] },
    {
      method: 'post',
      path: '/v1/integrations/{id}/revoke',
      operationId: 'revokeIntegration',
      summary: 'Revoke at the provider and delete the secrets',
      tag: 'Integrations',
      params: integrationIdParam,
      ok: { 200: { description: 'Revoked', schema: out.integration }, 202: { description: 'Revocation under way', schema: out.integration } },
      errors: [404, 409, 410, 504],
    },
    { method: 'get', path: '/v1/integrations/{id}/events', operationId: 'listEvents', summary: 'Lifecycle events, newest first, paged by nextCursor', tag: 'Integrations', params: integrationIdParam, query: eventsQuery, ok: { 200: { description: 'A page of events', schema: out.eventPage } }, errors: [404] },
    {
      method: 'post',
      path: '/v1/integrations/{id}/owner',
      operationId: 'transferOwner',
      summary: 'Hand the integration to another owner',
      tag: 'Integrations',
      params: integrationIdParam,
      body: ownerTransfer,
      ok: { 200: { description: 'The integration', schema: out.integration } },
      errors: [404, 409, 410, 422, 502, 504],
    },
    {
      method: 'get',
      path: '/v1/integrations/{id}/authorize',
      operationId: 'authorizeIntegration',
      summary: 'A consent link (JSON with Accept: application/json, else a redirect to the provider)',
      tag: 'Consent',
      params: integrationIdParam,
      ok: { 200: { description: 'The consent link', schema: out.consentLinkBody }, 302: { description: "Redirect to the provider's authorization page", headers: { Location: 'The authorization URL' } } },
      errors: [404, 410],
    },
    {
      method: 'post',
      path: '/v1/webhooks',
      operationId: 'createWebhook',
      summary: 'Subscribe a URL to lifecycle notices (the signing secret is shown once)',
      tag: 'Webhooks',
      body: webhook.create,
      ok: { 201: { description: 'The subscription', schema: out.webhookCreated, links: Object.fromEntries(['getWebhook', 'deleteWebhook'].map((operationId) => [operationId, { operationId, parameters: { id: '$response.body#/id' } }])) } },
      errors: [409],
    },
    { method: 'get', path: '/v1/webhooks', operationId: 'listWebhooks', summary: 'List subscriptions', tag: 'Webhooks', ok: { 200: { description: 'Subscriptions', schema: out.webhookList } } },
    { method: 'get', path: '/v1/webhooks/{id}', operationId: 'getWebhook', summary: 'One subscription', tag: 'Webhooks', params: webhookIdParam, ok: { 200: { description: 'The subscription', schema: out.webhook } }, errors: [404] },
    { method: 'delete', path: '/v1/webhooks/{id}', operationId: 'deleteWebhook', summary: 'Unsubscribe (queued notices are dropped)', tag: 'Webhooks', params: webhookIdParam, ok: { 204: { description: 'Deleted' } }, errors: [404] },
    {
      method: 'get',
      path: '/v1/webhooks/{id}/deliveries',
      operationId: 'listWebhookDeliveries',
      summary: "A subscription's recent delivery attempts, newest first (no body, no secret)",
      tag: 'Webhooks',
      params: webhookIdParam,
      query: deliveriesQuery,
      ok: { 200: { description: 'Attempts', schema: out.webhookDeliveries } },
      errors: [404],
    },
    { method: 'get', path: '/v1/fleet', operationId: 'fleetHealth', summary: 'Status over time, upcoming expiries with their refresh plan, refresh outcomes per provider host (your tenants)', tag: 'Operations', query: fleetQuery, ok: { 200: { description: 'The fleet', schema: out.fleet } } },
    { method: 'get', path: '/v1/connectors', operationId: 'listConnectors', summary: 'Provider presets and the fields each needs', tag: 'Connectors', ok: { 200: { description: 'Connectors', schema: out.connectorList } } },
    { method: 'get', path: '/v1/connectors/{connectorId}', operationId: 'getConnector', summary: 'One preset', tag: 'Connectors', params: connectorIdParam, ok: { 200: { description: 'The connector', schema: out.connector } }, errors: [404] },
    { method: 'get', path: '/v1/summary', operationId: 'summary', summary: 'Counts by status and tenant, and the oldest unresolved failure', tag: 'Operations', ok: { 200: { description: 'The summary', schema: out.summary } } },
  ];
}

const STATUS_TEXT: Record<number, string> = {
  400: 'The request is invalid; details name each field and problem',
  401: 'No valid API key',
  403: 'Your role may not do this',
  404: 'Not found (or not visible to you)',
  409: 'Not possible in the current state, or a cap is reached',
  410: 'The integration has been revoked',
  413: 'The body is too large',
  415: 'The body is not JSON',
  422: 'The provider refused, or the Idempotency-Key was used with another body',
  429: 'Too many requests; see Retry-After',
  500: 'Unexpected error (logged, never a stack trace)',
  502: 'The provider failed or answered nonsense',
  503: 'No valid token right now, or a store Steward depends on is unreachable; see Retry-After',
  504: 'Still in progress, or the provider timed out',
};

/** Error statuses every route can answer, by what it takes. */
function errorStatuses(route: Route): number[] {
  const auth = route.auth ?? 'key';
  const statuses = new Set<number>([500, 503, ...(route.errors ?? [])]);
  if (auth === 'key' || auth === 'codec') [401, 403, 429].forEach((s) => statuses.add(s));
  if (route.body || route.query || route.headers || route.params) statuses.add(400);
  if (route.body) [413, 415].forEach((s) => statuses.add(s));
  if (route.params) statuses.add(404);
  return [...statuses].filter((s) => !(s in route.ok)).sort();
}

/** One component per error status, its code limited to the codes api/httpErrors.ts maps to that status. */
const errorSchemas = new Map<number, z.ZodType>();
function errorRef(status: number): z.ZodType {
  if (!errorSchemas.has(status)) errorSchemas.set(status, out.errorBody(codesFor(status)).meta({ id: `Error${status}` }));
  return errorSchemas.get(status)!;
}

function operation(route: Route): ZodOpenApiOperationObject {
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, answer] of Object.entries(route.ok)) {
    responses[status as `${1 | 2 | 3 | 4 | 5}${string}`] = {
      description: answer.description,
      ...(answer.schema ? { content: { 'application/json': { schema: answer.schema } } } : {}),
      ...(answer.type ? { content: { [answer.type === 'html' ? 'text/html' : answer.type === 'any' ? '*/*' : 'text/plain']: { schema: z.string() } } } : {}),
      ...(answer.headers ? { headers: Object.fromEntries(Object.entries(answer.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) } : {}),
      ...(answer.links ? { links: answer.links } : {}),
    };
  }
  for (const status of errorStatuses(route)) {
    responses[`${status}` as `4${string}`] = {
      description: STATUS_TEXT[status],
      ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'string' } } } } : {}),
      content: { 'application/json': { schema: errorRef(status) } },
    };
  }
  const auth = route.auth ?? 'key';
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    security: auth === 'key' ? [{ bearerKey: [] }] : auth === 'codec' ? [{ bearerKey: [] }, { codecSession: [] }] : auth === 'optional' ? [{}, { bearerKey: [] }] : [],
    ...(route.params || route.query || route.headers
      ? { requestParams: { ...(route.params ? { path: route.params } : {}), ...(route.query ? { query: route.query } : {}), ...(route.headers ? { header: route.headers } : {}) } }
      : {}),
    ...(route.body ? { requestBody: { required: !route.bodyOptional, content: { 'application/json': { schema: route.body } } } } : {}),
    ...(route.anyBody ? { requestBody: { required: false, content: { '*/*': { schema: z.string().meta({ format: 'binary' }) } } } } : {}),
    responses,
  };
}

/** Express's path syntax for an OpenAPI path: /v1/integrations/{id} → /v1/integrations/:id. */
export const expressPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ':$1');

/** Every documented operation as "METHOD /express/path" (the route-coverage test compares it with the router). */
export function documentedOperations(): string[] {
  return routes().map((r) => `${r.method.toUpperCase()} ${r.expressPath ?? expressPath(r.path)}`);
}

export function openApiDocument(opts: { publicUrl?: string } = {}) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes()) (paths[route.path] ??= {})[route.method] = operation(route);
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Steward API',
        version: '1',
        description:
          'Keeps OAuth 2.0 credentials alive. Authenticate with "Authorization: Bearer <API key>". Every 4xx/5xx answer is JSON ' +
          `{error, message, details?} with error one of: ${ERROR_CODES.join(', ')}.`,
      },
      ...(opts.publicUrl ? { servers: [{ url: opts.publicUrl }] } : {}),
      components: {
        securitySchemes: {
          bearerKey: { type: 'http', scheme: 'bearer', description: 'A Steward API key (stw_…), or the bootstrap admin key' },
          codecSession: { type: 'apiKey', in: 'cookie', name: 'steward_codec', description: 'Set by POST /v1/codec/session' },
        },
      },
      paths,
    },
  );
}
