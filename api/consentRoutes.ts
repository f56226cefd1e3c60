// The authorization-code journey over HTTP: consent links (authenticated) and the provider's redirect back (public).
import { Router, type Request, type Response } from 'express';
import * as oauth from 'oauth4webapi';
import type { ApiConfig } from '../lib/config';
import type { ConsentStore } from '../lib/consent';
import { fromProviderFailure, StewardError } from '../lib/errors';
import type { IntegrationRecord, Registry } from '../lib/registry';
import { allow, may } from './auth';
import { methodNotAllowed } from './httpErrors';
import type { Lifecycle } from './lifecycle';
import { loadVisible } from './loadIntegration';
import { isReservedAuthorizationParam } from './schemas';
import type { TokenService } from './tokens';

const CONSENT_WAIT_MS = 30_000;
// Parameters that must never arrive at a code-flow callback: tokens belong in the token response only.
const TOKEN_PARAMS = ['access_token', 'id_token', 'refresh_token', 'token'];

export interface ConsentDeps {
  registry: Registry;
  consent: ConsentStore;
  lifecycle: Lifecycle;
  tokens: TokenService;
  /** caps.openConsentLinks: unused, unexpired consent links one principal may hold open at once. */
  config: Pick<ApiConfig, 'caps'>;
}

/** 429 once a principal holds its cap of open consent links: each one is a live state in MongoDB. */
export async function capOpenLinks(consent: ConsentStore, principalId: string, max: number): Promise<void> {
  if ((await consent.openIssuedBy(principalId)) >= max) {
    throw new StewardError('rate_limited', `You hold ${max} open consent links, the most allowed; use or let one expire first.`);
  }
}

/** A fresh consent link: the provider's authorization URL with PKCE (S256) and a one-time state. */
export async function consentLink(consent: ConsentStore, integration: IntegrationRecord, issuedBy: string) {
  if (integration.grantType !== 'authorization_code' || !integration.authorizationUrl || !integration.redirectUri) {
    throw new StewardError('invalid_request', 'Only authorization_code integrations take consent.', {
      details: [{ path: 'grantType', message: 'must be authorization_code to authorize' }],
    });
  }
  const { state, codeVerifier, expiresAt } = await consent.start(integration.id, issuedBy);
  const url = new URL(integration.authorizationUrl);
  // Provider-specific extras first (access_type=offline, prompt=consent, …); the protocol's own parameters win.
  // Reserved names are refused at create; skipping them here also covers integrations stored before that check.
  for (const [name, value] of Object.entries(integration.authorizationParams ?? {})) if (!isReservedAuthorizationParam(name)) url.searchParams.set(name, value);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', integration.clientId);
  url.searchParams.set('redirect_uri', integration.redirectUri);
  if (integration.scope) url.searchParams.set('scope', integration.scope);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return { authorizationUrl: url.toString(), expiresAt: expiresAt.toISOString() };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page a browser lands on after the provider: says what happened, in plain words. */
function page(res: Response, status: number, title: string, text: string, integrationId: string | null): void {
  const link = integrationId ? `<p><a href="/console/integrations/${escape(integrationId)}">Open the integration in the console</a></p>` : '';
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    // Never inside another site's frame: a framed callback page could be dressed up to steer the user (clickjacking).
    .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .set('X-Frame-Options', 'DENY')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)} · Steward</title>` +
        `<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2933}h1{font-size:1.5rem}` +
        `.ok{color:#0b7a3e}.bad{color:#b42318}</style></head><body><h1 class="${status < 300 ? 'ok' : 'bad'}">${escape(title)}</h1>` +
        `<p>${escape(text)}</p>${link}</body></html>`,
    );
}

