// The integration's vocabulary: statuses, configuration, lifecycle policy and state, shared by workflow, activities and api.

export const STATUSES = ['validating', 'active', 'degraded', 'awaiting_consent', 'disconnected', 'revoked'] as const;
export type Status = (typeof STATUSES)[number];

export const GRANT_TYPES = ['client_credentials', 'refresh_token', 'authorization_code', 'jwt_bearer'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/**
 * Grants that obtain a fresh token from what the client itself holds (its secret, or for the RFC 7523 JWT bearer
 * grant its private key), with no user and no refresh token: nothing is lost by asking again, and a move to another
 * token origin needs no new consent.
 */
export const renewsOnItsOwn = (grantType: GrantType): boolean => grantType === 'client_credentials' || grantType === 'jwt_bearer';

/** `none`: the JWT bearer grant, whose signed assertion is the client's whole proof (RFC 7523 §2.1, §3.1). */
export const TOKEN_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;
export type TokenAuthMethod = (typeof TOKEN_AUTH_METHODS)[number];

/** How a private_key_jwt client assertion is signed (RFC 7518 names). */
export const CLIENT_ASSERTION_ALGS = ['RS256', 'PS256', 'ES256'] as const;
export type ClientAssertionAlg = (typeof CLIENT_ASSERTION_ALGS)[number];

/** Non-confidential configuration: safe for MongoDB, logs and API responses. */
export interface IntegrationConfig {
  id: string;
  label: string;
  grantType: GrantType;
  tokenUrl: string;
  clientId: string;
  scope: string | null;
  apiBaseUrl: string;
  tenantId: string | null;
  revocationUrl: string | null;
  tokenAuthMethod: TokenAuthMethod;
  authorizationUrl: string | null;
  redirectUri: string | null;
  /** Who answers for this integration: a principal id or a team name. Changed only by an audited transfer. */
  owner: string;
  /** The connector preset it was created from (lib/connectorCatalog.ts), or null for generic. */
  preset: string | null;
  /** The authorization server's issuer, when known (preset or discovery): the callback's `iss` must equal it. */
  issuer: string | null;
  /** RFC 9207: the issuer's metadata says its authorization responses carry `iss`, so a callback without one is refused. Absent on older records: false. */
  issRequired?: boolean;
  /** Extra parameters on consent links (access_type=offline, prompt=consent, …). */
  authorizationParams: Record<string, string>;
  /** Extra headers on token requests; "{uuid}" becomes a fresh UUID per request. Pairs, not an object: header names may hold dots, which MongoDB-compatible stores refuse in keys. */
  tokenRequestHeaders: { name: string; value: string }[];
  /** private_key_jwt: the assertion's signing algorithm, `kid` and `x5t#S256` header (null: not sent). Absent on older records and other methods. */
  clientAssertionAlg?: ClientAssertionAlg | null;
  clientKeyId?: string | null;
  clientCertificateThumbprint?: string | null;
  /**
   * JWT bearer grant (RFC 7523 §2.1): the assertion's `sub` (a Google service account's delegated user, a Salesforce
   * username; null: the client id) and `aud` (null: the token URL). Its `iss` is the client id; it is signed with the
   * integration's private key (clientAssertionAlg, clientKeyId). Absent on older records and other grants.
   */
  assertionSubject?: string | null;
  assertionAudience?: string | null;
  /** RFC 7009 revocation of a grant replaced by re-consent or a PATCH (lib/replacedGrantRule.ts). Absent on older records: the preset decides. */
  revokeReplacedGrant?: boolean;
}

/** Confidential material supplied by an admin; only ever travels inside encrypted payloads and the vault. */
export interface SuppliedSecrets {
  /** The client's credential: its secret, or for private_key_jwt and the JWT bearer grant its private key (PEM or private JWK), bound alike. */
  clientSecret?: string;
  refreshToken?: string;
}

export interface LifecyclePolicy {
  refreshBufferMs: number;
  defaultLifetimeSeconds: number;
  retryBaseMs: number;
  retryMaxMs: number;
  degradedAfterAttempts: number;
  degradedRetryMs: number;
  historyLimit: number;
  /** The provider expires refresh tokens unused this long; the workflow refreshes before, even when idle. */
  refreshTokenIdleMs?: number | null;
  /** The refresh floor (workflows/schedule.ts); absent in workflows started before it existed. */
  minRefreshIntervalMs?: number | null;
}

export interface LastError {
  code: string;
  message: string;
  at: string;
}

/** What the workflow knows about the current token. Never the token itself. */
export interface TokenMeta {
  secretArn: string;
  secretVersionId: string;
  generation: number;
  expiresAt: string;
  /** Lifetime as the provider stated it; the workflow schedules on its own clock with it. */
  expiresInSeconds: number;
  scope: string | null;
  tokenType: string;
  hasRefreshToken: boolean;
}

/** How a provider call failed, classified once (activities/providerErrors.ts). */
export type FailureKind = 'transient' | 'consent_required' | 'client_rejected' | 'rejected';

/** RFC 6749 §5.2 token-endpoint errors and the registered extensions a provider may answer with (RFC 7009, 8628, 8707, 9449). */
export const OAUTH_ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'server_error',
  'temporarily_unavailable',
  'slow_down',
  'unsupported_token_type',
  'invalid_target',
  'invalid_dpop_proof',
  'use_dpop_nonce',
] as const;
export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number];

