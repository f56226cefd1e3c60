// Registry and vault housekeeping activities: the only way workflow state reaches MongoDB.
import type { IntegrationConfig, Projection, TransitionEvent } from '../workflows/model';
import type { Registry } from '../lib/registry';
import type { Vault } from '../lib/vault';

export function storageActivities(deps: { registry: Registry; vault: Vault }) {
  const { registry, vault } = deps;
  return {
    async registerIntegration(input: { config: IntegrationConfig; projection: Projection; events: TransitionEvent[] }): Promise<void> {
      await registry.register(input.config, input.projection, input.events);
    },
    async recordTransition(input: { integrationId: string; projection: Projection; event: TransitionEvent | null }): Promise<void> {
      await registry.recordTransition(input.integrationId, input.projection, input.event);
    },
    async saveConfig(input: { config: IntegrationConfig }): Promise<void> {
      await registry.saveConfig(input.config);
    },
    async deleteSecret(input: { secretArn: string }): Promise<void> {
      await vault.delete(input.secretArn);
    },
  };
}
