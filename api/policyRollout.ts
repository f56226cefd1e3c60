// Sends the deployment's lifecycle settings to running integrations (the workflow's updatePolicy update). Workflows
// cannot read the environment, so a changed STEWARD_REFRESH_BUFFER_SECONDS & co. reaches the integrations created
// before the change only this way.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { updatePolicyUpdate, type LifecycleSettings } from '../workflows/messages';
import { integrationIdOf } from '../workflows/model';

export interface RolloutRequest {
  taskQueue: string;
  settings: LifecycleSettings;
  actor: string;
  /** Only this tenant's integrations; all of them when absent. */
  tenantId?: string;
  /** Updates in flight at once. */
  concurrency: number;
  /** How long one integration's update may take before it counts as failed (it may still apply: retry). */
  perUpdateWaitMs: number;
  /** Called after every PROGRESS_EVERY integrations (a large fleet takes a while). */
  onProgress?: (sofar: RolloutResult) => void;
}

export interface RolloutResult {
  settings: LifecycleSettings;
  /** Running integrations the rollout found. */
  matched: number;
  /** Now planning with `settings`. */
  updated: number;
  /** Revoked or ended before their update arrived: nothing to re-plan. */
  skipped: number;
  failed: number;
  /** The first failures, with why. */
  failures: { integrationId: string; error: string }[];
}

const MAX_REPORTED_FAILURES = 50;
const PROGRESS_EVERY = 100;

/** Visibility query for the running integration workflows on this deployment's task queue (tenant ids are [A-Za-z0-9._:-]). */
export function runningIntegrationsQuery(taskQueue: string, tenantId?: string): string {
  const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return [
    `WorkflowType = 'integrationWorkflow'`,
    `ExecutionStatus = 'Running'`,
    `TaskQueue = ${quote(taskQueue)}`,
    ...(tenantId ? [`TenantId = ${quote(tenantId)}`] : []),
  ].join(' AND ');
}

/**
 * Updates every matching integration, `concurrency` at a time. Safe to retry: the update sets the settings (it does not
 * add to them), so an integration that already has them is re-planned to the same times.
 */
export async function rolloutPolicy(client: Client, req: RolloutRequest): Promise<RolloutResult> {
  const result: RolloutResult = { settings: req.settings, matched: 0, updated: 0, skipped: 0, failed: 0, failures: [] };
  const running = client.workflow.list({ query: runningIntegrationsQuery(req.taskQueue, req.tenantId) })[Symbol.asyncIterator]();
  // Each lane takes the next workflow from the one listing (an async iterator queues concurrent next() calls).
  const lane = async () => {
    for (let next = await running.next(); !next.done; next = await running.next()) {
      const { workflowId } = next.value;
      result.matched++;
      const outcome = await updateOne(client, workflowId, req);
      if (outcome === 'updated') result.updated++;
      else if (outcome === 'skipped') result.skipped++;
      else {
        result.failed++;
        if (result.failures.length < MAX_REPORTED_FAILURES) result.failures.push({ integrationId: integrationIdOf(workflowId), error: outcome.error });
      }
      if ((result.updated + result.skipped + result.failed) % PROGRESS_EVERY === 0) req.onProgress?.(result);
    }
  };
  await Promise.all(Array.from({ length: req.concurrency }, lane));
  return result;
}

async function updateOne(client: Client, workflowId: string, req: RolloutRequest): Promise<'updated' | 'skipped' | { error: string }> {
  try {
    await client.withDeadline(Date.now() + req.perUpdateWaitMs, () =>
      client.workflow.getHandle(workflowId).executeUpdate(updatePolicyUpdate, { args: [{ actor: req.actor, settings: req.settings }] }),
    );
    return 'updated';
  } catch (err) {
    // The validator refuses only a revoked integration (the settings were checked before sending); an ended workflow
    // was revoked meanwhile too.
    if (err instanceof WorkflowNotFoundError) return 'skipped';
    if (err instanceof WorkflowUpdateFailedError && /revoked/.test(String((err.cause as Error | undefined)?.message ?? err.message))) return 'skipped';
    return { error: err instanceof Error ? err.message.slice(0, 200) : 'unknown error' };
  }
}
