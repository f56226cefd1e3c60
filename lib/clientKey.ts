// Client keys for private_key_jwt (RFC 7523 client assertions): which keys an admin may supply, what the provider is
// told about them (alg, kid, certificate thumbprint), and the signing key the token requests use.
import { createHash, createPrivateKey, createPublicKey, webcrypto, X509Certificate, type JsonWebKey, type KeyObject } from 'node:crypto';

import type { ClientAssertionAlg, IntegrationConfig } from '../workflows/model';

const MIN_RSA_BITS = 2048;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** The private key in a PEM (PKCS #8, PKCS #1 or SEC 1) or a private JWK; never echoes the text in its messages. */
export function parsePrivateKey(text: string): Parsed<KeyObject> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let jwk: Record<string, unknown>;
    try {
      jwk = JSON.parse(trimmed);
    } catch {
      return { ok: false, message: 'is neither a PEM private key nor a JSON Web Key' };
    }
    if (typeof jwk !== 'object' || jwk === null || typeof jwk.d !== 'string') return { ok: false, message: 'is a public JSON Web Key: supply the private key (with "d")' };
    try {
      return { ok: true, value: createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' }) };
    } catch {
      return { ok: false, message: 'is not a usable private JSON Web Key' };
    }
  }
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(trimmed)) return { ok: false, message: 'is encrypted: supply it without a passphrase (Steward encrypts it at rest)' };
  if (/-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/.test(trimmed) && !/PRIVATE KEY-----/.test(trimmed)) {
    return { ok: false, message: 'is a public key or certificate: supply the private key' };
  }
  if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(trimmed)) return { ok: false, message: 'is neither a PEM private key nor a JSON Web Key' };
  try {
    return { ok: true, value: createPrivateKey(trimmed) };
  } catch {
    return { ok: false, message: 'is not a readable PEM private key' };
  }
}

/** The algorithms a key can sign with: RSA of at least 2048 bits (RS256, PS256) or EC on P-256 (ES256). */
export function algorithmsFor(key: KeyObject): Parsed<ClientAssertionAlg[]> {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) return { ok: false, message: `is an RSA key of ${bits} bits: at least ${MIN_RSA_BITS} are required` };
    return { ok: true, value: ['RS256', 'PS256'] };
  }
  if (key.asymmetricKeyType === 'ec') {
    if (details.namedCurve !== 'prime256v1') return { ok: false, message: `is an EC key on ${details.namedCurve ?? 'an unknown curve'}: ES256 needs P-256` };
    return { ok: true, value: ['ES256'] };
  }
  return { ok: false, message: `is a${key.asymmetricKeyType === 'ed25519' ? 'n' : ''} ${key.asymmetricKeyType ?? 'unknown'} key: RSA (RS256, PS256) or EC P-256 (ES256) keys are accepted` };
}

/** The X.509 certificate's `x5t#S256` thumbprint (Microsoft Entra certificate credentials), if it belongs to `key` and is valid now. */
export function certificateThumbprint(pem: string, key: KeyObject, now = new Date()): Parsed<string> {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem.trim());
  } catch {
    return { ok: false, message: 'is not a PEM X.509 certificate' };
  }
  if (!cert.publicKey.equals(createPublicKey(key))) return { ok: false, message: 'does not belong to privateKey (its public key differs)' };
  if (new Date(cert.validTo) <= now) return { ok: false, message: `expired on ${new Date(cert.validTo).toISOString()}` };
  if (new Date(cert.validFrom) > now) return { ok: false, message: `is not valid before ${new Date(cert.validFrom).toISOString()}` };
  return { ok: true, value: createHash('sha256').update(cert.raw).digest('base64url') };
}

/** The key id a JWK carries, so a `kid` the admin registered with the key needs no second field. */
export function jwkKeyId(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return null;
  try {
    const kid = JSON.parse(trimmed).kid;
    return typeof kid === 'string' && kid ? kid : null;
  } catch {
    return null;
  }
}

const SUBTLE_ALGORITHMS: Record<ClientAssertionAlg, RsaHashedImportParams | EcKeyImportParams> = {
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  PS256: { name: 'RSA-PSS', hash: 'SHA-256' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
};

/** A non-extractable WebCrypto signing key (what oauth4webapi's PrivateKeyJwt signs with). */
export async function signingKey(text: string, alg: ClientAssertionAlg): Promise<webcrypto.CryptoKey> {
  const parsed = parsePrivateKey(text);
  if (!parsed.ok) throw new Error(`the stored client key ${parsed.message}`);
  const der = parsed.value.export({ format: 'der', type: 'pkcs8' });
  return webcrypto.subtle.importKey('pkcs8', der, SUBTLE_ALGORITHMS[alg], false, ['sign']);
}

const SIGN_PARAMS: Record<ClientAssertionAlg, AlgorithmIdentifier | RsaPssParams | EcdsaParams> = {
  RS256: { name: 'RSASSA-PKCS1-v1_5' },
  PS256: { name: 'RSA-PSS', saltLength: 32 },
  ES256: { name: 'ECDSA', hash: 'SHA-256' },
};

/**
 * A compact JWS over `payload` (RFC 7515), for the JWT bearer grant's assertion. WebCrypto's ECDSA signature is
 * already the JWS form (r ‖ s), so no conversion is needed.
 */
export async function signJwt(key: webcrypto.CryptoKey, alg: ClientAssertionAlg, header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
  const encode = (part: Record<string, unknown>) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const input = `${encode({ ...header, alg, typ: 'JWT' })}.${encode(payload)}`;
  const signature = await webcrypto.subtle.sign(SIGN_PARAMS[alg], key, Buffer.from(input));
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

export interface ClientKeyInput {
  privateKey: string;
  clientAssertionAlg?: ClientAssertionAlg;
  clientKeyId?: string;
  certificate?: string;
}

export type ClientKeyConfig = Required<Pick<IntegrationConfig, 'clientAssertionAlg' | 'clientKeyId' | 'clientCertificateThumbprint'>>;

/**
 * The one rule for a supplied client key: readable, strong enough, able to sign with the chosen algorithm, and its
 * certificate (if any) its own and valid. Answers the configuration the provider is told, or problems naming fields.
 */
export function describeClientKey(input: ClientKeyInput): { ok: true; config: ClientKeyConfig } | { ok: false; problems: { path: string; message: string }[] } {
  const parsed = parsePrivateKey(input.privateKey);
  if (!parsed.ok) return { ok: false, problems: [{ path: 'privateKey', message: parsed.message }] };
  const algs = algorithmsFor(parsed.value);
  if (!algs.ok) return { ok: false, problems: [{ path: 'privateKey', message: algs.message }] };
  const alg = input.clientAssertionAlg ?? algs.value[0]!;
  if (!algs.value.includes(alg)) return { ok: false, problems: [{ path: 'clientAssertionAlg', message: `cannot be used with this key: it signs with ${algs.value.join(' or ')}` }] };
  let thumbprint: string | null = null;
  if (input.certificate !== undefined) {
    const t = certificateThumbprint(input.certificate, parsed.value);
    if (!t.ok) return { ok: false, problems: [{ path: 'certificate', message: t.message }] };
    thumbprint = t.value;
  }
  return { ok: true, config: { clientAssertionAlg: alg, clientKeyId: input.clientKeyId ?? jwkKeyId(input.privateKey), clientCertificateThumbprint: thumbprint } };
}
