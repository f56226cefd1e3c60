// New Generic OAuth 2.0 Integration: the guide's field table, adapting to the grant type; the API validates and answers.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, type FieldIssue, type Meta } from '../api';
import { useApi } from '../session';
import { PageHeader, SETTINGS_INTEGRATIONS } from '../components/layout';
import { CopyValue, Field, Problem } from '../components/ui';
import { AUTH_METHOD_LABEL, FIELD_HELP, GRANT_LABEL, GRANT_ORDER, GRANT_USAGE, type GrantType } from '../words';

type TextField = 'label' | 'tokenUrl' | 'clientId' | 'clientSecret' | 'scope' | 'apiBaseUrl' | 'tenantId' | 'authorizationUrl' | 'refreshToken' | 'revocationUrl';
type Values = Record<TextField, string>;

const EMPTY: Values = {
  label: '',
  tokenUrl: '',
  clientId: '',
  clientSecret: '',
  scope: '',
  apiBaseUrl: '',
  tenantId: '',
  authorizationUrl: '',
  refreshToken: '',
  revocationUrl: '',
};

/** Fields each grant type sends besides the common ones. */
const GRANT_FIELDS: Record<GrantType, TextField[]> = {
  client_credentials: [],
  authorization_code: ['authorizationUrl'],
  refresh_token: ['refreshToken'],
};
const COMMON: TextField[] = ['label', 'tokenUrl', 'clientId', 'clientSecret', 'scope', 'apiBaseUrl', 'tenantId', 'revocationUrl'];
const SECRETS = new Set<TextField>(['clientSecret', 'refreshToken']);

