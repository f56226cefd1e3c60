// Shared pieces: status badge, form field with its explanation and inline error, problem panel, copyable value, dialog.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, type Integration } from '../api';
import { When } from '../format';
import { STATUS_LABEL, STATUS_MEANING, type Status } from '../words';

export function StatusBadge({ status }: { status: Status }) {
  return (
    <span className={`badge badge-${status}`} title={STATUS_MEANING[status]} data-status={status}>
      <span className="badge-dot" aria-hidden="true" />
      {STATUS_LABEL[status]}
    </span>
  );
}

/** An error the integration has recovered from since (a later successful refresh while active). */
export function errorResolved(it: Integration): boolean {
  return it.status === 'active' && !!it.lastError && !!it.lastRefreshAt && Date.parse(it.lastRefreshAt) > Date.parse(it.lastError.at);
}

/** The token's expiry, or why no token is served whatever its expiry says. */
export function TokenExpiry({ integration: it, withExact = false }: { integration: Integration; withExact?: boolean }) {
  if (it.status === 'revoked') return <span className="muted">no token</span>;
  if (it.status === 'awaiting_consent' || it.status === 'disconnected') return <span className="muted">not served while {STATUS_LABEL[it.status]}</span>;
  return <When iso={it.expiresAt} expiry withExact={withExact} />;
}

export interface FieldControlProps {
  id: string;
  name: string;
  'aria-describedby': string;
  'aria-invalid': boolean | undefined;
}

