// Messages of the integration workflow, defined once and imported by both the workflow and the api.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { IntegrationConfig, PublicState, ProviderFailure, SuppliedSecrets } from './model';

/**
 * What the payload codec hands over in place of a payload it refuses (lib/codec.ts): plaintext, forged ciphertext, or
 * a key this deployment does not hold. No Steward input, message or activity result has this shape.
 */
export interface RefusedPayload {
  refused: 'unencrypted' | 'undecryptable' | 'unknown-key';
  detail: string;
}

export function isRefusedPayload(value: unknown): value is RefusedPayload {
  return typeof value === 'object' && value !== null && 'refused' in value && typeof (value as RefusedPayload).detail === 'string';
}

export type ValidationResult = { ok: true; state: PublicState } | { ok: false; failure: ProviderFailure };

export interface RefreshNowArgs {
  actor: string;
  /** Skip the refresh when the current token is still valid at this instant (ISO); absent = always refresh. */
  unlessValidUntil?: string;
  /** Refresh only if this secret version is still current (a service reported that token refused); absent = no such condition. */
  ifVersion?: string;
}

export interface ConfigChange {
  actor: string;
  changes: Partial<Pick<IntegrationConfig, 'label' | 'tokenUrl' | 'clientId' | 'scope' | 'apiBaseUrl' | 'revocationUrl' | 'tokenAuthMethod' | 'authorizationUrl' | 'redirectUri' | 'owner'>>;
  secrets?: SuppliedSecrets;
}

export type ConfigChangeResult = { ok: true; config: IntegrationConfig; state: PublicState } | { ok: false; failure: ProviderFailure };

/** What the OAuth callback hands over once the user has consented at the provider. */
export interface ConsentCompletion {
  actor: string;
  code: string;
  codeVerifier: string;
  redirectUri: string;
}

export type ConsentResult = { ok: true; state: PublicState } | { ok: false; failure: ProviderFailure };

export interface RevokeArgs {
  actor: string;
  reason?: string;
}

/** Resolves once the first validation has finished (used with update-with-start by the create call). */
export const validatedUpdate = defineUpdate<ValidationResult>('validated');
export const refreshNowUpdate = defineUpdate<PublicState, [RefreshNowArgs]>('refreshNow');
export const updateConfigUpdate = defineUpdate<ConfigChangeResult, [ConfigChange]>('updateConfig');
export const completeConsentUpdate = defineUpdate<ConsentResult, [ConsentCompletion]>('completeConsent');
export const revokeSignal = defineSignal<[RevokeArgs]>('revoke');
export const stateQuery = defineQuery<PublicState>('state');
