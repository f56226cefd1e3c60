// Which client credential a create or PATCH carries: a client secret, or a private key for private_key_jwt whose
// signing configuration (alg, kid, certificate thumbprint) becomes non-secret configuration. The schemas already
// checked the combination and the key (api/schemas.ts, lib/clientKey.ts).
import { describeClientKey, type ClientKeyConfig } from '../lib/clientKey';
import type { ClientAssertionAlg, GrantType, IntegrationConfig, TokenAuthMethod } from '../workflows/model';
import type { FieldIssue } from '../lib/errors';

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

/** A key authenticates the client (private_key_jwt), except in the JWT bearer grant, where it signs the grant itself. */
export function methodForKey(grantType: GrantType): TokenAuthMethod {
  return grantType === 'jwt_bearer' ? 'none' : 'private_key_jwt';
}

/** What a PATCH may not carry for the record's grant (a create's schema checks the same with its grant at hand). */
export function grantCredentialProblems(
  record: Pick<IntegrationConfig, 'grantType'>,
  input: { clientSecret?: string; tokenAuthMethod?: TokenAuthMethod; assertionSubject?: string | null; assertionAudience?: string | null },
): FieldIssue[] {
  const problems: FieldIssue[] = [];
  if (record.grantType === 'jwt_bearer') {
    if (input.clientSecret !== undefined) problems.push({ path: 'clientSecret', message: 'is not used by the jwt_bearer grant: supply privateKey, which signs its assertions' });
    if (input.tokenAuthMethod !== undefined && input.tokenAuthMethod !== 'none') problems.push({ path: 'tokenAuthMethod', message: 'must stay none for the jwt_bearer grant' });
    return problems;
  }
  if (input.tokenAuthMethod === 'none') problems.push({ path: 'tokenAuthMethod', message: 'none is only accepted for the jwt_bearer grant' });
  for (const field of ['assertionSubject', 'assertionAudience'] as const) {
    if (input[field] !== undefined) problems.push({ path: field, message: 'is only accepted for the jwt_bearer grant' });
  }
  return problems;
}
