// `npm run bench`: the token endpoint against a bare Express server answering the same bytes, alternating in one run, for one integration and for many.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { loadWorkerConfig } from '../lib/config';
import { storeRef } from '../lib/credentials';
import { LocalKeyRing } from '../lib/envelope';
import { TokenStore } from '../lib/tokenStore';
import { startStack, type Stack } from './steward';
import { ROOT } from './stack';
import { percentile } from './percentile';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Rounds of (bare, token) per scenario: alternating evens out the other work on a shared machine. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MANY = Number(process.env.BENCH_INTEGRATIONS ?? 10_000);
/** A folder: the api runs under `node --cpu-prof` for the token runs and leaves its profile there. */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF_DIR;

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  n: number;
}

async function load(urls: () => string, headers: Record<string, string>): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const res = await fetch(urls(), { headers });
        await res.arrayBuffer();
        if (!res.ok) errors++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => percentile(latencies, p) ?? NaN;
  return { rps: latencies.length / SECONDS, p50: pct(50), p99: pct(99), errors, n: latencies.length };
}

/** Rounds merged: throughput summed over time, percentiles of the rounds' medians (each round's p50/p99). */
function merge(results: Result[]): Result {
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    rps: results.reduce((s, r) => s + r.rps, 0) / results.length,
    p50: mid(results.map((r) => r.p50)),
    p99: mid(results.map((r) => r.p99)),
    errors: results.reduce((s, r) => s + r.errors, 0),
    n: results.reduce((s, r) => s + r.n, 0),
  };
}

/** CPU time (user + system) of a process in ms, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100/s)
}

async function startBare(bodyFile: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/bench-bare.ts'), bodyFile, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const m = /listening (\d+)/.exec(chunk.toString());
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`bench-bare exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/** Copies of `id` straight into the registry and the token store (creating 10,000 through the lifecycle takes hours). */
async function seed(stack: Stack, id: string, count: number): Promise<string[]> {
  const conn = await mongoose.createConnection(stack.mongoUri).asPromise();
  try {
    const store = new TokenStore(conn, new LocalKeyRing(loadWorkerConfig(stack.env).tokenStoreKeys));
    const integrations = conn.db!.collection<Record<string, unknown>>('integrations');
    const original = (await integrations.findOne({ _id: id as never }))!;
    const value = { clientSecret: null, accessToken: `bench-${'x'.repeat(40)}`, refreshToken: null, tokenType: 'bearer', expiresAt: null, scope: null, tokenOrigin: null, generation: 1 };
    const expiresAt = new Date(Date.now() + 24 * 3600_000).toISOString();
    const ids = Array.from({ length: count }, (_, i) => `int_${(0xbe000000 + i).toString(16).padStart(24, '0')}`);
    const { ChangeLog } = await import('../lib/changeLog');
    const changes = new ChangeLog(conn);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      // A few at a time: FerretDB on SQLite answers SQLITE_BUSY to hundreds of concurrent upserts.
      for (let j = 0; j < chunk.length; j += 4) await Promise.all(chunk.slice(j, j + 4).map((seededId) => store.put(seededId, { ...value, expiresAt }, false)));
      const now = new Date();
      await integrations.insertMany(
        chunk.map((seededId) => ({
          ...original,
          _id: seededId as never,
          label: `bench ${seededId}`,
          createdAt: now,
          updatedAt: now,
          state: { ...(original.state as object), secretVersionId: storeRef(1), expiresAt, refreshDueAt: expiresAt, nextAttemptAt: expiresAt, lastRefreshAt: now.toISOString(), revision: 1 },
        })),
      );
      await changes.append(...chunk);
    }
    return ids;
  } finally {
    await conn.close();
  }
}

const row = (name: string, r: Result) =>
  `${name.padEnd(34)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms   errors ${r.errors}`;

