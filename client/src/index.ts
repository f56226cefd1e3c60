// A service's client for Steward: read an integration's token (cached until shortly before it expires) and call the
// integration's API with it, reporting a rejected token and retrying once with the new one.
import type { components } from './api.js';

export type Token = components['schemas']['Token'];
type ErrorBody = components['schemas']['Error400'] | components['schemas']['Error409'] | components['schemas']['Error410'] | components['schemas']['Error503'];
export type TokenRejectedResult = components['schemas']['TokenRejectedResult'];

/** Any answer of Steward's that is not a success: its stable code and message, and the fields at fault. */
export class StewardApiError extends Error {
  override readonly name: string = 'StewardApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[] = [],
    /** The integration's status when that is why the request failed. */
    readonly integrationStatus?: string,
  ) {
    super(message);
  }
}

/** 409: the integration cannot serve tokens in its state (awaiting consent, disconnected, still validating). */
export class ConsentNeededError extends StewardApiError {
  override readonly name = 'ConsentNeededError';
  readonly whatToDo = 'An admin must (re)connect the integration in the Steward console; until then no token can be served.';
}

/** 410: the integration was revoked; it will never serve a token again. */
export class IntegrationRevokedError extends StewardApiError {
  override readonly name = 'IntegrationRevokedError';
  readonly whatToDo = 'Stop using this integration; ask for a new one to be created.';
}

/** 503: no valid token right now (the provider is failing and the integration is degraded) or Steward's store is out of reach. */
export class TokenUnavailableError extends StewardApiError {
  override readonly name = 'TokenUnavailableError';
  readonly whatToDo = 'Retry after retryAfterSeconds; Steward keeps trying the provider meanwhile.';
  constructor(status: number, code: string, message: string, details: { path: string; message: string }[], integrationStatus: string | undefined, readonly retryAfterSeconds: number | null) {
    super(status, code, message, details, integrationStatus);
  }
}

export interface StewardClientOptions {
  /** Steward's base URL, e.g. https://steward.internal. */
  baseUrl: string;
  /** A service key (role service) granted the integrations it reads. */
  apiKey: string;
  /** A cached token is used until this long before it expires (default 30 s, never more than half its remaining life). */
  refreshMarginMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

interface Cached {
  token: Token;
  /** When the cached token stops being handed out. */
  until: number;
}

export class StewardClient {
  private readonly cache = new Map<string, Cached>();
  private readonly pending = new Map<string, Promise<Token>>();
  private readonly baseUrl: string;
  private readonly marginMs: number;
  private readonly http: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly opts: StewardClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/$/, '');
    this.marginMs = opts.refreshMarginMs ?? 30_000;
    this.http = opts.fetch ?? fetch;
    this.now = opts.now ?? Date.now;
  }

  /** A valid token for the integration, from the cache until shortly before it expires; concurrent callers share one request. */
  async token(integrationId: string): Promise<Token> {
    const cached = this.cache.get(integrationId);
    if (cached && this.now() < cached.until) return cached.token;
    let inFlight = this.pending.get(integrationId);
    if (!inFlight) {
      inFlight = this.fetchToken(integrationId).finally(() => this.pending.delete(integrationId));
      this.pending.set(integrationId, inFlight);
    }
    return inFlight;
  }

  /**
   * Calls the integration's API (path relative to its API base URL) with the token. On a 401 from the provider the token
   * is reported to Steward as rejected, a new one is read and the request is sent once more; a second 401 is returned
   * as it is. Send a body that can be sent twice (a string, bytes, URLSearchParams), not a stream.
   */
  async fetch(integrationId: string, path: string, init: RequestInit = {}): Promise<Response> {
    const first = await this.token(integrationId);
    const response = await this.callApi(first, path, init);
    if (response.status !== 401) return response;
    await response.body?.cancel();
    await this.reportRejected(integrationId);
    this.cache.delete(integrationId);
    return this.callApi(await this.token(integrationId), path, init);
  }

  /** Tells Steward the provider refused the token it served; Steward refreshes once however many services report. */
  async reportRejected(integrationId: string): Promise<TokenRejectedResult> {
    const res = await this.steward(`/v1/integrations/${encodeURIComponent(integrationId)}/token/rejected`, { method: 'POST' });
    return (await res.json()) as TokenRejectedResult;
  }

  private async fetchToken(integrationId: string): Promise<Token> {
    const res = await this.steward(`/v1/integrations/${encodeURIComponent(integrationId)}/token`, { method: 'GET' });
    const token = (await res.json()) as Token;
    const expiresAt = Date.parse(token.expires_at);
    // Half the remaining life at most, so a short-lived token is still refreshed well before it runs out.
    const margin = Math.min(this.marginMs, (expiresAt - this.now()) / 2);
    this.cache.set(integrationId, { token, until: expiresAt - margin });
    return token;
  }

  private callApi(token: Token, path: string, init: RequestInit): Promise<Response> {
    const url = new URL(path.replace(/^\//, ''), token.api_base_url.endsWith('/') ? token.api_base_url : `${token.api_base_url}/`);
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token.access_token}`);
    return this.http(url, { ...init, headers });
  }

  /** A request to Steward itself; a non-2xx answer is thrown as the matching typed error. */
  private async steward(path: string, init: RequestInit): Promise<Response> {
    const res = await this.http(`${this.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${this.opts.apiKey}`, accept: 'application/json' } });
    if (res.ok) return res;
    throw await toError(res);
  }
}

async function toError(res: Response): Promise<StewardApiError> {
  let body: Partial<ErrorBody> = {};
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // Not JSON: a proxy in between answered; the status is all there is.
  }
  const code = body.error ?? 'unknown';
  const message = body.message ?? `Steward answered ${res.status}.`;
  const details = body.details ?? [];
  if (res.status === 409 && code === 'integration_unavailable') return new ConsentNeededError(res.status, code, message, details, body.status);
  if (res.status === 410) return new IntegrationRevokedError(res.status, code, message, details, body.status);
  if (res.status === 503) {
    const retryAfter = Number(res.headers.get('retry-after'));
    return new TokenUnavailableError(res.status, code, message, details, body.status, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
  }
  return new StewardApiError(res.status, code, message, details, body.status);
}
