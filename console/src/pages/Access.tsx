// Settings › Access (admins): API keys — who holds what rights, create one (shown once), revoke one at once.
import { useState, type FormEvent } from 'react';
import { ApiError, type ApiKey } from '../api';
import { When } from '../format';
import { usePoll } from '../hooks';
import { useApi, useSession } from '../session';
import { PageHeader } from '../components/layout';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyValue, Field, Notice, Problem } from '../components/ui';

const ROLES = ['admin', 'support', 'finance', 'agency', 'service'] as const;
type Role = (typeof ROLES)[number];

const ROLE_MEANING: Record<Role, string> = {
  admin: 'Everything: integrations, keys, webhooks, audit trail. Not confined to tenants.',
  support: 'Sees health and history, refreshes, sends consent links. No credentials.',
  finance: 'Reads connection status and reports. Never credentials or history.',
  agency: 'Manages the integrations of its tenants only; reads tokens only if granted.',
  service: 'Reads the current access token of the integrations it is granted. No console.',
};

const splitList = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);

function keyState(k: ApiKey, now: number): 'live' | 'revoked' | 'expired' {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && Date.parse(k.expiresAt) <= now) return 'expired';
  return 'live';
}

/** What the key may do with tokens, in one phrase. */
function tokenRights(k: ApiKey): string {
  if (k.role === 'admin') return 'reads tokens';
  if (k.role === 'service') return 'reads tokens of its grants';
  if (k.role === 'agency') return k.canReadTokens ? 'reads tokens (granted)' : 'no tokens';
  return 'no tokens';
}

/** What stops when a key is revoked, for the confirmation. */
function whatStops(k: ApiKey): string[] {
  const scope = k.tenants ? ` in tenant${k.tenants.length === 1 ? '' : 's'} ${k.tenants.join(', ')}` : '';
  const lines = ['Every request made with this key is refused from now on (each api instance notices within a second).'];
  if (k.role === 'service' || (k.role === 'agency' && k.canReadTokens) || k.role === 'admin') {
    lines.push(`Services using it stop getting access tokens${k.integrations ? ` for ${k.integrations.length} integration${k.integrations.length === 1 ? '' : 's'}` : scope}.`);
  }
  if (k.role !== 'service') lines.push('Anyone signed in to this console with it is signed out at their next action.');
  lines.push('Integrations it created keep running; the audit trail keeps its entries.');
  return lines;
}

