// Webhook activities: hand a notice to every subscription's delivery workflow, and make one signed delivery attempt.
import type { Client } from '@temporalio/client';
import { guardedFetch } from '../lib/guardedFetch';
import { webhookAttempts, webhookNotices } from '../lib/metrics';
import { SIGNATURE_HEADER, signatureHeader, type SigningSecrets, type WebhookStore } from '../lib/webhooks';
import { deliveryWorkflowId, nominalRetryDelayMs, noticeSignal, type AttemptResult, type DeliveryInput, type DeliveryPolicy } from '../workflows/messages';
import type { DeliveryLog } from '../lib/webhookDeliveries';
import type { Notice } from '../workflows/model';
// The workflow by type only (the bundle's code never loads here).
import type { webhookDeliveryWorkflow } from '../workflows/delivery';

export interface PublishDeps {
  webhooks: WebhookStore;
  client: Client;
  /** The webhook task queue (see webhookTaskQueue). */
  taskQueue: string;
  policy: DeliveryPolicy;
}

export function notifyActivities(deps: { publish: PublishDeps }) {
  const { webhooks, client, taskQueue, policy } = deps.publish;
  return {
    /** Signals each notice, in order, to each subscription's delivery workflow (starting it if needed). Idempotent by notice id. */
    async publishNotices(input: { notices: Notice[] }): Promise<{ subscriptions: number }> {
      const subscriptions = await webhooks.list();
      for (const sub of subscriptions) {
        for (const notice of input.notices) {
          const start: DeliveryInput = { subscriptionId: sub.id, policy, pending: [], recentIds: [] };
          await client.workflow.signalWithStart<typeof webhookDeliveryWorkflow, [Notice]>('webhookDeliveryWorkflow', {
            workflowId: deliveryWorkflowId(sub.id),
            taskQueue,
            args: [start],
            signal: noticeSignal,
            signalArgs: [notice],
          });
        }
      }
      for (const notice of input.notices) webhookNotices.inc({ type: notice.type });
      return { subscriptions: subscriptions.length };
    },
  };
}

const MAX_DETAIL = 200;

export function deliveryActivities(deps: {
  webhooks: WebhookStore;
  secrets: SigningSecrets;
  allowInsecure: boolean;
  timeoutMs: number;
  /** Where attempts are listed for the console; absent: not recorded. */
  log?: { deliveries: DeliveryLog; policy: DeliveryPolicy };
}) {
  const { webhooks, secrets } = deps;
  return {
    /** One attempt: POST the signed notice; 2xx is accepted, anything else (or no answer) is refused and retried by the workflow. */
    async deliverWebhook(input: { subscriptionId: string; notice: Notice; attempt: number }): Promise<AttemptResult> {
      const end = webhookAttempts.startTimer();
      const done = async (result: AttemptResult) => {
        end({ outcome: result.outcome });
        if (deps.log && result.outcome !== 'gone') {
          const at = new Date();
          const nextRetryAround = result.outcome === 'refused' ? new Date(at.getTime() + nominalRetryDelayMs(deps.log.policy, input.attempt)) : null;
          const { subscriptionId, notice, attempt } = input;
          // Listing is a convenience: a failed write must not turn a delivered notice into a retried one.
          await deps.log.deliveries
            .record({ subscriptionId, noticeId: notice.id, noticeType: notice.type, attempt, outcome: result.outcome, status: result.status, detail: result.detail, at, nextRetryAround })
            .catch(() => undefined);
        }
        return result;
      };
      const sub = await webhooks.find(input.subscriptionId);
      const secret = sub ? await secrets.read(sub.secretArn) : null;
      if (!sub || !secret) return done({ outcome: 'gone', status: null, detail: 'subscription deleted' });

      const body = JSON.stringify(input.notice);
      try {
        // The provider URL guard again, on the address actually connected to; no redirects; bounded answer.
        const res = await guardedFetch(sub.url, {
          method: 'POST',
          signal: AbortSignal.timeout(deps.timeoutMs),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Steward-Webhooks/1',
            'steward-event-id': input.notice.id,
            'steward-event-type': input.notice.type,
            'steward-delivery-attempt': String(input.attempt),
            [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(secret, body),
          },
          body,
        }, deps.allowInsecure);
        const accepted = res.status >= 200 && res.status < 300;
        return done({ outcome: accepted ? 'accepted' : 'refused', status: res.status, detail: `HTTP ${res.status}` });
      } catch (err) {
        const e = err as { name?: string; message?: string; cause?: { code?: string } };
        const detail = e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.message ?? 'request failed');
        return done({ outcome: 'refused', status: null, detail: String(detail).slice(0, MAX_DETAIL) });
      }
    },
  };
}

export type DeliveryActivities = ReturnType<typeof deliveryActivities>;
