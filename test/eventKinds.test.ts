// The reading of lifecycle events that the fleet charts and the lifetime strip share, against the reasons lifecycle.ts writes.
import { refreshOutcome, tokenEventKind } from '../lib/eventKinds';
import { withNote } from '../workflows/lifecycle';

test('successful refreshes, first tokens and tokens after consent or a credential change are told apart', () => {
  expect(tokenEventKind({ from: 'active', to: 'active', reason: 'refreshed' })).toEqual({ kind: 'refreshed' });
  expect(tokenEventKind({ from: 'degraded', to: 'active', reason: 'recovered' })).toEqual({ kind: 'refreshed' });
  expect(tokenEventKind({ from: 'validating', to: 'active', reason: 'validated' })).toEqual({ kind: 'issued' });
  expect(tokenEventKind({ from: 'awaiting_consent', to: 'active', reason: withNote('consent granted', 'old grant revoked') })).toEqual({ kind: 'issued' });
  expect(tokenEventKind({ from: 'disconnected', to: 'active', reason: 'reconfigured' })).toEqual({ kind: 'issued' });
});

test('failed refreshes carry their code, whether retried or final; other events are not refreshes', () => {
  expect(refreshOutcome({ from: 'active', to: 'degraded', reason: 'refresh failed (server_error), attempt 2' })).toBe('server_error');
  expect(refreshOutcome({ from: 'active', to: 'disconnected', reason: 'invalid_client' })).toBe('invalid_client');
  expect(refreshOutcome({ from: 'degraded', to: 'awaiting_consent', reason: 'invalid_grant' })).toBe('invalid_grant');
  expect(refreshOutcome({ from: 'active', to: 'active', reason: 'refreshed' })).toBe('success');
  expect(refreshOutcome({ from: 'validating', to: 'awaiting_consent', reason: 'consent required' })).toBeNull();
  expect(refreshOutcome({ from: 'active', to: 'revoked', reason: 'revoked' })).toBeNull();
  expect(tokenEventKind({ from: 'active', to: 'degraded', reason: 'token expired before a refresh succeeded' })).toEqual({ kind: 'expired' });
});