export function Access() {
  const api = useApi();
  const { me } = useSession();
  const keys = usePoll((signal) => api.keys(signal), 10_000, [api]);
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const now = Date.now();

  const revoke = async (k: ApiKey) => {
    setRevoking(null);
    setProblem(null);
    try {
      await api.revokeKey(k.id);
      setDone(`Revoked “${k.name}”: it no longer works.`);
      keys.reload();
    } catch (err) {
      setProblem(err);
    }
  };

  return (
    <PageHeader
      title="Access"
      crumbs={[{ label: 'Settings' }, { label: 'Access' }]}
      aside={<p className="page-lead">API keys for people and services. A key is shown once, when it is created; Steward keeps only its hash.</p>}
    >
      {created && (
        <Notice kind="success" title={`Key “${created.name}” created`}>
          <p>
            <strong>Copy it now: you will not see this key again.</strong> Steward stores only a hash of it; if it is lost, revoke it and create another.
          </p>
          <CopyValue value={created.key} id="new-key-value" />
          <p>
            <button type="button" className="btn btn-quiet btn-small" onClick={() => setCreated(null)}>
              I have stored it — hide the key
            </button>
          </p>
        </Notice>
      )}
      {done && (
        <Notice kind="success">
          <p>{done}</p>
        </Notice>
      )}
      {problem != null && <Problem error={problem} onDismiss={() => setProblem(null)} />}

      <CreateKeyForm
        onCreated={(k) => {
          setDone(null);
          setCreated(k);
          keys.reload();
        }}
      />

      <section className="table-wrap card" aria-labelledby="h-keys">
        <h2 id="h-keys" className="table-title">
          API keys
        </h2>
        {keys.error && <Problem error={keys.error} />}
        {keys.data && (
          <table className="table" data-testid="keys-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Tenants / integrations</th>
                <th scope="col">Tokens</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Created by</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((k) => {
                const state = keyState(k, now);
                return (
                  <tr key={k.id} data-key-id={k.id} data-state={state}>
                    <td>
                      <strong>{k.name}</strong>
                      <div className="muted mono small">{k.id}</div>
                    </td>
                    <td>{k.role}</td>
                    <td className="wrap">
                      {k.tenants ? `tenants: ${k.tenants.join(', ')}` : k.role === 'service' ? '' : 'all tenants'}
                      {k.integrations ? <div className="mono small">{k.integrations.join(', ')}</div> : null}
                    </td>
                    <td>{tokenRights(k)}</td>
                    <td>{state === 'revoked' ? <span className="tag">revoked</span> : k.expiresAt ? <When iso={k.expiresAt} expiry /> : <span className="muted">never</span>}</td>
                    <td>{k.lastUsedAt ? <When iso={k.lastUsedAt} /> : <span className="muted">never</span>}</td>
                    <td>{k.createdBy}</td>
                    <td>
                      {state === 'live' && (
                        <button type="button" className="btn btn-danger btn-small" onClick={() => setRevoking(k)} disabled={k.id === me?.id}>
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <ConfirmDialog
        open={revoking !== null}
        title={revoking ? `Revoke the key “${revoking.name}”?` : ''}
        confirmLabel="Revoke key"
        onClose={() => setRevoking(null)}
        onConfirm={() => revoking && void revoke(revoking)}
      >
        {revoking && (
          <>
            <h3>What stops, at once</h3>
            <ul>
              {whatStops(revoking).map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
            <h3>Cannot be undone</h3>
            <ul>
              <li>A revoked key never works again. Create a new key if its holder still needs access.</li>
            </ul>
          </>
        )}
      </ConfirmDialog>
    </PageHeader>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (k: ApiKey & { key: string }) => void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('support');
  const [tenants, setTenants] = useState('');
  const [integrations, setIntegrations] = useState('');
  const [canReadTokens, setCanReadTokens] = useState(false);
  const [expires, setExpires] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const fieldError = (path: string) => (problem instanceof ApiError ? problem.details.find((d) => d.path === path)?.message : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const body: Record<string, unknown> = { name, role };
      if (splitList(tenants).length) body.tenants = splitList(tenants);
      if (splitList(integrations).length) body.integrations = splitList(integrations);
      if (role === 'agency') body.canReadTokens = canReadTokens;
      if (expires) body.expiresAt = new Date(`${expires}T23:59:59`).toISOString();
      const created = await api.createKey(body);
      setName('');
      setTenants('');
      setIntegrations('');
      setExpires('');
      onCreated(created);
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="card create-card">
      <summary className="create-summary">Create an API key</summary>
      <form onSubmit={submit} noValidate className="create-form">
        {problem != null && <Problem error={problem} />}
        <div className="form-row">
          <Field name="name" label="Name" error={fieldError('name')} help="Who or what holds the key, e.g. “Billing service” or “Ana (support)”.">
            {(p) => <input {...p} className="input" value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field name="role" label="Role" error={fieldError('role')} help={ROLE_MEANING[role]}>
            {(p) => (
              <select {...p} className="input" value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="form-row">
          {role !== 'admin' && (
            <Field
              name="tenants"
              label="Tenants"
              optional={role !== 'agency'}
              error={fieldError('tenants')}
              help="Tenant IDs, separated by commas. The key sees only integrations in these tenants; empty: every tenant."
            >
              {(p) => <input {...p} className="input" value={tenants} onChange={(e) => setTenants(e.target.value)} />}
            </Field>
          )}
          {role === 'service' && (
            <Field name="integrations" label="Integrations" optional error={fieldError('integrations')} help="Integration IDs (int_…) whose tokens this service may read.">
              {(p) => <input {...p} className="input mono" value={integrations} onChange={(e) => setIntegrations(e.target.value)} />}
            </Field>
          )}
          <Field name="expiresAt" label="Expires" optional error={fieldError('expiresAt')} help="The key stops working at the end of this day; empty: never.">
            {(p) => <input {...p} type="date" className="input" value={expires} onChange={(e) => setExpires(e.target.value)} />}
          </Field>
        </div>
        {role === 'agency' && (
          <label className="check">
            <input type="checkbox" checked={canReadTokens} onChange={(e) => setCanReadTokens(e.target.checked)} /> May read access tokens of its tenants’ integrations
          </label>
        )}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create key'}
          </button>
        </div>
      </form>
    </details>
  );
}
