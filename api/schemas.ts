// zod schemas for every input the API accepts; errors name the field and the problem.
import { z } from 'zod';
import { CLIENT_ASSERTION_ALGS, GRANT_TYPES, STATUSES, TOKEN_AUTH_METHODS } from '../workflows/model';
import { describeClientKey } from '../lib/clientKey';
import { providerUrlProblem, resolvedUrlProblem } from '../lib/urlPolicy';
import { invalidRequest } from '../lib/errors';
import { ROLES } from '../lib/principals';
import { parseAuditCursor } from '../lib/audit';
import { parseListCursor } from '../lib/registry';

// One wording for a missing field, everywhere.
z.config({ customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined) });

const CONTROL_CHARS = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !CONTROL_CHARS.test(v), 'must not contain control or bidirectional characters');

const secret = (max: number) => z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const providerUrl = (allowInsecure: boolean) =>
  z
    .string()
    .trim()
    .max(2048, 'must be at most 2048 characters')
    .superRefine((value, ctx) => {
      const problem = providerUrlProblem(value, allowInsecure);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

const scope = z
  .string()
  .trim()
  .max(1024, 'must be at most 1024 characters')
  .regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, 'must be space-separated scope tokens');
const tenantId = z.string().trim().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits, or . _ : -');

/** private_key_jwt: the key replaces clientSecret; its naming fields come only with a key (api/clientCredential.ts). */
const clientKeyFields = {
  privateKey: secret(16384).optional(),
  clientAssertionAlg: z.enum(CLIENT_ASSERTION_ALGS, { message: `must be one of ${CLIENT_ASSERTION_ALGS.join(', ')}` }).optional(),
  clientKeyId: text(256).optional(),
  certificate: z.string().max(16384, 'must be at most 16384 characters').optional(),
};

/** The JWT bearer grant's assertion claims (RFC 7523 §3); the key signing it is `privateKey`. */
const assertionFields = {
  assertionSubject: text(512).optional(),
  assertionAudience: text(2048).optional(),
};

type ClientCredentialInput = { clientSecret?: string; tokenAuthMethod?: string } & { [K in keyof typeof clientKeyFields]?: z.infer<(typeof clientKeyFields)[K]> };

/**
 * Which credential goes with which method, and whether a supplied key is usable (lib/clientKey.ts). `grantType` is
 * known on a create; a PATCH's grant is the record's, checked by the routes (api/clientCredential.ts).
 */
function checkClientCredential(v: ClientCredentialInput, ctx: z.RefinementCtx, required: boolean, grantType?: string) {
  if (grantType === 'jwt_bearer') {
    if (v.clientSecret !== undefined) ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: 'is not used by the jwt_bearer grant: supply privateKey, which signs its assertions' });
    if (v.tokenAuthMethod !== undefined && v.tokenAuthMethod !== 'none') ctx.addIssue({ code: 'custom', path: ['tokenAuthMethod'], message: 'must be none (or absent) for the jwt_bearer grant: its signed assertion is the client\'s proof' });
    if (v.privateKey === undefined) ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'is required for the jwt_bearer grant' });
  } else if (v.tokenAuthMethod === 'none') {
    ctx.addIssue({ code: 'custom', path: ['tokenAuthMethod'], message: 'none is only accepted for the jwt_bearer grant' });
  }
  if (v.privateKey !== undefined) {
    if (v.clientSecret !== undefined && grantType !== 'jwt_bearer') ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'replaces clientSecret: supply one of them' });
    if (v.tokenAuthMethod !== undefined && v.tokenAuthMethod !== 'private_key_jwt' && v.tokenAuthMethod !== 'none') ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'is only accepted with tokenAuthMethod private_key_jwt' });
    const described = describeClientKey({ privateKey: v.privateKey, clientAssertionAlg: v.clientAssertionAlg, clientKeyId: v.clientKeyId, certificate: v.certificate });
    if (!described.ok) for (const p of described.problems) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
    return;
  }
  for (const field of ['clientAssertionAlg', 'clientKeyId', 'certificate'] as const) {
    if (v[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'is only accepted with privateKey' });
  }
  if (v.tokenAuthMethod === 'private_key_jwt' && (required || v.clientSecret !== undefined)) ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'is required for tokenAuthMethod private_key_jwt' });
}

/** A create names its client credential; reported beside every other bad field (not only once the rest parses). */
const credentialNamed = {
  path: ['clientSecret'],
  message: 'is required',
  when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null,
};

