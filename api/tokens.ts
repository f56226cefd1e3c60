// The hot path: serve an integration's current token from a short state cache and a by-version value cache.
import type { Registry } from '../lib/registry';
import type { Credentials } from '../lib/credentials';
import { notFound, StewardError, unavailableIn } from '../lib/errors';
import type { Projection } from '../workflows/model';
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

export class TokenService {
  private readonly states = new Map<string, { at: number; found: { tenantId: string | null; state: Projection } | null }>();
  // Stored generations are immutable (Secrets Manager versions and token store records): a cached value is never stale.
  private readonly values = new Map<string, CachedValue>();
  // One refresh nudge per integration at a time; a failed nudge is not repeated for a while (worker may be down).
  private readonly nudges = new Map<string, { at: number; done: Promise<void> }>();

  constructor(
    private readonly registry: Registry,
    private readonly credentials: Credentials,
    private readonly lifecycle: Lifecycle,
    private readonly opts: { stateCacheMs: number; refreshBufferMs: number; waitMs: number },
  ) {}

  async token(id: string, principal: Principal): Promise<ServedToken> {
    let state = await this.state(id, principal);
    if (this.insideBuffer(state)) {
      await this.nudge(id);
      state = await this.state(id, principal, true);
    }
    const expiresAt = Date.parse(state.expiresAt ?? '');
    if (!state.secretArn || !state.secretVersionId || !(expiresAt - Date.now() > MIN_REMAINING_MS)) {
      throw new StewardError('token_unavailable', `No valid token is available (the integration is ${state.status}).`, { status: state.status });
    }
    const value = await this.value(id, state.secretVersionId);
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

  private insideBuffer(state: Projection): boolean {
    return !state.expiresAt || Date.parse(state.expiresAt) - Date.now() <= this.opts.refreshBufferMs;
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

  /** The token value the projection points at, from the token store or Secrets Manager (by name, never by ARN). */
  private async value(id: string, versionId: string): Promise<CachedValue | null> {
    const key = `${id}/${versionId}`;
    const hit = this.values.get(key);
    if (hit) return hit;
    const stored = await this.credentials.valueAt(id, versionId);
    if (!stored?.accessToken) return null;
    const value = { accessToken: stored.accessToken, tokenType: stored.tokenType ?? 'bearer' };
    if (this.values.size >= MAX_CACHED_VALUES) this.values.delete(this.values.keys().next().value!);
    this.values.set(key, value);
    return value;
  }

  /** Asks the workflow to refresh and waits, bounded; concurrent callers share one request. */
  private async nudge(id: string): Promise<void> {
    const existing = this.nudges.get(id);
    if (existing && Date.now() - existing.at < 2 * this.opts.waitMs) return existing.done;
    const unlessValidUntil = new Date(Date.now() + this.opts.refreshBufferMs).toISOString();
    const done = this.lifecycle
      .refreshNow(id, { actor: 'token-endpoint', unlessValidUntil }, this.opts.waitMs)
      .then(() => {
        this.nudges.delete(id);
      })
      .catch(() => undefined); // keep serving what is still valid; the lifecycle records the failure
    this.nudges.set(id, { at: Date.now(), done });
    return done;
  }
}
