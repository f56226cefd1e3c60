// One integration's credentials across both homes: Secrets Manager (durable, within its write budget) and the encrypted token store.
import { setTimeout as sleep } from 'node:timers/promises';
import type { TokenStore } from './tokenStore';
import { DAY_MS, DEFAULT_WRITE_BUDGET, mayWriteVersion, type WriteBudget } from './writeBudget';
import { secretNameOf, type SecretVersion, type StoredSecret, type Vault } from './vault';

/** Version ids the token store serves look like this; anything else is a Secrets Manager VersionId. */
const STORE_REF = /^tokenstore:(\d+)$/;
export const storeRef = (generation: number) => `tokenstore:${generation}`;

export interface CurrentCredentials {
  value: StoredSecret;
  /** Where this generation can be read again (the workflow holds it; the api reads by it). */
  ref: { arn: string; versionId: string };
  /** What Secrets Manager itself holds, if anything. */
  sm: SecretVersion | null;
}

function isThrottling(err: unknown): boolean {
  const e = err as { name?: string; $retryable?: { throttling?: boolean } };
  return e.name === 'ThrottlingException' || e.$retryable?.throttling === true;
}

/** Throttling is weather: retry with backoff. Other client faults (quota, size) are answers: give up at once. */
async function writeWithPatience(write: () => Promise<{ arn: string; versionId: string }>, attempts: number) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      const clientFault = (err as { $fault?: string }).$fault === 'client' && !isThrottling(err);
      if (clientFault || attempt >= attempts) throw err;
      await sleep(Math.min(8000, 250 * 2 ** attempt * (0.5 + Math.random() / 2)));
    }
  }
}

export class Credentials {
  constructor(
    readonly vault: Vault,
    /** Also where refresh requests in flight are noted (markRefreshInFlight, refreshInFlight, refreshSettled). */
    readonly store: TokenStore,
    private readonly budget: WriteBudget = DEFAULT_WRITE_BUDGET,
  ) {}

  /** The newest generation held anywhere: a retried attempt must see what its killed predecessor stored. */
  async current(integrationId: string): Promise<CurrentCredentials | null> {
    const name = this.vault.nameFor(integrationId);
    const [sm, record] = await Promise.all([this.vault.read(name), this.store.latest(integrationId)]);
    if (record && (!sm || record.generation > sm.value.generation)) {
      return { value: record.value, ref: { arn: sm?.arn ?? name, versionId: storeRef(record.generation) }, sm };
    }
    return sm ? { value: sm.value, ref: { arn: sm.arn, versionId: sm.versionId }, sm } : null;
  }

  /**
   * Makes `value` durable before returning: the token store first (a worker killed during the Secrets Manager write
   * leaves the new refresh token readable), then — when durable material changed and the budget allows — a Secrets
   * Manager version. A refused, throttled or postponed write leaves the record pending; a later save carries its
   * material to Secrets Manager.
   * `urgent`: material supplied by a person (client secret, refresh token, consent) goes to Secrets Manager at once.
   */
  async save(integrationId: string, value: StoredSecret, opts: { sm: SecretVersion | null; urgent: boolean; now: number }): Promise<{ arn: string; versionId: string }> {
    const { sm } = opts;
    const materialChanged = !sm || sm.value.clientSecret !== value.clientSecret || sm.value.refreshToken !== value.refreshToken || sm.value.dpopKey?.d !== value.dpopKey?.d;
    let stored = true;
    try {
      // The whole record, client secret included: a generation in the store is complete on its own, so a secret
      // that Secrets Manager lost (a restored emulator, a deleted secret) is written again from here.
      await this.store.put(integrationId, value, materialChanged);
    } catch {
      stored = false; // MongoDB is down: Secrets Manager is the only home left, budget or not
    }
    // Unchanged durable material gets no version at all: the access token lives in the store, and a version that
    // repeats what Secrets Manager holds would only spend the per-secret quota and the region's shared write rate.
    const wanted = !stored || (materialChanged && mayWriteVersion(await this.store.writesOf(integrationId), opts.now, opts.urgent || !sm, this.budget));
    if (wanted) {
      try {
        const written = await writeWithPatience(() => this.vault.write(integrationId, value, { exists: Boolean(sm) }), stored ? 4 : 8);
        if (stored) {
          await this.store.recordWrite(integrationId, opts.now, opts.now - DAY_MS);
          await this.store.flushed(integrationId, value.generation);
          await this.store.prune(integrationId, value.generation);
        }
        return written;
      } catch (err) {
        if (!stored) throw err;
        // Quota, throttling or outage: the record stays pending in the store, which is durable too.
      }
    }
    await this.store.prune(integrationId, value.generation);
    return { arn: sm?.arn ?? this.vault.nameFor(integrationId), versionId: storeRef(value.generation) };
  }

  /** The value a projection points at: a token store generation or a Secrets Manager version (both immutable). */
  async valueAt(integrationId: string, versionId: string): Promise<StoredSecret | null> {
    const m = versionId.match(STORE_REF);
    if (m) return (await this.store.get(integrationId, Number(m[1])))?.value ?? null;
    return (await this.vault.read(this.vault.nameFor(integrationId), versionId))?.value ?? null;
  }

  /** Revocation: the secret and every stored generation go. Accepts the ARN the workflow holds or the name. */
  async remove(secretId: string): Promise<void> {
    const name = secretNameOf(secretId);
    await this.vault.delete(name);
    const integrationId = this.vault.integrationIdOf(name);
    if (integrationId) await this.store.deleteAll(integrationId);
  }
}
