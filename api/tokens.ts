// The hot path: serve an integration's current token from the in-memory mirror (registry fallback) and a by-version value cache.
import type { Registry } from '../lib/registry';
import type { Credentials } from '../lib/credentials';
import { notFound, StewardError, unavailableIn } from '../lib/errors';
import type { LifecyclePolicy, Projection } from '../workflows/model';
import { refreshDueAt, retryDelayMs } from '../workflows/schedule';
import { canSee, type Principal } from './auth';
import type { Lifecycle } from './lifecycle';
import type { TokenMirror } from './tokenMirror';

/** Never hand out a token with less life than this left: the caller needs time to use it. */
const MIN_REMAINING_MS = 2000;
// Sized for a fleet (issue #12: 100,000 integrations): a value is a few hundred bytes.
const MAX_CACHED_VALUES = 100_000;

export interface ServedToken {
  access_token: string;
  token_type: string;
  expires_at: string;
  scope: string | null;
  /** Where the token is for: the integration's API base URL (a service calls it with the token). */
  api_base_url: string;
}

interface CachedValue {
  accessToken: string;
  tokenType: string;
  generation: number;
  /** The DPoP key the token is bound to (private JWK): used by the proxy, never served. */
  dpopKey: JsonWebKey | null;
}

/** What the proxy attaches to a request: the served token and, for a DPoP-bound one, the key that proves possession. */
export type ProxyToken = ServedToken & { dpopKey: JsonWebKey | null; /** The stored version it came from (what a rejection names). */ versionId: string };

/** What one projection read found: the integration and the newest generation whose grant the provider refused. */
interface Found {
  tenantId: string | null;
  apiBaseUrl: string;
  state: Projection;
  deadGeneration: number;
}

/** The lifecycle policy a read needs to apply the shared rules to projections that predate the projected plan. */
export type ReadPolicy = Pick<LifecyclePolicy, 'refreshBufferMs' | 'retryBaseMs' | 'retryMaxMs' | 'degradedAfterAttempts' | 'degradedRetryMs'>;

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
 * What one read does, from the projection alone. "Late" means the lifecycle's planned attempt is overdue by more than an
 * attempt takes (graceMs): the worker is slow or down. An attempt still in flight is not late, so a nudge never lands
 * behind a failing attempt and starts another: reads add no provider attempt to the lifecycle's pace.
 * - serve: a usable token, the lifecycle on schedule. No provider request, no wait.
 * - serve_and_nudge: usable, but the lifecycle is late: serve at once and send one background nudge.
 * - wait / wait_and_nudge: unusable (expired or under MIN_REMAINING_MS) and an attempt is in flight or due within
 *   waitMs: wait for its result, bounded (nudging only when late).
 * - unavailable: unusable and nothing planned within waitMs (degraded, backing off): answer at once.
 */
export type ReadPlan = 'serve' | 'serve_and_nudge' | 'wait' | 'wait_and_nudge' | 'unavailable';

export interface ReadTiming {
  policy: ReadPolicy;
  /** How long an attempt of the lifecycle may take before it counts as late. */
  graceMs: number;
  /** The longest a read waits for a refresh (STEWARD_TOKEN_WAIT_MS). */
  waitMs: number;
}

export function usable(state: Projection, nowMs: number): boolean {
  return Boolean(state.secretVersionId) && Date.parse(state.expiresAt ?? '') - nowMs > MIN_REMAINING_MS;
}

export function planRead(state: Projection, nowMs: number, timing: ReadTiming): ReadPlan {
  const attemptAt = plannedAttemptAt(state, timing.policy);
  const late = attemptAt !== null && nowMs >= attemptAt + timing.graceMs;
  if (usable(state, nowMs)) return late ? 'serve_and_nudge' : 'serve';
  if (attemptAt === null || attemptAt > nowMs + timing.waitMs) return 'unavailable';
  return late ? 'wait_and_nudge' : 'wait';
}

const WAIT_POLL_MS = 100;
/** How long a view of a token whose refresh is under way may be served from the cache (bounds MongoDB reads meanwhile). */
const DUE_STATE_CACHE_MS = 100;

/** Per integration: the plan last nudged or waited for, and the shared promise while that is under way. */
interface Attempted {
  plannedAt: number | null;
  at: number;
  done: Promise<void> | null;
}

