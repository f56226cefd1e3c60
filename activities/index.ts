// All activities the worker registers, built from their dependencies (vault, registry, provider HTTP settings).
import type { Registry } from '../lib/registry';
import type { Vault } from '../lib/vault';
import { withRefreshMetrics } from './instrument';
import { notifyActivities, type PublishDeps } from './notify';
import type { ProviderHttpOptions } from './providerClient';
import { storageActivities } from './storage';
import { tokenActivities } from './tokens';

export interface ActivityDeps {
  vault: Vault;
  registry: Registry;
  http: ProviderHttpOptions;
  /** Where webhook notices go (activities/notify.ts). */
  publish: PublishDeps;
}

export function createActivities(deps: ActivityDeps) {
  const tokens = tokenActivities(deps);
  return { ...tokens, obtainAndStoreToken: withRefreshMetrics(tokens.obtainAndStoreToken), ...storageActivities(deps), ...notifyActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
