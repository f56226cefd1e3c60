// One integration: live state, configuration (no secrets), lifecycle timeline, and the actions support and admins take.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError, type Connector, type Integration, type LifecycleEvent } from '../api';
import { exactTime, When } from '../format';
import { usePoll } from '../hooks';
import { useApi, useSession } from '../session';
import { PageHeader, SETTINGS_INTEGRATIONS } from '../components/layout';
import { Dialog, errorResolved, Field, Notice, Problem, StatusBadge, TokenExpiry } from '../components/ui';
import { LifetimeStrip } from '../components/charts';
import { AUTH_METHOD_LABEL, GRANT_LABEL, STATUS_LABEL, STATUS_MEANING } from '../words';
import { RevokeDialog } from './RevokeDialog';
import { UpdateCredentialsDialog } from './UpdateCredentialsDialog';

const POLL_MS = 3000;

type Action = 'authorize' | 'refresh' | 'revoke';

export function IntegrationPage() {
  const { id = '' } = useParams();
  const api = useApi();
  const { can } = useSession();
  const readsEvents = can('events:read');
  const location = useLocation();
  const justCreated = (location.state as { created?: boolean } | null)?.created === true;
  const polled = usePoll(
    async (signal) => {
      const [integration, events] = await Promise.all([api.get(id, signal), readsEvents ? api.events(id, signal) : null]);
      return { integration, events: events?.items ?? null, nextCursor: events?.nextCursor ?? null };
    },
    POLL_MS,
    [api, id, readsEvents],
  );
  const [busy, setBusy] = useState<Action | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [done, setDone] = useState<{ kind: 'success' | 'warn'; text: ReactNode } | null>(null);
  const [dialog, setDialog] = useState<'revoke' | 'credentials' | 'owner' | null>(null);
  const history = useOlderEvents(id, polled.data?.nextCursor ?? null);
  const presetId = polled.data?.integration.preset ?? null;
  const connector = useConnector(presetId);

  if (!polled.data) {
    const notFound = polled.error instanceof ApiError && polled.error.status === 404;
    return (
      <PageHeader title={notFound ? 'Integration not found' : 'Loading…'} crumbs={SETTINGS_INTEGRATIONS}>
        {notFound ? (
          <p>
            There is no integration <code>{id}</code>. Back to <Link to="/integrations">Settings › Integrations</Link>.
          </p>
        ) : (
          polled.error && <Problem error={polled.error} note="Retrying…" />
        )}
      </PageHeader>
    );
  }

  const { integration: it } = polled.data;
  const events = polled.data.events ? mergeEvents(polled.data.events, history.older) : null;
  const revoked = it.status === 'revoked';
  // Once consented, a new link is a reconnect: only roles with integration:reconnect (the api enforces the same).
  const canAuthorize =
    !revoked && can('integration:consent') && (it.grantType === 'authorization_code' || it.status === 'awaiting_consent') && (it.status === 'awaiting_consent' || can('integration:reconnect'));
  const everAuthorized = it.lastRefreshAt !== null || it.expiresAt !== null || (events ?? []).some((e) => e.to === 'active');

  async function run(action: Action, work: () => Promise<{ kind: 'success' | 'warn'; text: ReactNode } | void>) {
    setBusy(action);
    setProblem(null);
    setDone(null);
    try {
      const message = await work();
      if (message) setDone(message);
      polled.reload();
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(null);
    }
  }

  const authorize = () =>
    run('authorize', async () => {
      const { authorizationUrl } = await api.authorize(it.id);
      window.location.assign(authorizationUrl);
    });
  const refresh = () =>
    run('refresh', async () => {
      const after = await api.refresh(it.id);
      return after.status === 'active'
        ? { kind: 'success', text: 'Refreshed: the Provider issued a new token.' }
        : { kind: 'warn', text: `The refresh did not succeed; the integration is now ${STATUS_LABEL[after.status]}.` };
    });

  return (
    <PageHeader
      title={it.label}
      crumbs={[...SETTINGS_INTEGRATIONS, { label: it.label }]}
      aside={
        <div className="page-status">
          <StatusBadge status={it.status} />
          <span className="muted">
            {it.preset ? `${connector?.name ?? it.preset} · ` : ''}
            {GRANT_LABEL[it.grantType]}
            {it.tenantId ? ` · tenant ${it.tenantId}` : ''}
          </span>
        </div>
      }
      actions={
        !revoked && (
          <>
            {canAuthorize && (
              <button
                type="button"
                className={`btn ${it.status === 'awaiting_consent' ? 'btn-primary' : 'btn-secondary'}`}
                onClick={authorize}
                disabled={busy !== null}
              >
                {busy === 'authorize' ? 'Opening the Provider…' : everAuthorized ? 'Reconnect' : 'Authorize'}
              </button>
            )}
            {it.status !== 'awaiting_consent' && can('integration:refresh') && (
              <button type="button" className="btn btn-secondary" onClick={refresh} disabled={busy !== null}>
                {busy === 'refresh' ? 'Refreshing…' : 'Refresh now'}
              </button>
            )}
            {can('integration:update') && (
              <button type="button" className="btn btn-secondary" onClick={() => setDialog('credentials')} disabled={busy !== null}>
                Update credentials
              </button>
            )}
            {can('integration:revoke') && (
              <button type="button" className="btn btn-danger" onClick={() => setDialog('revoke')} disabled={busy !== null}>
                {busy === 'revoke' ? 'Revoking…' : 'Revoke'}
              </button>
            )}
          </>
        )
      }
    >
      {justCreated && !done && !problem && <CreatedNotice integration={it} />}
      {done && (
        <Notice kind={done.kind}>
          <p>{done.text}</p>
        </Notice>
      )}
      {problem != null && <Problem error={problem} onDismiss={() => setProblem(null)} />}
      <StatusBanner integration={it} authorizeLabel={canAuthorize ? (everAuthorized ? 'Reconnect' : 'Authorize') : null} />

      <div className="grid-2">
        <section className="card" aria-labelledby="h-state">
          <h2 id="h-state">Live state</h2>
          <dl className="facts">
            <Fact term="Status">
              <StatusBadge status={it.status} />
            </Fact>
            <Fact term="Token expiry">
              <TokenExpiry integration={it} withExact />
            </Fact>
            <Fact term="Last refresh">
              <When iso={it.lastRefreshAt} withExact />
            </Fact>
            <Fact term="Consecutive failures">{it.consecutiveFailures}</Fact>
            <Fact term="Refresh token">{it.hasRefreshToken ? 'held in the vault' : 'none'}</Fact>
            <Fact term="Last error">
              {it.lastError ? (
                <span className={`last-error${errorResolved(it) ? ' resolved' : ''}`}>
                  <code>{it.lastError.code}</code> <When iso={it.lastError.at} />
                  {errorResolved(it) && <span className="tag">resolved since</span>}
                  <br />
                  {it.lastError.message}
                </span>
              ) : (
                <span className="muted">none</span>
              )}
            </Fact>
          </dl>
          <p className="card-foot muted">
            {polled.updatedAt ? `Updated ${polled.updatedAt.toLocaleTimeString()}` : ''}
            {polled.error ? ' · the last update failed, retrying' : ''}
            {it.links.temporalUi && (
              <>
                {' · '}
                <a href={it.links.temporalUi} target="_blank" rel="noopener noreferrer">
                  Open in Temporal UI
                </a>
              </>
            )}
          </p>
        </section>

        <section className="card" aria-labelledby="h-config">
          <h2 id="h-config">Configuration</h2>
          <dl className="facts">
            <Fact term="Connector">
              <span className="connector-fact" data-testid="connector">
                {it.preset ? (connector?.name ?? it.preset) : 'Generic OAuth 2.0'}
                {connector && (
                  <a href={connector.docsUrl} target="_blank" rel="noopener noreferrer">
                    Provider documentation<span aria-hidden="true"> ↗</span>
                  </a>
                )}
              </span>
            </Fact>
            <Fact term="Grant Type">{GRANT_LABEL[it.grantType]}</Fact>
            {it.issuer && (
              <Fact term="Issuer" mono>
                {it.issuer}
              </Fact>
            )}
            <Fact term="Token URL" mono>
              {it.tokenUrl}
            </Fact>
            {it.authorizationUrl && it.grantType !== 'client_credentials' && (
              <Fact term="Authorization URL" mono>
                {it.authorizationUrl}
              </Fact>
            )}
            {it.redirectUri && (
              <Fact term="Redirect URI" mono>
                {it.redirectUri}
              </Fact>
            )}
            {it.grantType === 'authorization_code' && it.authorizationParams && Object.keys(it.authorizationParams).length > 0 && (
              <Fact term="Consent parameters" mono>
                {new URLSearchParams(it.authorizationParams).toString()}
              </Fact>
            )}
            <Fact term="Client ID" mono>
              {it.clientId}
            </Fact>
            <Fact term="Client Secret">
              <span className="muted">{revoked ? 'deleted from the vault at revocation' : 'stored in the secure credential vault; never shown'}</span>
            </Fact>
            <Fact term="Scope" mono>
              {it.scope ?? <span className="muted">—</span>}
            </Fact>
            <Fact term="API Base URL" mono>
              {it.apiBaseUrl}
            </Fact>
            <Fact term="Tenant ID">{it.tenantId ?? <span className="muted">—</span>}</Fact>
            <Fact term="Owner">
              <span className="owner-fact">
                <span data-testid="owner">{it.owner}</span>
                {!revoked && can('integration:transfer') && (
                  <button type="button" className="btn btn-quiet btn-small" onClick={() => setDialog('owner')}>
                    Transfer ownership
                  </button>
                )}
              </span>
            </Fact>
            <Fact term="Revocation URL" mono>
              {it.revocationUrl ?? <span className="muted">none</span>}
            </Fact>
            <Fact term="Token authentication">{AUTH_METHOD_LABEL[it.tokenAuthMethod]}</Fact>
            <Fact term="Created">
              <time dateTime={it.createdAt}>{exactTime(it.createdAt)}</time>
            </Fact>
            <Fact term="Integration ID" mono>
              {it.id}
            </Fact>
          </dl>
        </section>
      </div>

      {events && <LifetimeStrip events={events} expiresAt={it.expiresAt} />}

      <section className="card" aria-labelledby="h-timeline">
        <h2 id="h-timeline">Timeline</h2>
        {events ? <Timeline events={events} /> : <p className="muted">Your role does not include the lifecycle history.</p>}
        {events && (
          <div className="paging">
            {history.error != null && <Problem error={history.error} />}
            {history.cursor ? (
              <button type="button" className="btn btn-secondary" onClick={history.loadOlder} disabled={history.loading}>
                {history.loading ? 'Loading…' : 'Load older events'}
              </button>
            ) : (
              <span className="muted" data-testid="timeline-end">
                {events.length} events: the whole history.
              </span>
            )}
          </div>
        )}
      </section>

      <TransferOwnerDialog
        open={dialog === 'owner'}
        integration={it}
        onClose={() => setDialog(null)}
        onTransferred={(after) => {
          setDialog(null);
          setProblem(null);
          setDone({ kind: 'success', text: `Ownership transferred: ${after.owner} now owns this integration.` });
          polled.reload();
        }}
      />

      <RevokeDialog
        open={dialog === 'revoke'}
        integration={it}
        onClose={() => setDialog(null)}
        onConfirm={() => {
          setDialog(null);
          void run('revoke', async () => {
            const after = await api.revoke(it.id);
            // Once revoked, the status banner says what stopped and what remains.
            return after.status === 'revoked' ? undefined : { kind: 'success', text: 'Revocation is in progress; this page updates when it is done.' };
          });
        }}
      />
      <UpdateCredentialsDialog
        open={dialog === 'credentials'}
        integration={it}
        onClose={() => setDialog(null)}
        onSaved={() => {
          setDialog(null);
          setProblem(null);
          setDone({ kind: 'success', text: 'Credentials updated: the Provider accepted them and issued a new token.' });
          polled.reload();
        }}
      />
    </PageHeader>
  );
}

