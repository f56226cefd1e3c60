// Fault benchmark (`npm run chaos`): a loopback stack with short rotating tokens, N integrations, a series of faults while
// sampled token reads are checked at the provider, then an end checker over every integration and a table of what broke.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadApiConfig } from '../lib/config';
import { connectClient } from '../lib/temporal';
import { startFaultProxy, type FaultProxy } from '../test/support/faultProxy';
import { driveBrowserFlow } from '../test/support/oauthBrowser';
import { checkAll } from './chaos/check';
import { emptyCounts, introspectAt, watchTokens, type ServeCounts } from './chaos/tokenWatch';
import { ROOT, stopAll } from './stack';
import { startStack, type Dependency, type Stack } from './steward';
import { writeWorkflowBundle } from '../worker/bundle';

const EXPERIMENTS = [
  'provider-500',
  'provider-hang',
  'provider-late',
  'restart-temporal',
  'restart-ferretdb',
  'restart-moto',
  'vault-throttle',
  // Before the kill series: the worst-moment kills take the rotating grants, and these need live ones.
  'concurrent-ops',
  'consent-callbacks',
  'vault-quota',
  'kills-random',
  'kills-worst',
] as const;
type Experiment = (typeof EXPERIMENTS)[number];

const flags = {
  integrations: { type: 'string', default: '30' },
  kills: { type: 'string', default: '50' },
  'token-ttl': { type: 'string', default: '60' },
  'refresh-buffer': { type: 'string', default: '20' },
  'outage-seconds': { type: 'string', default: '5' },
  'fault-seconds': { type: 'string', default: '12' },
  sample: { type: 'string', default: '8' },
  'settle-seconds': { type: 'string', default: '180' },
  'max-minutes': { type: 'string', default: '16' },
  only: { type: 'string', default: EXPERIMENTS.join(',') },
  help: { type: 'boolean', default: false },
} as const;

const optionsSchema = z.object({
  integrations: z.coerce.number().int().min(2).max(1000),
  kills: z.coerce.number().int().min(0).max(2000),
  'token-ttl': z.coerce.number().int().min(20).max(3600),
  'refresh-buffer': z.coerce.number().int().min(1).max(3000),
  'outage-seconds': z.coerce.number().min(0).max(600),
  'fault-seconds': z.coerce.number().min(1).max(600),
  sample: z.coerce.number().int().min(1).max(100),
  'settle-seconds': z.coerce.number().int().min(10).max(3600),
  'max-minutes': z.coerce.number().min(1).max(600),
  only: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(EXPERIMENTS, { message: `each must be one of ${EXPERIMENTS.join(', ')}` }))),
  help: z.boolean(),
});

