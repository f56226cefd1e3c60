// ALL /v1/integrations/:id/proxy/*: forwards a service's request to the integration's API with the current token attached,
// so the token never reaches the service. Bodies stream both ways; the target never leaves the API base URL.
import type { IncomingHttpHeaders } from 'node:http';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import type { ApiConfig } from '../lib/config';
import { StewardError } from '../lib/errors';
import { ForbiddenAddressError, guardedRequest, ResponseTooLargeError, UpstreamTimeoutError } from '../lib/guardedFetch';
import { proxyOutcomeOf, proxyRequestDuration, proxyRetries, type ProxyOutcome } from '../lib/metrics';
import type { Registry } from '../lib/registry';
import { allow } from './auth';
import { loadVisible } from './loadIntegration';
import { refreshRejected, type RejectionDeps } from './tokenFeedback';
import type { ProxyToken, TokenService } from './tokens';
import { dpopRequest } from './proxyDpop';

/** A body up to this size is buffered, so a request the upstream refused with 401 can be sent again after a refresh. */
export const RETRY_BUFFER_BYTES = 64 * 1024;
/** A 429 without a usable Retry-After still holds the integration this long. */
const DEFAULT_HOLD_MS = 1000;
/** Never hold longer than this, whatever Retry-After says. */
const MAX_HOLD_MS = 3600_000;

export type ProxyTarget = { ok: true; url: string } | { ok: false; problem: string };

// RFC 3986 pchar and "/" minus "@" (userinfo tricks), percent escapes checked separately.
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:%/]*$/;
const QUERY_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
const BAD_ESCAPES = /%(?![0-9a-fA-F]{2})|%2f|%5c|%40|%[01][0-9a-f]|%7f|%25/i;

/**
 * The upstream URL for a proxied request, or why there is none. `rawPath` is the request path after `/proxy` exactly as
 * received (still percent-encoded), `query` the raw query without `?`. Refused: dot segments (also encoded), encoded
 * slashes and backslashes, backslashes, empty segments (`//host`), `@`, control characters, malformed escapes, and any
 * result whose origin is not the API base URL's or whose path leaves its path prefix.
 */
export function proxyTarget(apiBaseUrl: string, rawPath: string, query: string): ProxyTarget {
  let base: URL;
  try {
    base = new URL(apiBaseUrl);
  } catch {
    return { ok: false, problem: 'the integration has no usable API base URL' };
  }
  if (rawPath !== '' && !rawPath.startsWith('/')) return { ok: false, problem: 'the path must start with /' };
  if (!PATH_CHARS.test(rawPath)) return { ok: false, problem: 'the path contains characters that are not allowed (@, \\, spaces or controls)' };
  if (BAD_ESCAPES.test(rawPath)) return { ok: false, problem: 'the path contains an encoded slash, backslash, @, % or control character, or a malformed escape' };
  const segments = rawPath.split('/').slice(1);
  if (segments.slice(0, -1).some((s) => s === '')) return { ok: false, problem: 'the path contains an empty segment (//)' };
  for (const segment of segments) {
    const decoded = decodeURIComponent(segment);
    if (decoded === '.' || decoded === '..') return { ok: false, problem: 'the path contains a . or .. segment' };
  }
  if (!QUERY_CHARS.test(query) || /%(?![0-9a-fA-F]{2})/.test(query)) return { ok: false, problem: 'the query contains characters that are not allowed' };
  const prefix = base.pathname.replace(/\/$/, '');
  let target: URL;
  try {
    target = new URL(`${base.origin}${prefix}${rawPath === '' && base.pathname.endsWith('/') ? '/' : rawPath}${query ? `?${query}` : ''}`);
  } catch {
    return { ok: false, problem: 'the path does not form a URL' };
  }
  const inside = target.pathname === prefix || target.pathname === `${prefix}/` || target.pathname.startsWith(`${prefix}/`);
  if (target.origin !== base.origin || target.username || target.password || !inside) return { ok: false, problem: 'the path leaves the API base URL' };
  return { ok: true, url: target.href };
}

// RFC 9110 §7.6.1 hop-by-hop fields, plus what must never cross: the caller's credentials (Steward's API key, its own
// DPoP proof) and cookies either way. Host and content-length are set for the upstream connection.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
const NEVER_FORWARDED = new Set([...HOP_BY_HOP, 'host', 'cookie', 'authorization', 'dpop', 'expect', 'content-length']);
const NEVER_RETURNED = new Set([...HOP_BY_HOP, 'set-cookie', 'set-cookie2']);

/** The headers named by Connection are hop-by-hop too (RFC 9110 §7.6.1). */
function connectionTokens(value: string | null | undefined): Set<string> {
  return new Set((value ?? '').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean));
}