export class TokenService {
  private readonly states = new Map<string, { at: number; found: Found | null }>();
  // Stored generations are immutable (Secrets Manager versions and token store records): a cached value is never stale.
  private readonly values = new Map<string, CachedValue>();
  // One nudge and one wait per integration at a time, and each once per planned attempt (again only after the slow pace):
  // a worker that did not act on a plan will not act sooner for being asked twice, and a wait that saw nothing change
  // would see nothing change again.
  private readonly nudges = new Map<string, Attempted>();
  private readonly waits = new Map<string, Attempted>();

  constructor(
    private readonly registry: Registry,
    private readonly credentials: Credentials,
    private readonly lifecycle: Lifecycle,
    private readonly opts: { stateCacheMs: number } & ReadTiming,
    /** Null: every view comes from the registry through the short state cache (as before the mirror). */
    readonly mirror: TokenMirror | null = null,
  ) {}

  async token(id: string, principal: Principal): Promise<ServedToken> {
    const { dpopKey: _key, versionId: _version, ...served } = await this.tokenForProxy(id, principal);
    return served;
  }

  /** The token with its DPoP key: for api/proxy.ts only, which keeps the key in this process. */
  async tokenForProxy(id: string, principal: Principal): Promise<ProxyToken> {
    let { state, deadGeneration, apiBaseUrl } = await this.view(id, principal);
    const attemptAt = plannedAttemptAt(state, this.opts.policy);
    if (attemptAt !== null && Date.now() >= attemptAt) {
      // A refresh is under way or late: a cached view may name a version the workflow has just replaced (and a provider
      // may have revoked), so the view is kept only briefly until the projection moves on.
      ({ state, deadGeneration, apiBaseUrl } = await this.view(id, principal, Math.min(this.opts.stateCacheMs, DUE_STATE_CACHE_MS)));
    }
    const plan = planRead(state, Date.now(), this.opts);
    if (plan === 'serve_and_nudge' || plan === 'wait_and_nudge') void this.nudge(id, state);
    if (plan === 'wait' || plan === 'wait_and_nudge') {
      await this.waitForRefresh(id, state);
      ({ state, deadGeneration, apiBaseUrl } = await this.view(id, principal, 0));
    }
    const expiresAt = Date.parse(state.expiresAt ?? '');
    if (!state.secretArn || !state.secretVersionId || !usable(state, Date.now())) {
      throw new StewardError('token_unavailable', `No valid token is available (the integration is ${state.status}).`, { status: state.status });
    }
    const value = await this.value(id, state.secretVersionId);
    if (!value) {
      void this.forget(id); // deleted under us: revocation most likely
      throw unavailableIn((await this.view(id, principal, 0)).state.status === 'revoked' ? 'revoked' : state.status);
    }
    // The provider refused this grant (the workflow will say awaiting_consent once it projects): its token may be revoked.
    if (value.generation <= deadGeneration) throw unavailableIn('awaiting_consent');
    // The revoke may have been sent through this instance while the value was read.
    if (this.mirror?.isRevokedHere(id)) throw unavailableIn('revoked');
    return { access_token: value.accessToken, token_type: value.tokenType, expires_at: new Date(expiresAt).toISOString(), scope: state.scope, api_base_url: apiBaseUrl, dpopKey: value.dpopKey, versionId: state.secretVersionId };
  }

  /**
   * Drops what this instance knows about an integration (after a change through this instance) and reloads it; await
   * it to read the change at once (the proxy's retry after a refresh), or leave it to finish on its own.
   */
  forget(id: string): Promise<void> {
    this.states.delete(id);
    return this.mirror?.reload(id).catch(() => undefined) ?? Promise.resolve(); // on failure the next poll retries
  }

  /** A revoke through this instance: from now on it serves nothing for this integration. */
  revoking(id: string): void {
    this.mirror?.markRevoked(id);
    void this.forget(id);
  }

