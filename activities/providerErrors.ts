// Classifies every way a provider call can fail into one ProviderFailure: the single place that decides retry vs. consent vs. disconnect.
import { ForbiddenAddressError, ResponseTooLargeError } from '../lib/guardedFetch';
import type { FailureKind, ProviderFailure } from '../workflows/model';
import { scrubSecrets } from '../lib/redact';

const CONSENT_ERRORS = new Set(['invalid_grant']);
const CLIENT_ERRORS = new Set(['invalid_client', 'unauthorized_client']);
const TRANSIENT_ERRORS = new Set(['temporarily_unavailable', 'server_error', 'slow_down']);
const MAX_TEXT = 300;


/** Provider text, bounded, with every echo of what we sent removed (lib/redact.ts: raw, URL-encoded, base64, Basic). */
function clip(text: string | null | undefined, secrets: string[]): string | null {
  if (!text) return null;
  const out = scrubSecrets(String(text), secrets); // the whole text first: a cut could split a secret
  return out.length > MAX_TEXT ? `${out.slice(0, MAX_TEXT)}…` : out;
}

/** An RFC 6749 error code, or null; a code that is not one (or echoes a secret) becomes `provider_error`. */
function errorCode(value: unknown, secrets: string[]): string | null {
  if (typeof value !== 'string' || !value) return null;
  const code = value.slice(0, 64);
  return /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/.test(code) && scrubSecrets(value, secrets) === value ? code : 'provider_error';
}

function failure(kind: FailureKind, code: string, message: string, extra: Partial<ProviderFailure> = {}): ProviderFailure {
  return { kind, code, message, providerError: null, providerErrorDescription: null, timeout: false, retryAfterSeconds: null, ...extra };
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date), bounded to an hour. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | null {
  if (!value) return null;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) : (Date.parse(value) - nowMs) / 1000;
  if (!Number.isFinite(seconds)) return null;
  return Math.min(3600, Math.max(0, Math.ceil(seconds)));
}

/** A non-2xx answer of a token or revocation endpoint. */
export function classifyErrorResponse(status: number, headers: Headers, bodyText: string, secrets: string[]): ProviderFailure {
  let body: { error?: unknown; error_description?: unknown } = {};
  try {
    body = JSON.parse(bodyText);
  } catch {
    // not JSON: judged by status alone
  }
  const error = errorCode(body.error, secrets);
  const description = typeof body.error_description === 'string' ? clip(body.error_description, secrets) : null;
  const extra = { providerError: error, providerErrorDescription: description };
  const said = error ? ` (${error}${description ? `: ${description}` : ''})` : '';

  if (status === 429 || status === 408 || status >= 500 || (error && TRANSIENT_ERRORS.has(error))) {
    const retryAfterSeconds = parseRetryAfter(headers.get('retry-after'));
    const code = error && TRANSIENT_ERRORS.has(error) ? error : `provider_http_${status}`;
    return failure('transient', code, `The provider is temporarily unavailable: HTTP ${status}${said}.`, { ...extra, retryAfterSeconds });
  }
  if (error && CONSENT_ERRORS.has(error)) {
    return failure('consent_required', error, `The provider no longer accepts the grant; the user must authorize again${said}.`, extra);
  }
  if ((error && CLIENT_ERRORS.has(error)) || (!error && status === 401)) {
    return failure('client_rejected', error ?? 'invalid_client', `The provider rejected the client credentials${said || ` (HTTP ${status})`}.`, {
      ...extra,
      providerError: error ?? 'invalid_client',
    });
  }
  if (status >= 300 && status < 400) {
    return failure('rejected', 'provider_redirect', `The provider answered with a redirect (HTTP ${status}); redirects are not followed.`, extra);
  }
  return failure('rejected', error ?? `provider_http_${status}`, `The provider rejected the request${said || ` with HTTP ${status}`}.`, extra);
}

/** A 2xx answer that is not a usable token response. Transient: a provider's maintenance page is the common cause. */
export function invalidResponse(why: string): ProviderFailure {
  return failure('transient', 'provider_invalid_response', `The provider's answer is not a valid token response: ${why}.`);
}

/** A call that threw: timeouts, refused connections, forbidden addresses, oversized or malformed answers. */
export function classifyThrown(err: unknown, secrets: string[]): ProviderFailure {
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  const forbidden = err instanceof ForbiddenAddressError ? err : e?.cause instanceof ForbiddenAddressError ? e.cause : null;
  if (forbidden) return failure('rejected', 'provider_address_forbidden', `Refused to connect: ${forbidden.message}.`);
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.cause?.code === 'UND_ERR_HEADERS_TIMEOUT') {
    return failure('transient', 'provider_timeout', 'The provider did not answer in time.', { timeout: true });
  }
  if (err instanceof ResponseTooLargeError) {
    return failure('transient', 'provider_invalid_response', `The provider's answer was too large: ${err.message}.`);
  }
  if (e?.name === 'OperationProcessingError' || e?.name === 'ResponseBodyError' || e?.code?.startsWith?.('OAUTH_')) {
    return failure('transient', 'provider_invalid_response', `The provider's answer is not a valid token response: ${clip(e.message, secrets)}.`);
  }
  const cause = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? 'unknown error';
  return failure('transient', 'provider_unreachable', `The provider could not be reached (${clip(String(cause), secrets)}).`);
}