/** The provider's redirect back. Public: the browser carries no API key, the one-time state is the credential. */
export function callbackRoutes(deps: ConsentDeps): Router {
  const router = Router();
  router
    .route('/oauth/callback')
    .get(async (req: Request, res: Response) => {
      const params = new URL(req.originalUrl, 'http://callback').searchParams;
      const state = params.get('state');
      if (!state || state.length > 256) return page(res, 400, 'Consent link not recognised', 'The provider sent no valid state. Start again from the integration page.', null);
      // The state is used up first, whatever happens next: a replay always fails.
      const consumed = await deps.consent.consume(state);
      if (consumed.outcome !== 'ok') {
        const why = { unknown: 'This consent link is not recognised.', expired: 'This consent link has expired.', used: 'This consent link has already been used.' }[consumed.outcome];
        return page(res, 400, 'Consent not completed', `${why} Nothing was changed; start again from the integration page.`, consumed.integrationId);
      }
      const id = consumed.integrationId;
      // From here on the attempt is audited as a consent completion under the principal that issued the link.
      req.action = 'consent:complete';
      res.locals.audit = { principalId: consumed.issuedBy ?? 'browser', target: id };
      const integration = await deps.registry.find(id);
      if (!integration || !integration.redirectUri || !integration.authorizationUrl) return page(res, 404, 'Integration not found', 'The integration no longer exists.', null);
      const revokedMeanwhile = () => page(res, 410, 'Consent not completed', 'The integration was revoked meanwhile. Nothing was changed.', id);
      if (integration.state.status === 'revoked') return revokedMeanwhile();
      if (TOKEN_PARAMS.some((p) => params.has(p))) {
        return page(res, 400, 'Consent rejected', 'The provider sent tokens in the browser redirect, which is unsafe; they were ignored and nothing was changed.', id);
      }
      const error = params.get('error');
      if (error) {
        const text = error === 'access_denied' ? 'Consent was denied at the provider.' : `The provider reported an error (${error.slice(0, 64)}).`;
        return page(res, 400, 'Consent not granted', `${text} Nothing was changed.`, id);
      }
      // RFC 9207: an iss parameter must name the server we sent the user to (mix-up defence): exactly the known
      // issuer, or without one, the authorization URL's origin.
      const iss = params.get('iss');
      if (iss === null && integration.issRequired) {
        return page(res, 400, 'Consent rejected', 'The response did not say which authorization server sent it, though this one always does. Nothing was changed.', id);
      }
      const issOk = iss === null || (integration.issuer ? iss === integration.issuer : sameOrigin(iss, integration.authorizationUrl));
      if (!issOk) {
        return page(res, 400, 'Consent rejected', 'The response came from a different authorization server than the one this integration uses. Nothing was changed.', id);
      }
      const code = params.get('code');
      if (!code || code.length > 4096) return page(res, 400, 'Consent not completed', 'The provider sent no authorization code. Nothing was changed.', id);

      let result;
      try {
        result = await deps.lifecycle.completeConsent(id, { actor: consumed.issuedBy ?? 'consent', code, codeVerifier: consumed.codeVerifier, redirectUri: integration.redirectUri }, CONSENT_WAIT_MS);
      } catch (err) {
        if (err instanceof StewardError && err.code === 'integration_revoked') return revokedMeanwhile();
        throw err;
      }
      await deps.tokens.forget(id);
      if (!result.ok && fromProviderFailure(result.failure).code === 'integration_revoked') return revokedMeanwhile();
      if (!result.ok) {
        const why = result.failure.code === 'invalid_grant' ? 'the code was already used or has expired (invalid_grant).' : result.failure.message;
        return page(res, 502, 'Consent not completed', `The provider refused to exchange the authorization code: ${why} Nothing was changed; start again from the integration page.`, id);
      }
      return page(res, 200, 'Connected', `"${integration.label}" is connected and active. Steward will keep its token fresh.`, id);
    })
    .all(methodNotAllowed);
  return router;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** Authenticated: a consent link for one integration (JSON for the console, a redirect for a browser). */
export function authorizeRoutes(deps: ConsentDeps): Router {
  const router = Router();
  router
    .route('/:id/authorize')
    .get(allow('integration:consent'), async (req, res) => {
      const integration = await loadVisible(deps.registry, req);
      if (integration.state.status === 'revoked') throw new StewardError('integration_revoked', 'The integration has been revoked.', { status: 'revoked' });
      // Once consented, a new link re-points the connection to whichever account consents next: a reconnect, for
      // those who may hold the tokens anyway. Before that, anyone who may consent may send the link.
      if (integration.state.status !== 'awaiting_consent' && !may(req.principal!, 'integration:reconnect')) {
        throw new StewardError('forbidden', `The integration is ${integration.state.status}: a new consent link would reconnect it to another account, which your role (${req.principal!.role}) may not do.`);
      }
      await capOpenLinks(deps.consent, req.principal!.id, deps.config.caps.openConsentLinks);
      const link = await consentLink(deps.consent, integration, req.principal!.id);
      if (req.accepts(['html', 'json']) === 'json') return void res.set('Cache-Control', 'no-store').json(link);
      res.set('Cache-Control', 'no-store').redirect(302, link.authorizationUrl);
    })
    .all(methodNotAllowed);
  return router;
}
