// Revokes a refresh token that a person's new grant (re-consent, a supplied refresh token) replaced: best effort RFC 7009.
import { Context } from '@temporalio/activity';
import type { IntegrationConfig } from '../workflows/model';
import type { StoredSecret } from '../lib/vault';
import { PRESETS } from '../lib/connectors';
import { revokeToken, type ProviderHttpOptions } from './providerClient';

function activityLog(): { info: (m: string, meta?: Record<string, unknown>) => void; warn: (m: string, meta?: Record<string, unknown>) => void } | null {
  try {
    return Context.current().log;
  } catch {
    return null; // outside an activity
  }
}

/**
 * The replaced token stays valid at the provider until it expires (often months) unless revoked, and it sits in old
 * Secrets Manager versions. It is sent only to a configured revocation endpoint on the origin of the server that
 * issued it (the same rule that decides whether a held refresh token is presented to a token endpoint). The
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
  if (!config.revocationUrl) return 'replaced refresh token not revoked (no revocation endpoint configured)';
  if (config.preset && PRESETS.get(config.preset)?.revocationEndsAuthorization) {
    // Google, Xero, QuickBooks (and Zoho, to be safe) revoke the app's whole authorization for the user.
    return 'replaced refresh token not revoked (the provider would revoke the new grant with it)';
  }
  if (!replaced.tokenOrigin || new URL(config.revocationUrl).origin !== replaced.tokenOrigin) {
    log?.warn('replaced refresh token not revoked: it was issued by another server than the revocation endpoint', { integrationId });
    return 'replaced refresh token not revoked (issued by another server)';
  }
  const failure = await revokeToken(config, clientSecret, replaced.refreshToken, 'refresh_token', http);
  if (failure) {
    log?.warn('revoking the replaced refresh token failed', { integrationId, code: failure.code, message: failure.message });
    return `revoking the replaced refresh token failed (${failure.code})`;
  }
  log?.info('replaced refresh token revoked at the provider', { integrationId });
  return 'replaced refresh token revoked at the provider';
}
