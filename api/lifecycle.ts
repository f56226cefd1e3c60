// The api's side of the integration workflow: start it, message it, wait for it — with deadlines, so no request hangs.
import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { IntegrationWorkflowInput, integrationWorkflow } from '../workflows/integration';
import {
  completeConsentUpdate,
  refreshNowUpdate,
  revokeSignal,
  stateQuery,
  updateConfigUpdate,
  validatedUpdate,
  type ConfigChange,
  type ConfigChangeResult,
  type ConsentCompletion,
  type ConsentResult,
  type RefreshNowArgs,
  type RevokeArgs,
  type ValidationResult,
} from '../workflows/messages';
import { workflowIdFor, type IntegrationConfig, type LifecyclePolicy, type PublicState, type SuppliedSecrets } from '../workflows/model';
import { IntegrationStatus, TenantId } from '../workflows/searchAttributes';
import { StewardError, unavailableIn } from '../lib/errors';
import { rolloutPolicy, type RolloutRequest, type RolloutResult } from './policyRollout';

const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;

/** A call that ran out of time or was cancelled on our side: the workflow may well still finish the work. */
function isCutShort(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const codes = [(err as { code?: unknown }).code, ((err as { cause?: { code?: unknown } }).cause ?? {}).code];
  return codes.some((c) => c === GRPC_DEADLINE_EXCEEDED || c === GRPC_CANCELLED) || /deadline/i.test((err as Error)?.message ?? '');
}

export class Lifecycle {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly policy: LifecyclePolicy,
  ) {}

  /** Starts the integration's workflow and waits for its first validation (update-with-start). */
  async create(config: IntegrationConfig, secrets: SuppliedSecrets, actor: string, waitMs: number, policy: Partial<LifecyclePolicy> = {}): Promise<ValidationResult> {
    const input: IntegrationWorkflowInput = { kind: 'create', config, secrets, policy: { ...this.policy, ...policy }, actor };
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof integrationWorkflow>('integrationWorkflow', {
      workflowId: workflowIdFor(config.id),
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // User metadata passes the payload codec: readable in the UI through the codec server, ciphertext elsewhere.
      staticSummary: `${config.label} · tenant ${config.tenantId ?? '—'} · ${config.grantType}`,
      typedSearchAttributes: new TypedSearchAttributes([
        { key: IntegrationStatus, value: 'validating' },
        ...(config.tenantId ? [{ key: TenantId, value: config.tenantId }] : []),
      ]),
    });
    return this.within(waitMs, 'The integration is still being validated', { integrationId: config.id }, () =>
      this.client.workflow.executeUpdateWithStart(validatedUpdate, { startWorkflowOperation }),
    );
  }

  /** The state after the refresh; a revocation that overtook it is `integration_revoked`, like any message's. */
  async refreshNow(id: string, args: RefreshNowArgs, waitMs: number): Promise<PublicState> {
    const state = await this.message(waitMs, 'The refresh is still in progress', () => this.handle(id).executeUpdate(refreshNowUpdate, { args: [args] }));
    if (state.status === 'revoked') throw unavailableIn('revoked');
    return state;
  }

  async updateConfig(id: string, change: ConfigChange, waitMs: number): Promise<ConfigChangeResult> {
    return this.message(waitMs, 'The change is still being validated', () => this.handle(id).executeUpdate(updateConfigUpdate, { args: [change] }));
  }

  async completeConsent(id: string, completion: ConsentCompletion, waitMs: number): Promise<ConsentResult> {
    return this.message(waitMs, 'The consent is still being completed', () => this.handle(id).executeUpdate(completeConsentUpdate, { args: [completion] }));
  }

  /** Signals revocation and waits (bounded) for the workflow to finish it. Returns false if still in progress. */
  async revoke(id: string, args: RevokeArgs, waitMs: number): Promise<boolean> {
    const handle = this.handle(id);
    try {
      await handle.signal(revokeSignal, args);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return true; // already ended
      throw err;
    }
    try {
      await this.client.withDeadline(Date.now() + waitMs, () => handle.result());
      return true;
    } catch {
      return false;
    }
  }

  /** Sends this api's lifecycle settings to the running integrations (all, or one tenant's): see policyRollout.ts. */
  async rolloutPolicy(opts: Omit<RolloutRequest, 'taskQueue' | 'settings'>): Promise<RolloutResult> {
    return rolloutPolicy(this.client, { ...opts, taskQueue: this.taskQueue, settings: this.policy });
  }

  async state(id: string): Promise<PublicState> {
    return this.handle(id).query(stateQuery);
  }

  /**
   * How many times in a row the workflow's current task has been attempted (0 when none is pending), from
   * DescribeWorkflowExecution; null when Temporal cannot say within the deadline. A task that keeps failing (e.g. a
   * non-determinism error after a deploy) stops every refresh while the projection still shows the last status.
   */
  async workflowTaskAttempts(id: string, waitMs = 2000): Promise<number | null> {
    try {
      const { raw } = await this.client.withDeadline(Date.now() + waitMs, () => this.handle(id).describe());
      return raw.pendingWorkflowTask?.attempt ?? 0;
    } catch {
      return null;
    }
  }

  private handle(id: string) {
    return this.client.workflow.getHandle(workflowIdFor(id));
  }

  /**
   * An update to an integration the registry knows. Its workflow ends only by revocation, and its validators refuse
   * only a revoked integration, so an update refused, or addressed to a workflow that has ended, was overtaken by a
   * revocation: 410, never 500.
   */
  private async message<T>(waitMs: number, pendingMessage: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.within(waitMs, pendingMessage, {}, fn);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) throw unavailableIn('revoked');
      throw err;
    }
  }

  /** Bounded: past `waitMs`, or when the RPC was cancelled under us, the work goes on and the caller hears `pending`. */
  private async within<T>(waitMs: number, pendingMessage: string, extra: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.client.withDeadline(Date.now() + waitMs, fn);
    } catch (err) {
      if (isCutShort(err)) throw new StewardError('pending', `${pendingMessage}; check again shortly.`, extra);
      throw err;
    }
  }
}