  /**
   * The projection, if the principal may see it, checked for a status that can serve, with the grant's dead mark (read
   * beside it, so the refusal is seen as soon as the projection would be); cached for maxAgeMs.
   */
  private async view(id: string, principal: Principal, maxAgeMs = this.opts.stateCacheMs): Promise<{ state: Projection; deadGeneration: number; apiBaseUrl: string }> {
    if (this.mirror?.isRevokedHere(id)) throw unavailableIn('revoked');
    // The mirror, while its view is younger than maxAgeMs. An id it does not hold yet (created through another instance
    // a moment ago), or holds as unable to serve, is looked up in the registry: a consent or new credentials completed
    // through another instance serve at once, not a propagation bound later (refusals are rare reads).
    const syncedAt = this.mirror && this.mirror.ageMs() < maxAgeMs ? Date.now() - this.mirror.ageMs() : null;
    const held = syncedAt !== null ? this.mirror!.get(id) : undefined;
    const mirrored = held && (held.state.status === 'active' || held.state.status === 'degraded') ? held : undefined;
    let cached = mirrored ? { at: Date.now(), found: mirrored } : this.states.get(id);
    // The mirror knows this one cannot serve: a view cached before the mirror learned that is no answer.
    if (held && !mirrored && cached && syncedAt !== null && cached.at < syncedAt) cached = undefined;
    let found = cached?.found ?? null;
    if (!cached || Date.now() - cached.at >= maxAgeMs) {
      const [record, deadGeneration] = await Promise.all([this.registry.find(id), this.credentials.store.deadGeneration(id)]);
      found = record ? { tenantId: record.tenantId, apiBaseUrl: record.apiBaseUrl, state: record.state, deadGeneration } : null;
      if (this.states.size >= MAX_CACHED_VALUES) this.states.delete(this.states.keys().next().value!);
      this.states.set(id, { at: Date.now(), found });
    }
    if (!found || !canSee(principal, { id, tenantId: found.tenantId })) throw notFound();
    const { state } = found;
    if (state.status !== 'active' && state.status !== 'degraded') throw unavailableIn(state.status);
    return { state, deadGeneration: found.deadGeneration, apiBaseUrl: found.apiBaseUrl };
  }

  /** The token value the projection points at, from the token store or Secrets Manager (by name, never by ARN). */
  private async value(id: string, versionId: string): Promise<CachedValue | null> {
    const key = `${id}/${versionId}`;
    const hit = this.values.get(key);
    if (hit) return hit;
    const stored = await this.credentials.valueAt(id, versionId);
    if (!stored?.accessToken) return null;
    const value = { accessToken: stored.accessToken, tokenType: stored.tokenType ?? 'bearer', generation: stored.generation, dpopKey: stored.dpopKey ?? null };
    if (this.values.size >= MAX_CACHED_VALUES) this.values.delete(this.values.keys().next().value!);
    this.values.set(key, value);
    return value;
  }

  /** Runs `work` once per planned attempt (shared by concurrent callers); null when it already ran for this plan. */
  private once(table: Map<string, Attempted>, id: string, state: Projection, work: () => Promise<void>): Promise<void> | null {
    const plannedAt = plannedAttemptAt(state, this.opts.policy);
    const last = table.get(id);
    if (last?.done) return last.done;
    if (last && last.plannedAt === plannedAt && Date.now() - last.at < Math.max(this.opts.policy.degradedRetryMs, 2 * this.opts.waitMs)) return null;
    const entry: Attempted = { plannedAt, at: Date.now(), done: null };
    entry.done = work().finally(() => {
      entry.done = null;
      void this.forget(id); // the next read looks at what changed meanwhile
    });
    if (table.size >= MAX_CACHED_VALUES) table.delete(table.keys().next().value!);
    table.set(id, entry);
    return entry.done;
  }

  /** Asks the workflow for the attempt it is late with (bounded by waitMs, never awaited by a read that can be served). */
  private nudge(id: string, state: Projection): Promise<void> | null {
    // "Unless you already hold a token valid beyond the one I saw": nudges of many instances coalesce into one refresh.
    const unlessValidUntil = state.expiresAt ?? undefined;
    return this.once(this.nudges, id, state, () =>
      this.lifecycle
        .refreshNow(id, { actor: 'token-endpoint', unlessValidUntil }, this.opts.waitMs)
        .then(() => undefined)
        .catch(() => undefined), // keep serving what is still valid; the lifecycle records the failure
    );
  }

  /** Waits, bounded by waitMs, until the projection shows a usable token or a new plan (the attempt failed). */
  private async waitForRefresh(id: string, state: Projection): Promise<void> {
    const plannedAt = plannedAttemptAt(state, this.opts.policy);
    await this.once(this.waits, id, state, async () => {
      const deadline = Date.now() + this.opts.waitMs;
      while (Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
        const now = (await this.registry.find(id))?.state;
        if (!now || usable(now, Date.now()) || plannedAttemptAt(now, this.opts.policy) !== plannedAt) return;
      }
    });
  }
}
