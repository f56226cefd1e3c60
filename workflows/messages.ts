// Messages of Steward's workflows (integration, webhook delivery), defined once and imported by workflows, activities and the api.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { IntegrationConfig, LifecyclePolicy, Notice, PublicState, ProviderFailure, SuppliedSecrets } from './model';

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
  changes: Partial<Pick<IntegrationConfig, 'label' | 'tokenUrl' | 'clientId' | 'scope' | 'apiBaseUrl' | 'revocationUrl' | 'tokenAuthMethod' | 'authorizationUrl' | 'redirectUri' | 'owner' | 'revokeReplacedGrant' | 'clientAssertionAlg' | 'clientKeyId' | 'clientCertificateThumbprint' | 'assertionSubject' | 'assertionAudience'>>;
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

/** The deployment-wide lifecycle settings (STEWARD_* on the api); refreshTokenIdleMs is the integration's own (its provider's). */
export type LifecycleSettings = Omit<LifecyclePolicy, 'refreshTokenIdleMs'>;

/** New lifecycle settings for a running integration; its own refreshTokenIdleMs stays. */
export interface PolicyChange {
  actor: string;
  settings: LifecycleSettings;
}

/** Resolves once the first validation has finished (used with update-with-start by the create call). */
export const validatedUpdate = defineUpdate<ValidationResult>('validated');
export const refreshNowUpdate = defineUpdate<PublicState, [RefreshNowArgs]>('refreshNow');
export const updateConfigUpdate = defineUpdate<ConfigChangeResult, [ConfigChange]>('updateConfig');
export const completeConsentUpdate = defineUpdate<ConsentResult, [ConsentCompletion]>('completeConsent');
export const updatePolicyUpdate = defineUpdate<PublicState, [PolicyChange]>('updatePolicy');
export const revokeSignal = defineSignal<[RevokeArgs]>('revoke');
export const stateQuery = defineQuery<PublicState>('state');

// ── webhook delivery workflow ───────────────────────────────────────────────────────────────────

export interface DeliveryPolicy {
  retryBaseMs: number;
  retryMaxMs: number;
  /** A notice not accepted within this long after its first attempt is dropped (logged), so one can't block the rest forever. */
  giveUpAfterMs: number;
}

/** The delivery workflow's pause after a refused attempt, before its ±25% jitter (the activity reports it as "next retry"). */
export function nominalRetryDelayMs(policy: DeliveryPolicy, attempt: number): number {
  return Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** (attempt - 1));
}

export interface DeliveryInput {
  subscriptionId: string;
  policy: DeliveryPolicy;
  pending: Notice[];
  /** Ids seen lately, carried across continue-as-new for deduplication. */
  recentIds: string[];
}

export type AttemptOutcome = 'accepted' | 'refused' | 'gone';
export interface AttemptResult {
  outcome: AttemptOutcome;
  status: number | null;
  detail: string;
}

export const noticeSignal = defineSignal<[Notice]>('notice');
/** Carries the principal: an argument-less signal has no payload for the codec to refuse, so anyone could send one. */
export const unsubscribeSignal = defineSignal<[{ actor: string }]>('unsubscribe');
export const deliveryWorkflowId = (subscriptionId: string) => `webhook-${subscriptionId}`;
/** Deliveries run on their own task queue and worker, so a slow subscriber never takes a slot a refresh needs. */
export const webhookTaskQueue = (integrationQueue: string) => `${integrationQueue}-webhooks`;
