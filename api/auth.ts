// Who is calling and what they may do: bearer-key authentication, the role → action matrix, and tenant visibility.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
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
  | 'integration:transfer'
  | 'events:read'
  | 'token:read'
  | 'token:report'
  | 'summary:read'
  | 'webhook:manage'
  | 'key:manage'
  | 'audit:read'
  | 'codec:decode';

/** The one table of what each role may do. Tenant confinement is separate (see canSee). */
export const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  admin: [
    'integration:read', 'integration:create', 'integration:update', 'integration:refresh', 'integration:revoke', 'integration:consent',
    'integration:transfer', 'events:read', 'token:read', 'token:report', 'summary:read', 'webhook:manage', 'key:manage', 'audit:read', 'codec:decode',
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
  }
}

export function may(principal: Principal, action: Action): boolean {
  if (action === 'token:read' && principal.role === 'agency') return principal.canReadTokens;
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

export function authenticate(adminKey: string, keys: KeyStore): RequestHandler {
  const bootstrap = digest(adminKey);
  return async (req, _res, next) => {
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(req.headers.authorization ?? '');
    const presented = match?.[1];
    const principal = !presented ? null : timingSafeEqual(digest(presented), bootstrap) ? BOOTSTRAP_ADMIN : await keys.authenticate(presented);
    if (!principal) throw new StewardError('unauthorized', 'Send a valid API key as "Authorization: Bearer <key>".');
    req.principal = principal;
    next();
  };
}

/** Route guard: the principal's role must allow `action` (403 otherwise: it reveals nothing about any one integration). */
export function allow(action: Action): RequestHandler {
  return (req, _res, next) => {
    req.action = action;
    if (!req.principal) throw new StewardError('unauthorized', 'Authentication required.');
    if (!may(req.principal, action)) throw new StewardError('forbidden', `Your role (${req.principal.role}) may not ${action.replace(':', ' ')}.`);
    next();
  };
}
