// Settings › Audit trail (admins): every change, consent and denied attempt, newest first, filtered and paged; token reads
// and rate-limited requests as counts per minute. The trail holds no secrets (the API never writes them there).
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { AuditEntry, AuditFilter, MinuteCount } from '../api';
import { exactTime } from '../format';
import { usePoll } from '../hooks';
import { useApi } from '../session';
import { PageHeader } from '../components/layout';
import { Problem } from '../components/ui';

type View = 'entries' | 'token-reads' | 'rate-limited';
const VIEWS: { id: View; label: string }[] = [
  { id: 'entries', label: 'Changes and denials' },
  { id: 'token-reads', label: 'Token reads per minute' },
  { id: 'rate-limited', label: 'Rate limited per minute' },
];
const FILTER_FIELDS: { name: keyof AuditFilter; label: string; type?: string; placeholder?: string }[] = [
  { name: 'principalId', label: 'Who (key id)', placeholder: 'any' },
  { name: 'action', label: 'Action', placeholder: 'e.g. integration:revoke' },
  { name: 'target', label: 'Integration or key id', placeholder: 'any' },
  { name: 'tenantId', label: 'Tenant', placeholder: 'any' },
  { name: 'from', label: 'From', type: 'datetime-local' },
  { name: 'to', label: 'To', type: 'datetime-local' },
];

/** datetime-local (local time, no zone) → ISO for the API. */
const toIso = (local: string | undefined) => (local ? new Date(local).toISOString() : undefined);

export function Audit() {
  const [params, setParams] = useSearchParams();
  const view = (params.get('view') as View | null) ?? 'entries';
  return (
    <PageHeader
      title="Audit trail"
      crumbs={[{ label: 'Settings' }, { label: 'Audit trail' }]}
      aside={<p className="page-lead">Who did what, when, from where, and whether it was allowed. Newest first.</p>}
    >
      <div className="tabs" role="tablist" aria-label="Audit views">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            role="tab"
            aria-selected={view === v.id}
            className={`tab${view === v.id ? ' tab-selected' : ''}`}
            onClick={() => setParams(v.id === 'entries' ? {} : { view: v.id }, { replace: true })}
          >
            {v.label}
          </button>
        ))}
      </div>
      <div role="tabpanel">{view === 'entries' ? <Entries /> : <Counted kind={view} />}</div>
    </PageHeader>
  );
}

