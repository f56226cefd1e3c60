// The console's only way to the server: the public /v1 API with the signed-in bearer key, and its error shapes.
import type { GrantType, IntegrationConfig, LastError, Status, TokenAuthMethod, TransitionEvent } from '../../workflows/model';

/** An integration as the API presents it: its configuration plus live state, never a secret. */
export interface Integration extends IntegrationConfig {
  status: Status;
  expiresAt: string | null;
  lastRefreshAt: string | null;
  lastError: LastError | null;
  consecutiveFailures: number;
  failingSince?: string | null;
  refreshDueAt?: string | null;
  hasRefreshToken: boolean;
  createdAt: string;
  updatedAt: string;
  workflowId: string;
  links: { self: string; token: string; events: string; temporalUi?: string };
  /** Only on the 201 of an authorization_code create. */
  consent?: { authorizationUrl: string; expiresAt: string };
}

/** A lifecycle event as the events endpoint returns it. */
export type LifecycleEvent = Omit<TransitionEvent, 'integrationId'>;

/** GET /v1/summary: fleet health within the caller's tenants. */
export interface Summary {
  total: number;
  byStatus: Record<Status, number>;
  oldestUnresolvedFailure: { id: string; label: string; status: Status; lastError: LastError; failingSince: string; consecutiveFailures?: number } | null;
}

/** An API key as GET /v1/keys lists it (never the key itself, nor its hash). */
export interface ApiKey {
  id: string;
  name: string;
  role: string;
  tenants: string[] | null;
  integrations: string[] | null;
  canReadTokens: boolean;
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt?: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  principalId: string;
  role: string;
  action: string;
  method: string;
  path: string;
  target: string | null;
  status: number;
  outcome: 'succeeded' | 'denied' | 'failed';
  ip: string | null;
}

export interface AuditFilter {
  principalId?: string;
  action?: string;
  outcome?: string;
  target?: string;
  tenantId?: string;
  from?: string;
  to?: string;
}

/** Requests counted per principal, target and minute (token reads, refused floods). */
export interface MinuteCount {
  kind: string;
  principalId: string;
  target: string;
  minute: string;
  count: number;
}

export interface Webhook {
  id: string;
  url: string;
  description: string | null;
  createdAt: string;
  createdBy: string;
}

export interface DeliveryAttempt {
  noticeId: string;
  noticeType: string;
  attempt: number;
  outcome: 'accepted' | 'refused' | 'gone';
  status: number | null;
  detail: string;
  at: string;
  nextRetryAround: string | null;
}

/** GET /v1/fleet: the fleet-health pictures' data. */
export interface Fleet {
  hours: number;
  statusHistory: { at: string; counts: Record<Status, number> }[];
  upcomingExpiries: { id: string; label: string; tenantId: string | null; status: Status; expiresAt: string; refreshDueAt: string | null; nextAttemptAt: string | null }[];
  refreshOutcomes: { host: string; preset: string | null; outcomes: Record<string, number>; total: number }[];
  generatedAt: string;
}

export interface Meta {
  redirectUri: string;
  temporalUiUrl?: string | null;
}

/** Who the key belongs to and what it may do (`GET /v1/me`). */
export interface Me {
  id: string;
  name?: string;
  role: string;
  tenants?: string[] | null;
  /** null: a server without /v1/me, where every action is offered and the API decides. */
  actions: string[] | null;
}

/** One input a connector asks for (`GET /v1/connectors`); preset template values are named `presetValues.<name>`. */
export interface ConnectorField {
  name: string;
  label: string;
  required: boolean;
  description?: string;
  example?: string;
  default?: string | null;
  choices?: string[];
}

/** A connector: Generic (any compliant provider) or a preset that knows a provider's endpoints and behaviour. */
export interface Connector {
  id: string;
  name: string;
  docsUrl: string;
  grantTypes: GrantType[];
  fields: ConnectorField[];
  /** The preset's URLs, with {placeholders} for template values. */
  urls?: { authorizationUrl: string | null; tokenUrl: string; revocationUrl: string | null; apiBaseUrl: string };
  tokenAuthMethod?: TokenAuthMethod;
  pkce?: 'required' | 'supported' | 'unsupported';
  refreshToken?: { issued: boolean; rotates: 'always' | 'sometimes' | 'never'; lifetimeSeconds: number | null; idleSeconds: number | null };
  defaultTokenLifetimeSeconds?: number;
  quirks: string[];
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** A non-2xx answer, with the API's JSON error body when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get details(): FieldIssue[] {
    return Array.isArray(this.body.details) ? (this.body.details as FieldIssue[]) : [];
  }
}

/** What the console does when the key stops working: back to sign-in. */
export class Unauthorized extends ApiError {}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
}

export async function request<T>(key: string, method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      signal: opts.signal,
      cache: 'no-store',
      headers: {
        authorization: `Bearer ${key}`,
        accept: 'application/json',
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'The Steward API could not be reached. Check your connection and try again.', {});
  }
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = {};
  }
  if (res.ok) return body as T;
  const code = typeof body.error === 'string' ? body.error : `http_${res.status}`;
  const message = typeof body.message === 'string' ? body.message : `The API answered ${res.status}.`;
  if (res.status === 401) throw new Unauthorized(res.status, code, message, body);
  throw new ApiError(res.status, code, message, body);
}