export function integrationSchemas(opts: { allowInsecure: boolean }) {
  const url = providerUrl(opts.allowInsecure);
  const create = z
    .strictObject({
      label: text(200),
      grantType: z.enum(GRANT_TYPES, { message: `must be one of ${GRANT_TYPES.join(', ')}` }),
      // URLs may instead come from a preset or from discovery; api/endpoints.ts requires them after resolving.
      tokenUrl: url.optional(),
      clientId: text(512),
      clientSecret: secret(4096).optional(),
      ...clientKeyFields,
      ...assertionFields,
      scope: scope.optional(),
      apiBaseUrl: url.optional(),
      tenantId: tenantId.optional(),
      refreshToken: secret(8192).optional(),
      revocationUrl: url.optional(),
      tokenAuthMethod: z.enum(TOKEN_AUTH_METHODS, { message: `must be one of ${TOKEN_AUTH_METHODS.join(', ')}` }).optional(),
      authorizationUrl: url.optional(),
      redirectUri: url.optional(),
      owner: text(120).optional(),
      preset: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a connector id from GET /v1/connectors').optional(),
      presetValues: z.record(z.string().regex(/^[a-zA-Z]{1,32}$/), z.string().max(256)).optional(),
      issuer: url.optional(),
      authorizationParams: z
        .record(z.string().regex(/^[a-z_]{1,40}$/), z.string().max(200))
        .superRefine((params, ctx) => {
          for (const name of Object.keys(params)) {
            if (isReservedAuthorizationParam(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'is set by Steward and cannot be overridden' });
          }
        })
        .optional(),
      revokeReplacedGrant: z.boolean({ message: 'must be true or false' }).optional(),
      dpop: z.boolean({ message: 'must be true or false' }).optional(),
      lifecycle: z
        .strictObject({
          defaultTokenLifetimeSeconds: z.number().int().positive().max(315_360_000).optional(),
          refreshTokenIdleSeconds: z.number().int().positive().max(315_360_000).optional(),
        })
        .optional(),
    })
    .refine((v) => v.clientSecret !== undefined || v.privateKey !== undefined || v.tokenAuthMethod === 'private_key_jwt' || v.grantType === 'jwt_bearer', credentialNamed)
    .superRefine((v, ctx) => {
      checkClientCredential(v, ctx, true, v.grantType);
      if (v.grantType !== 'jwt_bearer') {
        for (const field of ['assertionSubject', 'assertionAudience'] as const) {
          if (v[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'is only accepted for the jwt_bearer grant' });
        }
      }
      if (v.grantType === 'refresh_token' && !v.refreshToken) {
        ctx.addIssue({ code: 'custom', path: ['refreshToken'], message: 'is required for the refresh_token grant' });
      }
      if (v.grantType !== 'refresh_token' && v.refreshToken) {
        ctx.addIssue({ code: 'custom', path: ['refreshToken'], message: 'is only accepted for the refresh_token grant' });
      }
    });

  const update = z
    .strictObject({
      label: text(200).optional(),
      tokenUrl: url.optional(),
      clientId: text(512).optional(),
      clientSecret: secret(4096).optional(),
      ...clientKeyFields,
      assertionSubject: assertionFields.assertionSubject.unwrap().nullable().optional(),
      assertionAudience: assertionFields.assertionAudience.unwrap().nullable().optional(),
      refreshToken: secret(8192).optional(),
      scope: scope.nullable().optional(),
      apiBaseUrl: url.optional(),
      revocationUrl: url.nullable().optional(),
      tokenAuthMethod: z.enum(TOKEN_AUTH_METHODS).optional(),
      authorizationUrl: url.optional(),
      redirectUri: url.optional(),
      revokeReplacedGrant: z.boolean({ message: 'must be true or false' }).optional(),
    })
    .refine((v) => Object.keys(v).length > 0, 'must change at least one field')
    .superRefine((v, ctx) => checkClientCredential(v, ctx, false));

  return { create, update };
}

/**
 * Authorization parameters Steward sets itself: overriding them (or smuggling them in a signed request object) would
 * send the code elsewhere, skip PKCE, or widen the grant.
 */
export const RESERVED_AUTHORIZATION_PARAMS = ['request', 'request_uri', 'redirect_uri', 'state', 'response_type', 'client_id', 'scope'] as const;

export function isReservedAuthorizationParam(name: string): boolean {
  return (RESERVED_AUTHORIZATION_PARAMS as readonly string[]).includes(name) || name.startsWith('code_challenge');
}

/** `before`: the nextCursor of the previous page (an event sequence number). */
export const eventsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().min(1, 'must be a nextCursor from the previous page').optional(),
});

