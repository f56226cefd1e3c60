// Where a stored secret may be sent: the origins it was validated with, checked wherever a secret is released.
import type { IntegrationConfig } from '../workflows/model';
import type { SecretBinding, StoredSecret } from '../lib/vault';

const originOf = (url: string) => new URL(url).origin;

/** The binding a secret gets when an admin supplies it: the token endpoint's origin and the revocation endpoint's, given with it. */
export function bindingFor(config: Pick<IntegrationConfig, 'tokenUrl' | 'revocationUrl'>): SecretBinding {
  const origins = [originOf(config.tokenUrl), ...(config.revocationUrl ? [originOf(config.revocationUrl)] : [])];
  return { origins: [...new Set(origins)] };
}

/**
 * The binding of a stored record. Records written before bindings existed are bound to the origin their tokens came
 * from, and nothing else (a revocation endpoint elsewhere gets nothing). A legacy record that never held a token has
 * never been sent anywhere: it is bound to the token endpoint it is first validated with.
 */
export function bindingOf(value: StoredSecret, config: Pick<IntegrationConfig, 'tokenUrl'>): SecretBinding {
  if (value.binding) return value.binding;
  return { origins: [value.tokenOrigin ?? originOf(config.tokenUrl)] };
}

/** Null when `url` is inside the binding; otherwise why the secret may not go there (no secret in the text). */
export function outsideBinding(binding: SecretBinding, url: string, purpose: 'token' | 'revocation'): string | null {
  const origin = originOf(url);
  if (binding.origins.includes(origin)) return null;
  return `The ${purpose} endpoint ${origin} is not an origin this integration's secret was validated with (${binding.origins.join(', ') || 'none'}); nothing was sent. Supply the client secret again with the new URL.`;
}
