// /v1/integrations: create, read, change, refresh, revoke, events (the token read is api/tokenRoute.ts).
import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { ApiConfig } from '../lib/config';
import { fromProviderFailure, invalidRequest, notFound, StewardError, unavailableIn } from '../lib/errors';
import { workflowTasksFailing } from '../lib/metrics';
import { parseListCursor, type IntegrationRecord, type Registry } from '../lib/registry';
import type { IntegrationConfig } from '../workflows/model';
import { credentialChangeProblems } from '../workflows/credentialChange';
import { revokeReplacedGrantProblem } from '../lib/replacedGrantRule';
import type { Lifecycle } from './lifecycle';
import type { ConsentStore } from '../lib/consent';
import type { IdempotencyKeys } from '../lib/idempotency';
import { allow, may } from './auth';
import { consentLink } from './consentRoutes';
import { resolveEndpoints } from './endpoints';
import { methodNotAllowed } from './httpErrors';
import { FAILING_TASK_ATTEMPTS, presentIntegration, withWorkflowHealth } from './present';
import { loadVisible } from './loadIntegration';
import { grantCredentialProblems, methodForKey, NO_CLIENT_KEY, suppliedCredential } from './clientCredential';
import { checkResolvedUrls, createHeaders, eventsQuery, integrationSchemas, listQuery, ownerTransfer, parse } from './schemas';
import type { TokenService } from './tokens';

const CREATE_WAIT_MS = 45_000;
const CHANGE_WAIT_MS = 30_000;