export const listQuery = z.strictObject({
  tenantId: tenantId.optional(),
  status: z.enum(STATUSES, { message: `must be one of ${STATUSES.join(', ')}` }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z
    .string()
    .max(80)
    .refine((c) => parseListCursor(c) !== null, 'must be a nextCursor from the previous page')
    .optional(),
});

export const ownerTransfer = z.strictObject({ owner: text(120) });

export const integrationId = z.string().regex(/^int_[a-f0-9]{24}$/);

/** Headers of a create: an optional Idempotency-Key, printable ASCII as the IETF draft and Stripe use it. */
export const createHeaders = z.object({
  'Idempotency-Key': z.string().regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 printable ASCII characters without spaces').optional(),
});

const OUTBOUND_URL_FIELDS = ['tokenUrl', 'revocationUrl', 'authorizationUrl', 'apiBaseUrl'] as const;

/** After parsing: each outbound URL's host must not resolve to a refused address (400 naming the field). */
export async function checkResolvedUrls(input: Partial<Record<(typeof OUTBOUND_URL_FIELDS)[number], string | null>>, allowInsecure: boolean): Promise<void> {
  const problems = await Promise.all(
    OUTBOUND_URL_FIELDS.map(async (field) => {
      const value = input[field];
      const problem = value ? await resolvedUrlProblem(value, allowInsecure) : null;
      return problem ? { path: field, message: problem } : null;
    }),
  );
  const details = problems.filter((p): p is { path: (typeof OUTBOUND_URL_FIELDS)[number]; message: string } => p !== null);
  if (details.length) throw invalidRequest(details);
}

/** Webhook subscriptions: the URL passes the provider URL guard (the route also checks what it resolves to). */
export function webhookSchemas(opts: { allowInsecure: boolean }) {
  return { create: z.strictObject({ url: providerUrl(opts.allowInsecure), description: text(500).optional() }) };
}

export const webhookId = z.string().regex(/^whk_[a-f0-9]{24}$/);

/** A service's report that the provider refused a token: nothing to say beyond the path (an empty object at most). */
export const tokenRejectedReport = z.strictObject({}).optional();

const tenantList = z.array(z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be tenant ids')).min(1, 'must name at least one').max(200);

/** An admin's new API key: the role decides which of tenants, integrations and canReadTokens apply. */
export const createKey = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
    role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }),
    tenants: tenantList.optional(),
    integrations: z.array(z.string().regex(/^int_[a-f0-9]{24}$/, 'must be integration ids')).min(1).max(500).optional(),
    canReadTokens: z.boolean().optional(),
    expiresAt: z.iso.datetime({ message: 'must be an ISO 8601 date-time' }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.role === 'admin' && v.tenants) ctx.addIssue({ code: 'custom', path: ['tenants'], message: 'admins are not confined to tenants' });
    if (v.role === 'agency' && !v.tenants) ctx.addIssue({ code: 'custom', path: ['tenants'], message: 'is required for agencies' });
    if (v.role === 'service' && !v.tenants && !v.integrations) ctx.addIssue({ code: 'custom', path: ['integrations'], message: 'a service needs integrations or tenants' });
    if (v.role !== 'service' && v.integrations) ctx.addIssue({ code: 'custom', path: ['integrations'], message: 'only services are granted integrations' });
    if (v.role !== 'agency' && v.canReadTokens !== undefined) ctx.addIssue({ code: 'custom', path: ['canReadTokens'], message: 'only applies to agencies' });
    if (v.expiresAt && Date.parse(v.expiresAt) <= Date.now()) ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be in the future' });
  });

export const auditQuery = z.strictObject({
  principalId: z.string().max(64).optional(),
  target: z.string().max(64).optional(),
  integrationId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** The trail's own filters; all optional, so a plain GET /v1/audit answers as before (plus nextCursor). */
export const auditPageQuery = auditQuery.extend({
  action: z.string().max(120).optional(),
  outcome: z.enum(['succeeded', 'denied', 'failed'], { message: 'must be succeeded, denied or failed' }).optional(),
  tenantId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be a tenant id').optional(),
  from: z.iso.datetime({ message: 'must be an ISO 8601 date-time' }).optional(),
  to: z.iso.datetime({ message: 'must be an ISO 8601 date-time' }).optional(),
  before: z
    .string()
    .max(80)
    .refine((c) => parseAuditCursor(c) !== null, 'must be a nextCursor from the previous page')
    .optional(),
});

/** POST /v1/policy/rollout: all running integrations, or one tenant's; how many updates run at once. */
export const policyRollout = z.strictObject({
  tenantId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be a tenant id').optional(),
  concurrency: z.number().int('must be a whole number').min(1, 'must be at least 1').max(50, 'must be at most 50').default(10),
});

/** GET /v1/fleet: how far back the status history and the outcomes look, and how far ahead the expiries. */
export const fleetQuery = z.strictObject({
  hours: z.coerce.number().min(0.25, 'must be at least 0.25').max(24 * 14, 'must be at most 336').default(24),
  points: z.coerce.number().int().min(2).max(200).default(49),
  expiries: z.coerce.number().int().min(1).max(500).default(50),
});

export const deliveriesQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(20) });

/** What the Temporal UI sends the codec server: payloads with base64 metadata values and data. */
export const codecRequest = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() })),
});

export function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw invalidRequest(result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })));
  }
  return result.data;
}
