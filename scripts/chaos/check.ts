// Fault run: the end checker — workflow state, registry projection, vault and provider agree for every integration; no orphans.
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Client } from '@temporalio/client';
import type { ApiConfig } from '../../lib/config';
import { Credentials } from '../../lib/credentials';
import { LocalKeyRing } from '../../lib/envelope';
import { Registry } from '../../lib/registry';
import { TokenStore } from '../../lib/tokenStore';
import { Vault } from '../../lib/vault';
import { stateQuery } from '../../workflows/messages';
import { workflowIdFor, type PublicState } from '../../workflows/model';
import type { Stack } from '../steward';
import { introspectAt } from './tokenWatch';

export interface IntegrationVerdict {
  id: string;
  status: string | null;
  /** The refresh token Steward holds is dead at the provider (or the integration asks for consent again). */
  grantLost: boolean;
  needsManualAction: boolean;
  failingTasks: boolean;
  /** What disagrees between workflow, registry, vault and provider. */
  mismatches: string[];
}

export interface CheckResult {
  verdicts: IntegrationVerdict[];
  orphans: string[];
}

const MANUAL = new Set(['awaiting_consent', 'disconnected']);

async function listSecretNames(sm: SecretsManagerClient, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const out = await sm.send(new ListSecretsCommand({ MaxResults: 100, NextToken }));
    for (const s of out.SecretList ?? []) if (s.Name?.startsWith(prefix)) names.push(s.Name);
    NextToken = out.NextToken;
  } while (NextToken);
  return names;
}

async function apiView(stack: Stack, id: string): Promise<{ workflowTaskFailing?: unknown } | null> {
  const res = await fetch(`${stack.apiUrl}/v1/integrations/${id}`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
  return res.ok ? ((await res.json()) as { workflowTaskFailing?: unknown }) : null;
}

export async function checkAll(stack: Stack, temporal: Client, ids: string[], config: ApiConfig): Promise<CheckResult> {
  const secretPrefix = config.secretPrefix;
  const registryDb = await Registry.connect(stack.mongoUri);
  const sm = new SecretsManagerClient({ region: config.aws.region, endpoint: stack.motoUrl, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  // Steward's own reader of both homes of a secret (Secrets Manager and the encrypted token store).
  const credentials = new Credentials(new Vault(sm, secretPrefix), new TokenStore(registryDb.conn, new LocalKeyRing(config.tokenStoreKeys)));
  try {
    const rows = await registryDb.conn.db!.collection<{ _id: string; grantType: string; state: { status: string; secretVersionId: string | null } }>('integrations').find({}).toArray();
    const registry = new Map(rows.map((r) => [r._id, r]));
    const verdicts: IntegrationVerdict[] = [];
    for (const id of ids) {
      const mismatches: string[] = [];
      const row = registry.get(id);
      let state: PublicState | null = null;
      try {
        state = await temporal.workflow.getHandle(workflowIdFor(id)).query(stateQuery);
      } catch (err) {
        mismatches.push(`workflow query failed: ${(err as Error).message}`);
      }
      const view = await apiView(stack, id);
      const current = await credentials.current(id);
      const held = state?.secretVersionId ? await credentials.valueAt(id, state.secretVersionId) : null;
      if (!row) mismatches.push('no registry row');
      if (!current) mismatches.push('no secret');
      if (state && row && state.status !== row.state.status) mismatches.push(`status: workflow ${state.status}, registry ${row.state.status}`);
      if (state && row && state.secretVersionId !== row.state.secretVersionId) mismatches.push(`secret version: workflow ${state.secretVersionId}, registry ${row.state.secretVersionId}`);
      if (state?.secretVersionId && !held) mismatches.push(`the workflow's secret version ${state.secretVersionId} cannot be read`);
      if (held && current && held.generation !== current.value.generation) mismatches.push(`generation: workflow holds ${held.generation}, newest stored ${current.value.generation}`);
      const status = state?.status ?? row?.state.status ?? null;
      let grantLost = status !== null && MANUAL.has(status);
      const refreshToken = current?.value.refreshToken;
      if (refreshToken && status !== 'revoked') {
        const active = await introspectAt(stack, refreshToken);
        if (active === false) {
          grantLost = true;
          if (status === 'active' || status === 'degraded') mismatches.push(`status ${status} but the provider says the refresh token is inactive`);
        }
      }
      verdicts.push({
        id,
        status,
        grantLost,
        needsManualAction: status !== null && MANUAL.has(status),
        failingTasks: state === null || Boolean(view?.workflowTaskFailing),
        mismatches,
      });
    }

    const orphans: string[] = [];
    const known = new Set(ids);
    for (const name of await listSecretNames(sm, secretPrefix)) {
      const id = name.slice(secretPrefix.length);
      if (!registry.has(id)) orphans.push(`secret ${name} without a registry row`);
    }
    for (const row of rows) if (!known.has(row._id)) orphans.push(`registry row ${row._id} the run did not create`);
    for await (const wf of temporal.workflow.list({ query: 'ExecutionStatus="Running"' })) {
      const id = wf.workflowId.replace(/^integration-/, '');
      if (wf.workflowId.startsWith('integration-') && !registry.has(id)) orphans.push(`running workflow ${wf.workflowId} without a registry row`);
    }
    return { verdicts, orphans };
  } finally {
    await registryDb.close();
    sm.destroy();
  }
}