export function integrationRoutes(deps: {
  config: ApiConfig;
  registry: Registry;
  lifecycle: Lifecycle;
  tokens: TokenService;
  consent: ConsentStore;
  idempotency: IdempotencyKeys;
}): Router {
  const { config, registry, lifecycle, tokens, consent, idempotency } = deps;
  const schemas = integrationSchemas({ allowInsecure: config.allowInsecureProviders });
  const ui = { url: config.temporalUiUrl, namespace: config.temporal.namespace };
  const router = Router();
  // Every message that changes credentials or lifecycle names the principal it acts for; the workflow refuses others.
  const actorOf = (req: Request) => {
    if (!req.principal) throw new StewardError('unauthorized', 'No authenticated principal.');
    return req.principal.id;
  };

  const load = (req: Request) => loadVisible(registry, req);
  const present = (req: Request, record: Parameters<typeof presentIntegration>[0]) => presentIntegration(record, ui, { providerText: may(req.principal!, 'events:read') });

  /** 201 with the integration; while it awaits consent also a consent link, since nothing works before consent. */
  async function answerCreated(res: Response, record: IntegrationRecord, issuedBy: string): Promise<void> {
    const consentNeeded = record.grantType === 'authorization_code' && record.state.status === 'awaiting_consent' ? { consent: await consentLink(consent, record, issuedBy) } : {};
    res.status(201).location(`/v1/integrations/${record.id}`).json({ ...presentIntegration(record, ui), ...consentNeeded });
  }

  router
    .route('/')
    .post(allow('integration:create'), async (req, res) => {
      const input = parse(schemas.create, req.body);
      const idempotencyKey = parse(createHeaders, { 'Idempotency-Key': req.get('Idempotency-Key') })['Idempotency-Key'];
      const { clientSecret, privateKey, clientAssertionAlg, clientKeyId, certificate, refreshToken, ...rest } = input;
      const { credential, key } = suppliedCredential({ clientSecret, privateKey, clientAssertionAlg, clientKeyId, certificate });
      if (key) rest.tokenAuthMethod = methodForKey(rest.grantType);
      const principal = req.principal!;
      if (principal.tenants !== null && !(rest.tenantId && principal.tenants.includes(rest.tenantId))) {
        throw new StewardError('forbidden', 'You may only create integrations in your own tenants; set tenantId to one of them.');
      }
      // Ownership decides who is paged and billed: a confined principal names itself or a team (tenant) it belongs to.
      if (principal.tenants !== null && rest.owner !== undefined && rest.owner !== principal.id && !principal.tenants.includes(rest.owner)) {
        throw invalidRequest([{ path: 'owner', message: 'must be your own key id or one of your tenants' }]);
      }
      // A retry with the same Idempotency-Key reuses the first request's id: its workflow (id integration-<id>) is
      // joined rather than started twice, and an integration already registered is answered as it is.
      let id = `int_${randomBytes(12).toString('hex')}`;
      if (idempotencyKey !== undefined) {
        const claimed = await idempotency.claim(principal.id, idempotencyKey, input, id);
        id = claimed.integrationId;
        const existing = claimed.replay ? await registry.find(id) : null;
        if (existing) return void (await answerCreated(res.set('Idempotent-Replayed', 'true'), existing, principal.id));
      }
      const endpoints = await resolveEndpoints(rest, config.allowInsecureProviders);
      await checkResolvedUrls(endpoints, config.allowInsecureProviders);
      const integration: IntegrationConfig = {
        id,
        label: rest.label,
        grantType: rest.grantType,
        tokenUrl: endpoints.tokenUrl,
        clientId: rest.clientId,
        scope: endpoints.scope,
        apiBaseUrl: endpoints.apiBaseUrl,
        tenantId: rest.tenantId ?? null,
        revocationUrl: endpoints.revocationUrl,
        tokenAuthMethod: endpoints.tokenAuthMethod,
        authorizationUrl: endpoints.authorizationUrl,
        redirectUri: rest.redirectUri ?? null,
        owner: rest.owner ?? principal.id,
        preset: endpoints.preset,
        issuer: endpoints.issuer,
        issRequired: endpoints.issRequired,
        authorizationParams: endpoints.authorizationParams,
        tokenRequestHeaders: endpoints.tokenRequestHeaders,
        revokeReplacedGrant: endpoints.revokeReplacedGrant,
        ...(rest.dpop ? { dpop: true } : {}),
        ...(key ?? {}),
        ...(rest.grantType === 'jwt_bearer' ? { assertionSubject: rest.assertionSubject ?? null, assertionAudience: endpoints.assertionAudience } : {}),
      };
      const outcome = await lifecycle.create(integration, { clientSecret: credential, refreshToken }, actorOf(req), CREATE_WAIT_MS, endpoints.policy);
      if (!outcome.ok) throw fromProviderFailure(outcome.failure);
      const record = await registry.find(integration.id);
      if (!record) throw notFound();
      await answerCreated(res, record, principal.id);
    })
    .get(allow('integration:read'), async (req, res) => {
      const q = parse(listQuery, req.query);
      const page = await registry.list({ tenantId: q.tenantId, status: q.status, tenants: req.principal!.tenants }, q.limit, q.after ? parseListCursor(q.after) : null);
      res.json({ items: page.items.map((r) => present(req, r)), nextCursor: page.nextCursor });
    })
    .all(methodNotAllowed);

  router
    .route('/:id')
    .get(allow('integration:read'), async (req, res) => {
      const record = await load(req);
      const attempts = record.state.status === 'revoked' ? null : await lifecycle.workflowTaskAttempts(record.id);
      if (attempts !== null && attempts >= FAILING_TASK_ATTEMPTS) workflowTasksFailing.inc();
      res.json(withWorkflowHealth(present(req, record), attempts));
    })
    .patch(allow('integration:update'), async (req, res) => {
      const record = await load(req);
      // An invalid body is a 400 whatever the integration's state: the caller learns what to fix first.
      const { clientSecret, privateKey, clientAssertionAlg, clientKeyId, certificate, refreshToken, ...input } = parse(schemas.update, req.body);
      if (record.state.status === 'revoked') throw unavailableIn('revoked');
      await checkResolvedUrls(input, config.allowInsecureProviders);
      const { credential, key } = suppliedCredential({ clientSecret, privateKey, clientAssertionAlg, clientKeyId, certificate });
      const method = key ? methodForKey(record.grantType) : (input.tokenAuthMethod ?? record.tokenAuthMethod);
      // A key brings its signing configuration; leaving private_key_jwt clears it.
      const changes = key ? { ...input, tokenAuthMethod: method, ...key } : method !== 'private_key_jwt' && record.tokenAuthMethod === 'private_key_jwt' ? { ...input, ...NO_CLIENT_KEY } : input;
      const secrets = credential || refreshToken ? { clientSecret: credential, refreshToken } : undefined;
      const problems = [...grantCredentialProblems(record, { clientSecret, ...input }), ...credentialChangeProblems(record, { changes, secrets })];
      if (clientSecret && method === 'private_key_jwt') problems.push({ path: 'clientSecret', message: 'is not used by private_key_jwt: supply privateKey (or change tokenAuthMethod)' });
      const revokeProblem = revokeReplacedGrantProblem(record.preset ?? null, changes.revokeReplacedGrant);
      if (revokeProblem) problems.push({ path: 'revokeReplacedGrant', message: revokeProblem });
      if (problems.length) throw invalidRequest(problems);
      const result = await lifecycle.updateConfig(record.id, { actor: actorOf(req), changes, secrets }, CHANGE_WAIT_MS);
      if (!result.ok) throw fromProviderFailure(result.failure);
      await tokens.forget(record.id);
      res.json(present(req, (await registry.find(record.id))!));
    })
    .all(methodNotAllowed);

  // GET is served ahead of this router (api/tokenRoute.ts).
  router.route('/:id/token').all(methodNotAllowed);

  router
    .route('/:id/refresh')
    .post(allow('integration:refresh'), async (req, res) => {
      const record = await load(req);
      if (record.state.status === 'revoked') throw unavailableIn('revoked');
      await lifecycle.refreshNow(record.id, { actor: actorOf(req) }, CHANGE_WAIT_MS);
      await tokens.forget(record.id);
      res.json(present(req, (await registry.find(record.id))!));
    })
    .all(methodNotAllowed);

  router
    .route('/:id/revoke')
    .post(allow('integration:revoke'), async (req, res) => {
      const record = await load(req);
      // This instance stops serving at once; others follow within the mirror's bound (README, "Token mirror").
      tokens.revoking(record.id);
      const finished = record.state.status === 'revoked' || (await lifecycle.revoke(record.id, { actor: actorOf(req) }, CHANGE_WAIT_MS));
      await tokens.forget(record.id);
      res.status(finished ? 200 : 202).json(present(req, (await registry.find(record.id))!));
    })
    .all(methodNotAllowed);

  router
    .route('/:id/events')
    .get(allow('events:read'), async (req, res) => {
      const record = await load(req);
      // Newest first: what happened last (a revocation after thousands of refreshes) is on the first page.
      const q = parse(eventsQuery, req.query);
      const items = await registry.listEvents(record.id, q.limit, q.before ?? null);
      const nextCursor = items.length === q.limit ? String(items[items.length - 1].seq) : null;
      res.json({ items, nextCursor });
    })
    .all(methodNotAllowed);

  router
    .route('/:id/owner')
    .post(allow('integration:transfer'), async (req, res) => {
      const record = await load(req);
      const { owner } = parse(ownerTransfer, req.body);
      if (record.state.status === 'revoked') throw unavailableIn('revoked');
      const result = await lifecycle.updateConfig(record.id, { actor: actorOf(req), changes: { owner } }, CHANGE_WAIT_MS);
      if (!result.ok) throw fromProviderFailure(result.failure);
      res.json(present(req, (await registry.find(record.id))!));
    })
    .all(methodNotAllowed);

  return router;
}