/** The preset an integration was created from, for its name and documentation link (null: Generic, or not loaded yet). */
function useConnector(id: string | null): Connector | null {
  const api = useApi();
  const [connector, setConnector] = useState<Connector | null>(null);
  useEffect(() => {
    setConnector(null);
    if (!id) return;
    const controller = new AbortController();
    api.connector(id, controller.signal).then(
      (c) => !controller.signal.aborted && setConnector(c),
      () => undefined, // the preset id stands in for its name
    );
    return () => controller.abort();
  }, [api, id]);
  return connector;
}

function Fact({ term, children, mono }: { term: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="fact">
      <dt>{term}</dt>
      <dd className={mono ? 'mono wrap' : undefined}>{children}</dd>
    </div>
  );
}

function CreatedNotice({ integration }: { integration: Integration }) {
  if (integration.status === 'awaiting_consent') return null; // the banner below says what to do next
  return (
    <Notice kind="success" title="Integration created">
      <p>The Provider issued a token. The Client Secret and tokens are stored in the secure credential vault, and the token is renewed automatically before it expires.</p>
    </Notice>
  );
}

/** What the status means for a person, when it asks something of them. */
function StatusBanner({ integration: it, authorizeLabel }: { integration: Integration; authorizeLabel: string | null }) {
  switch (it.status) {
    case 'awaiting_consent':
      return (
        <Notice kind="warn" title="Waiting for consent">
          <p>
            {STATUS_MEANING.awaiting_consent}{' '}
            {authorizeLabel ? (
              <>
                Choose <strong>{authorizeLabel}</strong>: you will sign in at the Provider, approve access, and come back here.
              </>
            ) : (
              'Your role cannot start the consent: ask an admin or support.'
            )}{' '}
            Until then, services get no token.
          </p>
        </Notice>
      );
    case 'disconnected':
      return (
        <Notice kind="warn" title="Disconnected">
          <p>{STATUS_MEANING.disconnected} Services get no token until then.</p>
        </Notice>
      );
    case 'degraded':
      return (
        <Notice kind="warn" title="Degraded">
          <p>{STATUS_MEANING.degraded}</p>
        </Notice>
      );
    case 'revoked':
      return (
        <Notice kind="info" title="Revoked">
          <p>
            Token serving and automatic refresh have stopped{it.revocationUrl ? ' and the tokens were revoked at the Provider' : ''}. The configuration and history
            remain readable here. To connect this Provider again, an admin creates a new integration.
          </p>
        </Notice>
      );
    default:
      return null;
  }
}

