// `npm run bench:vault`: 48 simulated hours of refreshes through the real write path (lib/credentials.ts) on a compressed
// clock, against AWS's limits (scripts/smQuota.ts): Secrets Manager writes per integration, peak regional rate, losses.
import type { SecretVersion, StoredSecret, Vault } from '../lib/vault';
import type { StoreRecord, TokenStore } from '../lib/tokenStore';
import { Credentials } from '../lib/credentials';
import { DAY_MS, DEFAULT_WRITE_BUDGET } from '../lib/writeBudget';
import { nextRefreshDelayMs } from '../workflows/schedule';
import { SM_LIMITS, SmQuotaLedger } from './smQuota';

const HOURS = 48;
const FLEET = Number(process.env.BENCH_INTEGRATIONS ?? 10_000);
/** Fleet creation spread (an import of every integration within an hour). */
const CREATION_SPREAD_MS = 3600_000;
/** One refresh in this many is hit by a worker killed during the Secrets Manager write. */
const KILL_EVERY = 25;
const POLICY = { refreshBufferMs: 300_000, refreshTokenIdleMs: null };
const ID = 'bench';

/** Secrets Manager in memory, answering through AWS's ledger on the simulated clock. */
class SimulatedSecretsManager {
  versions: { versionId: string; value: StoredSecret }[] = [];
  writeTimes: number[] = [];
  calls = 0;
  killNextWrite = false;
  killed = false;
  constructor(
    private readonly ledger: SmQuotaLedger,
    private readonly clock: () => number,
  ) {}
  nameFor = (id: string) => `steward/integrations/${id}`;
  integrationIdOf = (name: string) => name.slice('steward/integrations/'.length);
  async read(): Promise<SecretVersion | null> {
    this.calls += 1;
    const last = this.versions.at(-1);
    return last ? { arn: 'arn:sim', versionId: last.versionId, value: last.value } : null;
  }
  async write(integrationId: string, value: StoredSecret): Promise<{ arn: string; versionId: string }> {
    const versionId = `v${value.generation}`;
    this.calls += 1;
    if (this.killNextWrite) {
      this.killNextWrite = false;
      this.killed = true;
      return new Promise(() => {}); // the worker died mid-write: nothing after this line of the write path ever runs
    }
    const refused = this.ledger.admit({ operation: 'PutSecretValue', secret: this.nameFor(integrationId), clientRequestToken: versionId, valueBytes: JSON.stringify(value).length });
    if (refused) throw Object.assign(new Error(refused.message), { name: refused.type, $fault: 'client' });
    this.versions.push({ versionId, value });
    this.writeTimes.push(this.clock());
    return { arn: 'arn:sim', versionId };
  }
  async delete() {}
}

/** The token store in memory (the real one is MongoDB ciphertext; the write path's decisions are the same). */
class SimulatedTokenStore {
  records = new Map<number, StoreRecord>();
  log: number[] = [];
  async put(_id: string, value: StoredSecret, pending: boolean) {
    if (!this.records.has(value.generation)) this.records.set(value.generation, { generation: value.generation, pending, value });
  }
  async get(_id: string, generation: number) {
    return this.records.get(generation) ?? null;
  }
  async latest() {
    return [...this.records.values()].sort((a, b) => b.generation - a.generation)[0] ?? null;
  }
  async flushed(_id: string, generation: number) {
    for (const r of this.records.values()) if (r.generation <= generation) r.pending = false;
  }
  async prune(_id: string, newest: number) {
    for (const g of this.records.keys()) if (g <= newest - 3 && !this.records.get(g)!.pending) this.records.delete(g);
  }
  async writesOf() {
    return this.log;
  }
  async recordWrite(_id: string, at: number, keepAfter: number) {
    this.log = [...this.log.filter((t) => t > keepAfter), at];
  }
  async deleteAll() {}
}

interface Result {
  lifetimeMin: number;
  rotation: boolean;
  refreshesPerDay: number;
  smWritesPerDayMax: number;
  smWritesPerDayAvg: number;
  writeTimes: number[];
  refreshTimes: number[];
  callsPerDay: number;
  lostGrants: number;
  expiredServed: number;
  kills: number;
}

