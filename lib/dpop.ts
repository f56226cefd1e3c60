// DPoP (RFC 9449): the integration's ES256 key pair as stored in its secret (private JWK), and one oauth4webapi DPoP
// handle per integration and key, so the nonces a server hands out are reused by later token and resource requests.
import { createHash } from 'node:crypto';
import * as oauth from 'oauth4webapi';

const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const MAX_HANDLES = 10_000;
const handles = new Map<string, oauth.DPoPHandle>();

/** A fresh ES256 key pair as a private JWK (it carries the public part): stored in the secret, never anywhere else. */
export async function generateDpopKey(): Promise<JsonWebKey> {
  const pair = await oauth.generateKeyPair('ES256', { extractable: true });
  const { kty, crv, x, y, d } = await crypto.subtle.exportKey('jwk', pair.privateKey);
  return { kty, crv, x, y, d };
}

/** The handle for this integration and key (a new key, after a rotation, gets a new handle and starts without nonces). */
export async function dpopHandle(integrationId: string, privateJwk: JsonWebKey): Promise<oauth.DPoPHandle> {
  const cacheKey = `${integrationId}:${createHash('sha256').update(`${privateJwk.x}.${privateJwk.y}`).digest('base64url')}`;
  const hit = handles.get(cacheKey);
  if (hit) return hit;
  const { kty, crv, x, y } = privateJwk;
  const pair = {
    privateKey: await crypto.subtle.importKey('jwk', privateJwk, ALG, false, ['sign']),
    publicKey: await crypto.subtle.importKey('jwk', { kty, crv, x, y }, ALG, true, ['verify']),
  };
  const handle = oauth.DPoP({}, pair);
  if (handles.size >= MAX_HANDLES) handles.delete(handles.keys().next().value!);
  handles.set(cacheKey, handle);
  return handle;
}

