// GET /v1/webhooks/:id/deliveries (admin): a subscription's recent delivery attempts, newest first; never a body or secret.
import { Router } from 'express';
import { notFound } from '../lib/errors';
import type { DeliveryLog } from '../lib/webhookDeliveries';
import type { WebhookAdmin } from './webhookRoutes';
import { allow } from './auth';
import { methodNotAllowed } from './httpErrors';
import { deliveriesQuery, parse, webhookId } from './schemas';

export function webhookDeliveryRoutes(deps: { webhooks: WebhookAdmin; deliveries: DeliveryLog }): Router {
  const router = Router();
  router
    .route('/:id/deliveries')
    .get(allow('webhook:manage'), async (req, res) => {
      const id = webhookId.safeParse(req.params.id);
      const sub = id.success ? await deps.webhooks.store.find(id.data) : null;
      if (!sub) throw notFound('webhook subscription');
      const { limit } = parse(deliveriesQuery, req.query);
      res.json({ items: await deps.deliveries.recent(sub.id, limit) });
    })
    .all(methodNotAllowed);
  return router;
}
