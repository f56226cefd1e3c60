// Registry and vault housekeeping activities: the only way workflow state reaches MongoDB.
import type { IntegrationConfig, Projection, TransitionEvent } from '../workflows/model';
import type { Registry } from '../lib/registry';
import type { Credentials } from '../lib/credentials';

export function storageActivities(deps: { registry: Registry; credentials: Credentials }) {
  const { registry, credentials } = deps;
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
      await credentials.remove(input.secretArn); // the secret and its token store generations
    },
  };
}
