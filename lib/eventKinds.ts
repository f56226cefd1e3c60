// What a lifecycle event says about tokens, read from its reason: one reading shared by the fleet charts and the console.
import type { TransitionEvent } from '../workflows/model';

export type TokenEventKind =
  | { kind: 'issued' } // a first token, or one after consent or a credential change
  | { kind: 'refreshed' } // a refresh succeeded (routine or recovered)
  | { kind: 'failed'; code: string } // a refresh failed with this code
  | { kind: 'expired' } // the token expired before a refresh succeeded
  | { kind: 'other' };

const FAILED = /^refresh failed \(([^)]+)\)/;

/** The reasons are written by workflows/lifecycle.ts (refreshedReason, afterRefreshFailure, withNote). */
export function tokenEventKind(e: Pick<TransitionEvent, 'from' | 'to' | 'reason'>): TokenEventKind {
  if (e.to === 'active' && /^(refreshed|recovered)\b/.test(e.reason)) return { kind: 'refreshed' };
  if (e.to === 'active' && /^(validated|consent granted|reconfigured)\b/.test(e.reason)) return { kind: 'issued' };
  const failed = FAILED.exec(e.reason);
  if (failed) return { kind: 'failed', code: failed[1] };
  // invalid_grant / invalid_client end the retries: the reason is the code itself.
  if ((e.to === 'awaiting_consent' || e.to === 'disconnected') && (e.from === 'active' || e.from === 'degraded') && /^[a-z_]+$/.test(e.reason)) {
    return { kind: 'failed', code: e.reason };
  }
  if (e.reason === 'token expired before a refresh succeeded') return { kind: 'expired' };
  return { kind: 'other' };
}

/** A refresh's outcome for the per-provider chart: 'success' or the failure code; null for events that are not refreshes. */
export function refreshOutcome(e: Pick<TransitionEvent, 'from' | 'to' | 'reason'>): string | null {
  const k = tokenEventKind(e);
  return k.kind === 'refreshed' ? 'success' : k.kind === 'failed' ? k.code : null;
}
