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
import { fingerprint } from '../../test/support/faultProxy';
import { introspectAt } from './tokenWatch';

export interface IntegrationVerdict {
  id: string;
  status: string | null;
  /** The refresh token Steward holds is dead at the provider (or the integration asks for consent again). */
  grantLost: boolean;
  needsManualAction: boolean;
  /** A workflow task is failing now (retried attempts, the api's flag, or no answer to a query after a minute). */
  failingTasks: boolean;
  /** WorkflowTaskFailed events in the run's history (nondeterminism, a handler that threw), failing now or not. */
  failedTaskEvents: number;
  /** Fingerprint of the refresh token Steward holds now: the run tells a rotation that became durable from one that did not. */
  storedRefreshFingerprint: string | null;
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

/**
 * The workflow's own state. A freshly restarted worker replays every history with a cold cache first (the run's end
 * follows a worker restart), so one query may time out: ask again for up to a minute before calling it failed.
 */
async function queryState(temporal: Client, id: string): Promise<{ state: PublicState } | { error: string }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return { state: await temporal.workflow.getHandle(workflowIdFor(id)).query(stateQuery) };
    } catch (err) {
      const cause = (err as { cause?: { details?: string; message?: string } }).cause;
      if (Date.now() > deadline) return { error: `${(err as Error).message}${cause ? `: ${cause.details ?? cause.message}` : ''}` };
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

async function taskHealth(temporal: Client, id: string): Promise<{ retrying: boolean; failedEvents: number }> {
  const handle = temporal.workflow.getHandle(workflowIdFor(id));
  const described = await handle.describe();
  const history = await handle.fetchHistory();
  return {
    retrying: (described.raw.pendingWorkflowTask?.attempt ?? 1) > 1,
    failedEvents: (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).length,
  };
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
      const readRow = async () => (await registryDb.conn.db!.collection<{ _id: string; state: { status: string; secretVersionId: string | null } }>('integrations').findOne({ _id: id })) ?? registry.get(id);
      // The row read right after the query, not in the snapshot above: refreshes go on while the checker walks the list.
      let queried = await queryState(temporal, id);
      let row = await readRow();
      // The projection is written by an activity just after the workflow's state moves: a pair read in between differs
      // for a moment. A disagreement counts only if it is still there 5 s later.
      const differ = () => 'state' in queried && row !== undefined && (queried.state.status !== row.state.status || queried.state.secretVersionId !== row.state.secretVersionId);
      for (let tries = 0; differ() && tries < 5; tries++) {
        await new Promise((r) => setTimeout(r, 1_000));
        queried = await queryState(temporal, id);
        row = await readRow();
      }
      const state: PublicState | null = 'state' in queried ? queried.state : null;
      if ('error' in queried) mismatches.push(`workflow query failed for a minute: ${queried.error}`);
      const health = await taskHealth(temporal, id);
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
      let refreshToken = current?.value.refreshToken;
      if (refreshToken && status !== 'revoked') {
        let active = await introspectAt(stack, refreshToken);
        // A refresh still running while the checker walks the list consumes the token it just read: lost only if the
        // newest stored refresh token is still inactive 10 s later (the rule the tests use too).
        // Only a serving integration refreshes: one awaiting consent has no refresh running to wait for.
        const refreshing = status === 'active' || status === 'degraded';
        for (let waited = 0; refreshing && active === false && waited < 10; waited++) {
          await new Promise((r) => setTimeout(r, 1_000));
          refreshToken = (await credentials.current(id))?.value.refreshToken ?? refreshToken;
          active = await introspectAt(stack, refreshToken);
        }
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
        failingTasks: state === null || health.retrying || Boolean(view?.workflowTaskFailing),
        failedTaskEvents: health.failedEvents,
        storedRefreshFingerprint: refreshToken ? fingerprint(refreshToken) : null,
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