function readOptions() {
  const { values } = parseArgs({ options: flags, strict: true });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`--${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** Kept of --max-minutes for the final settle, the end checker and the table. */
const WRAP_UP_MS = 4 * 60_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const log = (line: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);

interface PhaseResult {
  name: Experiment | 'setup' | 'settle';
  startedAt: number;
  counts: ServeCounts;
  grantsLost: string[];
  /** ms from the end of the fault until every integration was active again; null if it never was within --settle-seconds. */
  recoveryMs: number | null;
  notes: string[];
}

async function main() {
  const opts = readOptions();
  if (opts.help) {
    console.log(`npm run chaos -- [--integrations 30] [--kills 50] [--token-ttl 60] [--refresh-buffer 20] [--outage-seconds 5] [--fault-seconds 12]
  [--sample 8] [--settle-seconds 180] [--max-minutes 16] [--only ${EXPERIMENTS.join(',')}]`);
    return;
  }
  const t0 = Date.now();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = join(ROOT, 'test-artifacts', 'chaos');
  mkdirSync(outDir, { recursive: true });

  let stack: Stack | null = null;
  let proxy: FaultProxy | null = null;
  let stopping = false;
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    if (stopping) return;
    stopping = true;
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await proxy?.close().catch(() => undefined);
    await stack?.stop().catch(() => undefined);
    await stopAll().catch(() => undefined);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping everything started`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  const hardStop = setTimeout(() => {
    log(`--max-minutes ${opts['max-minutes']} passed: stopping everything started`);
    void cleanup().finally(() => process.exit(2));
  }, opts['max-minutes'] * 60_000);
  hardStop.unref();
  // Experiments start (and kill series go on) only until this: what is left of --max-minutes is for the final settle,
  // the checker and the table, so a slow machine gets a shorter run with its table rather than none.
  const wrapUpAt = t0 + opts['max-minutes'] * 60_000 - WRAP_UP_MS;
  const skipped: string[] = [];

  try {
    // ----------------------------------------------------------------- stack
    let armedWorst: (() => void) | null = null;
    const killWorker = () => {
      const pid = stack?.worker?.pid;
      if (pid) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    // Built once: each of the run's worker restarts then skips bundling (most of a restart's time on a busy machine).
    const dataDir = mkdtempSync(join(tmpdir(), 'steward-chaos-'));
    const bundlePath = await writeWorkflowBundle(join(dataDir, 'workflow-bundle.js'));
    stack = await startStack({
      dataDir,
      logDir: join(outDir, `logs-${stamp}`),
      persistent: true, // restarts of Temporal, FerretDB and moto keep their data, as in production
      providerTokenTtlSeconds: opts['token-ttl'],
      providerTestControls: true,
      env: {
        STEWARD_REFRESH_BUFFER_SECONDS: String(opts['refresh-buffer']),
        STEWARD_RETRY_BASE_SECONDS: '1',
        STEWARD_RETRY_MAX_SECONDS: '10',
        STEWARD_DEGRADED_RETRY_SECONDS: '15',
        STEWARD_PROVIDER_TIMEOUT_MS: '5000',
        STEWARD_RATE_LIMIT_PER_MINUTE: '100000',
        STEWARD_WORKFLOW_BUNDLE_PATH: bundlePath,
      },
    });
    const s = stack;
    log(`stack up in ${((Date.now() - t0) / 1000).toFixed(0)} s (api ${s.apiUrl}, logs in test-artifacts/chaos/logs-${stamp})`);
    proxy = await startFaultProxy(s.provider.url, {
      onAnswer: (r) => {
        // The worst moment: the provider has rotated the refresh token and its answer is on its way back to the worker.
        if (armedWorst && r.path === '/token' && r.answeredWith === 200) {
          killWorker();
          const done = armedWorst;
          armedWorst = null;
          done();
        }
      },
    });
    const px = proxy;
    const config = loadApiConfig(s.env);
    const { client: temporal, connection } = await connectClient({ ...config.temporal, codecKeys: config.codecKeys });
    cleanups.push(() => connection.close());
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${s.apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${s.adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(60_000),
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as any };
    };

    // ----------------------------------------------------------------- integrations
    const ids: string[] = [];
    const tags = new Map<string, string>();
    const createOne = async (i: number) => {
      const minted = await s.provider.mintRefreshToken(s.demoClient.clientId, 'read');
      const created = await api('POST', '/v1/integrations', {
        label: `chaos ${i}`,
        grantType: 'refresh_token',
        tokenUrl: `${px.url}/token?chaos=${i}`, // the tag tells the proxy's log which integration asked
        clientId: s.demoClient.clientId,
        clientSecret: s.demoClient.clientSecret,
        refreshToken: minted.refresh_token,
        scope: 'read',
        apiBaseUrl: 'https://api.example.com',
        tenantId: 'chaos',
        revocationUrl: s.provider.revocationUrl,
      });
      if (created.status !== 201) throw new Error(`create ${i} answered ${created.status}: ${JSON.stringify(created.body)}`);
      ids.push(created.body.id as string);
      tags.set(created.body.id as string, `?chaos=${i}`);
    };
    for (let i = 0; i < opts.integrations; i += 4) {
      await Promise.all(Array.from({ length: Math.min(4, opts.integrations - i) }, (_, k) => createOne(i + k)));
    }
    log(`${ids.length} integrations created (rotating refresh tokens with reuse detection, ${opts['token-ttl']} s access tokens)`);

    // ----------------------------------------------------------------- watching
    const phases: PhaseResult[] = [];
    const lostSeen = new Set<string>();
    let current: PhaseResult = { name: 'setup', startedAt: Date.now(), counts: emptyCounts(), grantsLost: [], recoveryMs: null, notes: [] };
    phases.push(current);
    const badServes: string[] = [];
    const sample = ids.slice(0, Math.min(opts.sample, ids.length));
    const watcher = watchTokens(s, sample, () => current.counts, (what) => badServes.push(`[${current.name}] ${what}`));
    cleanups.push(() => watcher.stop());

    /** Every integration's live view; marks newly lost grants against the experiment under way. */
    const sweep = async () => {
      const views = new Map<string, any>();
      for (let i = 0; i < ids.length; i += 8) {
        await Promise.all(
          ids.slice(i, i + 8).map(async (id) => {
            const v = await api('GET', `/v1/integrations/${id}`).catch(() => null);
            if (v?.status === 200) views.set(id, v.body);
          }),
        );
      }
      for (const [id, v] of views) {
        const lost = v.status === 'awaiting_consent' || v.status === 'disconnected' || ['invalid_grant', 'refresh_answer_lost'].includes(v.lastError?.code);
        if (lost && !lostSeen.has(id)) {
          lostSeen.add(id);
          current.grantsLost.push(`${id} (${v.status}, ${v.lastError?.code ?? 'no error'})`);
          log(`grant lost: ${id} status ${v.status} lastError ${v.lastError?.code ?? '-'}`);
        }
      }
      return views;
    };
    let sweeping = true;
    const sweeper = (async () => {
      while (sweeping) {
        await sweep().catch(() => undefined);
        await sleep(3000);
      }
    })();
    cleanups.push(async () => {
      sweeping = false;
      await sweeper;
    });

    /** Waits until every integration whose grant is not lost is active with no failing workflow task; ms taken or null. */
    const settle = async (): Promise<number | null> => {
      const start = Date.now();
      while (Date.now() - start < opts['settle-seconds'] * 1000) {
        const views = await sweep().catch(() => new Map<string, any>());
        // Steady: active, no failures in a row, no failing workflow task, and a token that has not run out (a refresh stuck
        // behind a dead worker's activity leaves the status active until the token expires).
        const now = Date.now();
        const steady = ids.every((id) => {
          const v = views.get(id);
          return lostSeen.has(id) || (v?.status === 'active' && v.consecutiveFailures === 0 && !v.workflowTaskFailing && Date.parse(v.expiresAt) > now + 1000);
        });
        if (steady) return Date.now() - start;
        await sleep(1000);
      }
      return null;
    };

    const ensureProcesses = async (p: PhaseResult) => {
      for (const [name, proc, start] of [
        ['worker', s.worker, () => s.startWorker()],
        ['api', s.api, () => s.startApi()],
      ] as const) {
        let alive = proc !== null;
        if (proc) {
          try {
            process.kill(proc.pid, 0);
          } catch {
            alive = false;
          }
        }
        if (!alive) {
          p.notes.push(`${name} had exited and was started again`);
          await (name === 'worker' ? s.stopWorker() : s.stopApi());
          await start();
        }
      }
    };

    const run = async (name: Experiment, body: (p: PhaseResult) => Promise<void>) => {
      if (!opts.only.includes(name)) return;
      if (Date.now() >= wrapUpAt) {
        skipped.push(name);
        log(`experiment ${name} skipped: --max-minutes ${opts['max-minutes']} leaves only the wrap-up`);
        return;
      }
      current = { name, startedAt: Date.now(), counts: emptyCounts(), grantsLost: [], recoveryMs: null, notes: [] };
      phases.push(current);
      const p = current;
      log(`experiment ${name}`);
      await body(p);
      await ensureProcesses(p);
      p.recoveryMs = await settle();
      log(`  ${name}: recovered in ${p.recoveryMs === null ? `more than ${opts['settle-seconds']} s` : `${(p.recoveryMs / 1000).toFixed(1)} s`}${p.notes.length ? `; ${p.notes.join('; ')}` : ''}`);
    };

    const faultMs = opts['fault-seconds'] * 1000;
    await settle();

    // ----------------------------------------------------------------- provider faults
    await run('provider-500', async () => {
      px.setMode({ kind: 'status', status: 500 }, { paths: ['/token'] });
      await sleep(faultMs);
      px.setMode({ kind: 'pass' });
    });
    await run('provider-hang', async () => {
      px.setMode({ kind: 'hang' }, { paths: ['/token'] });
      await sleep(faultMs);
      px.setMode({ kind: 'pass' }); // held requests whose caller still waits are forwarded now
    });
    await run('provider-late', async () => {
      // The provider acts on each refresh at once (rotating the token) but its answer arrives after Steward's 5 s timeout.
      px.setMode({ kind: 'delay', ms: 8000 }, { paths: ['/token'] });
      await sleep(faultMs);
      px.setMode({ kind: 'pass' });
    });

    // ----------------------------------------------------------------- dependency restarts
    for (const dep of ['temporal', 'ferretdb', 'moto'] as Dependency[]) {
      await run(`restart-${dep}` as Experiment, async (p) => {
        const started = Date.now();
        await s.restartDependency(dep, opts['outage-seconds'] * 1000);
        p.notes.push(`down and back in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      });
    }

    // ----------------------------------------------------------------- secret store at AWS's limits
    await run('vault-throttle', async (p) => {
      // Other tenants of the region take the whole write rate: every Secrets Manager write of Steward's is throttled.
      const before = s.smQuota.ledger.refused.ThrottlingException;
      s.smQuota.ledger.backgroundWritesPerSecond = 50;
      await sleep(faultMs);
      s.smQuota.ledger.backgroundWritesPerSecond = 0;
      p.notes.push(`${s.smQuota.ledger.refused.ThrottlingException - before} writes throttled`);
    });

    // ----------------------------------------------------------------- concurrency
    await run('concurrent-ops', async (p) => {
      const id = ids.find((x) => !lostSeen.has(x))!;
      const operation = (i: number) => {
        switch (i % 4) {
          case 0:
            return api('PATCH', `/v1/integrations/${id}`, { label: `chaos renamed ${i}` });
          case 1:
            return api('POST', `/v1/integrations/${id}/refresh`);
          case 2:
            return api('POST', `/v1/integrations/${id}/owner`, { owner: `team-${i}` });
          default:
            return api('GET', `/v1/integrations/${id}/token`);
        }
      };
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => operation(i).then((a) => ({ ...a, i }), () => ({ status: 0, body: null, i }))));
      // 500 or no answer is wrong; 503/504 (unavailable, pending) are honest answers and are listed, not counted.
      const tally = new Map<string, number>();
      for (const a of answers) {
        const key = `${['PATCH', 'refresh', 'owner', 'token'][a.i % 4]} ${a.status}${a.body?.error ? ` ${a.body.error}` : ''}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }
      const bad = answers.filter((a) => a.status === 500 || a.status === 0);
      p.notes.push(`50 concurrent operations on ${id}: ${[...tally].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
      (p as PhaseResult & { wrongAnswers?: number }).wrongAnswers = bad.length;
    });

    await run('consent-callbacks', async (p) => {
      const redirectUri = (await api('GET', '/v1/meta')).body.redirectUri as string;
      let doubleExchanges = 0;
      for (let round = 0; round < 3; round++) {
        const created = await api('POST', '/v1/integrations', {
          label: `chaos consent ${round}`,
          grantType: 'authorization_code',
          authorizationUrl: s.provider.authorizationUrl,
          tokenUrl: `${px.url}/token`,
          redirectUri,
          clientId: s.demoClient.clientId,
          clientSecret: s.demoClient.clientSecret,
          scope: 'openid offline_access read',
          apiBaseUrl: 'https://api.example.com',
          tenantId: 'chaos',
          revocationUrl: s.provider.revocationUrl,
        });
        if (created.status !== 201) throw new Error(`consent create answered ${created.status}`);
        const callback = await driveBrowserFlow(created.body.consent.authorizationUrl, redirectUri, `chaos-${round}`);
        const before = px.requests().filter((r) => r.path === '/token').length;
        const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(callback.toString()).then((r) => r.status).catch(() => 0)));
        const exchanges = px.requests().filter((r) => r.path === '/token').length - before;
        if (answers.filter((a) => a === 200).length !== 1 || exchanges > 1) doubleExchanges++;
        ids.push(created.body.id as string);
      }
      p.notes.push(`3 rounds of 20 parallel callbacks: ${doubleExchanges} rounds with more than one success or code exchange`);
      (p as PhaseResult & { wrongAnswers?: number }).wrongAnswers = doubleExchanges;
    });

    await run('vault-quota', async (p) => {
      // Every rotating integration's secret has had its 100 versions in the last 24 h: Secrets Manager refuses new ones
      // for the rest of the run (the ledger is filled directly: at AWS's 50 writes/s that would take minutes).
      const versions = s.smQuota.ledger['versions'];
      for (const id of ids.slice(0, opts.integrations)) {
        const name = `${config.secretPrefix}${id}`;
        s.smQuota.ledger.versionCount(name);
        const young = versions.get(name)!;
        for (let k = 0; young.size < 100; k++) young.set(`chaos-filler-${k}`, Date.now());
      }
      const before = s.smQuota.ledger.refused.LimitExceededException;
      await sleep(faultMs);
      // The quota lifts again, as it would after 24 h: the worker kills that follow test the vault at its normal limits.
      for (const young of versions.values()) for (const key of [...young.keys()]) if (key.startsWith('chaos-filler-')) young.delete(key);
      p.notes.push(`${opts.integrations} secrets at their 24 h version quota; ${s.smQuota.ledger.refused.LimitExceededException - before} writes refused in ${opts['fault-seconds']} s`);
    });

    // ----------------------------------------------------------------- worker kills
    const restartWorker = async () => {
      await s.stopWorker();
      await s.startWorker();
    };
    const randomKills = Math.ceil(opts.kills / 2);
    await run('kills-random', async (p) => {
      let k = 0;
      for (; k < randomKills && Date.now() < wrapUpAt; k++) {
        await sleep(Math.random() * 2000);
        killWorker();
        await restartWorker();
      }
      p.notes.push(`${k} SIGKILLs at random moments${k < randomKills ? ` (of ${randomKills}: --max-minutes)` : ''}`);
    });
    await run('kills-worst', async (p) => {
      let timedOut = 0;
      const worst = opts.kills - randomKills;
      let k = 0;
      for (; k < worst && Date.now() < wrapUpAt; k++) {
        const hit = await Promise.race([
          new Promise<boolean>((r) => (armedWorst = () => r(true))),
          sleep(45_000).then(() => false),
        ]);
        if (!hit) {
          armedWorst = null;
          timedOut++;
          killWorker();
        }
        await restartWorker();
      }
      p.notes.push(`${k - timedOut} SIGKILLs right as the provider's refresh answer passed${timedOut ? `, ${timedOut} at a timeout instead` : ''}${k < worst ? ` (of ${worst}: --max-minutes)` : ''}`);
    });

    // ----------------------------------------------------------------- final steady state and check
    current = { name: 'settle', startedAt: Date.now(), counts: emptyCounts(), grantsLost: [], recoveryMs: null, notes: [] };
    phases.push(current);
    const settleStart = Date.now();
    const steadyMs = await settle();
    // Steady also means every integration serves a token the provider accepts.
    let unusable = 0;
    for (const id of ids) {
      if (lostSeen.has(id)) continue;
      const t = await api('GET', `/v1/integrations/${id}/token`);
      if (t.status !== 200 || !(await introspectAt(s, t.body.access_token))) unusable++;
    }
    current.recoveryMs = steadyMs === null ? null : Date.now() - settleStart;
    await watcher.stop();
    sweeping = false;
    await sweeper;
    log('checking every integration: workflow, registry, vault, provider');
    const checked = await checkAll(s, temporal, ids, config);

    // ----------------------------------------------------------------- attribution
    // A rotating grant dies when a refresh token is presented twice: the cause is the experiment during which the last
    // successful rotation's answer was given (and then not kept), not the one during which the reuse was noticed.
    const phaseAt = (t: number) => [...phases].reverse().find((p) => p.startedAt <= t)?.name ?? 'setup';
    const log_ = px.requests();
    const lostIds = [...new Set([...lostSeen, ...checked.verdicts.filter((v) => v.grantLost).map((v) => v.id)])];
    const causes = new Map<string, string[]>();
    for (const id of lostIds) {
      const tag = tags.get(id);
      const mine = log_.filter((r) => r.path === '/token' && tag !== undefined && r.search === tag).sort((a, b) => a.at - b.at);
      // The last rotation before the first rejection, or (the vault holding a spent token, no retry yet) the last one.
      const rejected = mine.findIndex((r) => r.answeredWith === 400);
      // A hung request released after the hang reaches the provider (and may rotate) while its log entry keeps 'hang'.
      const lastGood = (rejected >= 0 ? mine.slice(0, rejected) : mine).reverse().find((r) => r.answeredWith === 200 || r.answeredWith === 'hang');
      const cause = lastGood ? phaseAt(lastGood.at) : `unknown (${tag ? 'no rotation seen' : 'consent integration'})`;
      const when = (t: number) => new Date(t).toISOString().slice(11, 23);
      const rejection = rejected >= 0 ? `reuse rejected at ${when(mine[rejected]!.at)} (${phaseAt(mine[rejected]!.at)})` : 'no retry yet: the vault holds the spent token';
      causes.set(cause, [...(causes.get(cause) ?? []), lastGood ? `${id}: rotated at ${when(lastGood.at)}, ${rejection}` : id]);
    }

    // ----------------------------------------------------------------- table
    const total = (f: (c: ServeCounts) => number) => phases.reduce((n, p) => n + f(p.counts), 0);
    const lostAtEnd = checked.verdicts.filter((v) => v.grantLost);
    const unattributed = lostAtEnd.filter((v) => !lostSeen.has(v.id));
    const rows: [string, string][] = [];
    for (const [cause, lost] of causes) rows.push([`grants lost, answer lost during ${cause}`, String(lost.length)]);
    rows.push(['grants lost (all causes, end check)', `${lostAtEnd.length}${unattributed.length ? ` (${unattributed.length} found only by the end check)` : ''}`]);
    rows.push(['expired tokens served', String(total((c) => c.expired))]);
    rows.push(['provider-revoked tokens served', String(total((c) => c.revoked))]);
    rows.push(['workflows with failing tasks', String(checked.verdicts.filter((v) => v.failingTasks).length)]);
    rows.push(['integrations needing manual action', String(checked.verdicts.filter((v) => v.needsManualAction).length)]);
    rows.push(['state disagreements (workflow/registry/vault/provider)', String(checked.verdicts.filter((v) => v.mismatches.length).length)]);
    rows.push(['orphans', String(checked.orphans.length)]);
    rows.push(['integrations not serving a live token at the end', String(unusable)]);
    const wrong = phases.map((p) => (p as PhaseResult & { wrongAnswers?: number }).wrongAnswers ?? 0).reduce((a, b) => a + b, 0);
    rows.push(['wrong answers (500s under 50 concurrent ops, double consent exchanges)', String(wrong)]);
    rows.push(['sampled token reads answered otherwise than 200/409/429/503/504 (500s)', String(total((c) => c.other))]);
    rows.push(['time to steady state after the last fault', steadyMs === null ? `> ${opts['settle-seconds']} s` : `${((current.recoveryMs ?? 0) / 1000).toFixed(1)} s`]);
    const slowest = Math.max(...phases.filter((p) => p.recoveryMs !== null).map((p) => p.recoveryMs!), 0);
    rows.push(['slowest recovery after one experiment', `${(slowest / 1000).toFixed(1)} s${phases.some((p) => p.name !== 'settle' && p.name !== 'setup' && p.recoveryMs === null) ? ' (some never recovered)' : ''}`]);
    rows.push(['token reads checked (served / unavailable)', `${total((c) => c.reads)} (${total((c) => c.served)} / ${total((c) => c.unavailable)})`]);
    rows.push(['wall time', `${((Date.now() - t0) / 1000).toFixed(0)} s`]);
    if (skipped.length) rows.push(['experiments skipped for --max-minutes', skipped.join(', ')]);

    const width = Math.max(...rows.map(([k]) => k.length));
    const table = rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v} |`).join('\n');
    const perPhase = phases
      .map((p) => `| ${p.name} | ${p.counts.reads} | ${p.counts.served} | ${p.counts.unavailable} | ${p.counts.other} | ${p.counts.expired} | ${p.counts.revoked} | ${p.grantsLost.length} | ${p.recoveryMs === null ? '-' : (p.recoveryMs / 1000).toFixed(1)} | ${p.notes.join('; ')} |`)
      .join('\n');
    const details = [
      ...[...causes].flatMap(([cause, lost]) => lost.map((g) => `grant lost (answer lost during ${cause}): ${g}`)),
      ...phases.flatMap((p) => p.grantsLost.map((g) => `noticed during ${p.name}: ${g}`)),
      ...unattributed.map((v) => `lost, found by the end check: ${v.id} (${v.status})`),
      ...checked.verdicts.filter((v) => v.mismatches.length).map((v) => `${v.id}: ${v.mismatches.join('; ')}`),
      ...checked.orphans,
      ...badServes,
    ];
    const report = [
      `# npm run chaos — ${new Date().toISOString()}`,
      '',
      `${ids.length} integrations (${opts.integrations} rotating refresh-token, ${ids.length - opts.integrations} consent), ${opts['token-ttl']} s tokens, ${opts['refresh-buffer']} s buffer, ${opts.kills} worker kills, ${opts['outage-seconds']} s dependency outages, ${opts['fault-seconds']} s provider faults`,
      '',
      `| row${' '.repeat(Math.max(0, width - 3))} | value |`,
      `|${'-'.repeat(width + 2)}|-------|`,
      table,
      '',
      '| experiment | reads | served | unavailable | other (500) | expired served | revoked served | grants lost noticed | recovery s | notes |',
      '|---|---|---|---|---|---|---|---|---|---|',
      perPhase,
      '',
      ...(details.length ? ['Details:', ...details.map((d) => `- ${d}`)] : ['No details: every check passed.']),
      '',
    ].join('\n');
    console.log(`\n${report}`);
    const file = join(outDir, `chaos-${stamp}.md`);
    writeFileSync(file, report);
    writeFileSync(join(outDir, `chaos-${stamp}.json`), JSON.stringify({ options: opts, rows: Object.fromEntries(rows), phases, checked }, null, 2));
    log(`table written to ${file}`);
  } finally {
    clearTimeout(hardStop);
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
