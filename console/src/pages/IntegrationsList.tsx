// Settings › Integrations: every integration with its health, filtered by status and tenant, refreshing itself.
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../api';
import { When } from '../format';
import { usePoll } from '../hooks';
import { useApi, useSession } from '../session';
import { PageHeader, SETTINGS_INTEGRATIONS } from '../components/layout';
import { errorResolved, Problem, StatusBadge, TokenExpiry } from '../components/ui';
import { GRANT_LABEL, STATUS_LABEL, STATUSES, type Status } from '../words';

const POLL_MS = 4000;

/** Counts by status and the integration failing longest: what to look at first. */
function HealthSummary() {
  const api = useApi();
  const summary = usePoll((signal) => api.summary(signal), POLL_MS, [api]).data;
  if (!summary || summary.total === 0) return null; // the empty list says it already
  const oldest = summary.oldestUnresolvedFailure;
  return (
    <section className="summary card" aria-label="Health summary" data-testid="summary">
      <ul className="summary-counts">
        <li className="muted">All integrations</li>
        {STATUSES.filter((s) => summary.byStatus[s] > 0).map((s) => (
          <li key={s}>
            <StatusBadge status={s} /> <strong>{summary.byStatus[s]}</strong>
          </li>
        ))}
      </ul>
      {oldest && (
        <p className="summary-oldest">
          Failing longest: <Link to={`/integrations/${oldest.id}`}>{oldest.label}</Link> — {oldest.lastError.code}, since <When iso={oldest.failingSince} />
        </p>
      )}
    </section>
  );
}

export function IntegrationsList() {
  const api = useApi();
  const { can } = useSession();
  // The filters live here and are mirrored into the URL (?status=&tenant=), so a filtered list can be bookmarked.
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState((params.get('status') ?? '') as Status | '');
  const [tenantInput, setTenantInput] = useState(params.get('tenant') ?? '');
  const [tenant, setTenant] = useState(tenantInput.trim());

  // Typing in the tenant box filters after a short pause rather than on every key.
  useEffect(() => {
    const t = setTimeout(() => setTenant(tenantInput.trim()), 350);
    return () => clearTimeout(t);
  }, [tenantInput]);

  useEffect(() => {
    const next = new URLSearchParams();
    if (status) next.set('status', status);
    if (tenant) next.set('tenant', tenant);
    if (next.toString() !== params.toString()) setParams(next, { replace: true });
    // Deliberately partial: the URL follows the filters, not the other way round.
  }, [status, tenant]);

  const list = usePoll((signal) => api.list({ status: status || undefined, tenantId: tenant || undefined }, signal), POLL_MS, [api, status, tenant]);
  const items = list.data?.items ?? null;
  const tenantError = list.error instanceof ApiError && list.error.details.find((d) => d.path === 'tenantId');

  return (
    <PageHeader
      title="Integrations"
      crumbs={[{ label: 'Settings' }, { label: 'Integrations' }]}
      actions={
        can('integration:create') && (
          <Link className="btn btn-primary" to="/integrations/new">
            New Integration
          </Link>
        )
      }
      aside={<p className="page-lead">Connections to your Service Providers, their health and their tokens. This list updates by itself.</p>}
    >
      {can('summary:read') && <HealthSummary />}
      <form className="filters" role="search" aria-label="Filter integrations" onSubmit={(e) => e.preventDefault()}>
        <div className="filter">
          <label htmlFor="filter-status">Status</label>
          <select id="filter-status" className="input" value={status} onChange={(e) => setStatus(e.target.value as Status | '')}>
            <option value="">All statuses</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="filter-tenant">Tenant ID</label>
          <input
            id="filter-tenant"
            className="input"
            placeholder="All tenants"
            value={tenantInput}
            aria-invalid={tenantError ? true : undefined}
            aria-describedby={tenantError ? 'filter-tenant-error' : undefined}
            onChange={(e) => setTenantInput(e.target.value)}
          />
        </div>
        {(status || tenant) && (
          <button
            type="button"
            className="btn btn-quiet"
            onClick={() => {
              setStatus('');
              setTenantInput('');
              setTenant('');
            }}
          >
            Clear filters
          </button>
        )}
        <p className="filters-meta muted" aria-live="off">
          {list.updatedAt && items
            ? `${items.length} ${items.length === 1 ? 'integration' : 'integrations'} · updated ${list.updatedAt.toLocaleTimeString()}`
            : 'Loading…'}
        </p>
      </form>
      {tenantError && (
        <p className="field-error" id="filter-tenant-error">
          Tenant ID {tenantError.message}
        </p>
      )}
      {list.error && !tenantError && <Problem error={list.error} note="Showing the last list received; retrying." />}

      {items && items.length === 0 && (
        <div className="empty card">
          {status || tenant ? (
            <p>No integration matches these filters.</p>
          ) : (
            <>
              <p className="empty-title">No integrations yet</p>
              {can('integration:create') && (
                <>
                  <p>Connect the Marketplace to a Service Provider: choose a connector preset, or Generic for any OAuth 2.0 Provider.</p>
                  <Link className="btn btn-primary" to="/integrations/new">
                    New Integration
                  </Link>
                </>
              )}
            </>
          )}
        </div>
      )}

      {items && items.length > 0 && (
        <div className="table-wrap card">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">Status</th>
                <th scope="col">Tenant</th>
                <th scope="col" className="col-optional">
                  Grant type
                </th>
                <th scope="col">Token expiry</th>
                <th scope="col" className="col-optional">
                  Last refresh
                </th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id} data-integration-id={i.id}>
                  <td>
                    <Link to={`/integrations/${i.id}`} className="row-link">
                      {i.label}
                    </Link>
                  </td>
                  <td>
                    <StatusBadge status={i.status} />
                  </td>
                  <td>{i.tenantId ?? <span className="muted">—</span>}</td>
                  <td className="col-optional">{GRANT_LABEL[i.grantType]}</td>
                  <td>
                    <TokenExpiry integration={i} />
                  </td>
                  <td className="col-optional">
                    <When iso={i.lastRefreshAt} />
                  </td>
                  <td className={`cell-error${errorResolved(i) ? ' resolved' : ''}`}>
                    {i.lastError ? (
                      <span title={i.lastError.message}>
                        <code>{i.lastError.code}</code> <When iso={i.lastError.at} />
                      </span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </PageHeader>
  );
}