/** The typed calls the screens make, bound to one key. */
export function endpoints(key: string) {
  const call = <T>(method: string, path: string, opts?: RequestOptions) => request<T>(key, method, path, opts);
  const one = (id: string) => `/v1/integrations/${encodeURIComponent(id)}`;
  return {
    list: (filter: { status?: string; tenantId?: string }, signal?: AbortSignal) => {
      const q = new URLSearchParams();
      if (filter.status) q.set('status', filter.status);
      if (filter.tenantId) q.set('tenantId', filter.tenantId);
      const qs = q.toString();
      return call<{ items: Integration[] }>('GET', `/v1/integrations${qs ? `?${qs}` : ''}`, { signal });
    },
    get: (id: string, signal?: AbortSignal) => call<Integration>('GET', one(id), { signal }),
    /** Newest first; `before` is the previous page's nextCursor. */
    events: (id: string, signal?: AbortSignal, before?: string, limit = 100) =>
      call<{ items: LifecycleEvent[]; nextCursor?: string | null }>('GET', `${one(id)}/events?limit=${limit}${before ? `&before=${encodeURIComponent(before)}` : ''}`, { signal }),
    transferOwner: (id: string, owner: string) => call<Integration>('POST', `${one(id)}/owner`, { body: { owner } }),
    fleet: (hours: number, signal?: AbortSignal) => call<Fleet>('GET', `/v1/fleet?hours=${hours}`, { signal }),
    keys: (signal?: AbortSignal) => call<{ items: ApiKey[] }>('GET', '/v1/keys', { signal }),
    createKey: (body: Record<string, unknown>) => call<ApiKey & { key: string; notice: string }>('POST', '/v1/keys', { body }),
    revokeKey: (id: string) => call<ApiKey>('DELETE', `/v1/keys/${encodeURIComponent(id)}`),
    audit: (filter: AuditFilter, before?: string | null, signal?: AbortSignal) => {
      const q = new URLSearchParams({ limit: '50' });
      for (const [k, v] of Object.entries(filter)) if (v) q.set(k, v);
      if (before) q.set('before', before);
      return call<{ items: AuditEntry[]; nextCursor: string | null }>('GET', `/v1/audit?${q}`, { signal });
    },
    counted: (kind: 'token-reads' | 'rate-limited', principalId?: string, signal?: AbortSignal) =>
      call<{ items: MinuteCount[] }>('GET', `/v1/audit/${kind}?limit=100${principalId ? `&principalId=${encodeURIComponent(principalId)}` : ''}`, { signal }),
    webhooks: (signal?: AbortSignal) => call<{ items: Webhook[] }>('GET', '/v1/webhooks', { signal }),
    createWebhook: (body: { url: string; description?: string }) => call<Webhook & { signingSecret: string; signature: { header: string; format: string } }>('POST', '/v1/webhooks', { body }),
    deleteWebhook: (id: string) => call<void>('DELETE', `/v1/webhooks/${encodeURIComponent(id)}`),
    deliveries: (id: string, signal?: AbortSignal) => call<{ items: DeliveryAttempt[] }>('GET', `/v1/webhooks/${encodeURIComponent(id)}/deliveries?limit=10`, { signal }),
    create: (body: Record<string, unknown>) => call<Integration>('POST', '/v1/integrations', { body }),
    update: (id: string, body: Record<string, unknown>) => call<Integration>('PATCH', one(id), { body }),
    refresh: (id: string) => call<Integration>('POST', `${one(id)}/refresh`),
    revoke: (id: string) => call<Integration>('POST', `${one(id)}/revoke`),
    summary: (signal?: AbortSignal) => call<Summary>('GET', '/v1/summary', { signal }),
    connectors: (signal?: AbortSignal) => call<{ items: Connector[] }>('GET', '/v1/connectors', { signal }),
    connector: (id: string, signal?: AbortSignal) => call<Connector>('GET', `/v1/connectors/${encodeURIComponent(id)}`, { signal }),
    authorize: (id: string) => call<{ authorizationUrl: string; expiresAt: string }>('GET', `${one(id)}/authorize`),
    me: async (): Promise<Me> => {
      try {
        return await call<Me>('GET', '/v1/me');
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return { id: 'unknown', role: 'unknown', actions: null };
        throw err;
      }
    },
    /** Lets the Temporal UI decode payloads with this session (an HttpOnly cookie); best effort, a role may not have it. */
    codecSession: () => call<void>('POST', '/v1/codec/session').catch(() => undefined),
    meta: async (): Promise<Meta> => {
      try {
        return await call<Meta>('GET', '/v1/meta');
      } catch (err) {
        if (err instanceof Unauthorized) throw err;
        // Older servers have no /v1/meta: the callback is this origin's.
        return { redirectUri: `${window.location.origin}/v1/oauth/callback` };
      }
    },
  };
}

export type Endpoints = ReturnType<typeof endpoints>;
