// Which client credential a create or PATCH carries: a client secret, or a private key for private_key_jwt whose
// signing configuration (alg, kid, certificate thumbprint) becomes non-secret configuration. The schemas already
// checked the combination and the key (api/schemas.ts, lib/clientKey.ts).
import { describeClientKey, type ClientKeyConfig } from '../lib/clientKey';
import type { ClientAssertionAlg } from '../workflows/model';

export interface CredentialInput {
  clientSecret?: string;
  privateKey?: string;
  clientAssertionAlg?: ClientAssertionAlg;
  clientKeyId?: string;
  certificate?: string;
}

/** Cleared when an integration stops authenticating with a key. */
export const NO_CLIENT_KEY: ClientKeyConfig = { clientAssertionAlg: null, clientKeyId: null, clientCertificateThumbprint: null };

/** The credential for the vault's client-credential slot, and the key's configuration when it is a key. */
export function suppliedCredential(input: CredentialInput): { credential: string | undefined; key: ClientKeyConfig | null } {
  if (input.privateKey === undefined) return { credential: input.clientSecret, key: null };
  const described = describeClientKey({ privateKey: input.privateKey, clientAssertionAlg: input.clientAssertionAlg, clientKeyId: input.clientKeyId, certificate: input.certificate });
  if (!described.ok) throw new Error('a client key reached the routes without passing its schema');
  return { credential: input.privateKey, key: described.config };
}
