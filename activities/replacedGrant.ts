// Revokes a refresh token that a person's new grant (re-consent, a supplied refresh token) replaced: best effort RFC 7009.
import { Context } from '@temporalio/activity';
import type { IntegrationConfig } from '../workflows/model';
import type { StoredSecret } from '../lib/vault';
import { replacedGrantKeptBecause } from '../lib/replacedGrantRule';
import { revokeToken, type ProviderHttpOptions } from './providerClient';
import { bindingOf, outsideBinding } from './secretBinding';

function activityLog(): { info: (m: string, meta?: Record<string, unknown>) => void; warn: (m: string, meta?: Record<string, unknown>) => void } | null {
  try {
    return Context.current().log;
  } catch {
    return null; // outside an activity
  }
}

/**
 * The replaced token stays valid at the provider until it expires (often months) unless revoked, and it sits in old
 * Secrets Manager versions. It is sent only to a configured revocation endpoint inside the replaced record's secret
 * binding (activities/secretBinding.ts), the rule for every release of a stored secret. The
 * returned note (never the token) goes into the transition event; failures are logged and do not fail the change.
 */
export async function revokeReplacedRefreshToken(args: {
  integrationId: string;
  config: IntegrationConfig;
  replaced: StoredSecret;
  clientSecret: string;
  http: ProviderHttpOptions;
}): Promise<string> {
  const { integrationId, config, replaced, clientSecret, http } = args;
  const log = activityLog();
  if (!replaced.refreshToken) return '';
  const kept = replacedGrantKeptBecause(config);
  if (kept) return `replaced refresh token not revoked (${kept})`;
  if (!config.revocationUrl) return 'replaced refresh token not revoked (no revocation endpoint configured)';
  // The replaced record's own binding decides where its token may go, not the binding of what replaced it.
  const outside = outsideBinding(bindingOf(replaced, config), config.revocationUrl, 'revocation');
  if (outside) {
    log?.warn('replaced refresh token not revoked: the revocation endpoint is outside its secret binding', { integrationId });
    return 'replaced refresh token not revoked (revocation endpoint outside the secret binding)';
  }
  const failure = await revokeToken(config, clientSecret, replaced.refreshToken, 'refresh_token', http);
  if (failure) {
    log?.warn('revoking the replaced refresh token failed', { integrationId, code: failure.code, message: failure.message });
    return `revoking the replaced refresh token failed (${failure.code})`;
  }
  log?.info('replaced refresh token revoked at the provider', { integrationId });
  return 'replaced refresh token revoked at the provider';
}
