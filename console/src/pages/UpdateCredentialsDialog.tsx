// Update credentials: a new Client Secret, or a new private key for private_key_jwt and jwt_bearer (and optionally Client ID, Scope,
// Token URL); the Provider must accept them.
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, type Integration } from '../api';
import { useApi } from '../session';
import { Dialog, Field, Problem } from '../components/ui';
import { FIELD_HELP } from '../words';

export function UpdateCredentialsDialog(props: { open: boolean; integration: Integration; onClose: () => void; onSaved: () => void }) {
  const it = props.integration;
  const api = useApi();
  const [clientSecret, setClientSecret] = useState('');
  const [clientId, setClientId] = useState(it.clientId);
  const [scope, setScope] = useState(it.scope ?? '');
  const [tokenUrl, setTokenUrl] = useState(it.tokenUrl);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [keyId, setKeyId] = useState('');
  // A key-authenticated client (or a JWT bearer grant's key) is rotated with a new private key; the secret's field and rule apply to it.
  const keyAuth = it.tokenAuthMethod === 'private_key_jwt' || it.grantType === 'jwt_bearer';
  const credentialField = keyAuth ? 'privateKey' : 'clientSecret';

  useEffect(() => {
    // Each opening starts from the integration as it is now, with an empty secret.
    if (!props.open) return;
    setClientSecret('');
    setKeyId('');
    setClientId(it.clientId);
    setScope(it.scope ?? '');
    setTokenUrl(it.tokenUrl);
    setErrors({});
    setProblem(null);
    // Deliberately partial: the form resets when the dialog opens, not on every edit.
  }, [props.open]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    if (clientSecret) body[credentialField] = clientSecret;
    if (keyAuth && keyId.trim()) body.clientKeyId = keyId.trim();
    if (clientId.trim() !== it.clientId) body.clientId = clientId.trim();
    if (scope.trim() !== (it.scope ?? '')) body.scope = scope.trim() || null;
    if (tokenUrl.trim() !== it.tokenUrl) body.tokenUrl = tokenUrl.trim();
    if (!body[credentialField]) {
      setErrors({ [credentialField]: 'is required to update the credentials' });
      return;
    }
    setBusy(true);
    setErrors({});
    setProblem(null);
    try {
      await api.update(it.id, body);
      props.onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_request' && err.details.length > 0) {
        setErrors(Object.fromEntries(err.details.map((d) => [d.path === 'privateKey' ? 'clientSecret' : d.path, d.message])));
      } else {
        setProblem(err);
      }
    } finally {
      setClientSecret('');
      setBusy(false);
    }
  };

  return (
    <Dialog open={props.open} title="Update credentials" onClose={props.onClose}>
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <div className="dialog-body">
          <p>
            The Marketplace asks the Provider for a token with the new values before keeping them. If the Provider rejects them, the current credentials stay in
            place.
          </p>
          {problem != null && (
            <Problem
              error={problem}
              note={problem instanceof ApiError && problem.status === 422 ? `Nothing was changed. Re-enter the ${keyAuth ? 'private key' : 'Client Secret'} to try again.` : undefined}
            />
          )}
          {keyAuth ? (
            <>
              <Field name="newPrivateKey" label="Private key" help={FIELD_HELP.privateKey} error={errors.clientSecret}>
                {(p) => <textarea {...p} className="input mono" rows={5} autoComplete="off" spellCheck={false} value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} />}
              </Field>
              <Field name="newKeyId" label="Key ID" optional help={FIELD_HELP.clientKeyId.replace('(Optional) ', '')} error={errors.clientKeyId}>
                {(p) => <input {...p} className="input mono" spellCheck={false} value={keyId} onChange={(e) => setKeyId(e.target.value)} />}
              </Field>
            </>
          ) : (
            <Field name="newClientSecret" label="Client Secret" help="The new secret key from your Provider. It is stored in the secure credential vault and never shown again." error={errors.clientSecret}>
              {(p) => <input {...p} className="input mono" type="password" autoComplete="new-password" spellCheck={false} value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} />}
            </Field>
          )}
          <Field name="newClientId" label="Client ID" help={FIELD_HELP.clientId} error={errors.clientId}>
            {(p) => <input {...p} className="input mono" spellCheck={false} value={clientId} onChange={(e) => setClientId(e.target.value)} />}
          </Field>
          <Field name="newScope" label="Scope" optional help={FIELD_HELP.scope.replace('(Optional) ', '')} error={errors.scope}>
            {(p) => <input {...p} className="input mono" spellCheck={false} value={scope} onChange={(e) => setScope(e.target.value)} />}
          </Field>
          <Field name="newTokenUrl" label="Token URL" help={FIELD_HELP.tokenUrl} error={errors.tokenUrl}>
            {(p) => <input {...p} className="input mono" type="url" spellCheck={false} value={tokenUrl} onChange={(e) => setTokenUrl(e.target.value)} />}
          </Field>
        </div>
        <div className="dialog-actions">
          <button type="button" className="btn btn-secondary" onClick={props.onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Checking with the Provider…' : 'Save credentials'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