/** Codes Steward gives failures it classifies itself (any other provider `error` becomes provider_error, its text kept in providerError). */
export const STEWARD_FAILURE_CODES = [
  'provider_timeout',
  'provider_unreachable',
  'provider_invalid_response',
  'provider_address_forbidden',
  'provider_redirect',
  'provider_error',
  'internal_error',
  'revoked',
  'consent_required',
  'client_secret_missing',
  'secret_binding',
  'vault_secret_missing',
  'vault_behind',
  'refresh_answer_lost',
  'refresh_in_flight',
] as const;
export type StewardFailureCode = (typeof STEWARD_FAILURE_CODES)[number];

/** The closed set of ProviderFailure codes: an OAuth error, one of ours, or the HTTP status of an answer without a usable code. */
export type ProviderFailureCode = OAuthErrorCode | StewardFailureCode | `provider_http_${number}`;

export function isOAuthErrorCode(value: string): value is OAuthErrorCode {
  return (OAUTH_ERROR_CODES as readonly string[]).includes(value);
}

export interface ProviderFailure {
  kind: FailureKind;
  /** Stable code: an OAuth error code (invalid_grant…) or ours (provider_timeout, provider_unreachable, provider_http_503, refresh_answer_lost…). */
  code: ProviderFailureCode;
  message: string;
  providerError: string | null;
  providerErrorDescription: string | null;
  timeout: boolean;
  retryAfterSeconds: number | null;
}

/** The one way to build a ProviderFailure: the fields a classification leaves out are null/false. */
export function providerFailure(kind: FailureKind, code: ProviderFailureCode, message: string, extra: Partial<Omit<ProviderFailure, 'kind' | 'code' | 'message'>> = {}): ProviderFailure {
  return { kind, code, message, providerError: null, providerErrorDescription: null, timeout: false, retryAfterSeconds: null, ...extra };
}

/** `note`: what else the attempt did that belongs in the transition event (e.g. revoking the grant it replaced); never a secret. */
export type TokenOutcome = { ok: true; token: TokenMeta; note?: string } | { ok: false; failure: ProviderFailure };

