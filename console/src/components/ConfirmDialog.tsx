// A confirmation for something that cannot be undone: what happens in plain words; focus starts on Cancel.
import { useEffect, useRef, type ReactNode } from 'react';
import { Dialog } from './ui';

export function ConfirmDialog(props: { open: boolean; title: string; confirmLabel: string; onClose: () => void; onConfirm: () => void; children: ReactNode }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (props.open) cancel.current?.focus();
  }, [props.open]);
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onClose}>
      <div className="dialog-body">{props.children}</div>
      <div className="dialog-actions">
        <button type="button" className="btn btn-secondary" ref={cancel} onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" className="btn btn-danger" onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
