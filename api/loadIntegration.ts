// Loads the integration named in the path, as the caller may see it: unknown, malformed and other tenants' ids are all a 404.
import type { Request } from 'express';
import { notFound } from '../lib/errors';
import type { IntegrationRecord, Registry } from '../lib/registry';
import { canSee } from './auth';
import { integrationId } from './schemas';

export async function loadVisible(registry: Registry, req: Request): Promise<IntegrationRecord> {
  const id = integrationId.safeParse(req.params.id);
  const record = id.success ? await registry.find(id.data) : null;
  if (!record || !req.principal || !canSee(req.principal, record)) throw notFound();
  return record;
}