/** The workflow's state, serializable as-is into continue-as-new (no Maps, no secrets). */
export interface IntegrationState {
  status: Status;
  secretArn: string | null;
  secretVersionId: string | null;
  generation: number;
  expiresAt: string | null;
  scope: string | null;
  tokenType: string | null;
  hasRefreshToken: boolean;
  lastRefreshAt: string | null;
  lastError: LastError | null;
  /** When the current run of failures began (null while healthy): lastError.at moves with every retry, this does not. */
  failingSince?: string | null;
  consecutiveFailures: number;
  /** Workflow-clock ms of the next refresh attempt, or null when nothing is scheduled. */
  nextAttemptAt: number | null;
  /** When the current token was planned to be refreshed (kept through retries): the refresh-lag metric's reference. */
  refreshDueAt?: number | null;
  /** Workflow-clock ms when the current token expires (stated lifetime from when it was stored; expiresAt is the provider-side clock). */
  tokenExpiresAt?: number | null;
  /** Set while the refresh floor holds refreshes back for the current token (schedule.ts refreshFloorWarning). */
  refreshWarning?: string | null;
  /** Bumped on every projection write; orders writes and numbers events. */
  revision: number;
}

/** The answer of the `state` query and of the API's live view. */
export interface PublicState {
  status: Status;
  expiresAt: string | null;
  lastRefreshAt: string | null;
  lastError: LastError | null;
  consecutiveFailures: number;
  secretVersionId: string | null;
}

export interface TransitionEvent {
  integrationId: string;
  seq: number;
  from: Status | null;
  to: Status;
  reason: string;
  actor: string;
  at: string;
}

export function toPublicState(s: IntegrationState): PublicState {
  return {
    status: s.status,
    expiresAt: s.expiresAt,
    lastRefreshAt: s.lastRefreshAt,
    lastError: s.lastError,
    consecutiveFailures: s.consecutiveFailures,
    secretVersionId: s.secretVersionId,
  };
}

export function workflowIdFor(integrationId: string): string {
  return `integration-${integrationId}`;
}

export function integrationIdOf(workflowId: string): string {
  return workflowId.replace(/^integration-/, '');
}

/** The workflow's state as mirrored into MongoDB for the api (no secrets). */
export interface Projection {
  status: Status;
  secretArn: string | null;
  secretVersionId: string | null;
  expiresAt: string | null;
  scope: string | null;
  tokenType: string | null;
  hasRefreshToken: boolean;
  lastRefreshAt: string | null;
  lastError: LastError | null;
  failingSince: string | null;
  consecutiveFailures: number;
  /** When the current token is due for refresh (workflows/schedule.ts): until then a read never asks for another. */
  refreshDueAt: string | null;
  /** When the lifecycle will next call the provider on its own (the due time, or the retry pace while failing). */
  nextAttemptAt: string | null;
  refreshWarning: string | null;
  revision: number;
}

const isoOrNull = (ms: number | null | undefined): string | null => (typeof ms === 'number' ? new Date(ms).toISOString() : null);

export function toProjection(s: IntegrationState): Projection {
  return {
    status: s.status,
    secretArn: s.secretArn,
    secretVersionId: s.secretVersionId,
    expiresAt: s.expiresAt,
    scope: s.scope,
    tokenType: s.tokenType,
    hasRefreshToken: s.hasRefreshToken,
    lastRefreshAt: s.lastRefreshAt,
    lastError: s.lastError,
    failingSince: s.failingSince ?? null,
    consecutiveFailures: s.consecutiveFailures,
    refreshDueAt: isoOrNull(s.refreshDueAt),
    nextAttemptAt: isoOrNull(s.nextAttemptAt),
    refreshWarning: s.refreshWarning ?? null,
    revision: s.revision,
  };
}

// ── webhook notices ─────────────────────────────────────────────────────────────────────────────

export const NOTICE_TYPES = ['activated', 'degraded', 'recovered', 'awaiting_consent', 'disconnected', 'revoked', 'token_expiring'] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

/** The JSON body of a webhook delivery. Non-confidential by construction: no token, secret or vault pointer. */
export interface Notice {
  /** Stable across retries and duplicates: receivers and the delivery workflow dedupe on it. */
  id: string;
  type: NoticeType;
  integrationId: string;
  tenantId: string | null;
  label: string;
  from: Status | null;
  to: Status;
  reason: string;
  actor: string;
  at: string;
  expiresAt: string | null;
  consecutiveFailures: number;
  lastError: LastError | null;
}