function Entries() {
  const api = useApi();
  const [draft, setDraft] = useState<AuditFilter>({});
  const [filter, setFilter] = useState<AuditFilter>({});
  const [outcome, setOutcome] = useState('');
  const [older, setOlder] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<unknown>(null);
  const query: AuditFilter = { ...filter, outcome: outcome || undefined, from: toIso(filter.from), to: toIso(filter.to) };
  const key = JSON.stringify(query);
  // The first page keeps itself current; older pages are fetched on demand and appended.
  const first = usePoll((signal) => api.audit(query, null, signal), 5000, [api, key]);
  useEffect(() => {
    setOlder([]);
    setCursor(null);
  }, [key]);
  const nextCursor = older.length ? cursor : (first.data?.nextCursor ?? null);
  const rows = [...(first.data?.items ?? []), ...older.filter((o) => !(first.data?.items ?? []).some((f) => f.id === o.id))];

  const loadOlder = async () => {
    if (!nextCursor) return;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const page = await api.audit(query, nextCursor);
      setOlder((o) => [...o, ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      setOlderError(err);
    } finally {
      setLoadingOlder(false);
    }
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter(Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, typeof v === 'string' ? v.trim() || undefined : v])));
  };

  return (
    <>
      <form className="filters" role="search" aria-label="Filter the audit trail" onSubmit={apply}>
        {FILTER_FIELDS.map((f) => (
          <div className="filter" key={f.name}>
            <label htmlFor={`audit-${f.name}`}>{f.label}</label>
            <input
              id={`audit-${f.name}`}
              className="input"
              type={f.type ?? 'text'}
              placeholder={f.placeholder}
              value={draft[f.name] ?? ''}
              onChange={(e) => setDraft((d) => ({ ...d, [f.name]: e.target.value }))}
            />
          </div>
        ))}
        <div className="filter">
          <label htmlFor="audit-outcome">Outcome</label>
          <select id="audit-outcome" className="input" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="">any</option>
            <option value="succeeded">succeeded</option>
            <option value="denied">denied</option>
            <option value="failed">failed</option>
          </select>
        </div>
        <button type="submit" className="btn btn-secondary">
          Apply filters
        </button>
        {Object.values(filter).some(Boolean) && (
          <button
            type="button"
            className="btn btn-quiet"
            onClick={() => {
              setDraft({});
              setFilter({});
            }}
          >
            Clear filters
          </button>
        )}
      </form>
      {first.error && <Problem error={first.error} />}
      {first.data && rows.length === 0 && (
        <div className="empty card">
          <p>No audit entry matches.</p>
        </div>
      )}
      {rows.length > 0 && (
        <div className="table-wrap card">
          <table className="table table-compact" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
                <th scope="col" className="col-optional">
                  From
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-outcome={r.outcome} data-action={r.action}>
                  <td>
                    <time dateTime={r.at}>{exactTime(r.at)}</time>
                  </td>
                  <td>
                    <span className="mono">{r.principalId}</span> <span className="muted">({r.role})</span>
                  </td>
                  <td>
                    <code>{r.action}</code>
                    <div className="muted small mono wrap">
                      {r.method} {r.path}
                    </div>
                  </td>
                  <td className="mono">{r.target?.startsWith('int_') ? <Link to={`/integrations/${r.target}`}>{r.target}</Link> : (r.target ?? '—')}</td>
                  <td>
                    <span className={`outcome outcome-${r.outcome}`}>{r.outcome}</span> <span className="muted">{r.status}</span>
                  </td>
                  <td className="col-optional mono">{r.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {olderError != null && <Problem error={olderError} />}
      <p className="paging">
        {nextCursor ? (
          <button type="button" className="btn btn-secondary" onClick={loadOlder} disabled={loadingOlder}>
            {loadingOlder ? 'Loading…' : 'Load older entries'}
          </button>
        ) : (
          first.data && rows.length > 0 && <span className="muted">That is the whole trail for these filters ({rows.length} entries).</span>
        )}
      </p>
    </>
  );
}

function Counted({ kind }: { kind: 'token-reads' | 'rate-limited' }) {
  const api = useApi();
  const [who, setWho] = useState('');
  const [applied, setApplied] = useState('');
  const counted = usePoll((signal) => api.counted(kind, applied || undefined, signal), 10_000, [api, kind, applied]);
  const items: MinuteCount[] = counted.data?.items ?? [];
  return (
    <>
      <form
        className="filters"
        role="search"
        aria-label="Filter the counts"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(who.trim());
        }}
      >
        <div className="filter">
          <label htmlFor="counted-who">Who (key id or address:…)</label>
          <input id="counted-who" className="input" value={who} placeholder="any" onChange={(e) => setWho(e.target.value)} />
        </div>
        <button type="submit" className="btn btn-secondary">
          Apply filters
        </button>
      </form>
      {counted.error && <Problem error={counted.error} />}
      {counted.data && items.length === 0 && (
        <div className="empty card">
          <p>{kind === 'token-reads' ? 'No token was read.' : 'No request was rate limited.'}</p>
        </div>
      )}
      {items.length > 0 && (
        <div className="table-wrap card">
          <table className="table table-compact" data-testid="counted-table">
            <thead>
              <tr>
                <th scope="col">Minute</th>
                <th scope="col">Who</th>
                <th scope="col">{kind === 'token-reads' ? 'Integration' : 'Route'}</th>
                <th scope="col">Requests</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={`${c.minute}|${c.principalId}|${c.target}`}>
                  <td>
                    <time dateTime={c.minute}>{exactTime(c.minute)}</time>
                  </td>
                  <td className="mono">{c.principalId}</td>
                  <td className="mono">{c.target.startsWith('int_') ? <Link to={`/integrations/${c.target}`}>{c.target}</Link> : c.target}</td>
                  <td>{c.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