export function forwardedRequestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const named = connectionTokens(headers.connection as string | undefined);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || NEVER_FORWARDED.has(name) || named.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function returnedResponseHeaders(headers: Headers): [string, string][] {
  const named = connectionTokens(headers.get('connection'));
  const out: [string, string][] = [];
  headers.forEach((value, name) => {
    if (!NEVER_RETURNED.has(name) && !named.has(name)) out.push([name, value]);
  });
  return out;
}

/** Retry-After (seconds or an HTTP date) as milliseconds from now, bounded; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_HOLD_MS) : null;
}

/** The request body: none, buffered (small enough to send twice) or a bounded stream. */
type Body = { kind: 'none' } | { kind: 'buffered'; data: Buffer } | { kind: 'stream'; stream: Readable };

class RequestTooLargeError extends Error {}

function tooLarge(max: number): StewardError {
  return new StewardError('payload_too_large', `The request body is larger than the proxy's limit (${max} bytes).`);
}

async function readBody(req: Request, max: number): Promise<Body> {
  const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!chunked && (declared === null || declared === 0)) return { kind: 'none' };
  if (declared !== null && declared > max) throw tooLarge(max);
  let size = 0;
  const bounded = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.byteLength;
      if (size > max) return done(new RequestTooLargeError());
      done(null, chunk);
    },
  });
  req.pipe(bounded);
  req.on('error', (err) => bounded.destroy(err));
  if (!chunked && declared !== null && declared <= RETRY_BUFFER_BYTES) {
    const chunks: Buffer[] = [];
    for await (const chunk of bounded) chunks.push(chunk as Buffer);
    return { kind: 'buffered', data: Buffer.concat(chunks) };
  }
  return { kind: 'stream', stream: bounded };
}

export interface ProxyDeps extends RejectionDeps {
  config: ApiConfig;
  registry: Registry;
  tokens: TokenService;
}

/** What one upstream exchange needs besides the token. */
interface Outbound {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Body;
}

