// The proxy's DPoP-bound requests (RFC 9449 §7): `Authorization: DPoP <token>` with a fresh proof per request, through the
// guarded connection, and one retry when the resource server asks for a nonce (the handle remembers it for next time).
import * as oauth from 'oauth4webapi';
import { dpopHandle } from '../lib/dpop';
import { guardedRequest, type GuardedRequestInit } from '../lib/guardedFetch';

export async function dpopRequest(integrationId: string, privateJwk: JsonWebKey, accessToken: string, url: string, init: GuardedRequestInit, allowInsecure: boolean): Promise<Response> {
  const handle = await dpopHandle(integrationId, privateJwk);
  const replayable = init.body === null || Buffer.isBuffer(init.body);
  const attempt = () =>
    oauth.protectedResourceRequest(accessToken, init.method, new URL(url), new Headers(init.headers), null, {
      DPoP: handle,
      [oauth.allowInsecureRequests]: allowInsecure,
      // oauth4webapi signs the proof and sets Authorization; the body and the bounds are ours.
      [oauth.customFetch]: (target: string, request: { headers: Record<string, string> }) => guardedRequest(target, { ...init, headers: request.headers }, allowInsecure),
    });
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      // A challenge is an answer to pass on (a 401 with WWW-Authenticate), unless it asks for a nonce we can now send.
      if (!(err instanceof oauth.WWWAuthenticateChallengeError)) throw err;
      if (tries === 1 && replayable && oauth.isDPoPNonceError(err)) {
        await err.response.body?.cancel();
        continue;
      }
      return err.response;
    }
  }
}
