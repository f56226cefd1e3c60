// The public shape of an integration: configuration and live state, never a secret or a vault pointer.
import type { IntegrationRecord } from '../lib/registry';
import { workflowIdFor, type LastError } from '../workflows/model';
import { revokesReplacedGrant } from '../lib/replacedGrantRule';

/**
 * The last error as a viewer may see it: roles that may not see credentials or history (finance) get the code only,
 * never the provider's own text, which is the part a hostile or careless provider controls.
 */
export function presentLastError(lastError: LastError | null, providerText: boolean): LastError | null {
  if (!lastError || providerText) return lastError;
  return { code: lastError.code, message: `Failed with ${lastError.code}.`, at: lastError.at };
}

/** Configuration and live state; a field a stored document lacks is answered as null, as the contract says. */
export function presentIntegration(r: IntegrationRecord, temporalUi: { url?: string; namespace: string }, opts: { providerText: boolean } = { providerText: true }) {
  const workflowId = workflowIdFor(r.id);
  return {
    id: r.id,
    label: r.label,
    grantType: r.grantType,
    tokenUrl: r.tokenUrl,
    clientId: r.clientId,
    scope: r.scope ?? null,
    apiBaseUrl: r.apiBaseUrl,
    tenantId: r.tenantId ?? null,
    revocationUrl: r.revocationUrl ?? null,
    tokenAuthMethod: r.tokenAuthMethod,
    clientAssertionAlg: r.clientAssertionAlg ?? null,
    clientKeyId: r.clientKeyId ?? null,
    clientCertificateThumbprint: r.clientCertificateThumbprint ?? null,
    assertionSubject: r.assertionSubject ?? null,
    assertionAudience: r.assertionAudience ?? null,
    dpop: r.dpop ?? false,
    authorizationUrl: r.authorizationUrl ?? null,
    redirectUri: r.redirectUri ?? null,
    owner: r.owner,
    preset: r.preset ?? null,
    issuer: r.issuer ?? null,
    issRequired: r.issRequired ?? false,
    authorizationParams: r.authorizationParams ?? {},
    revokeReplacedGrant: revokesReplacedGrant({ preset: r.preset ?? null, revokeReplacedGrant: r.revokeReplacedGrant }),
    status: r.state.status,
    expiresAt: r.state.expiresAt ?? null,
    lastRefreshAt: r.state.lastRefreshAt ?? null,
    lastError: presentLastError(r.state.lastError ?? null, opts.providerText),
    failingSince: r.state.failingSince ?? null,
    consecutiveFailures: r.state.consecutiveFailures,
    hasRefreshToken: r.state.hasRefreshToken,
    refreshDueAt: r.state.refreshDueAt ?? null,
    refreshWarning: r.state.refreshWarning ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    workflowId,
    links: {
      self: `/v1/integrations/${r.id}`,
      token: `/v1/integrations/${r.id}/token`,
      events: `/v1/integrations/${r.id}/events`,
      ...(temporalUi.url ? { temporalUi: `${temporalUi.url}/namespaces/${temporalUi.namespace}/workflows/${workflowId}` } : {}),
    },
  };
}

/** A workflow task attempted this many times in a row is failing, not merely retried after a worker restart. */
export const FAILING_TASK_ATTEMPTS = 3;

/**
 * The single-integration view with its workflow's health: while the workflow's task keeps failing nothing refreshes,
 * so an integration whose projection says `active` is shown `degraded`, with the attempt count.
 */
export function withWorkflowHealth(view: ReturnType<typeof presentIntegration>, taskAttempts: number | null) {
  if (taskAttempts === null || taskAttempts < FAILING_TASK_ATTEMPTS) return { ...view, workflowTaskFailing: null };
  return {
    ...view,
    status: view.status === 'active' ? ('degraded' as const) : view.status,
    workflowTaskFailing: { attempts: taskAttempts },
  };
}