export function NewIntegration() {
  const api = useApi();
  const navigate = useNavigate();
  const [grantType, setGrantType] = useState<GrantType>('client_credentials');
  const [tokenAuthMethod, setTokenAuthMethod] = useState<'client_secret_basic' | 'client_secret_post'>('client_secret_basic');
  const [values, setValues] = useState<Values>(EMPTY);
  const [meta, setMeta] = useState<Meta | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [otherIssues, setOtherIssues] = useState<FieldIssue[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const [rejections, setRejections] = useState(0);
  /** Secrets that were sent and cleared by a submit that failed: the admin must type them again. */
  const [cleared, setCleared] = useState<Set<TextField>>(new Set());

  useEffect(() => {
    // After a rejected submit, the summary of what to fix takes the focus (and is read out).
    if (rejections > 0) summaryRef.current?.focus();
  }, [rejections]);

  useEffect(() => {
    let live = true;
    api.meta().then((m) => live && setMeta(m), () => undefined);
    return () => {
      live = false;
    };
  }, [api]);

  const set = (name: TextField) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [name]: e.target.value }));
    if (cleared.has(name)) setCleared((c) => new Set([...c].filter((n) => n !== name)));
  };
  const redirectUri = meta?.redirectUri ?? `${window.location.origin}/v1/oauth/callback`;
  const shown = new Set<string>([...COMMON, ...GRANT_FIELDS[grantType], 'grantType', 'tokenAuthMethod', ...(grantType === 'authorization_code' ? ['redirectUri'] : [])]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = { grantType, tokenAuthMethod };
    for (const name of [...COMMON, ...GRANT_FIELDS[grantType]]) {
      const raw = values[name];
      const value = SECRETS.has(name) ? raw : raw.trim();
      if (value) body[name] = value;
    }
    if (grantType === 'authorization_code') body.redirectUri = redirectUri;

    const sentSecrets = [...SECRETS].filter((name) => body[name] !== undefined);
    setBusy(true);
    setProblem(null);
    setFieldErrors({});
    setOtherIssues([]);
    try {
      const created = await api.create(body);
      setCleared(new Set());
      navigate(`/integrations/${created.id}`, { state: { created: true } });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_request' && err.details.length > 0) {
        const byField: Record<string, string> = {};
        const other: FieldIssue[] = [];
        for (const d of err.details) {
          if (shown.has(d.path) && !byField[d.path]) byField[d.path] = d.message;
          else if (!shown.has(d.path)) other.push(d);
        }
        setFieldErrors(byField);
        setOtherIssues(other);
        setRejections((n) => n + 1);
      } else {
        setProblem(err);
      }
      setCleared(new Set(sentSecrets));
    } finally {
      // Secrets are write-only: never kept in the form once sent.
      setValues((v) => ({ ...v, clientSecret: '', refreshToken: '' }));
      setBusy(false);
    }
  };

  const invalid = Object.keys(fieldErrors);
  const text = (name: TextField, opts: { optional?: boolean; placeholder?: string; help?: string; type?: string; mono?: boolean } = {}) => (
    <Field
      name={name}
      label={labelOf(name)}
      help={
        cleared.has(name) ? (
          <>
            <strong className="text-warn">Enter it again:</strong> secrets are cleared from the form once sent. {opts.help ?? FIELD_HELP[name]}
          </>
        ) : (
          (opts.help ?? FIELD_HELP[name])
        )
      }
      error={fieldErrors[name]}
      optional={opts.optional}
    >
      {(p) =>
        SECRETS.has(name) ? (
          <input {...p} className="input mono" type="password" autoComplete="new-password" spellCheck={false} value={values[name]} onChange={set(name)} />
        ) : (
          <input
            {...p}
            className={`input${opts.mono ? ' mono' : ''}`}
            type={opts.type ?? 'text'}
            inputMode={opts.type === 'url' ? 'url' : undefined}
            spellCheck={false}
            placeholder={opts.placeholder}
            value={values[name]}
            onChange={set(name)}
          />
        )
      }
    </Field>
  );

  return (
    <PageHeader
      title="New Generic OAuth 2.0 Integration"
      crumbs={[...SETTINGS_INTEGRATIONS, { label: 'New Generic OAuth 2.0 Integration' }]}
      aside={
        <p className="page-lead">
          Connect the Marketplace to any OAuth 2.0 Service Provider. Get these values from the developer panel or API documentation of your Provider. When you save,
          the Marketplace checks them with the Provider: for Client Credentials and Refresh Token it obtains a first token right away, and nothing is stored unless
          that works.
        </p>
      }
    >
      <form className="card form" onSubmit={submit} noValidate aria-busy={busy}>
        {(invalid.length > 0 || otherIssues.length > 0) && (
          <div className="alert alert-error" role="alert" tabIndex={-1} ref={summaryRef} data-testid="field-summary">
            <div className="alert-body">
              <p className="alert-title">Some fields need attention</p>
              <ul>
                {invalid.map((name) => (
                  <li key={name}>
                    <a href={`#field-${name}`}>{labelOf(name)}</a> {fieldErrors[name]}
                  </li>
                ))}
                {otherIssues.map((d, i) => (
                  <li key={`o${i}`}>
                    {d.path}: {d.message}
                  </li>
                ))}
              </ul>
            </div>
          </div>
        )}
        {problem != null && (
          <Problem
            error={problem}
            note={problem instanceof ApiError && problem.status >= 422 ? `Nothing was saved. Enter the ${grantType === 'refresh_token' ? 'Client Secret and Refresh Token' : 'Client Secret'} again before retrying.` : undefined}
          />
        )}

        <section className="form-section" aria-labelledby="sec-basics">
          <h2 id="sec-basics">Integration</h2>
          {text('label')}

          <fieldset className={`field${fieldErrors.grantType ? ' field-invalid' : ''}`} aria-describedby="field-grantType-help">
            <legend className="field-label">Grant Type</legend>
            <p className="field-help" id="field-grantType-help">
              {FIELD_HELP.grantType}
            </p>
            <div className="choices">
              {GRANT_ORDER.map((g) => (
                <label key={g} className={`choice${grantType === g ? ' choice-selected' : ''}`}>
                  <input type="radio" name="grantType" value={g} checked={grantType === g} onChange={() => {
                      setGrantType(g);
                      setProblem(null);
                    }}
                  />
                  <span className="choice-text">
                    <span className="choice-title">{GRANT_LABEL[g]}</span>
                    <span className="choice-help">{GRANT_USAGE[g]}</span>
                  </span>
                </label>
              ))}
            </div>
            {fieldErrors.grantType && <p className="field-error">Grant Type {fieldErrors.grantType}</p>}
          </fieldset>
        </section>

        <section className="form-section" aria-labelledby="sec-provider">
          <h2 id="sec-provider">Provider and credentials</h2>
          {text('tokenUrl', { type: 'url', mono: true, placeholder: 'https://login.example.com/oauth2/token' })}
          {text('clientId', { mono: true })}
          {text('clientSecret')}
          {text('scope', {
            optional: grantType !== 'authorization_code',
            help: grantType === 'authorization_code' ? FIELD_HELP.scopeRequired : FIELD_HELP.scope.replace('(Optional) ', ''),
            placeholder: grantType === 'authorization_code' ? 'openid offline_access read' : 'read write',
          })}
          {text('apiBaseUrl', { type: 'url', mono: true, placeholder: 'https://api.example.com' })}
          {text('tenantId', { optional: true, help: FIELD_HELP.tenantId.replace('(Optional) ', '') })}
        </section>

        {grantType === 'authorization_code' && (
          <section className="form-section" aria-labelledby="sec-grant">
            <h2 id="sec-grant">Authorization Code</h2>
            {text('authorizationUrl', { type: 'url', mono: true, placeholder: 'https://login.example.com/oauth2/authorize' })}
            <Field name="redirectUri" label={labelOf('redirectUri')} help={FIELD_HELP.redirectUri} error={fieldErrors.redirectUri}>
              {(p) => <CopyValue value={redirectUri} id={p.id} describedBy={p['aria-describedby']} />}
            </Field>
            <p className="form-note">After saving, you will authorize the Marketplace at the Provider; the integration is active once consent is given.</p>
          </section>
        )}

        {grantType === 'refresh_token' && (
          <section className="form-section" aria-labelledby="sec-grant">
            <h2 id="sec-grant">Refresh Token</h2>
            {text('refreshToken')}
          </section>
        )}

        <section className="form-section" aria-labelledby="sec-more">
          <h2 id="sec-more">Revocation and client authentication</h2>
          {text('revocationUrl', {
            optional: true,
            type: 'url',
            mono: true,
            help: FIELD_HELP.revocationUrl.replace('(Optional) ', ''),
            placeholder: 'https://login.example.com/oauth2/revoke',
          })}
          <Field name="tokenAuthMethod" label={labelOf('tokenAuthMethod')} help={FIELD_HELP.tokenAuthMethod} error={fieldErrors.tokenAuthMethod}>
            {(p) => (
              <select {...p} className="input" value={tokenAuthMethod} onChange={(e) => setTokenAuthMethod(e.target.value as typeof tokenAuthMethod)}>
                {(Object.keys(AUTH_METHOD_LABEL) as (keyof typeof AUTH_METHOD_LABEL)[]).map((m) => (
                  <option key={m} value={m}>
                    {AUTH_METHOD_LABEL[m]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </section>

        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? (grantType === 'authorization_code' ? 'Saving…' : 'Validating with the Provider…') : grantType === 'authorization_code' ? 'Save and continue' : 'Save and validate'}
          </button>
          <Link to="/integrations" className="btn btn-quiet">
            Cancel
          </Link>
          {busy && grantType !== 'authorization_code' && (
            <span className="muted" role="status">
              Asking the Provider for a first token…
            </span>
          )}
        </div>
      </form>
    </PageHeader>
  );
}

const LABELS: Record<string, string> = {
  label: 'Label',
  grantType: 'Grant Type',
  tokenUrl: 'Token URL',
  clientId: 'Client ID',
  clientSecret: 'Client Secret',
  scope: 'Scope',
  apiBaseUrl: 'API Base URL',
  tenantId: 'Tenant ID',
  authorizationUrl: 'Authorization URL',
  redirectUri: 'Redirect URI',
  refreshToken: 'Refresh Token',
  revocationUrl: 'Revocation URL',
  tokenAuthMethod: 'Token authentication method',
};

function labelOf(name: string): string {
  return LABELS[name] ?? name;
}
