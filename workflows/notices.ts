// What webhook subscribers are told: a notice per status change, and a warning when a token nears expiry while refresh keeps failing.
import { log, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { IntegrationConfig, IntegrationState, LifecyclePolicy, Notice, NoticeType, Status, TransitionEvent } from './model';

/** Refreshes failing this many times in a row, inside the refresh buffer, is worth a warning. */
const EXPIRING_AFTER_FAILURES = 2;

function noticeType(from: Status | null, to: Status): NoticeType | null {
  if (from === to || to === 'validating') return null;
  if (to === 'active') return from === 'degraded' ? 'recovered' : 'activated';
  return to;
}

/** The notices one recorded transition produces (usually none: most transitions are routine refreshes). */
export function noticesFor(event: TransitionEvent, state: IntegrationState, config: IntegrationConfig, policy: LifecyclePolicy, nowMs: number): Notice[] {
  const base = {
    integrationId: event.integrationId,
    tenantId: config.tenantId,
    label: config.label,
    from: event.from,
    to: event.to,
    actor: event.actor,
    at: event.at,
    expiresAt: state.expiresAt,
    consecutiveFailures: state.consecutiveFailures,
    lastError: state.lastError,
  };
  const notices: Notice[] = [];
  const type = noticeType(event.from, event.to);
  if (type) notices.push({ ...base, id: `${event.integrationId}:${event.seq}`, type, reason: event.reason });

  const left = state.expiresAt ? Date.parse(state.expiresAt) - nowMs : -1;
  const failing = (event.to === 'active' || event.to === 'degraded') && state.consecutiveFailures >= EXPIRING_AFTER_FAILURES;
  if (failing && left > 0 && left <= policy.refreshBufferMs) {
    notices.push({
      ...base,
      // One warning per token: repeats (every failed retry) carry the same id and are dropped by the delivery workflow.
      id: `${event.integrationId}:token_expiring:${state.generation}`,
      type: 'token_expiring',
      reason: `token expires in ${Math.round(left / 1000)} s and refresh keeps failing (${state.consecutiveFailures} attempts)`,
    });
  }
  return notices;
}

// Publishing only signals the subscriptions' delivery workflows; it never waits on a subscriber.
const notifyCalls = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 6 },
});

/** Hands notices to the subscriptions; a failure to do so is logged and never stops the lifecycle. */
export async function publishNotices(notices: Notice[]): Promise<void> {
  if (notices.length === 0) return;
  try {
    await notifyCalls.publishNotices({ notices });
  } catch (err) {
    log.warn('webhook notices not published', { ids: notices.map((n) => n.id), error: err instanceof Error ? err.message : String(err) });
  }
}

/**
 * The workflow's "current details" in the Temporal UI. Like every payload it passes the encryption codec, so the UI
 * shows it to operators whose UI decodes through the codec server; status, tenant and expiry are also plaintext search attributes.
 */
export function publishDetails(config: IntegrationConfig, state: IntegrationState): void {
  const parts = [
    `**${config.label}**`,
    `tenant: ${config.tenantId ?? '—'}`,
    `status: ${state.status}`,
    `token expires: ${state.expiresAt ?? '—'}`,
    ...(state.consecutiveFailures > 0 && state.lastError ? [`failing: ${state.lastError.code} × ${state.consecutiveFailures}`] : []),
  ];
  setCurrentDetails(parts.join(' · '));
}