/** One integration for 48 h through Credentials.save, with kills mid-write and reads every 30 s. */
async function simulateOne(lifetimeMin: number, rotation: boolean): Promise<Result> {
  let now = 0;
  const clock = () => now;
  const sm = new SimulatedSecretsManager(new SmQuotaLedger(clock), clock);
  const store = new SimulatedTokenStore();
  const credentials = new Credentials(sm as unknown as Vault, store as unknown as TokenStore, DEFAULT_WRITE_BUDGET);
  let issuedRefreshToken = 1; // what the provider currently honours; spending any other one revokes the grant
  let generation = 0;
  let refreshes = 0;
  let lostGrants = 0;
  let expiredServed = 0;
  let kills = 0;
  let servedExpiresAt = 0;
  const refreshTimes: number[] = [];

  async function obtain(urgent: boolean): Promise<void> {
    const current = await credentials.current(ID);
    if (current && current.value.generation > generation) {
      generation = current.value.generation; // a killed attempt's retry: already durable, no provider call
      servedExpiresAt = Date.parse(current.value.expiresAt!);
      return;
    }
    const spent = current ? Number(current.value.refreshToken) : issuedRefreshToken;
    if (spent !== issuedRefreshToken) lostGrants += 1;
    if (rotation) issuedRefreshToken += 1;
    const value: StoredSecret = {
      clientSecret: 'client-secret',
      accessToken: `at-${generation + 1}`,
      refreshToken: String(issuedRefreshToken),
      tokenType: 'bearer',
      expiresAt: new Date(now + lifetimeMin * 60_000).toISOString(),
      scope: null,
      tokenOrigin: 'https://provider.example',
      generation: generation + 1,
    };
    const kill = !urgent && refreshes % KILL_EVERY === KILL_EVERY - 1;
    sm.killNextWrite = kill;
    refreshTimes.push(now);
    sm.killed = false;
    const saved = credentials.save(ID, value, { sm: current?.sm ?? null, urgent, now });
    await new Promise((r) => setImmediate(r)); // let the write path run as far as it gets
    sm.killNextWrite = false;
    if (!sm.killed) await saved;
    else {
      kills += 1; // the activity never reported; the workflow keeps its old generation and retries
      return obtain(false);
    }
    generation = value.generation;
    servedExpiresAt = Date.parse(value.expiresAt!);
  }

  await obtain(true);
  let nextRefresh = nextRefreshDelayMs(lifetimeMin * 60, true, POLICY);
  for (let read = 30_000; read < HOURS * 3600_000; read += 30_000) {
    while (nextRefresh <= read) {
      now = nextRefresh;
      refreshes += 1;
      await obtain(false);
      nextRefresh = now + nextRefreshDelayMs(lifetimeMin * 60, true, POLICY);
    }
    now = read;
    if (servedExpiresAt <= now) expiredServed += 1; // the api refuses these; counted if one were due
  }
  const perDay = (start: number) => sm.writeTimes.filter((t) => t >= start && t < start + DAY_MS).length;
  return {
    lifetimeMin,
    rotation,
    refreshesPerDay: refreshes / (HOURS / 24),
    smWritesPerDayMax: Math.max(0, ...sm.writeTimes.map(perDay)),
    smWritesPerDayAvg: sm.writeTimes.length / (HOURS / 24),
    writeTimes: sm.writeTimes,
    refreshTimes,
    callsPerDay: sm.calls / (HOURS / 24),
    lostGrants,
    expiredServed,
    kills,
  };
}

/** The fleet: every integration follows the same pattern from its own creation time; AWS's regional rate applies. */
function fleetPeak(writeTimes: number[], steadyFromMs: number): { peak: number; throttled: number } {
  const perSecond = new Map<number, number>();
  for (let i = 0; i < FLEET; i++) {
    const offset = Math.random() * CREATION_SPREAD_MS;
    for (const t of writeTimes) {
      const second = Math.floor((t + offset) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
  }
  let peak = 0;
  let throttled = 0;
  for (const [second, count] of perSecond) {
    if (second * 1000 < steadyFromMs) continue;
    peak = Math.max(peak, count);
    throttled += Math.max(0, count - SM_LIMITS.writesPerSecond); // queued and retried with backoff, never lost
  }
  return { peak, throttled };
}

async function run(): Promise<void> {
  const rows: string[] = [];
  console.log(`Simulating ${HOURS} h per scenario (budget: ≥ ${DEFAULT_WRITE_BUDGET.minSpacingMs / 60_000} min apart, ≤ ${DEFAULT_WRITE_BUDGET.maxPerDay} per 24 h; AWS: ${SM_LIMITS.versionsPer24h} versions/24 h, ${SM_LIMITS.writesPerSecond} writes/s)…`);
  for (const lifetimeMin of [5, 15, 60]) {
    for (const rotation of [false, true]) {
      const r = await simulateOne(lifetimeMin, rotation);
      const fleet = fleetPeak(r.writeTimes.slice(1), 2 * CREATION_SPREAD_MS); // steady state: creation writes excluded
      const fleetBefore = fleetPeak(r.refreshTimes.slice(1), 2 * CREATION_SPREAD_MS);
      const before = r.refreshesPerDay; // today's main: one version per refresh
      // Every Secrets Manager call the worker makes (a read per refresh, the writes); the api serves from the token store.
      const cost = 0.4 + ((r.callsPerDay * 30) / 10_000) * 0.05;
      rows.push(
        `| ${lifetimeMin} min | ${rotation ? 'yes' : 'no'} | ${r.refreshesPerDay.toFixed(0)} | ${before.toFixed(0)}${before > SM_LIMITS.versionsPer24h ? ' (refused after ' + ((SM_LIMITS.versionsPer24h / before) * 24).toFixed(0) + ' h)' : ''} | ${r.smWritesPerDayMax} (avg ${r.smWritesPerDayAvg.toFixed(1)}) | ${fleetBefore.peak}/s → ${fleet.peak}/s | ${r.lostGrants} (${r.kills} kills) | ${r.expiredServed} | $${cost.toFixed(3)} |`,
      );
    }
  }
  console.log(`
| token lifetime | rotation | refreshes / 24 h | SM versions / 24 h before (one per refresh) | SM versions in any 24 h now | peak SM writes/s, ${FLEET.toLocaleString('en')} integrations (before → now) | lost grants | expired tokens served | cost / integration / month |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Cost: $0.40 per secret per month + $0.05 per 10,000 API calls (the worker's read per refresh and its writes; services' token reads come from the token store).
Peak rate: integrations created at random moments within one hour, measured after the first two hours; AWS allows 50 writes/s.`);
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
