// New Integration: pick a connector (a provider preset, or Generic for any compliant provider), then a grant type it supports;
// the form asks only for what that connector needs, and the API validates and answers.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, type Connector, type ConnectorField, type FieldIssue, type Meta } from '../api';
import { useApi } from '../session';
import { PageHeader, SETTINGS_INTEGRATIONS } from '../components/layout';
import { CopyValue, Field, fieldId, Problem } from '../components/ui';
import { AUTH_METHOD_LABEL, FIELD_HELP, GRANT_LABEL, GRANT_ORDER, GRANT_SHORT, GRANT_USAGE, type GrantType } from '../words';

type TextField =
  | 'label'
  | 'issuer'
  | 'tokenUrl'
  | 'clientId'
  | 'clientSecret'
  | 'privateKey'
  | 'clientKeyId'
  | 'certificate'
  | 'assertionSubject'
  | 'assertionAudience'
  | 'scope'
  | 'apiBaseUrl'
  | 'tenantId'
  | 'authorizationUrl'
  | 'refreshToken'
  | 'revocationUrl'
  | 'lifecycle.defaultTokenLifetimeSeconds'
  | 'lifecycle.refreshTokenIdleSeconds';
type Values = Record<TextField, string>;
type AuthMethod = '' | keyof typeof AUTH_METHOD_LABEL;

const EMPTY: Values = {
  label: '',
  issuer: '',
  tokenUrl: '',
  clientId: '',
  clientSecret: '',
  privateKey: '',
  clientKeyId: '',
  certificate: '',
  assertionSubject: '',
  assertionAudience: '',
  scope: '',
  apiBaseUrl: '',
  tenantId: '',
  authorizationUrl: '',
  refreshToken: '',
  revocationUrl: '',
  'lifecycle.defaultTokenLifetimeSeconds': '',
  'lifecycle.refreshTokenIdleSeconds': '',
};

const SECRETS = new Set<TextField>(['clientSecret', 'privateKey', 'refreshToken']);
/** Pasted PEM keys and certificates keep their line breaks. */
const MULTILINE = new Set<TextField>(['privateKey', 'certificate']);
const URL_FIELDS: TextField[] = ['issuer', 'tokenUrl', 'authorizationUrl', 'revocationUrl', 'apiBaseUrl'];
const LIFECYCLE: TextField[] = ['lifecycle.defaultTokenLifetimeSeconds', 'lifecycle.refreshTokenIdleSeconds'];
const PRESET_PREFIX = 'presetValues.';

/** Until `GET /v1/connectors` answers (or on a server without it), Generic is always there. */
const GENERIC: Connector = {
  id: 'generic',
  name: 'Generic OAuth 2.0',
  docsUrl: 'https://www.rfc-editor.org/rfc/rfc6749',
  grantTypes: GRANT_ORDER,
  fields: [],
  quirks: [],
};

const templateFields = (c: Connector) => c.fields.filter((f) => f.name.startsWith(PRESET_PREFIX));
const defaultScope = (c: Connector) => c.fields.find((f) => f.name === 'scope')?.default ?? '';
const templateDefaults = (c: Connector) =>
  Object.fromEntries(templateFields(c).map((f) => [f.name.slice(PRESET_PREFIX.length), f.default ?? '']));

