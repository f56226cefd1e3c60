// Maps error codes to HTTP statuses (the only place that does) and turns any error into a JSON answer without a stack trace.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import mongoose from 'mongoose';
import type { Logger } from 'pino';
import { StewardError, type ErrorCode } from '../lib/errors';

export const ERROR_STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  provider_rejected: 422,
  provider_unavailable: 502,
  provider_timeout: 504,
  provider_invalid_response: 502,
  integration_unavailable: 409,
  integration_revoked: 410,
  token_unavailable: 503,
  rate_limited: 429,
  pending: 504,
  idempotency_key_reused: 422,
  dependency_unavailable: 503,
  limit_reached: 409,
  internal_error: 500,
};

/** Body-parser's own errors, translated into ours. */
function fromBodyParser(err: { type?: string; status?: number }): StewardError | null {
  if (err.type === 'entity.parse.failed') return new StewardError('invalid_request', 'The body is not valid JSON.', { details: [{ path: '(body)', message: 'is not valid JSON' }] });
  if (err.type === 'entity.too.large') return new StewardError('payload_too_large', 'The body is too large.');
  if (err.type === 'charset.unsupported' || err.type === 'encoding.unsupported') return new StewardError('unsupported_media_type', 'Send UTF-8 JSON.');
  // The router's own refusal of a path parameter it cannot percent-decode.
  if (err instanceof URIError && (err as { status?: number }).status === 400) return new StewardError('invalid_request', 'The path is not valid percent-encoding.', { details: [{ path: '(path)', message: 'is not valid percent-encoding' }] });
  return null;
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
/** Seconds a client should wait before retrying when one of Steward's own stores is out of reach. */
const DEPENDENCY_RETRY_AFTER_SECONDS = 2;

/** MongoDB (registry, token store) out of reach is an outage to wait out, not a bug: 503, not 500. */
function fromDependency(err: unknown): StewardError | null {
  const { MongoNetworkError, MongoServerSelectionError } = mongoose.mongo;
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof MongoNetworkError || err instanceof MongoServerSelectionError || (typeof code === 'string' && CONNECTION_ERRORS.has(code))) {
    return new StewardError('dependency_unavailable', 'A store Steward depends on is unreachable; try again shortly.');
  }
  return null;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = err instanceof StewardError ? err : (fromBodyParser(err) ?? fromDependency(err));
    if (!known || known.code === 'dependency_unavailable') logger.error({ err: { name: err?.name, message: err?.message }, method: req.method, path: req.path }, known ? 'dependency unavailable' : 'unhandled error');
    const error = known ?? new StewardError('internal_error', 'Something went wrong; the error was logged.');
    if (error.code === 'dependency_unavailable') res.setHeader('Retry-After', String(DEPENDENCY_RETRY_AFTER_SECONDS));
    res.status(ERROR_STATUS[error.code]).json({ error: error.code, message: error.message, ...error.extra });
  };
}

export const notFoundRoute: RequestHandler = (_req, _res) => {
  throw new StewardError('not_found', 'No such route.');
};

/** The codes a status can carry: the OpenAPI document lists exactly these under each status. */
export function codesFor(status: number): ErrorCode[] {
  return (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((code) => ERROR_STATUS[code] === status);
}

/** The methods a route answers, as an Allow header lists them (HEAD wherever GET is). */
export function allowedMethods(route: { methods: Record<string, boolean | undefined> }): string[] {
  const methods = Object.keys(route.methods).filter((m) => m !== '_all' && route.methods[m]).map((m) => m.toUpperCase());
  if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
  return methods;
}

/** Mounted last on every route with `.all()`: 405 naming the methods the route does answer (RFC 9110 §15.5.6). */
export const methodNotAllowed: RequestHandler = (req, res) => {
  if (req.route) res.set('Allow', allowedMethods(req.route as { methods: Record<string, boolean> }).join(', '));
  throw new StewardError('method_not_allowed', `${req.method} is not allowed here.`);
};

/** Bodies are JSON or nothing. */
export const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) throw new StewardError('unsupported_media_type', 'Send the body as application/json.');
  next();
};