/** The element id of a field's control; API paths such as `presetValues.shop` become `field-presetValues-shop` (usable in CSS selectors). */
export function fieldId(name: string): string {
  return `field-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** A labelled control with the guide's explanation under it and, after a failed submit, the API's message for it. */
export function Field(props: {
  name: string;
  label: string;
  help?: ReactNode;
  error?: string;
  /** true: "(optional)"; a string: that note in the same place, e.g. "optional, for discovery". */
  optional?: boolean | string;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const id = fieldId(props.name);
  const describedBy = [props.error ? `${id}-error` : null, props.help ? `${id}-help` : null].filter(Boolean).join(' ');
  return (
    <div className={`field${props.error ? ' field-invalid' : ''}`}>
      <label htmlFor={id} className="field-label">
        {props.label}
        {props.optional && <span className="field-optional"> ({props.optional === true ? 'optional' : props.optional})</span>}
      </label>
      {props.children({ id, name: props.name, 'aria-describedby': describedBy, 'aria-invalid': props.error ? true : undefined })}
      {props.error && (
        <p className="field-error" id={`${id}-error`}>
          <span aria-hidden="true">⚠ </span>
          {/^[a-z]/.test(props.error) ? `${props.label} ${props.error}` : props.error}
        </p>
      )}
      {props.help && (
        <p className="field-help" id={`${id}-help`}>
          {props.help}
        </p>
      )}
    </div>
  );
}

/** What to check for the OAuth error codes (RFC 6749 §5.2) an admin can act on. */
const PROVIDER_HINTS: Record<string, string> = {
  invalid_client: 'Check the Client ID, the Client Secret and the token authentication method your Provider registered for this client.',
  unauthorized_client: 'Your Provider does not allow this client to use this grant type.',
  invalid_grant: 'The Refresh Token or authorization is no longer valid (expired, revoked or already used). Obtain a new one.',
  invalid_scope: 'Ask only for scopes your Provider allows for this client.',
  unsupported_grant_type: 'Your Provider does not support this grant type at this Token URL.',
};

/** A headline and explanation for an API failure, in the words an admin needs. */
export function describeProblem(err: unknown): { title: string; lines: ReactNode[] } {
  if (!(err instanceof ApiError)) return { title: 'Something went wrong', lines: [String((err as Error)?.message ?? err)] };
  const b = err.body;
  switch (err.code) {
    case 'provider_rejected': {
      const code = String(b.providerError ?? 'unknown');
      const description = typeof b.providerErrorDescription === 'string' ? b.providerErrorDescription : '';
      return {
        title: 'The Provider rejected the request',
        lines: [
          <>
            Provider error: <code className="provider-error">{code}</code>
            {description ? <> — {description}</> : null}
          </>,
          // Our message usually repeats the provider's words; show it only when it says more.
          ...(description && err.message.includes(description) ? [] : [err.message]),
          ...(PROVIDER_HINTS[code] ? [PROVIDER_HINTS[code]] : []),
        ],
      };
    }
    case 'provider_unavailable':
      return { title: 'The Provider could not be reached', lines: [err.message, 'Check the URL, or try again when the Provider is back.'] };
    case 'provider_timeout':
      return { title: 'The Provider did not answer in time', lines: [err.message, 'Nothing was changed. Try again in a moment.'] };
    case 'invalid_request':
      return { title: 'Some fields need attention', lines: err.details.map((d) => `${d.path}: ${d.message}`) };
    case 'integration_revoked':
      return { title: 'This integration has been revoked', lines: [err.message] };
    case 'forbidden':
      return { title: 'Not allowed with this key', lines: [err.message, 'Ask an admin if you need to do this.'] };
    case 'not_found':
      return { title: 'Not found', lines: [err.message] };
    default:
      return { title: err.status ? `The request failed (${err.status})` : 'The request failed', lines: [err.message] };
  }
}

export function Problem({ error, note, onDismiss }: { error: unknown; note?: ReactNode; onDismiss?: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [error]);
  const { title, lines } = describeProblem(error);
  return (
    <div className="alert alert-error" role="alert" tabIndex={-1} ref={ref} data-testid="problem">
      <div className="alert-body">
        <p className="alert-title">{title}</p>
        {lines.map((line, i) => (
          <p key={i}>{line}</p>
        ))}
        {note && <p>{note}</p>}
      </div>
      {onDismiss && (
        <button type="button" className="btn btn-quiet btn-small" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}

export function Notice({ kind = 'info', title, children }: { kind?: 'info' | 'success' | 'warn'; title?: ReactNode; children?: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'success' ? 'status' : undefined}>
      <div className="alert-body">
        {title && <p className="alert-title">{title}</p>}
        {children}
      </div>
    </div>
  );
}

/** A read-only value with a Copy button (for the redirect URI to register at the Provider). */
export function CopyValue({ value, id, describedBy }: { value: string; id?: string; describedBy?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      const input = document.getElementById(id ?? '') as HTMLInputElement | null;
      input?.select();
      document.execCommand?.('copy');
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <div className="copy">
      <input id={id} className="input mono" readOnly value={value} aria-describedby={describedBy} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" className="btn btn-secondary" onClick={copy}>
        {copied ? 'Copied' : 'Copy'}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {copied ? 'Copied to the clipboard' : ''}
      </span>
    </div>
  );
}

/** A secret shown once, right after it was made: the only moment the person can copy it. */
export function ShownOnce(props: { title: string; warning: ReactNode; value: string; id: string; what: string; onHide: () => void; children?: ReactNode }) {
  return (
    <Notice kind="success" title={props.title}>
      <p>{props.warning}</p>
      <CopyValue value={props.value} id={props.id} />
      {props.children}
      <p>
        <button type="button" className="btn btn-quiet btn-small" onClick={props.onHide}>
          I have stored it — hide the {props.what}
        </button>
      </p>
    </Notice>
  );
}

/** A modal dialog on the platform's <dialog>: focus stays inside, Escape closes it. */
export function Dialog(props: { open: boolean; title: string; onClose: () => void; children: ReactNode; labelledBy?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      {props.open && (
        <>
          <h2 id="dialog-title" className="dialog-title">
            {props.title}
          </h2>
          {props.children}
        </>
      )}
    </dialog>
  );
}