export function NewIntegration() {
  const api = useApi();
  const navigate = useNavigate();
  const [connectors, setConnectors] = useState<Connector[]>([GENERIC]);
  const [connectorsFailed, setConnectorsFailed] = useState(false);
  const [connectorId, setConnectorId] = useState('generic');
  const [grantType, setGrantType] = useState<GrantType>('client_credentials');
  const [tokenAuthMethod, setTokenAuthMethod] = useState<AuthMethod>('');
  const [values, setValues] = useState<Values>(EMPTY);
  const [presetValues, setPresetValues] = useState<Record<string, string>>({});
  const [advancedOpen, setAdvancedOpen] = useState(false);
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
    const controller = new AbortController();
    api.meta().then((m) => !controller.signal.aborted && setMeta(m), () => undefined);
    api.connectors(controller.signal).then(
      ({ items }) => {
        if (controller.signal.aborted) return;
        setConnectors(items.some((c) => c.id === 'generic') ? items : [GENERIC, ...items]);
      },
      () => !controller.signal.aborted && setConnectorsFailed(true),
    );
    return () => controller.abort();
  }, [api]);

  const connector = connectors.find((c) => c.id === connectorId) ?? GENERIC;
  const generic = connector.id === 'generic';
  const grants = GRANT_ORDER.filter((g) => connector.grantTypes.includes(g));
  const templates = templateFields(connector);
  const discovering = generic && values.issuer.trim() !== '';
  const redirectUri = meta?.redirectUri ?? `${window.location.origin}/v1/oauth/callback`;
  /** An idle limit only matters where refresh tokens exist: not for client credentials, nor for presets that issue none. */
  const bearer = grantType === 'jwt_bearer';
  const idleApplies = grantType !== 'client_credentials' && !bearer && connector.refreshToken?.issued !== false;

  /** Everything the form shows for this connector and grant type, by API path: errors on these appear inline. */
  const advanced = new Set<string>([
    // The JWT bearer grant's assertion is the client's whole proof: there is no method to choose.
    ...(bearer ? [] : ['tokenAuthMethod']),
    'lifecycle.defaultTokenLifetimeSeconds',
    ...(idleApplies ? ['lifecycle.refreshTokenIdleSeconds'] : []),
    ...(generic ? [] : ['tokenUrl', 'apiBaseUrl', 'revocationUrl', ...(grantType === 'authorization_code' ? ['authorizationUrl'] : [])]),
  ]);
  const keyAuth = tokenAuthMethod === 'private_key_jwt' || bearer;
  const credentialFields: TextField[] = bearer ? ['privateKey', 'clientKeyId'] : keyAuth ? ['privateKey', 'clientKeyId', 'certificate'] : ['clientSecret'];
  const shown = new Set<string>([
    'label',
    'grantType',
    'clientId',
    ...credentialFields,
    'scope',
    'tenantId',
    ...(generic ? ['issuer', 'tokenUrl', 'apiBaseUrl', 'revocationUrl', ...(grantType === 'authorization_code' ? ['authorizationUrl'] : [])] : ['preset', ...templates.map((f) => f.name)]),
    ...(grantType === 'authorization_code' ? ['redirectUri'] : []),
    ...(grantType === 'refresh_token' ? ['refreshToken'] : []),
    ...(bearer ? ['assertionSubject', 'assertionAudience'] : []),
    ...advanced,
  ]);

  const resetFeedback = () => {
    setProblem(null);
    setFieldErrors({});
    setOtherIssues([]);
  };

  const chooseConnector = (next: Connector) => {
    if (next.id === connector.id) return;
    setConnectorId(next.id);
    if (!next.grantTypes.includes(grantType)) setGrantType(GRANT_ORDER.find((g) => next.grantTypes.includes(g)) ?? next.grantTypes[0]);
    setPresetValues(templateDefaults(next));
    setTokenAuthMethod('');
    // URLs and lifecycle settings belong to one connector; the scope follows the new default unless the admin wrote one.
    setValues((v) => {
      const emptied = Object.fromEntries([...URL_FIELDS, ...LIFECYCLE].map((n) => [n, '']));
      const untouched = v.scope.trim() === '' || v.scope === defaultScope(connector);
      return { ...v, ...emptied, scope: untouched ? defaultScope(next) : v.scope };
    });
    resetFeedback();
  };

  const set = (name: TextField) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [name]: e.target.value }));
    if (cleared.has(name)) setCleared((c) => new Set([...c].filter((n) => n !== name)));
  };

  const labelOf = (name: string): string => templates.find((f) => f.name === name)?.label ?? LABELS[name] ?? name;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = { grantType };
    const put = (name: TextField) => {
      const raw = values[name];
      const value = SECRETS.has(name) ? raw : raw.trim();
      if (value) body[name] = value;
    };
    (['label', 'clientId', ...credentialFields, 'scope', 'tenantId'] as TextField[]).forEach(put);
    if (grantType === 'refresh_token') put('refreshToken');
    if (bearer) (['assertionSubject', 'assertionAudience'] as TextField[]).forEach(put);
    if (grantType === 'authorization_code') {
      body.redirectUri = redirectUri;
      put('authorizationUrl');
    }
    // Generic: the URLs (or the issuer to discover them). A preset: its template values; URLs only as overrides.
    (['tokenUrl', 'apiBaseUrl', 'revocationUrl'] as TextField[]).forEach(put);
    if (generic) put('issuer');
    else {
      body.preset = connector.id;
      const filled = Object.entries(presetValues)
        .map(([k, v]) => [k, v.trim()] as const)
        .filter(([k, v]) => v !== '' && templates.some((f) => f.name === PRESET_PREFIX + k));
      if (filled.length) body.presetValues = Object.fromEntries(filled);
    }
    // Only an explicit choice: otherwise the preset's (or discovered) method applies.
    if (tokenAuthMethod && !bearer) body.tokenAuthMethod = tokenAuthMethod;
    const lifecycle: Record<string, number> = {};
    for (const name of LIFECYCLE) {
      const raw = values[name].trim();
      if (raw && advanced.has(name)) lifecycle[name.slice('lifecycle.'.length)] = Number(raw);
    }
    if (Object.keys(lifecycle).length) body.lifecycle = lifecycle;

    const sentSecrets = [...SECRETS].filter((name) => body[name] !== undefined);
    setBusy(true);
    resetFeedback();
    try {
      const created = await api.create(body);
      setCleared(new Set());
      void navigate(`/integrations/${created.id}`, { state: { created: true } });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_request' && err.details.length > 0) {
        const byField: Record<string, string> = {};
        const other: FieldIssue[] = [];
        for (const d of err.details) {
          if (shown.has(d.path)) byField[d.path] ??= d.message;
          else other.push(d);
        }
        setFieldErrors(byField);
        setOtherIssues(other);
        if (Object.keys(byField).some((p) => advanced.has(p))) setAdvancedOpen(true);
        setRejections((n) => n + 1);
      } else {
        setProblem(err);
      }
      setCleared(new Set(sentSecrets));
    } finally {
      // Secrets are write-only: never kept in the form once sent.
      setValues((v) => ({ ...v, clientSecret: '', privateKey: '', refreshToken: '' }));
      setBusy(false);
    }
  };

  const invalid = Object.keys(fieldErrors);
  const text = (
    name: TextField,
    opts: { label?: string; optional?: boolean | string; placeholder?: string; help?: ReactNode; type?: string; mono?: boolean; inputMode?: 'numeric' } = {},
  ) => {
    const help = opts.help ?? (FIELD_HELP as Record<string, string>)[name];
    return (
      <Field
        name={name}
        label={opts.label ?? labelOf(name)}
        help={
          cleared.has(name) ? (
            <>
              <strong className="text-warn">Enter it again:</strong> secrets are cleared from the form once sent. {help}
            </>
          ) : (
            help
          )
        }
        error={fieldErrors[name]}
        optional={opts.optional}
      >
        {(p) =>
          MULTILINE.has(name) ? (
            <textarea {...p} className="input mono" rows={5} spellCheck={false} autoComplete="off" value={values[name]} onChange={set(name)} />
          ) : SECRETS.has(name) ? (
            <input {...p} className="input mono" type="password" autoComplete="new-password" spellCheck={false} value={values[name]} onChange={set(name)} />
          ) : (
            <input
              {...p}
              className={`input${opts.mono ? ' mono' : ''}`}
              type={opts.type ?? 'text'}
              inputMode={opts.inputMode ?? (opts.type === 'url' ? 'url' : undefined)}
              spellCheck={false}
              placeholder={opts.placeholder}
              value={values[name]}
              onChange={set(name)}
            />
          )
        }
      </Field>
    );
  };

  const template = (f: ConnectorField) => {
    const key = f.name.slice(PRESET_PREFIX.length);
    const value = presetValues[key] ?? '';
    const onChange = (e: { target: { value: string } }) => setPresetValues((v) => ({ ...v, [key]: e.target.value }));
    const help = f.description ? `${sentence(f.description)}${f.example && !f.choices ? ` Example: ${f.example}.` : ''}` : undefined;
    return (
      <Field key={f.name} name={f.name} label={f.label} help={help} error={fieldErrors[f.name]}>
        {(p) =>
          f.choices ? (
            <select {...p} className="input" value={value} onChange={onChange}>
              {!f.default && (
                <option value="" disabled>
                  Choose…
                </option>
              )}
              {f.choices.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          ) : (
            <input {...p} className="input mono" type="text" spellCheck={false} autoCapitalize="off" placeholder={f.example} value={value} onChange={onChange} />
          )
        }
      </Field>
    );
  };

  /** An endpoint a preset already knows: empty means the preset's, shown in the help. */
  const override = (name: 'tokenUrl' | 'authorizationUrl' | 'revocationUrl' | 'apiBaseUrl') => {
    const preset = connector.urls?.[name] ?? null;
    return text(name, {
      type: 'url',
      mono: true,
      optional: 'override',
      help: preset ? (
        <>
          Empty: {connector.name}’s <code className="wrap">{preset}</code>
        </>
      ) : (
        `${connector.name} has none. Set one only if your account has it.`
      ),
    });
  };

  const overrides = [...advanced].filter((n) => (n === 'tokenAuthMethod' ? tokenAuthMethod !== '' : (values as Record<string, string>)[n]?.trim())).length;
  const saveLabel = grantType === 'authorization_code' ? 'Save and continue' : 'Save and validate';

  return (
    <PageHeader
      title="New Integration"
      crumbs={[...SETTINGS_INTEGRATIONS, { label: 'New Integration' }]}
      aside={
        <p className="page-lead">
          Connect the Marketplace to a Service Provider. Choose its connector: a preset already knows the Provider’s endpoints and behaviour, so you enter only
          what is specific to your account. For any other OAuth 2.0 Provider, choose Generic. When you save, the Marketplace checks the values with the Provider,
          and nothing is stored unless that works.
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
                    <a href={`#${fieldId(name)}`}>{labelOf(name)}</a> {fieldErrors[name]}
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

        <section className="form-section" aria-labelledby="sec-connector">
          <h2 id="sec-connector">Connector</h2>
          <fieldset className={`field${fieldErrors.preset ? ' field-invalid' : ''}`} aria-describedby="field-preset-help">
            <legend className="field-label">Provider</legend>
            <p className="field-help" id="field-preset-help">
              {connectorsFailed ? 'The list of connector presets could not be loaded: Generic works with any OAuth 2.0 Provider.' : 'Choose your Provider, or Generic for any OAuth 2.0 Provider.'}
            </p>
            <div className="tiles">
              {connectors.map((c) => (
                <label key={c.id} className={`tile${c.id === connector.id ? ' tile-selected' : ''}`} data-connector={c.id}>
                  <input type="radio" className="tile-input" name="connector" value={c.id} checked={c.id === connector.id} onChange={() => chooseConnector(c)} />
                  <span className="tile-name">{c.name}</span>
                  <span className="tile-meta">{c.id === 'generic' ? 'Any OAuth 2.0 Provider' : GRANT_ORDER.filter((g) => c.grantTypes.includes(g)).map((g) => GRANT_SHORT[g]).join(' · ')}</span>
                </label>
              ))}
            </div>
            {fieldErrors.preset && <p className="field-error">Connector {fieldErrors.preset}</p>}
          </fieldset>
          <ConnectorInfo connector={connector} />
        </section>

        <section className="form-section" aria-labelledby="sec-basics">
          <h2 id="sec-basics">Integration</h2>
          {text('label')}

          <fieldset className={`field${fieldErrors.grantType ? ' field-invalid' : ''}`} aria-describedby="field-grantType-help">
            <legend className="field-label">Grant Type</legend>
            <p className="field-help" id="field-grantType-help">
              {generic ? FIELD_HELP.grantType : `The OAuth 2.0 flows ${connector.name} supports.`}
            </p>
            <div className="choices">
              {grants.map((g) => (
                <label key={g} className={`choice${grantType === g ? ' choice-selected' : ''}`}>
                  <input
                    type="radio"
                    name="grantType"
                    value={g}
                    checked={grantType === g}
                    onChange={() => {
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
          <h2 id="sec-provider">{generic ? 'Provider and credentials' : 'Account and credentials'}</h2>
          {templates.map(template)}
          {generic && (
            <>
              {text('issuer', { type: 'url', mono: true, optional: 'optional, for discovery', placeholder: 'https://login.example.com' })}
              {text('tokenUrl', {
                type: 'url',
                mono: true,
                optional: discovering,
                placeholder: discovering ? undefined : 'https://login.example.com/oauth2/token',
                help: discovering ? 'Discovered from the Issuer URL: set it only to use another endpoint.' : FIELD_HELP.tokenUrl,
              })}
            </>
          )}
          {text('clientId', { mono: true })}
          {keyAuth ? (
            <>
              {text('privateKey')}
              {text('clientKeyId', { optional: true, mono: true })}
              {!bearer && text('certificate', { optional: true })}
            </>
          ) : (
            text('clientSecret')
          )}
          {text('scope', {
            optional: grantType !== 'authorization_code' || (!generic && defaultScope(connector) !== ''),
            help: scopeHelp(connector, grantType),
            placeholder: generic ? (grantType === 'authorization_code' ? 'openid offline_access read' : 'read write') : undefined,
          })}
          {generic && (
            <>
              {text('apiBaseUrl', { type: 'url', mono: true, placeholder: 'https://api.example.com' })}
              {text('revocationUrl', {
                optional: true,
                type: 'url',
                mono: true,
                help: discovering ? 'Discovered from the Issuer URL when the Provider publishes one.' : FIELD_HELP.revocationUrl.replace('(Optional) ', ''),
                placeholder: discovering ? undefined : 'https://login.example.com/oauth2/revoke',
              })}
            </>
          )}
          {text('tenantId', { optional: true, help: FIELD_HELP.tenantId.replace('(Optional) ', '') })}
        </section>

        {grantType === 'authorization_code' && (
          <section className="form-section" aria-labelledby="sec-grant">
            <h2 id="sec-grant">Authorization Code</h2>
            {generic &&
              text('authorizationUrl', {
                type: 'url',
                mono: true,
                optional: discovering,
                placeholder: discovering ? undefined : 'https://login.example.com/oauth2/authorize',
                help: discovering ? 'Discovered from the Issuer URL: set it only to use another endpoint.' : FIELD_HELP.authorizationUrl,
              })}
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

        {bearer && (
          <section className="form-section" aria-labelledby="sec-grant">
            <h2 id="sec-grant">JWT Bearer</h2>
            {text('assertionSubject', { optional: true, mono: true })}
            {text('assertionAudience', { optional: true, mono: true })}
            <p className="form-note">Each token is obtained with a short assertion signed by the private key above; there is no consent and no refresh token.</p>
          </section>
        )}

        <details className="advanced" open={advancedOpen} onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}>
          <summary>
            <span className="advanced-title">Advanced</span>{' '}
            <span className="muted">{generic ? 'client authentication, token lifetimes' : 'endpoints, client authentication, token lifetimes'}</span>
            {overrides > 0 && <span className="tag">{overrides} set</span>}
          </summary>
          <div className="advanced-body">
            {!generic && (
              <>
                <p className="form-note">Override {connector.name}’s endpoints only for a different environment or a proxy; leave them empty otherwise.</p>
                {override('tokenUrl')}
                {grantType === 'authorization_code' && override('authorizationUrl')}
                {override('revocationUrl')}
                {override('apiBaseUrl')}
              </>
            )}
{!bearer && (
              <Field name="tokenAuthMethod" label={labelOf('tokenAuthMethod')} help={FIELD_HELP.tokenAuthMethod} error={fieldErrors.tokenAuthMethod}>
                {(p) => (
                  <select {...p} className="input" value={tokenAuthMethod} onChange={(e) => setTokenAuthMethod(e.target.value as AuthMethod)}>
                    <option value="">
                      {generic
                        ? `Default: ${AUTH_METHOD_LABEL.client_secret_basic}, or what the issuer’s metadata supports`
                        : `${connector.name} default: ${AUTH_METHOD_LABEL[connector.tokenAuthMethod ?? 'client_secret_basic']}`}
                    </option>
                    {(Object.keys(AUTH_METHOD_LABEL) as (keyof typeof AUTH_METHOD_LABEL)[])
                      .filter((m) => m !== 'none') // the JWT bearer grant's alone, chosen with the grant
                      .map((m) => (
                      <option key={m} value={m}>
                        {AUTH_METHOD_LABEL[m]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            {text('lifecycle.defaultTokenLifetimeSeconds', {
              optional: true,
              inputMode: 'numeric',
              help: `Assumed when a token response has no expires_in. ${connector.defaultTokenLifetimeSeconds ? `${connector.name}: ${duration(connector.defaultTokenLifetimeSeconds)}.` : 'Empty: the deployment’s default.'}`,
            })}
            {idleApplies &&
              text('lifecycle.refreshTokenIdleSeconds', {
                optional: true,
                inputMode: 'numeric',
                help: `For Providers that expire refresh tokens left unused this long: the Marketplace refreshes before the limit, even when no service asks for a token. ${
                  connector.refreshToken?.idleSeconds ? `${connector.name}: ${duration(connector.refreshToken.idleSeconds)}.` : 'Empty: no idle limit.'
                }`,
              })}
          </div>
        </details>

        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? (grantType === 'authorization_code' ? 'Saving…' : 'Validating with the Provider…') : saveLabel}
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

/** The chosen connector: its documentation, how it behaves, and the quirks worth knowing before filling the form. */
function ConnectorInfo({ connector: c }: { connector: Connector }) {
  const generic = c.id === 'generic';
  const facts = generic
    ? []
    : [
        c.tokenAuthMethod && `Client authentication: ${c.tokenAuthMethod === 'client_secret_post' ? 'in the request body' : 'HTTP Basic'}`,
        c.pkce === 'required' && 'PKCE required (sent automatically)',
      ].filter((f): f is string => !!f);
  return (
    <div className="connector-info" data-testid="connector-info" aria-live="polite">
      <p className="connector-info-head">
        <strong>{c.name}</strong>
        <a href={c.docsUrl} target="_blank" rel="noopener noreferrer">
          {generic ? 'OAuth 2.0 specification (RFC 6749)' : 'Provider documentation'}
          <span aria-hidden="true"> ↗</span>
        </a>
      </p>
      {generic ? (
        <p className="connector-info-text">Enter the Provider’s URLs, or only its Issuer URL when it publishes discovery metadata.</p>
      ) : (
        facts.length > 0 && <p className="connector-info-text">{facts.join(' · ')}</p>
      )}
      {c.quirks.length > 0 && (
        <ul className="connector-notes" aria-label={`Notes on ${c.name}`}>
          {c.quirks.map((q) => (
            <li key={q}>{q}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function scopeHelp(c: Connector, grantType: GrantType): string {
  if (c.id === 'generic') return grantType === 'authorization_code' ? FIELD_HELP.scopeRequired : FIELD_HELP.scope.replace('(Optional) ', '');
  const preset = defaultScope(c);
  return preset
    ? `Prefilled with ${c.name}’s default scopes; change them to ask for other permissions. Left empty, the default applies.`
    : `The permissions to ask ${c.name} for.${grantType === 'authorization_code' ? '' : ' Left empty, the Provider decides.'}`;
}

/** "2 hours", "60 days", "15 minutes": for the catalog's lifetimes. */
function duration(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds >= 30 * 86_400) return unit(Math.round(seconds / 86_400), 'day');
  for (const [size, word] of [[86_400, 'day'], [3600, 'hour'], [60, 'minute']] as const) {
    const n = seconds / size;
    if (n >= 0.99 && Math.abs(n - Math.round(n)) <= 0.02) return unit(Math.round(n), word);
  }
  return unit(seconds, 'second');
}

function sentence(s: string): string {
  const t = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

const LABELS: Record<string, string> = {
  preset: 'Connector',
  label: 'Label',
  grantType: 'Grant Type',
  issuer: 'Issuer URL',
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
  privateKey: 'Private key',
  clientKeyId: 'Key ID',
  certificate: 'Certificate',
  assertionSubject: 'Subject',
  assertionAudience: 'Audience',
  tokenAuthMethod: 'Token authentication method',
  'lifecycle.defaultTokenLifetimeSeconds': 'Default token lifetime (seconds)',
  'lifecycle.refreshTokenIdleSeconds': 'Refresh token idle limit (seconds)',
};
