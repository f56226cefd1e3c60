// The hot path: serve an integration's current token from a short state cache and a by-version value cache.
import type { Registry } from '../lib/registry';
import type { Vault } from '../lib/vault';
import { notFound, StewardError, unavailableIn } from '../lib/errors';
import type { LifecyclePolicy, Projection } from '../workflows/model';
import { refreshDueAt, retryDelayMs } from '../workflows/schedule';
import { canSee, type Principal } from './auth';
import type { Lifecycle } from './lifecycle';

/** Never hand out a token with less life than this left: the caller needs time to use it. */
const MIN_REMAINING_MS = 2000;
const MAX_CACHED_VALUES = 10_000;

export interface ServedToken {
  access_token: string;
  token_type: string;
  expires_at: string;
  scope: string | null;
}

interface CachedValue {
  accessToken: string;
  tokenType: string;
}

/**
 * When the lifecycle will next call the provider on its own: the due time of the current token while healthy, the retry
 * pace while failing. The workflow projects it (computed by the shared rule in workflows/schedule.ts); a projection
 * written before it did gets the same rules applied to what it holds. Null: nothing is planned.
 */
export function plannedAttemptAt(state: Projection, policy: ReadPolicy): number | null {
  if (state.nextAttemptAt) return Date.parse(state.nextAttemptAt);
  const issuedAt = Date.parse(state.lastRefreshAt ?? '');
  const expiresAt = Date.parse(state.expiresAt ?? '');
  if (!Number.isFinite(issuedAt) || !Number.isFinite(expiresAt)) return null;
  const due = refreshDueAt(issuedAt, expiresAt - issuedAt, policy);
  const failedAt = Date.parse(state.lastError?.at ?? '');
  if (state.consecutiveFailures === 0 || !Number.isFinite(failedAt)) return due;
  return Math.max(due, failedAt + retryDelayMs(state.consecutiveFailures, policy, null, () => 1)); // never sooner than the lifecycle's own pace
}

/**
 * What one read does, from the projection alone:
 * - serve: a usable token that is not yet due. Nothing else happens: no provider request, no wait.
 * - serve_and_nudge: usable, but the lifecycle's planned attempt is overdue (worker slow or down): serve at once and
 *   send one background nudge. A nudge never precedes the plan, so it cannot add provider attempts to the retry pace.
 * - wait_for_refresh: unusable (expired or under MIN_REMAINING_MS) and the attempt is overdue: nudge and wait, bounded.
 * - unavailable: unusable and the next attempt lies ahead (degraded, backing off): nothing a wait could change.
 */
export type ReadPlan = 'serve' | 'serve_and_nudge' | 'wait_for_refresh' | 'unavailable';

export function planRead(state: Projection, nowMs: number, policy: ReadPolicy): ReadPlan {
  const usable = Boolean(state.secretVersionId) && Date.parse(state.expiresAt ?? '') - nowMs > MIN_REMAINING_MS;
  const attemptAt = plannedAttemptAt(state, policy);
  const overdue = attemptAt !== null && nowMs >= attemptAt;
  if (usable) return overdue ? 'serve_and_nudge' : 'serve';
  return overdue ? 'wait_for_refresh' : 'unavailable';
}

export type ReadPolicy = Pick<LifecyclePolicy, 'refreshBufferMs' | 'retryBaseMs' | 'retryMaxMs' | 'degradedAfterAttempts' | 'degradedRetryMs'>;

export class TokenService {
  private readonly states = new Map<string, { at: number; found: { tenantId: string | null; state: Projection } | null }>();
  // Secret versions are immutable: a value cached under its version id can never be stale.
  private readonly values = new Map<string, CachedValue>();
  // At most one nudge per integration in flight, and one per planned attempt (again only after the slow retry pace).
  private readonly nudges = new Map<string, { at: number; plannedAt: number | null; done: Promise<void> | null }>();

  constructor(
    private readonly registry: Registry,
    private readonly vault: Vault,
    private readonly lifecycle: Lifecycle,
    private readonly opts: { stateCacheMs: number; waitMs: number; policy: ReadPolicy },
  ) {}

