// One long-lived workflow per webhook subscription: delivers its notices in order, one activity per attempt, with backoff.
import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, log, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { isRefusedPayload, nominalRetryDelayMs, noticeSignal, unsubscribeSignal, type AttemptOutcome, type AttemptResult, type DeliveryInput } from './messages';
import { UNSUBSCRIBE_NEEDS_PRINCIPAL } from './patches';
import type { DeliveryActivities } from '../activities/notify';
import type { Notice } from './model';

const RECENT_IDS = 1000;
const HISTORY_LIMIT = 5000;

export async function webhookDeliveryWorkflow(input: DeliveryInput): Promise<void> {
  // Only Steward's worker starts these (its input is ciphertext); a refused or malformed input ends the run at once.
  if (isRefusedPayload(input) || !Array.isArray(input?.pending) || !Array.isArray(input?.recentIds)) {
    throw ApplicationFailure.nonRetryable('The workflow input was not sent by Steward (unencrypted or malformed).', 'unattributed_start');
  }
  const { subscriptionId, policy } = input;
  const pending = [...input.pending];
  const recent = [...input.recentIds];
  const seen = new Set(recent);
  let unsubscribed = false;

  setHandler(noticeSignal, (notice) => {
    if (isRefusedPayload(notice) || typeof notice?.id !== 'string') return; // not sent by Steward: recorded, ignored
    if (seen.has(notice.id)) return; // a retried publish, or a warning already given for this token
    seen.add(notice.id);
    recent.push(notice.id);
    if (recent.length > RECENT_IDS) seen.delete(recent.shift()!);
    pending.push(notice);
  });
  setHandler(unsubscribeSignal, (args) => {
    const attributed = typeof args?.actor === 'string' && args.actor.length > 0;
    // Histories from before the argument was required replay as they ran.
    if (!attributed && patched(UNSUBSCRIBE_NEEDS_PRINCIPAL)) return;
    unsubscribed = true;
  });

  /** Attempts until accepted, gone, or the give-up time; each attempt is its own activity (id `<notice id>#<attempt>`). */
  async function deliver(notice: Notice): Promise<AttemptOutcome | 'gave_up'> {
    const giveUpAt = Date.now() + policy.giveUpAfterMs;
    for (let attempt = 1; ; attempt++) {
      const { deliverWebhook } = proxyActivities<DeliveryActivities>({
        activityId: `${notice.id}#${attempt}`,
        startToCloseTimeout: '1 minute',
        retry: { maximumAttempts: 1 },
      });
      let result: AttemptResult;
      try {
        result = await deliverWebhook({ subscriptionId, notice, attempt });
      } catch (err) {
        result = { outcome: 'refused', status: null, detail: err instanceof Error ? err.message : String(err) };
      }
      if (result.outcome !== 'refused') return result.outcome;
      const delay = nominalRetryDelayMs(policy, attempt) * (0.75 + Math.random() / 2);
      if (Date.now() + delay > giveUpAt) {
        log.warn('webhook notice given up', { subscriptionId, noticeId: notice.id, attempts: attempt, detail: result.detail });
        return 'gave_up';
      }
      if (await condition(() => unsubscribed, Math.ceil(delay))) return 'gone';
    }
  }

  for (;;) {
    await condition(() => pending.length > 0 || unsubscribed);
    if (unsubscribed) return;
    if ((await deliver(pending[0])) === 'gone') return; // the subscription was deleted
    pending.shift();

    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > HISTORY_LIMIT) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof webhookDeliveryWorkflow>({ subscriptionId, policy, pending, recentIds: recent });
    }
  }
}
