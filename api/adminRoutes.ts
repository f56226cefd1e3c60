// Admin-only routes: API keys (shown once, stored hashed, revocable at once), the audit trail, and the rollout of the
// deployment's lifecycle settings to running integrations.
import { Router } from 'express';
import type { Logger } from 'pino';
import type { AuditLog } from '../lib/audit';
import type { Registry } from '../lib/registry';
import { notFound, StewardError } from '../lib/errors';
import type { KeyStore } from '../lib/principals';
import { allow } from './auth';
import { methodNotAllowed } from './httpErrors';
import type { Lifecycle } from './lifecycle';
import type { RolloutResult } from './policyRollout';
import { auditPageQuery, auditQuery, createKey, parse, policyRollout } from './schemas';

/** One integration's update: a healthy workflow answers in well under a second. */
const POLICY_UPDATE_WAIT_MS = 10_000;

export function adminRoutes(deps: {
  keys: KeyStore;
  audit: AuditLog;
  registry: Registry;
  lifecycle: Pick<Lifecycle, 'rolloutPolicy'>;
  logger: Logger;
  config: { caps: { apiKeys: number }; lifecycle: object };
}): Router {
  const maxKeys = deps.config.caps.apiKeys;
  const router = Router();

  router
    .route('/keys')
    .post(allow('key:manage'), async (req, res) => {
      const input = parse(createKey, req.body);
      if ((await deps.keys.countLive({ createdBy: req.principal!.id })) >= maxKeys) {
        throw new StewardError('limit_reached', `You have ${maxKeys} live API keys, the most allowed; revoke one first.`);
      }
      const { key, record } = await deps.keys.create({
        name: input.name,
        role: input.role,
        tenants: input.tenants ?? null,
        integrations: input.integrations ?? null,
        canReadTokens: input.canReadTokens ?? false,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
        createdBy: req.principal!.id,
      });
      res.status(201).set('Cache-Control', 'no-store').json({ ...record, key, notice: 'Store this key now: it is not shown again.' });
    })
    .get(allow('key:manage'), async (_req, res) => {
      res.json({ items: await deps.keys.list() });
    })
    .all(methodNotAllowed);

  router
    .route('/keys/:keyId')
    .delete(allow('key:manage'), async (req, res) => {
      const id = String(req.params.keyId);
      if (!/^[a-z0-9]{16}$/.test(id)) throw notFound('key');
      const record = await deps.keys.revoke(id);
      if (!record) throw notFound('key');
      res.json(record);
    })
    .all(methodNotAllowed);

  router
    .route('/audit')
    .get(allow('audit:read'), async (req, res) => {
      const q = parse(auditPageQuery, req.query);
      if (q.integrationId) throw new StewardError('invalid_request', 'Use target to filter the audit log.', { details: [{ path: 'integrationId', message: 'use target' }] });
      // A tenant's entries are those about its integrations (the trail records targets, not tenants).
      const inTenant = q.tenantId ? (await deps.registry.list({ tenantId: q.tenantId, tenants: null }, 500)).items.map((r) => r.id) : null;
      const targets = q.target ? (inTenant && !inTenant.includes(q.target) ? [] : [q.target]) : (inTenant ?? undefined);
      const filter = { principalId: q.principalId, action: q.action, outcome: q.outcome, targets, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined };
      res.json(await deps.audit.page(filter, q.limit, q.before ?? null));
    })
    .all(methodNotAllowed);

  router
    .route('/audit/token-reads')
    .get(allow('audit:read'), async (req, res) => {
      const q = parse(auditQuery, req.query);
      res.json({ items: await deps.audit.counted('token_read', { principalId: q.principalId, target: q.integrationId }, q.limit) });
    })
    .all(methodNotAllowed);

  // Settings changed in the api's environment reach running integrations only through this: workflows cannot read it.
  router
    .route('/policy')
    .get(allow('policy:rollout'), (_req, res) => {
      res.json({ settings: deps.config.lifecycle });
    })
    .all(methodNotAllowed);

  router
    .route('/policy/rollout')
    .post(allow('policy:rollout'), async (req, res) => {
      const input = parse(policyRollout, req.body ?? {});
      const tenantId = input.tenantId ?? null;
      const countsOf = ({ matched, updated, skipped, failed }: RolloutResult) => ({ tenantId, matched, updated, skipped, failed });
      const result = await deps.lifecycle.rolloutPolicy({
        actor: req.principal!.id,
        tenantId: input.tenantId,
        concurrency: input.concurrency,
        perUpdateWaitMs: POLICY_UPDATE_WAIT_MS,
        onProgress: (progress) => deps.logger.info(countsOf(progress), 'lifecycle settings rollout in progress'),
      });
      deps.logger.info(countsOf(result), 'lifecycle settings rolled out');
      res.json({ tenantId, ...result, complete: result.failed === 0 });
    })
    .all(methodNotAllowed);

  // Counted per minute rather than written one by one: refused floods, guessed keys, codec use.
  for (const [path, kind] of [['rate-limited', 'rate_limited'], ['unauthenticated', 'unauthenticated'], ['codec-uses', 'codec_use']] as const) {
    router
      .route(`/audit/${path}`)
      .get(allow('audit:read'), async (req, res) => {
        const q = parse(auditQuery, req.query);
        res.json({ items: await deps.audit.counted(kind, { principalId: q.principalId }, q.limit) });
      })
      .all(methodNotAllowed);
  }

  return router;
}
