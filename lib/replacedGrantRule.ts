// Whether a grant replaced by re-consent or a PATCH is revoked at the provider (RFC 7009): presets say whether their
// provider allows it; a custom integration opts in, since Steward cannot know what its provider's revocation ends.
import type { IntegrationConfig } from '../workflows/model';
import { PRESETS } from './connectors';

type Fields = Pick<IntegrationConfig, 'preset' | 'revokeReplacedGrant'>;

const endsAuthorization = (preset: string | null) => Boolean(preset && PRESETS.get(preset)?.revocationEndsAuthorization);

/**
 * Why a replaced grant is kept (null: it is revoked). A preset whose revocation ends the user's whole authorization
 * (Google, Xero, QuickBooks, Zoho) never revokes it: the new grant would go with it. Otherwise the integration's own
 * setting; absent (records from before the setting): presets revoke, custom integrations keep.
 */
export function replacedGrantKeptBecause(config: Fields): string | null {
  if (endsAuthorization(config.preset)) return 'the provider would revoke the new grant with it';
  const revokes = config.revokeReplacedGrant ?? Boolean(config.preset && PRESETS.has(config.preset));
  return revokes ? null : 'revokeReplacedGrant is off for this integration';
}

export const revokesReplacedGrant = (config: Fields): boolean => replacedGrantKeptBecause(config) === null;

/** A create or PATCH asking for revocation where it would end the new grant too: the field's problem (null: fine). */
export function revokeReplacedGrantProblem(preset: string | null, requested: boolean | undefined): string | null {
  return requested && endsAuthorization(preset) ? 'cannot be true for this preset: its revocation ends the whole authorization, the new grant included' : null;
}