/** The polled first page plus the older pages loaded, without duplicates, newest first. */
function mergeEvents(first: LifecycleEvent[], older: LifecycleEvent[]): LifecycleEvent[] {
  const seen = new Set(first.map((e) => e.seq));
  return [...first, ...older.filter((e) => !seen.has(e.seq))].sort((a, b) => b.seq - a.seq);
}

/** Pages back through the whole history on demand, from the cursor the first (polled) page ended at. */
function useOlderEvents(id: string, firstCursor: string | null) {
  const api = useApi();
  const [older, setOlder] = useState<LifecycleEvent[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setOlder([]);
    setCursor(undefined);
  }, [id]);
  const current = cursor === undefined ? firstCursor : cursor;
  const loadOlder = async () => {
    if (!current) return;
    setLoading(true);
    setError(null);
    try {
      const page = await api.events(id, undefined, current, 500);
      setOlder((o) => [...o, ...page.items]);
      setCursor(page.nextCursor ?? null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };
  return { older, cursor: current, loading, error, loadOlder };
}

function TransferOwnerDialog(props: { open: boolean; integration: Integration; onClose: () => void; onTransferred: (after: Integration) => void }) {
  const api = useApi();
  const [owner, setOwner] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    if (props.open) {
      setOwner('');
      setProblem(null);
    }
  }, [props.open]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      props.onTransferred(await api.transferOwner(props.integration.id, owner.trim()));
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  const ownerError = problem instanceof ApiError ? problem.details.find((d) => d.path === 'owner')?.message : undefined;
  return (
    <Dialog open={props.open} title="Transfer ownership" onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <div className="dialog-body">
          <p>
            The owner is who is paged and billed for “{props.integration.label}”. Now: <strong>{props.integration.owner}</strong>. The transfer is recorded in the
            audit trail; nothing else about the integration changes.
          </p>
          {problem != null && !ownerError && <Problem error={problem} />}
          <Field name="owner" label="New owner" error={ownerError} help="A key id, a team or a tenant id.">
            {(p) => <input {...p} className="input" value={owner} autoFocus onChange={(e) => setOwner(e.target.value)} />}
          </Field>
        </div>
        <div className="dialog-actions">
          <button type="button" className="btn btn-secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || owner.trim() === ''}>
            {busy ? 'Transferring…' : 'Transfer'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function Timeline({ events }: { events: LifecycleEvent[] }) {
  if (events.length === 0) return <p className="muted">No lifecycle events yet.</p>;
  const newestFirst = events;
  return (
    // A long history scrolls inside its own box (focusable, so the keyboard scrolls it too).
    <ol className="timeline timeline-scroll" aria-label="Lifecycle events, newest first" tabIndex={0}>
      {newestFirst.map((e) => (
        <li key={e.seq} className="timeline-item" data-to={e.to}>
          <div className="timeline-when">
            <time dateTime={e.at}>{exactTime(e.at)}</time>
          </div>
          <div className="timeline-what">
            {e.from ? (
              <>
                <StatusBadge status={e.from} /> <span aria-label="to">→</span> <StatusBadge status={e.to} />
              </>
            ) : (
              <StatusBadge status={e.to} />
            )}
            <span className="timeline-reason">{e.reason}</span>
            <span className="muted timeline-actor">by {e.actor}</span>
          </div>
        </li>
      ))}
    </ol>
  );
}
