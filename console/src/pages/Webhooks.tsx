// Settings › Webhooks (admins): subscribe a URL to lifecycle notices (signing secret shown once), see recent deliveries, delete.
import { useState, type FormEvent } from 'react';
import { ApiError, type Webhook } from '../api';
import { exactTime, When } from '../format';
import { usePoll } from '../hooks';
import { useApi } from '../session';
import { PageHeader } from '../components/layout';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyValue, Field, Notice, Problem } from '../components/ui';

export function Webhooks() {
  const api = useApi();
  const subs = usePoll((signal) => api.webhooks(signal), 10_000, [api]);
  const [created, setCreated] = useState<{ url: string; secret: string; header: string; format: string } | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const remove = async (w: Webhook) => {
    setDeleting(null);
    setProblem(null);
    try {
      await api.deleteWebhook(w.id);
      setDone(`Deleted the subscription for ${w.url}.`);
      subs.reload();
    } catch (err) {
      setProblem(err);
    }
  };

  return (
    <PageHeader
      title="Webhooks"
      crumbs={[{ label: 'Settings' }, { label: 'Webhooks' }]}
      aside={<p className="page-lead">Steward POSTs a signed notice to each subscribed URL when an integration changes status or its token is about to expire unrenewed.</p>}
    >
      {created && (
        <Notice kind="success" title="Subscribed">
          <p>
            <strong>Copy the signing secret now: you will not see it again.</strong> Your receiver uses it to check the <code>{created.header}</code> header of each
            notice to {created.url}.
          </p>
          <CopyValue value={created.secret} id="new-signing-secret" />
          <p className="field-help">
            Header format: <code>{created.format}</code>
          </p>
          <p>
            <button type="button" className="btn btn-quiet btn-small" onClick={() => setCreated(null)}>
              I have stored it — hide the secret
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
      <SubscribeForm
        onCreated={(c) => {
          setDone(null);
          setCreated(c);
          subs.reload();
        }}
      />
      {subs.error && <Problem error={subs.error} />}
      {subs.data && subs.data.items.length === 0 && (
        <div className="empty card">
          <p className="empty-title">No subscriptions</p>
          <p>Subscribe a URL above to be told when an integration needs attention.</p>
        </div>
      )}
      {subs.data?.items.map((w) => (
        <section key={w.id} className="card" aria-label={`Subscription ${w.url}`} data-webhook-id={w.id}>
          <div className="card-head">
            <div>
              <h2 className="mono wrap">{w.url}</h2>
              <p className="muted small">
                {w.description ? `${w.description} · ` : ''}created <When iso={w.createdAt} /> by {w.createdBy}
              </p>
            </div>
            <button type="button" className="btn btn-danger btn-small" onClick={() => setDeleting(w)}>
              Delete
            </button>
          </div>
          <Deliveries id={w.id} />
        </section>
      ))}
      <ConfirmDialog
        open={deleting !== null}
        title={deleting ? `Delete the subscription for ${deleting.url}?` : ''}
        confirmLabel="Delete subscription"
        onClose={() => setDeleting(null)}
        onConfirm={() => deleting && void remove(deleting)}
      >
        <h3>What stops, at once</h3>
        <ul>
          <li>No new notice is sent to this URL; notices still waiting to be delivered or retried are dropped.</li>
          <li>The signing secret is deleted from the vault.</li>
        </ul>
        <h3>Cannot be undone</h3>
        <ul>
          <li>Subscribing the URL again gives it a new signing secret.</li>
        </ul>
      </ConfirmDialog>
    </PageHeader>
  );
}

function Deliveries({ id }: { id: string }) {
  const api = useApi();
  const deliveries = usePoll((signal) => api.deliveries(id, signal), 4000, [api, id]);
  if (deliveries.error) return <Problem error={deliveries.error} />;
  const items = deliveries.data?.items;
  if (!items) return <p className="muted">Loading deliveries…</p>;
  if (items.length === 0) return <p className="muted">No delivery yet: nothing has happened that it is told about.</p>;
  return (
    <table className="table table-compact" data-testid="deliveries">
      <caption className="table-caption">Recent delivery attempts, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Notice</th>
          <th scope="col">Attempt</th>
          <th scope="col">Result</th>
          <th scope="col">Next retry</th>
        </tr>
      </thead>
      <tbody>
        {items.map((d) => (
          <tr key={`${d.noticeId}#${d.attempt}`} data-outcome={d.outcome}>
            <td>
              <time dateTime={d.at}>{exactTime(d.at)}</time>
            </td>
            <td>
              <code>{d.noticeType}</code>
            </td>
            <td>{d.attempt}</td>
            <td>
              <span className={`outcome outcome-${d.outcome === 'accepted' ? 'succeeded' : 'failed'}`}>{d.outcome}</span> <span className="muted">{d.detail}</span>
            </td>
            <td>{d.nextRetryAround ? <>about <When iso={d.nextRetryAround} expiry /></> : <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SubscribeForm({ onCreated }: { onCreated: (c: { url: string; secret: string; header: string; format: string }) => void }) {
  const api = useApi();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const fieldError = (path: string) => (problem instanceof ApiError ? problem.details.find((d) => d.path === path)?.message : undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const created = await api.createWebhook({ url: url.trim(), ...(description.trim() ? { description: description.trim() } : {}) });
      setUrl('');
      setDescription('');
      onCreated({ url: created.url, secret: created.signingSecret, header: created.signature.header, format: created.signature.format });
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card create-form" onSubmit={submit} noValidate aria-labelledby="h-subscribe">
      <h2 id="h-subscribe">Subscribe a URL</h2>
      {problem != null && !fieldError('url') && <Problem error={problem} />}
      <div className="form-row">
        <Field name="url" label="URL" error={fieldError('url')} help="An https address of yours that accepts POSTed JSON notices.">
          {(p) => <input {...p} className="input mono" value={url} onChange={(e) => setUrl(e.target.value)} />}
        </Field>
        <Field name="description" label="Description" optional error={fieldError('description')}>
          {(p) => <input {...p} className="input" value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Subscribing…' : 'Subscribe'}
        </button>
      </div>
    </form>
  );
}
