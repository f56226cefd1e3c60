// All activities the worker registers, built from their dependencies (vault, registry, provider HTTP settings).
import type { Registry } from '../lib/registry';
import type { Vault } from '../lib/vault';
import type { ProviderHttpOptions } from './providerClient';
import { storageActivities } from './storage';
import { tokenActivities } from './tokens';

export interface ActivityDeps {
  vault: Vault;
  registry: Registry;
  http: ProviderHttpOptions;
}

export function createActivities(deps: ActivityDeps) {
  return { ...tokenActivities(deps), ...storageActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