  async token(id: string, principal: Principal): Promise<ServedToken> {
    let state = await this.state(id, principal);
    let plan = planRead(state, Date.now(), this.opts.policy);
    if (plan !== 'serve') {
      // A refresh is due or under way: a cached view may name a version the provider has just replaced, so look again.
      state = await this.state(id, principal, true);
      plan = planRead(state, Date.now(), this.opts.policy);
    }
    if (plan === 'serve_and_nudge') {
      void this.nudge(id, state);
    } else if (plan === 'wait_for_refresh') {
      const pending = this.nudge(id, state);
      if (pending) {
        await pending;
        state = await this.state(id, principal, true);
      }
    }
    const expiresAt = Date.parse(state.expiresAt ?? '');
    if (!state.secretArn || !state.secretVersionId || !(expiresAt - Date.now() > MIN_REMAINING_MS)) {
      throw new StewardError('token_unavailable', `No valid token is available (the integration is ${state.status}).`, { status: state.status });
    }
    const value = await this.value(state.secretArn, state.secretVersionId);
    if (!value) {
      this.forget(id); // deleted under us: revocation most likely
      throw unavailableIn((await this.state(id, principal, true)).status === 'revoked' ? 'revoked' : state.status);
    }
    return { access_token: value.accessToken, token_type: value.tokenType, expires_at: new Date(expiresAt).toISOString(), scope: state.scope };
  }

  /** Drops what this instance knows about an integration (after revoke or change through this instance). */
  forget(id: string): void {
    this.states.delete(id);
  }

  /** The projection, if the principal may see it, checked for a status that can serve; cached for stateCacheMs. */
  private async state(id: string, principal: Principal, fresh = false): Promise<Projection> {
    const cached = this.states.get(id);
    let found = cached?.found ?? null;
    if (fresh || !cached || Date.now() - cached.at >= this.opts.stateCacheMs) {
      const record = await this.registry.find(id);
      found = record ? { tenantId: record.tenantId, state: record.state } : null;
      if (this.states.size >= MAX_CACHED_VALUES) this.states.delete(this.states.keys().next().value!);
      this.states.set(id, { at: Date.now(), found });
    }
    if (!found || !canSee(principal, { id, tenantId: found.tenantId })) throw notFound();
    const { state } = found;
    if (state.status !== 'active' && state.status !== 'degraded') throw unavailableIn(state.status);
    return state;
  }

  private async value(arn: string, versionId: string): Promise<CachedValue | null> {
    const hit = this.values.get(versionId);
    if (hit) return hit;
    const version = await this.vault.read(arn, versionId);
    if (!version?.value.accessToken) return null;
    const value = { accessToken: version.value.accessToken, tokenType: version.value.tokenType ?? 'bearer' };
    if (this.values.size >= MAX_CACHED_VALUES) this.values.delete(this.values.keys().next().value!);
    this.values.set(versionId, value);
    return value;
  }

  /**
   * Asks the workflow for the attempt it planned (bounded by waitMs); concurrent callers share one request. Returns
   * null when this instance already nudged for this plan: a worker that did not act then will not act sooner now (its
   * own timer fires when it returns), and another nudge would only add a provider attempt.
   */
  private nudge(id: string, state: Projection): Promise<void> | null {
    const plannedAt = plannedAttemptAt(state, this.opts.policy);
    const last = this.nudges.get(id);
    if (last?.done) return last.done;
    if (last && last.plannedAt === plannedAt && Date.now() - last.at < Math.max(this.opts.policy.degradedRetryMs, 2 * this.opts.waitMs)) return null;
    // "Unless you already hold a token valid beyond the one I saw": reads of many instances coalesce into one refresh.
    const unlessValidUntil = state.expiresAt ?? undefined;
    const entry: { at: number; plannedAt: number | null; done: Promise<void> | null } = { at: Date.now(), plannedAt, done: null };
    entry.done = this.lifecycle
      .refreshNow(id, { actor: 'token-endpoint', unlessValidUntil }, this.opts.waitMs)
      .then(() => undefined)
      .catch(() => undefined) // keep serving what is still valid; the lifecycle records the failure
      .finally(() => {
        entry.done = null;
        this.forget(id); // the next read looks at what the nudge changed
      });
    if (this.nudges.size >= MAX_CACHED_VALUES) this.nudges.delete(this.nudges.keys().next().value!);
    this.nudges.set(id, entry);
    return entry.done;
  }
}
