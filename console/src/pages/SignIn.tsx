// Sign-in: paste an API key; it is checked against the API, then kept in this tab's sessionStorage only.
import { useState, type FormEvent } from 'react';
import { ApiError, endpoints } from '../api';
import { useTitle } from '../hooks';
import { useSession } from '../session';
import { Field } from '../components/ui';

export function SignIn() {
  useTitle('Sign in');
  const { signIn, notice } = useSession();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = key.trim();
    if (!value) {
      setError('is required');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const me = await endpoints(value).me();
      if (me.actions !== null && !me.actions.includes('integration:read')) {
        setKey(''); // a working key is a secret: not left in the page once refused here
        setError(`belongs to a ${me.role} principal, which cannot use the console (it has no access to integrations).`);
        return;
      }
      setKey('');
      signIn(value, me);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'was not accepted by the API. Check it and try again.' : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <form className="card signin-card" onSubmit={submit} noValidate>
        <h1>Sign in</h1>
        <p className="lead">Sign in to manage the Marketplace’s OAuth 2.0 integrations.</p>
        {notice && (
          <p className="alert alert-info" role="status">
            {notice}
          </p>
        )}
        <Field
          name="apiKey"
          label="API key"
          error={error}
          help="Paste the key you were given. It stays in this browser tab only and is forgotten when you sign out or close the tab."
        >
          {(p) => (
            <input
              {...p}
              className="input mono"
              type="password"
              autoComplete="off"
              spellCheck={false}
              autoFocus
              value={key}
              onChange={(e) => setKey(e.target.value)}
            />
          )}
        </Field>
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
