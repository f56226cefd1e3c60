// The rules a configuration change must meet before it runs: who sent it, and whether it moves where the secret goes.
import type { ConfigChange } from './messages';
import { renewsOnItsOwn, type IntegrationConfig } from './model';

/** Fields that decide where or how the client credential is sent: changing one needs the credential supplied again. */
export const BOUND_FIELDS = ['tokenUrl', 'revocationUrl', 'clientId', 'tokenAuthMethod', 'clientAssertionAlg', 'clientKeyId', 'clientCertificateThumbprint'] as const;

export interface ChangeProblem {
  path: string;
  message: string;
}

const originOf = (url: string | null | undefined) => (url ? new URL(url).origin : null);

/** Why `change` may not run against `current` (empty: it may). The api answers these as a 400; the workflow refuses them too. */
export function credentialChangeProblems(current: IntegrationConfig, change: Pick<ConfigChange, 'changes' | 'secrets'>): ChangeProblem[] {
  const problems: ChangeProblem[] = [];
  const changes = change.changes ?? {};
  const withSecret = Boolean(change.secrets?.clientSecret);
  const credential = (changes.tokenAuthMethod ?? current.tokenAuthMethod) === 'private_key_jwt' || current.grantType === 'jwt_bearer' ? 'privateKey' : 'clientSecret';
  for (const field of BOUND_FIELDS) {
    if (!(field in changes) || (changes[field] ?? null) === (current[field] ?? null)) continue;
    if (field === 'revocationUrl' && changes.revocationUrl === null) continue; // removing an endpoint sends nothing anywhere
    if (!withSecret) {
      problems.push({ path: field, message: `changes where or how the client credential is sent: supply ${credential} with it (the stored credential goes only where it was validated)` });
    }
  }
  const movesTokenOrigin = 'tokenUrl' in changes && changes.tokenUrl && originOf(changes.tokenUrl) !== originOf(current.tokenUrl);
  if (movesTokenOrigin && !renewsOnItsOwn(current.grantType) && !change.secrets?.refreshToken) {
    problems.push({
      path: 'refreshToken',
      message: 'is required when tokenUrl moves to another origin: the held refresh token is never sent there (or revoke and create the integration again for a new consent)',
    });
  }
  return problems;
}

/** A message that changes credentials or lifecycle must name the authenticated principal the api acted for. */
export function attributionProblem(args: unknown): string | null {
  const actor = (args as { actor?: unknown } | null | undefined)?.actor;
  if (typeof actor !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9:._@-]{0,159}$/.test(actor) || actor === 'unknown') {
    return 'the message does not name the principal it acts for';
  }
  return null;
}
