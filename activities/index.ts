// All activities the worker registers, built from their dependencies (credentials, registry, provider HTTP settings).
import type { Registry } from '../lib/registry';
import type { Credentials } from '../lib/credentials';
import { withRefreshMetrics } from './instrument';
import { notifyActivities, type PublishDeps } from './notify';
import type { ProviderHttpOptions } from './providerClient';
import { storageActivities } from './storage';
import { tokenActivities } from './tokens';

export interface ActivityDeps {
  /** Secrets Manager and the encrypted token store together (lib/credentials.ts). */
  credentials: Credentials;
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
