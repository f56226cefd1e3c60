// GET /v1/connectors: the presets an admin can pick instead of typing URLs, with the fields each one needs.
import { Router } from 'express';
import { describePreset, GENERIC_CONNECTOR, PRESETS } from '../lib/connectors';
import { notFound } from '../lib/errors';
import { allow } from './auth';
import { methodNotAllowed } from './httpErrors';

export function connectorRoutes(): Router {
  const router = Router();
  const items = [GENERIC_CONNECTOR, ...[...PRESETS.values()].map(describePreset)];
  router.route('/').get(allow('integration:read'), (_req, res) => void res.json({ items })).all(methodNotAllowed);
  router
    .route('/:connectorId')
    .get(allow('integration:read'), (req, res) => {
      const item = items.find((i) => i.id === req.params.connectorId);
      if (!item) throw notFound('connector');
      res.json(item);
    })
    .all(methodNotAllowed);
  return router;
}
