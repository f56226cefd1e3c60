// Steward's error classes with stable codes; api/httpErrors.ts maps each code to an HTTP status in one place.
import type { ProviderFailure, Status } from '../workflows/model';

/** The closed set of error codes an API answer can carry (the OpenAPI document lists them). */
export const ERROR_CODES = [
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
  'provider_rejected',
  'provider_unavailable',
  'provider_timeout',
  'provider_invalid_response',
  'integration_unavailable',
  'integration_revoked',
  'token_unavailable',
  'rate_limited',
  'pending',
  'idempotency_key_reused',
  'dependency_unavailable',
  'limit_reached',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  path: string;
  message: string;
}

export class StewardError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'StewardError';
  }
}

export function invalidRequest(details: FieldIssue[]): StewardError {
  return new StewardError('invalid_request', 'The request is invalid.', { details });
}

export function notFound(what = 'integration'): StewardError {
  return new StewardError('not_found', `No such ${what}.`);
}

/** The caller-facing error for a provider call that failed while creating or reconfiguring. */
export function fromProviderFailure(failure: ProviderFailure): StewardError {
  // The workflow answers requests that a revocation overtook with this failure (workflows/integration.ts).
  if (failure.kind === 'rejected' && failure.code === 'revoked') return unavailableIn('revoked');
  if (failure.kind === 'transient') {
    if (failure.code === 'internal_error') return new StewardError('internal_error', failure.message);
    if (failure.code === 'provider_invalid_response') return new StewardError('provider_invalid_response', failure.message);
    return new StewardError(failure.timeout ? 'provider_timeout' : 'provider_unavailable', failure.message, { providerCode: failure.code });
  }
  return new StewardError('provider_rejected', failure.message, {
    providerError: failure.providerError ?? failure.code,
    providerErrorDescription: failure.providerErrorDescription,
  });
}

export function unavailableIn(status: Status): StewardError {
  if (status === 'revoked') return new StewardError('integration_revoked', 'The integration has been revoked.', { status });
  return new StewardError('integration_unavailable', `The integration is ${status}; no token can be served.`, { status });
}
