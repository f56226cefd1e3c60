// Who is calling and what they may do: bearer-key authentication, the role → action matrix, and tenant visibility.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { AnonymousLimit } from './anonymousLimit';
import { StewardError } from '../lib/errors';
import type { KeyStore, Principal, Role } from '../lib/principals';

export type { Principal };

/** Everything a principal can ask for; routes declare the one they need with `allow(action)`. */
export type Action =
  | 'integration:read'
  | 'integration:create'
  | 'integration:update'
  | 'integration:refresh'
  | 'integration:revoke'
  | 'integration:consent'
  | 'integration:reconnect'
  | 'integration:transfer'
  | 'events:read'
  | 'token:read'
  | 'token:report'
  | 'summary:read'
  | 'webhook:manage'
  | 'key:manage'
  /** Sending the deployment's lifecycle settings to every running integration. */
  | 'policy:rollout'
  | 'audit:read'
  | 'codec:decode'
  /** Set by the provider's redirect back (no principal): audited under the principal that issued the link. */
  | 'consent:complete';

/** The one table of what each role may do. Tenant confinement is separate (see canSee). */
export const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  admin: [
    'integration:read', 'integration:create', 'integration:update', 'integration:refresh', 'integration:revoke', 'integration:consent',
    'integration:reconnect', 'integration:transfer', 'events:read', 'token:read', 'token:report', 'summary:read', 'webhook:manage', 'key:manage', 'audit:read', 'codec:decode',
    'policy:rollout',
  ],
  support: ['integration:read', 'events:read', 'integration:refresh', 'integration:consent', 'summary:read', 'codec:decode'],
  finance: ['integration:read', 'summary:read'],
  agency: ['integration:read', 'integration:create', 'events:read', 'integration:refresh', 'integration:consent', 'integration:revoke'],
  service: ['token:read', 'token:report'],
};

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    /** The action the route asked for; the audit trail records it. */
    action?: Action;
    /** The matched route (e.g. /v1/integrations/:id/token) and the id it resolved: what the audit trail keys on. */
    auditRoute?: string;
    auditTarget?: string;
  }
}

export function may(principal: Principal, action: Action): boolean {
  // Agencies read tokens only when granted; reconnecting an integration steers where its tokens come from, so the same.
  if ((action === 'token:read' || action === 'integration:reconnect') && principal.role === 'agency') return principal.canReadTokens;
  return ROLE_ACTIONS[principal.role].includes(action);
}

/** Whether the principal may know this integration exists at all. Outside its tenants everything is a 404. */
export function canSee(principal: Principal, integration: { id: string; tenantId: string | null }): boolean {
  if (principal.role === 'service') {
    return Boolean(principal.integrations?.includes(integration.id) || (integration.tenantId && principal.tenants?.includes(integration.tenantId)));
  }
  if (principal.tenants === null) return true;
  return integration.tenantId !== null && principal.tenants.includes(integration.tenantId);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export const BOOTSTRAP_ADMIN: Principal = { id: 'bootstrap-admin', name: 'Bootstrap admin (STEWARD_ADMIN_KEY)', role: 'admin', tenants: null, integrations: null, canReadTokens: true };

/**
 * The principal behind a request's bearer key, or null. `bootstrapKey` null: the bootstrap key is switched off
 * (STEWARD_BOOTSTRAP_ADMIN=false) and authenticates nothing.
 */
export function identifier(bootstrapKey: string | null, keys: KeyStore): (req: Request) => Promise<Principal | null> {
  const bootstrap = bootstrapKey === null ? null : digest(bootstrapKey);
  return async (req) => {
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(req.headers.authorization ?? '');
    const presented = match?.[1];
    if (!presented) return null;
    if (bootstrap && timingSafeEqual(digest(presented), bootstrap)) return BOOTSTRAP_ADMIN;
    return keys.authenticate(presented);
  };
}

/** 401 without a valid key; an address that keeps failing gets 429 (limited per address and minute). */
export function authenticate(bootstrapKey: string | null, keys: KeyStore, anonymous?: AnonymousLimit): RequestHandler {
  const identify = identifier(bootstrapKey, keys);
  return async (req, res, next) => {
    const principal = await identify(req);
    if (!principal) {
      if (anonymous?.over(req)) {
        res.set('Retry-After', String(anonymous.retryAfterSeconds()));
        throw new StewardError('rate_limited', 'Too many unauthenticated requests from your address; retry after the time in Retry-After.');
      }
      throw new StewardError('unauthorized', 'Send a valid API key as "Authorization: Bearer <key>".');
    }
    req.principal = principal;
    next();
  };
}

/** Route guard: the principal's role must allow `action` (403 otherwise: it reveals nothing about any one integration). */
export function allow(action: Action): RequestHandler {
  return (req, _res, next) => {
    req.action = action;
    // The audit trail keys on what the router matched, not the raw URL (/V1/…, %-encoded ids, trailing slashes).
    req.auditRoute = `${req.baseUrl}${typeof req.route?.path === 'string' ? req.route.path : ''}`.toLowerCase();
    const resolved = req.params?.id ?? req.params?.keyId;
    if (typeof resolved === 'string') req.auditTarget = resolved;
    if (!req.principal) throw new StewardError('unauthorized', 'Authentication required.');
    if (!may(req.principal, action)) throw new StewardError('forbidden', `Your role (${req.principal.role}) may not ${action.replace(':', ' ')}.`);
    next();
  };
}