export function proxyRoutes(deps: ProxyDeps): Router {
  const { config, registry, tokens } = deps;
  const limits = config.proxy;
  const allowInsecure = config.allowInsecureProviders;
  // Per integration: until when the upstream asked us to wait (429 Retry-After). Per api instance, bounded.
  const held = new Map<string, number>();

  function holdFor(id: string, ms: number) {
    if (held.size >= 10_000) held.delete(held.keys().next().value!);
    held.set(id, Date.now() + ms);
  }

  async function send(token: ProxyToken, id: string, out: Outbound): Promise<globalThis.Response> {
    const body = out.body.kind === 'none' ? null : out.body.kind === 'buffered' ? out.body.data : out.body.stream;
    const init = { method: out.method, body, maxResponseBytes: limits.maxResponseBytes, timeoutMs: limits.timeoutMs };
    if (token.token_type.toLowerCase() === 'dpop') {
      if (!token.dpopKey) throw new StewardError('token_unavailable', 'The token is DPoP-bound but its key is not available.');
      return dpopRequest(id, token.dpopKey, token.access_token, out.url, { ...init, headers: out.headers }, allowInsecure);
    }
    return guardedRequest(out.url, { ...init, headers: { ...out.headers, authorization: `Bearer ${token.access_token}` } }, allowInsecure);
  }

  async function proxy(req: Request, res: Response): Promise<ProxyOutcome> {
    const id = String(req.params.id);
    // First the token: it decides visibility, so a hold says nothing about an integration the caller may not see.
    let token = await tokens.tokenForProxy(id, req.principal!);
    const heldUntil = held.get(id) ?? 0;
    if (Date.now() < heldUntil) {
      res.set('Retry-After', String(Math.max(1, Math.ceil((heldUntil - Date.now()) / 1000))));
      throw new StewardError('rate_limited', 'The provider asked for a pause; retry after the time in Retry-After.', { outcome: 'held' });
    }
    const [rawPath, ...rest] = req.url.split('?');
    const target = proxyTarget(token.api_base_url, rawPath === '/' && !req.originalUrl.split('?')[0]!.endsWith('/') ? '' : rawPath!, rest.join('?'));
    if (!target.ok) throw new StewardError('invalid_request', `The proxied path is refused: ${target.problem}.`, { details: [{ path: '(path)', message: target.problem }] });
    const out: Outbound = { method: req.method, url: target.url, headers: forwardedRequestHeaders(req.headers), body: await readBody(req, limits.maxRequestBytes) };
    if (out.body.kind === 'buffered') out.headers['content-length'] = String(out.body.data.byteLength);
    else if (out.body.kind === 'stream' && req.headers['content-length'] !== undefined) out.headers['content-length'] = req.headers['content-length'];
    res.locals.tokenUsed = true; // counted like a token read: the token left Steward, attached to this request

    let upstream = await send(token, id, out);
    // A nonce demand that survived its one retry (a nonce loop) says nothing against the token: no refresh for it.
    const nonceLoop = /error="?use_dpop_nonce/i.test(upstream.headers.get('www-authenticate') ?? '');
    if (upstream.status === 401 && out.body.kind !== 'stream' && !nonceLoop) {
      // The same coalesced path as POST /token/rejected; one retry, only with a new token and a body that can be sent again.
      const answer = await refreshRejected(deps, await loadVisible(registry, req), req.principal!.id, token.versionId);
      const renewed = answer.result === 'refreshed' || answer.result === 'recently_refreshed' ? await tokens.tokenForProxy(id, req.principal!) : null;
      if (renewed && renewed.access_token !== token.access_token) {
        proxyRetries.inc({ result: 'retried' });
        await upstream.body?.cancel();
        token = renewed;
        upstream = await send(token, id, out);
      } else {
        proxyRetries.inc({ result: 'not_refreshed' }); // the provider's own 401 goes back to the caller
      }
    }
    if (upstream.status === 429) holdFor(id, retryAfterMs(upstream.headers.get('retry-after')) ?? DEFAULT_HOLD_MS);

    res.status(upstream.status);
    // Node's own setters: Express's would add a charset to the provider's Content-Type.
    for (const [name, value] of returnedResponseHeaders(upstream.headers)) res.appendHeader(name, value);
    if (!upstream.headers.has('cache-control')) res.setHeader('Cache-Control', 'no-store');
    if (!upstream.body) {
      res.end();
    } else {
      try {
        await pipeline(Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream), res);
      } catch {
        res.destroy(); // cut off mid-body (too large, upstream gone): the caller sees a truncated answer, never a wrong one
        return 'truncated';
      }
    }
    return proxyOutcomeOf(upstream.status);
  }

  const router = Router({ mergeParams: true });
  // The methods an API call uses, named (HEAD comes with GET): each is a documented operation (api/contract/).
  const route = router.route(PROXY_ROUTE);
  for (const method of PROXY_METHODS) route[method](allow('token:read'), handle);
  return router;

  async function handle(req: Request, res: Response): Promise<void> {
    req.auditRoute = '/v1/integrations/:id/proxy';
    const end = proxyRequestDuration.startTimer();
    let outcome: ProxyOutcome = 'error';
    try {
      outcome = await proxy(req, res);
    } catch (err) {
      outcome = localOutcome(err);
      if (outcome === 'request_too_large') {
        // Answer, then drop the connection: the rest of an oversized body is not read.
        res.set('Connection', 'close');
        req.unpipe();
        req.resume();
      }
      if (err instanceof RequestTooLargeError) throw tooLarge(limits.maxRequestBytes);
      if (err instanceof ResponseTooLargeError) throw new StewardError('provider_invalid_response', `The upstream answer is larger than the proxy's limit (${limits.maxResponseBytes} bytes).`);
      if (err instanceof UpstreamTimeoutError) throw new StewardError('provider_timeout', 'The upstream did not answer in time.');
      if (err instanceof ForbiddenAddressError) throw new StewardError('provider_unavailable', `The integration's API cannot be reached: ${err.message}.`);
      if (err instanceof StewardError) {
        if (err.extra.outcome) delete err.extra.outcome;
        throw err;
      }
      if (res.headersSent) return void res.destroy();
      throw new StewardError('provider_unavailable', 'The upstream could not be reached.');
    } finally {
      end({ outcome });
    }
  }
}

/** The path after /proxy, whole (Express syntax); the handler reads it raw from req.url, never decoded. */
export const PROXY_ROUTE = '/{*path}';
export const PROXY_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function localOutcome(err: unknown): ProxyOutcome {
  if (err instanceof RequestTooLargeError || (err instanceof StewardError && err.code === 'payload_too_large')) return 'request_too_large';
  if (err instanceof ResponseTooLargeError) return 'response_too_large';
  if (err instanceof UpstreamTimeoutError) return 'timeout';
  if (err instanceof StewardError) {
    if (err.extra.outcome === 'held') return 'held';
    if (err.code === 'invalid_request') return 'refused_path';
    if (err.code === 'not_found' || err.code === 'forbidden' || err.code === 'unauthorized') return 'denied';
    if (err.code === 'integration_unavailable' || err.code === 'integration_revoked' || err.code === 'token_unavailable') return 'no_token';
    return 'error';
  }
  return 'upstream_error';
}
