// Fleet health (the landing page for admins and support): counts, pictures over time, and the integrations that need a person.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Integration } from '../api';
import { When } from '../format';
import { usePoll } from '../hooks';
import { useApi, useSession } from '../session';
import { PageHeader } from '../components/layout';
import { ExpiryTimeline, RefreshOutcomes, StatusOverTime } from '../components/charts';
import { CopyValue, Problem, StatusBadge } from '../components/ui';
import { STATUSES } from '../words';

const POLL_MS = 5000;
const RANGES = [
  { hours: 0.25, label: 'Last 15 minutes' },
  { hours: 1, label: 'Last hour' },
  { hours: 24, label: 'Last 24 hours' },
  { hours: 168, label: 'Last 7 days' },
];

export function FleetHealth() {
  const api = useApi();
  const navigate = useNavigate();
  const [hours, setHours] = useState(24);
  const fleet = usePoll((signal) => api.fleet(hours, signal), POLL_MS, [api, hours]);
  const summary = usePoll((signal) => api.summary(signal), POLL_MS, [api]);
  const attention = usePoll(
    async (signal) => {
      const [degraded, consent] = await Promise.all([api.list({ status: 'degraded' }, signal), api.list({ status: 'awaiting_consent' }, signal)]);
      return { degraded: degraded.items, consent: consent.items };
    },
    POLL_MS,
    [api],
  );
  const error = fleet.error ?? summary.error ?? attention.error;
  const s = summary.data;
  const oldest = s?.oldestUnresolvedFailure ?? null;
  const now = fleet.data ? Date.parse(fleet.data.generatedAt) : Date.now();

  return (
    <PageHeader
      title="Fleet health"
      crumbs={[]}
      aside={<p className="page-lead">How every integration you can see is doing, and which ones need a person. This page updates by itself.</p>}
      actions={
        <div className="filter filter-inline">
          <label htmlFor="fleet-range">Period</label>
          <select id="fleet-range" className="input" value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            {RANGES.map((r) => (
              <option key={r.hours} value={r.hours}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
      }
    >
      {error && <Problem error={error} note="Showing the last data received; retrying." />}
      {s && (
        <section className="summary card" aria-label="Integrations by status now" data-testid="summary">
          <ul className="summary-counts">
            <li className="muted">{s.total} integrations</li>
            {STATUSES.filter((st) => s.byStatus[st] > 0).map((st) => (
              <li key={st}>
                <Link to={`/integrations?status=${st}`} className="summary-link">
                  <StatusBadge status={st} /> <strong>{s.byStatus[st]}</strong>
                </Link>
              </li>
            ))}
          </ul>
          <p className="summary-oldest" data-testid="oldest-failure">
            {oldest ? (
              <>
                Oldest unresolved failure: <Link to={`/integrations/${oldest.id}`}>{oldest.label}</Link> — <code>{oldest.lastError.code}</code>, failing since{' '}
                <When iso={oldest.failingSince} withExact />
              </>
            ) : (
              <span className="muted">No unresolved failure.</span>
            )}
          </p>
        </section>
      )}

      {fleet.data ? (
        <>
          <StatusOverTime points={fleet.data.statusHistory} />
          <ExpiryTimeline items={fleet.data.upcomingExpiries} fromMs={now} toMs={now + hours * 3_600_000} onOpen={(id) => navigate(`/integrations/${id}`)} />
          <RefreshOutcomes rows={fleet.data.refreshOutcomes} hours={hours} />
        </>
      ) : (
        !error && (
          <p className="muted" role="status">
            Loading the pictures…
          </p>
        )
      )}

      {attention.data && <NeedsAttention degraded={attention.data.degraded} consent={attention.data.consent} onDone={attention.reload} />}
    </PageHeader>
  );
}

/** Degraded and awaiting-consent integrations, each with the one action that helps. */
function NeedsAttention({ degraded, consent, onDone }: { degraded: Integration[]; consent: Integration[]; onDone: () => void }) {
  const api = useApi();
  const { can } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [links, setLinks] = useState<Record<string, string>>({});
  const [refreshed, setRefreshed] = useState<Record<string, string>>({});

  const act = async (id: string, work: () => Promise<void>) => {
    setBusy(id);
    setProblem(null);
    try {
      await work();
      onDone();
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="grid-charts">
      <section className="card" aria-labelledby="h-degraded" data-testid="degraded-list">
        <h2 id="h-degraded">Degraded ({degraded.length})</h2>
        {problem != null && <Problem error={problem} onDismiss={() => setProblem(null)} />}
        {degraded.length === 0 ? (
          <p className="muted">None: every refresh that should have succeeded did.</p>
        ) : (
          <ul className="attention-list">
            {degraded.map((i) => (
              <li key={i.id} data-integration-id={i.id}>
                <div>
                  <Link to={`/integrations/${i.id}`} className="row-link">
                    {i.label}
                  </Link>
                  <div className="muted attention-meta">
                    {i.lastError ? <code>{i.lastError.code}</code> : null} · {i.consecutiveFailures} failures{i.tenantId ? ` · tenant ${i.tenantId}` : ''}
                    {refreshed[i.id] ? ` · ${refreshed[i.id]}` : ''}
                  </div>
                </div>
                {can('integration:refresh') && (
                  <button
                    type="button"
                    className="btn btn-secondary btn-small"
                    disabled={busy !== null}
                    onClick={() =>
                      act(i.id, async () => {
                        const after = await api.refresh(i.id);
                        setRefreshed((r) => ({ ...r, [i.id]: after.status === 'active' ? 'refreshed: active again' : `still ${after.status.replace('_', ' ')}` }));
                      })
                    }
                  >
                    {busy === i.id ? 'Refreshing…' : 'Refresh now'}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="h-consent" data-testid="consent-list">
        <h2 id="h-consent">Awaiting consent ({consent.length})</h2>
        {consent.length === 0 ? (
          <p className="muted">None: no integration waits for a person to authorize it.</p>
        ) : (
          <ul className="attention-list">
            {consent.map((i) => (
              <li key={i.id} data-integration-id={i.id}>
                <div className="attention-main">
                  <Link to={`/integrations/${i.id}`} className="row-link">
                    {i.label}
                  </Link>
                  <div className="muted attention-meta">
                    since <When iso={i.failingSince ?? i.updatedAt} />
                    {i.tenantId ? ` · tenant ${i.tenantId}` : ''}
                  </div>
                  {links[i.id] && (
                    <div className="attention-link">
                      <p className="field-help">Send this one-time link to the person who authorizes at the Provider:</p>
                      <CopyValue value={links[i.id]} id={`consent-link-${i.id}`} />
                    </div>
                  )}
                </div>
                {can('integration:consent') && !links[i.id] && (
                  <button
                    type="button"
                    className="btn btn-secondary btn-small"
                    disabled={busy !== null}
                    onClick={() =>
                      act(i.id, async () => {
                        const { authorizationUrl } = await api.authorize(i.id);
                        setLinks((l) => ({ ...l, [i.id]: authorizationUrl }));
                      })
                    }
                  >
                    {busy === i.id ? 'Creating…' : 'Get consent link'}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
