// Revoke, confirmed in plain words: what stops, what remains, who can reconnect ("keep revocation boring").
import { useEffect, useRef } from 'react';
import type { Integration } from '../api';
import { Dialog } from '../components/ui';

export function RevokeDialog(props: { open: boolean; integration: Integration; onClose: () => void; onConfirm: () => void }) {
  const it = props.integration;
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // The safe choice has the focus: Enter or Escape right away cancels.
    if (props.open) cancel.current?.focus();
  }, [props.open]);
  const host = it.revocationUrl ? new URL(it.revocationUrl).host : null;
  return (
    <Dialog open={props.open} title={`Revoke “${it.label}”?`} onClose={props.onClose}>
      <div className="dialog-body">
        <h3>What stops</h3>
        <ul>
          <li>Services can no longer get a token for this integration.</li>
          <li>The Marketplace stops refreshing its tokens automatically.</li>
          {host ? (
            <li>
              Its tokens are revoked at the Provider (<span className="mono">{host}</span>), and the stored Client Secret and tokens are deleted from the vault.
            </li>
          ) : (
            <li>
              The stored Client Secret and tokens are deleted from the vault. This integration has no Revocation URL, so the Provider is not told: remove the
              Marketplace’s access in the Provider’s own settings too.
            </li>
          )}
        </ul>
        <h3>What remains</h3>
        <ul>
          <li>The configuration and the history of this integration stay readable here.</li>
        </ul>
        <h3>Who can reconnect</h3>
        <ul>
          <li>Revoking cannot be undone. An admin can connect this Provider again by creating a new integration.</li>
        </ul>
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn btn-secondary" ref={cancel} onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" className="btn btn-danger" onClick={props.onConfirm}>
          Revoke integration
        </button>
      </div>
    </Dialog>
  );
}