async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-bench-'));
  const stack = await startStack({
    dataDir,
    logDir: join(ROOT, 'test-artifacts', 'bench'),
    // The limiter stays in the path (it is part of the cost) but must not refuse the benchmark's own load.
    env: { STEWARD_LOG_LEVEL: 'warn', STEWARD_RATE_LIMIT_PER_MINUTE: '100000000' },
  });
  let bare: ChildProcess | null = null;
  let profiled: ChildProcess | null = null;
  try {
    const auth = { authorization: `Bearer ${stack.adminKey}` };
    const created = await fetch(`${stack.apiUrl}/v1/integrations`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        label: 'bench',
        grantType: 'client_credentials',
        tokenUrl: stack.provider.tokenUrl,
        clientId: stack.demoClient.clientId,
        clientSecret: stack.demoClient.clientSecret,
        apiBaseUrl: 'https://api.example.com',
      }),
    });
    const { id } = (await created.json()) as { id: string };
    const tokenUrl = (target: string) => `${stack.apiUrl}/v1/integrations/${target}/token`;
    const sample = await fetch(tokenUrl(id), { headers: auth });
    const bodyFile = join(dataDir, 'token-body.json');
    writeFileSync(bodyFile, await sample.text());
    const started = await startBare(bodyFile);
    bare = started.child;

    const seeded = MANY > 0 ? await seed(stack, id, MANY) : [];
    let apiPid = stack.api!.pid;
    if (CPU_PROF_DIR) {
      // A fresh api under the profiler (--cpu-prof is refused in NODE_OPTIONS): its profile covers start and the runs below.
      await stack.stopApi();
      profiled = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`, '--import', 'tsx', join(ROOT, 'api/main.ts')], {
        env: { ...process.env, ...stack.env },
        stdio: 'ignore',
      });
      apiPid = profiled.pid!;
      for (let ready = false; !ready; ) {
        await new Promise((r) => setTimeout(r, 500));
        ready = await fetch(`${stack.apiUrl}/healthz`).then((r) => r.ok, () => false);
      }
    }
    await new Promise((r) => setTimeout(r, 1000)); // the mirror's next polls hold every seeded id
    const scenarios: [string, () => string][] = [['1 integration', () => id]];
    if (seeded.length) scenarios.push([`${seeded.length} integrations, uniform`, () => seeded[Math.floor(Math.random() * seeded.length)]]);

    console.log(`\nconcurrency ${CONCURRENCY}, ${ROUNDS} rounds × ${SECONDS}s per target, alternating, load generator on the same cores`);
    if (seeded.length) {
      // Each instance's first read of an integration fetches its value (token store or Secrets Manager): shown apart,
      // the rounds below measure the steady state, every value cached.
      const t0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < seeded.length) await (await fetch(tokenUrl(seeded[next++]), { headers: auth })).arrayBuffer();
        }),
      );
      const s = (performance.now() - t0) / 1000;
      console.log(`\nfirst read of each of ${seeded.length} integrations (values not cached yet): ${s.toFixed(1)} s, ${(seeded.length / s).toFixed(0)} reads/s`);
    }
    for (const [name, pick] of scenarios) {
      await load(() => tokenUrl(pick()), auth); // warm-up
      const bareRuns: Result[] = [];
      const tokenRuns: Result[] = [];
      let apiCpu = 0;
      for (let round = 0; round < ROUNDS; round++) {
        bareRuns.push(await load(() => `${started.url}/v1/integrations/${pick()}/token`, auth));
        const cpu0 = cpuMs(apiPid);
        const r = await load(() => tokenUrl(pick()), auth);
        apiCpu += cpuMs(apiPid) - cpu0;
        tokenRuns.push(r);
      }
      const [b, t] = [merge(bareRuns), merge(tokenRuns)];
      console.log(`\n${name}`);
      console.log(row('  bare Express, same bytes', b));
      console.log(row('  GET …/token', t));
      console.log(`  token / bare: ${(t.rps / b.rps).toFixed(2)}×   p50 ${t.p50.toFixed(1)} vs ${b.p50.toFixed(1)} ms   api CPU ${(apiCpu / t.n).toFixed(2)} ms/read`);
    }
  } finally {
    bare?.kill('SIGTERM');
    if (profiled) {
      const exited = new Promise((r) => profiled!.once('exit', r));
      profiled.kill('SIGTERM'); // the api exits through its stop handler, and node writes the profile
      await exited;
      console.log(`\ncpu profile written to ${CPU_PROF_DIR}`);
    }
    await stack.stop();
  }
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
