// Fault benchmark (`npm run chaos`): a loopback stack with short rotating tokens, N integrations, a series of faults while
// sampled token reads are checked at the provider, then an end checker over every integration and a table of what broke.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
import { percentile } from './percentile';

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

/** The worker's 'token durable' lines: when each obtained token was stored, and how long after its answer. */
function durableLog(file: string): { integrationId: string; grant: string; at: number; answerToDurableMs: number }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"token durable"'))
    .flatMap((l) => {
      try {
        const j = JSON.parse(l) as { time: number; integrationId: string; grant: string; answerToDurableMs: number };
        return [{ integrationId: j.integrationId, grant: j.grant, at: j.time, answerToDurableMs: j.answerToDurableMs }];
      } catch {
        return []; // a line cut by a SIGKILL
      }
    });
}

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
    /** When each SIGKILL of the worker was sent: attribution tells a kill holding the only copy of a token from Steward's doing. */
    const killedAt: number[] = [];
    /** When each worker process was spawned (the first with the stack): which process sent a request follows from these and the kills. */
    const spawnedAt: number[] = [0];
    const killWorker = () => {
      const pid = stack?.worker?.pid;
      if (pid) {
        killedAt.push(Date.now());
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    // Built once: each of the run's worker restarts then skips bundling (most of a restart's time on a busy machine).
    const dataDir = mkdtempSync(join(tmpdir(), 'steward-chaos-'));
    const logDir = join(outDir, `logs-${stamp}`);
    const bundlePath = await writeWorkflowBundle(join(dataDir, 'workflow-bundle.js'));
    stack = await startStack({
      dataDir,
      logDir,
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
    const settle = async (limitMs = opts['settle-seconds'] * 1000): Promise<number | null> => {
      const start = Date.now();
      while (Date.now() - start < limitMs) {
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

    const spawnWorker = () => {
      spawnedAt.push(Date.now());
      return s.startWorker();
    };

    const ensureProcesses = async (p: PhaseResult) => {
      for (const [name, proc, start] of [
        ['worker', s.worker, () => spawnWorker()],
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
      // Past the wrap-up mark a slow recovery is cut short: the final settle, the checker and the table come first.
      p.recoveryMs = await settle(Math.min(opts['settle-seconds'] * 1000, Math.max(30_000, wrapUpAt - Date.now())));
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
    // Steward's write budget keeps a rotated token in the token store and gives a secret at most one Secrets Manager
    // version per 15 min, so a short window sees almost no writes of its own. An admin's new refresh token is urgent
    // (written at once): PATCHing fresh grants during the window makes Steward write while the store refuses.
    const patchFreshGrants = async (count: number, spreadMs: number) => {
      const targets = ids.slice(0, opts.integrations).filter((id) => !lostSeen.has(id)).slice(0, count);
      const answers = await Promise.all(
        targets.map(async (id, k) => {
          await sleep((spreadMs * k) / Math.max(1, targets.length));
          const minted = await s.provider.mintRefreshToken(s.demoClient.clientId, 'read');
          return (await api('PATCH', `/v1/integrations/${id}`, { refreshToken: minted.refresh_token }).catch(() => ({ status: 0 }))).status;
        }),
      );
      const tally = new Map<number, number>();
      for (const a of answers) tally.set(a, (tally.get(a) ?? 0) + 1);
      return { targets, tally: [...tally].map(([k, n]) => `${k} ×${n}`).join(', '), wrong: answers.filter((a) => a === 500 || a === 0).length };
    };
    const refusedFor = (targets: string[]) => targets.reduce((n, id) => n + (s.smQuota.ledger.refusedBySecret.get(`${config.secretPrefix}${id}`) ?? 0), 0);
    /** After the window: each PATCHed grant is alive at the provider (the one Steward holds now, by its served token). */
    const liveAfter = async (targets: string[]) => {
      let live = 0;
      for (const id of targets) {
        const t = await api('GET', `/v1/integrations/${id}/token`).catch(() => null);
        if (t?.status === 200 && (await introspectAt(s, t.body.access_token))) live++;
      }
      return live;
    };

    await run('vault-throttle', async (p) => {
      // Other tenants of the region take the whole write rate: every Secrets Manager write of Steward's is throttled.
      const before = s.smQuota.ledger.refused.ThrottlingException;
      const beforeMine = refusedFor(ids.slice(0, opts.integrations));
      s.smQuota.ledger.backgroundWritesPerSecond = 50;
      const patched = await patchFreshGrants(10, faultMs / 2);
      const throttled = refusedFor(ids.slice(0, opts.integrations)) - beforeMine;
      await sleep(Math.max(0, faultMs / 2));
      s.smQuota.ledger.backgroundWritesPerSecond = 0;
      const throttledAll = s.smQuota.ledger.refused.ThrottlingException - before;
      p.notes.push(`${throttledAll} writes throttled (${throttled} of them the urgent writes of ${patched.targets.length} PATCHes with a new refresh token: ${patched.tally}); ${await liveAfter(patched.targets)} of ${patched.targets.length} serve a live token after`);
      (p as PhaseResult & { wrongAnswers?: number; vaultRefused?: number }).wrongAnswers = patched.wrong;
      (p as PhaseResult & { vaultRefused?: number }).vaultRefused = throttledAll;
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
          tokenUrl: `${px.url}/token?chaos=consent-${round}`, // tagged like the rotating ones: its refreshes rotate too
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
        const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(callback.toString()).then((r) => r.status).catch(() => 0)));
        // Only this integration's code exchanges count: the other integrations' refreshes share the proxy.
        const exchanges = px.requests().filter((r) => r.path === '/token' && r.search === `?chaos=consent-${round}` && r.grantType === 'authorization_code').length;
        const successes = answers.filter((a) => a === 200).length;
        if (successes !== 1 || exchanges !== 1) doubleExchanges++;
        p.notes.push(`round ${round + 1}: ${successes} success, ${exchanges} code exchange`);
        ids.push(created.body.id as string);
        tags.set(created.body.id as string, `?chaos=consent-${round}`);
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
      const windowStart = Date.now();
      const patched = await patchFreshGrants(10, faultMs / 2);
      await sleep(Math.max(0, faultMs - (Date.now() - windowStart)));
      // The quota lifts again, as it would after 24 h: the worker kills that follow test the vault at its normal limits.
      for (const young of versions.values()) for (const key of [...young.keys()]) if (key.startsWith('chaos-filler-')) young.delete(key);
      const refused = s.smQuota.ledger.refused.LimitExceededException - before;
      p.notes.push(
        `${opts.integrations} secrets at their 24 h version quota; ${refused} writes refused in ${((Date.now() - windowStart) / 1000).toFixed(0)} s (PATCHes with a new refresh token: ${patched.tally}); ${await liveAfter(patched.targets)} of ${patched.targets.length} serve a live token after`,
      );
      (p as PhaseResult & { wrongAnswers?: number }).wrongAnswers = patched.wrong;
      (p as PhaseResult & { vaultRefused?: number }).vaultRefused = refused;
    });

    // ----------------------------------------------------------------- worker kills
    const restartWorker = async () => {
      await s.stopWorker();
      await spawnWorker();
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
    // What is left before the hard stop, less ~2 minutes for the token checks, the checker and the table.
    const steadyMs = await settle(Math.min(opts['settle-seconds'] * 1000, Math.max(20_000, t0 + opts['max-minutes'] * 60_000 - Date.now() - 120_000)));
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
    // A rotating grant dies when a refresh token is presented twice. For each lost grant, the last rotation before the
    // provider's first refusal (or the last one at all) is followed, by fingerprints of the tokens the proxy saw:
    // - the token it issued is the one Steward holds now: it was stored, and presenting an older one is Steward's doing;
    // - it was not stored, and the worker process that sent the request was SIGKILLed before it logged the token
    //   durable and before the provider refused the reuse: the killed process held (or was about to get) the only copy.
    //   No software can prevent that loss with a provider that has no reuse grace. The process is the last one spawned
    //   before the request; when its kill comes before the request's log time, the request was already in flight
    //   (this process logs it a few ms late on a busy machine) and no other worker existed to send it. How long each
    //   answer waited to become durable is read from the worker's 'token durable' log lines (a row below), so a slow
    //   store shows there rather than hiding in this rule;
    // - anything else (not stored without a kill, or not within STORE_PATIENCE_MS of the answer, an answer Steward gave
    //   up on, no rotation seen): Steward's doing.
    const durable = durableLog(join(logDir, 'worker.log'));
    // A kill long after the answer arrived does not excuse a token that was still not durable (p99 is a few hundred ms).
    const STORE_PATIENCE_MS = 5000;
    const phaseAt = (t: number) => [...phases].reverse().find((p) => p.startedAt <= t)?.name ?? 'setup';
    const log_ = px.requests();
    const lostIds = [...new Set([...lostSeen, ...checked.verdicts.filter((v) => v.grantLost).map((v) => v.id)])];
    const verdictOf = new Map(checked.verdicts.map((v) => [v.id, v]));
    const causes = new Map<string, string[]>();
    let lostToKills = 0;
    let lostBySteward = 0;
    const when = (t: number) => new Date(t).toISOString().slice(11, 23);
    for (const id of lostIds) {
      const tag = tags.get(id);
      const mine = log_.filter((r) => r.path === '/token' && tag !== undefined && r.search === tag).sort((a, b) => a.at - b.at);
      const rejected = mine.findIndex((r) => r.answeredWith === 400);
      // A hung request released after the hang reaches the provider (and may rotate) while its log entry keeps 'hang'.
      const lastGood = (rejected >= 0 ? mine.slice(0, rejected) : mine).reverse().find((r) => r.issued !== undefined);
      const rejection = rejected >= 0 ? `reuse rejected at ${when(mine[rejected]!.at)} (${phaseAt(mine[rejected]!.at)})` : 'no refusal seen';
      let cause: string;
      let detail: string;
      if (!lastGood) {
        cause = 'Steward: no rotation seen';
        detail = `${id}: ${rejection}`;
      } else {
        const stored = verdictOf.get(id)?.storedRefreshFingerprint === lastGood.issued;
        const reached = lastGood.deliveredAt;
        // The worker that asked died before it stored the answer: it was the only one to hold it.
        const until = rejected >= 0 ? mine[rejected]!.at : Number.POSITIVE_INFINITY;
        const sender = Math.max(...spawnedAt.filter((t) => t <= lastGood.at));
        const kill = killedAt.find((k) => k >= sender && k <= until);
        const phase = phaseAt(lastGood.at);
        const storedLater = durable.find((d) => d.integrationId === id && d.at >= lastGood.at);
        const heldFor = kill === undefined ? 0 : kill - (reached ?? lastGood.at);
        if (!stored && kill !== undefined && !(storedLater && storedLater.at < kill) && heldFor <= STORE_PATIENCE_MS) {
          cause = `worker killed holding the only copy (${phase})`;
          detail = `${id}: rotated at ${when(lastGood.at)}, ${reached === undefined ? 'answer never delivered' : `answer delivered at ${when(reached)}`}, SIGKILL at ${when(kill)} (${heldFor >= 0 ? `${heldFor} ms after the answer` : `${-heldFor} ms before the answer: the request was in flight`}), not durable before it, ${rejection}`;
        } else if (stored) {
          cause = `Steward: re-presented a spent token after the rotation was stored (${phase})`;
          detail = `${id}: rotated at ${when(lastGood.at)} and stored, ${rejection}`;
        } else {
          cause = kill === undefined ? `Steward: rotation not stored, no kill before the reuse (${phase})` : `Steward: rotation not durable ${STORE_PATIENCE_MS} ms after the answer (${phase})`;
          detail = `${id}: rotated at ${when(lastGood.at)}, ${reached === undefined ? 'answer never reached the worker' : `answer reached the worker at ${when(reached)}`}, ${storedLater ? `durable at ${when(storedLater.at)}` : 'no durable log line'}, ${rejection}`;
        }
      }
      if (cause.startsWith('Steward')) lostBySteward++;
      else lostToKills++;
      causes.set(cause, [...(causes.get(cause) ?? []), detail]);
    }

    // ----------------------------------------------------------------- table
    const total = (f: (c: ServeCounts) => number) => phases.reduce((n, p) => n + f(p.counts), 0);
    const lostAtEnd = checked.verdicts.filter((v) => v.grantLost);
    const unattributed = lostAtEnd.filter((v) => !lostSeen.has(v.id));
    const rows: [string, string][] = [];
    rows.push(['grants lost caused by Steward (goal 0)', String(lostBySteward)]);
    rows.push(['grants lost to a SIGKILL holding the only copy (no software could prevent)', String(lostToKills)]);
    for (const [cause, lost] of [...causes].sort()) rows.push([`  grants lost: ${cause}`, String(lost.length)]);
    rows.push(['grants lost (all causes, end check)', `${lostAtEnd.length}${unattributed.length ? ` (${unattributed.length} found only by the end check)` : ''}`]);
    const exposure = durable.filter((d) => d.grant === 'refresh_token').map((d) => d.answerToDurableMs).sort((a, b) => a - b);
    const pct = (q: number) => percentile(exposure, q * 100) ?? 0;
    rows.push(['rotated refresh token held only in memory: answer → durable p50 / p99 / max', exposure.length ? `${pct(0.5)} / ${pct(0.99)} / ${exposure[exposure.length - 1]} ms (${exposure.length} refreshes)` : 'no durable log lines']);
    rows.push(['expired tokens served', String(total((c) => c.expired))]);
    rows.push(['provider-revoked tokens served', String(total((c) => c.revoked))]);
    rows.push(['workflows with failing tasks (at the end)', String(checked.verdicts.filter((v) => v.failingTasks).length)]);
    rows.push(['workflow tasks failed during the run (WorkflowTaskFailed in histories)', String(checked.verdicts.reduce((n, v) => n + v.failedTaskEvents, 0))]);
    const refusedRows = phases.map((p) => (p as PhaseResult & { vaultRefused?: number }).vaultRefused ?? 0).reduce((a, b) => a + b, 0);
    rows.push(['Secrets Manager writes refused (throttled or over quota) during the vault experiments', String(refusedRows)]);
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
      ...[...causes].flatMap(([cause, lost]) => lost.map((g) => `grant lost (${cause}): ${g}`)),
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
