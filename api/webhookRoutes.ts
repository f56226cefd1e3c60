// /v1/webhooks (admin): subscribe a URL to lifecycle notices, list, delete. The signing secret is shown once, at creation.
import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Router, type Request } from 'express';
import type { ApiConfig } from '../lib/config';
import { invalidRequest, notFound, StewardError } from '../lib/errors';
import { resolvedUrlProblem } from '../lib/urlPolicy';
import { SIGNATURE_HEADER, type SigningSecrets, type Subscription, type WebhookStore } from '../lib/webhooks';
import { deliveryWorkflowId, unsubscribeSignal } from '../workflows/messages';
import { NOTICE_TYPES } from '../workflows/model';
import { allow } from './auth';
import { methodNotAllowed } from './httpErrors';
import { parse, webhookId, webhookSchemas } from './schemas';

export class WebhookAdmin {
  constructor(
    readonly store: WebhookStore,
    readonly secrets: SigningSecrets,
    private readonly client: Client,
  ) {}

  /** Ends the subscription's delivery workflow; notices still queued for it are dropped. */
  async stopDelivery(subscriptionId: string, actor: string): Promise<void> {
    try {
      await this.client.workflow.getHandle(deliveryWorkflowId(subscriptionId)).signal(unsubscribeSignal, { actor });
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err; // never delivered anything, or already ended
    }
  }
}

function present(sub: Subscription) {
  return { id: sub.id, url: sub.url, description: sub.description, createdAt: sub.createdAt, createdBy: sub.createdBy, links: { self: `/v1/webhooks/${sub.id}` } };
}

export function webhookRoutes(deps: { config: ApiConfig; webhooks: WebhookAdmin }): Router {
  const { config, webhooks } = deps;
  const schemas = webhookSchemas({ allowInsecure: config.allowInsecureProviders });
  const router = Router();

  async function load(req: Request): Promise<Subscription> {
    const id = webhookId.safeParse(req.params.id);
    const sub = id.success ? await webhooks.store.find(id.data) : null;
    if (!sub) throw notFound('webhook subscription');
    return sub;
  }

  router
    .route('/')
    .post(allow('webhook:manage'), async (req, res) => {
      const input = parse(schemas.create, req.body);
      const problem = await resolvedUrlProblem(input.url, config.allowInsecureProviders);
      if (problem) throw invalidRequest([{ path: 'url', message: problem }]);
      if ((await webhooks.store.countBy(req.principal!.id)) >= config.caps.webhooks) {
        throw new StewardError('limit_reached', `You have ${config.caps.webhooks} webhook subscriptions, the most allowed; delete one first.`);
      }
      const id = `whk_${randomBytes(12).toString('hex')}`;
      const { arn, secret } = await webhooks.secrets.create(id);
      let sub: Subscription;
      try {
        sub = await webhooks.store.create({ id, url: input.url, description: input.description ?? null, secretArn: arn, createdBy: req.principal!.id });
      } catch (err) {
        await webhooks.secrets.delete(arn); // leave nothing half-stored
        throw err;
      }
      res
        .status(201)
        .location(`/v1/webhooks/${id}`)
        .set('Cache-Control', 'no-store')
        .json({
          ...present(sub),
          signingSecret: secret, // shown this once; Steward keeps it only in Secrets Manager
          signature: { header: SIGNATURE_HEADER, format: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>", keyed with signingSecret>' },
          noticeTypes: NOTICE_TYPES,
        });
    })
    .get(allow('webhook:manage'), async (_req, res) => {
      res.json({ items: (await webhooks.store.list()).map(present) });
    })
    .all(methodNotAllowed);

  router
    .route('/:id')
    .get(allow('webhook:manage'), async (req, res) => {
      res.json(present(await load(req)));
    })
    .delete(allow('webhook:manage'), async (req, res) => {
      const sub = await load(req);
      await webhooks.store.delete(sub.id); // first: nothing new is published to it
      await webhooks.stopDelivery(sub.id, req.principal!.id);
      await webhooks.secrets.delete(sub.secretArn);
      res.status(204).end();
    })
    .all(methodNotAllowed);

  return router;
}
