// `npm run bench:scale`: the scale topology (scripts/scaleInfra.ts: Temporal server and FerretDB on PostgreSQL, two
// workers, two apis) grown in batches of integrations created through the API; after each batch it prints create
// throughput and latency, every process's RSS and CPU, database sizes, token reads across all ids, list and summary
// latency. It stops at the last target or when creates clearly degrade (p99 over --give-up-p99-seconds, or errors).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { scaleToolsPresent } from './scaleInfra';
import { ROOT, type RunningProcess } from './stack';
import { startStack } from './steward';
import { percentile } from './percentile';

const optionsSchema = z.object({
  targets: z.string().regex(/^\d+(,\d+)*$/, 'a comma-separated list of integration counts'),
  concurrency: z.coerce.number().int().min(1).max(512),
  'token-reads': z.coerce.number().int().min(10).max(1_000_000),
  'give-up-p99-seconds': z.coerce.number().positive(),
  'max-minutes': z.coerce.number().positive(),
});
const { values } = parseArgs({
  options: {
    targets: { type: 'string', default: '500,1000,2000,5000,10000,20000,50000,100000' },
    concurrency: { type: 'string', default: '32' },
    'token-reads': { type: 'string', default: '2000' },
    'give-up-p99-seconds': { type: 'string', default: '30' },
    'max-minutes': { type: 'string', default: '120' },
  },
});
const parsed = optionsSchema.safeParse(values);
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  process.exit(2);
}
const opts = parsed.data;
const TARGETS = opts.targets.split(',').map(Number);

const pct = (sorted: number[], p: number) => percentile(sorted, p) ?? NaN;
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 1 : 0)}` : '-');

/** RSS (MiB) and CPU seconds of a launched process and everything under it (PostgreSQL's backends start sessions of their own). */
function treeUsage(leader: number): { rssMiB: number; cpuSeconds: number } {
  const tick = 100; // USER_HZ on Linux
  const procs: { pid: number; ppid: number; pgrp: number; cpu: number; rss: number }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      procs.push({ pid: Number(entry), ppid: Number(f[1]), pgrp: Number(f[2]), cpu: (Number(f[11]) + Number(f[12])) / tick, rss });
    } catch {
      // the process ended while we read it
    }
  }
  const tree = new Set(procs.filter((p) => p.pgrp === leader).map((p) => p.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) if (!tree.has(p.pid) && tree.has(p.ppid)) grew = Boolean(tree.add(p.pid));
  }
  const mine = procs.filter((p) => tree.has(p.pid));
  return { rssMiB: mine.reduce((a, p) => a + p.rss, 0), cpuSeconds: mine.reduce((a, p) => a + p.cpu, 0) };
}

async function timed(url: string, init: RequestInit): Promise<{ ms: number; status: number; body: unknown }> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const body = await res.json().catch(() => null);
  return { ms: performance.now() - t0, status: res.status, body };
}

async function pool<T>(count: number, concurrency: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    for (let i = next++; i < count; i = next++) out[i] = await work(i);
  }));
  return out;
}

async function run(): Promise<void> {
  const missing = scaleToolsPresent();
  if (missing.length > 0) throw new Error(`Missing ${missing.join(', ')}: run \`bash scripts/setup-scale.sh\` first`);
  const runDir = join(ROOT, 'test-artifacts', 'bench-scale', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(runDir, { recursive: true });
  const deadline = Date.now() + opts['max-minutes'] * 60_000;
  const stack = await startStack({
    dataDir: join(runDir, 'data'),
    logDir: join(runDir, 'logs'),
    postgres: {},
    env: { STEWARD_LOG_LEVEL: 'warn', STEWARD_RATE_LIMIT_PER_MINUTE: '100000000' },
  });
  const extra: RunningProcess[] = [];
  const lines: string[] = [];
  const say = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  try {
    extra.push(await stack.startWorkerReplica('worker-2'));
    const api2 = await stack.startApiReplica('api-2');
    extra.push(api2.process);
    const apis = [stack.apiUrl, api2.url];
    const auth = { authorization: `Bearer ${stack.adminKey}` };
    const processes = [stack.worker!, extra[0]!, stack.api!, api2.process];
    const groups = [...stack.infrastructure(), ...processes].map((p) => ({ name: p.name, pid: p.pid }));
    const createBody = (i: number) =>
      JSON.stringify({
        label: `scale ${i}`,
        grantType: 'client_credentials',
        tokenUrl: stack.provider.tokenUrl,
        clientId: stack.demoClient.clientId,
        clientSecret: stack.demoClient.clientSecret,
        apiBaseUrl: 'https://api.example.com',
        tenantId: `tenant-${i % 50}`,
      });
    const ids: string[] = [];
    say(`# npm run bench:scale — ${new Date().toISOString()}\n\nconcurrency ${opts.concurrency}, 2 workers, 2 apis, Temporal server and FerretDB on PostgreSQL, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} at start\n`);
    say('| integrations | creates/s | create p50 / p99 ms | errors | token p50 / p99 ms | list p50 ms | summary p50 ms | ' + groups.map((g) => `${g.name} RSS MiB / CPU s`).join(' | ') + ' | db MiB |');
    say('|' + ' --- |'.repeat(8 + groups.length));
    for (const target of TARGETS) {
      if (Date.now() > deadline) {
        say(`\nstopped: --max-minutes reached before ${target}`);
        break;
      }
      const count = target - ids.length;
      if (count <= 0) continue;
      const t0 = performance.now();
      const results = await pool(count, opts.concurrency, (i) =>
        timed(`${apis[i % 2]}/v1/integrations`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: createBody(ids.length + i) }).catch(() => ({ ms: NaN, status: 0, body: null })),
      );
      const seconds = (performance.now() - t0) / 1000;
      for (const r of results) if (r.status === 201) ids.push((r.body as { id: string }).id);
      const errors = results.filter((r) => r.status !== 201).length;
      const createMs = results.map((r) => r.ms).filter(Number.isFinite).sort((a, b) => a - b);
      const reads = await pool(opts['token-reads'], 16, (i) => timed(`${apis[i % 2]}/v1/integrations/${ids[Math.floor(Math.random() * ids.length)]}/token`, { headers: auth }));
      const readMs = reads.map((r) => r.ms).sort((a, b) => a - b);
      const list = (await pool(5, 1, () => timed(`${stack.apiUrl}/v1/integrations?limit=100`, { headers: auth }))).map((r) => r.ms).sort((a, b) => a - b);
      const summary = (await pool(5, 1, () => timed(`${stack.apiUrl}/v1/summary`, { headers: auth }))).map((r) => r.ms).sort((a, b) => a - b);
      const usage = groups.map((g) => treeUsage(g.pid));
      const dbBytes = Number(execFileSync('/usr/lib/postgresql/15/bin/psql', ['-h', '127.0.0.1', '-p', String(pgPortOf(stack.dataDir)), '-U', 'temporal', '-d', 'postgres', '-Atc', 'SELECT sum(pg_database_size(datname)) FROM pg_database'], { encoding: 'utf8' }).trim());
      const readErrors = reads.filter((r) => r.status !== 200).length;
      const refused = [...new Set(results.filter((r) => r.status !== 201).map((r) => r.status))].join(', ');
      say(
        `| ${ids.length} | ${(count / seconds).toFixed(1)} | ${ms(pct(createMs, 50))} / ${ms(pct(createMs, 99))} | ${errors}${errors ? ` (${refused})` : ''} | ${ms(pct(readMs, 50))} / ${ms(pct(readMs, 99))}${readErrors ? ` (${readErrors} not 200)` : ''} | ${ms(pct(list, 50))} | ${ms(pct(summary, 50))} | ` +
          usage.map((u) => `${u.rssMiB.toFixed(0)} / ${u.cpuSeconds.toFixed(0)}`).join(' | ') +
          ` | ${(dbBytes / 2 ** 20).toFixed(0)} |`,
      );
      if (errors > count * 0.05 || pct(createMs, 99) > opts['give-up-p99-seconds'] * 1000) {
        say(`\nstopped: creates degraded at ${ids.length} (errors ${errors} of ${count}, p99 ${ms(pct(createMs, 99))} ms; statuses ${[...new Set(results.map((r) => r.status))].join(', ')})`);
        break;
      }
    }
  } finally {
    writeFileSync(join(runDir, 'table.md'), `${lines.join('\n')}\n`);
    console.log(`\ntable written to ${join(runDir, 'table.md')}`);
    await Promise.all(extra.map((p) => p.stop()));
    await stack.stop();
  }
}

/** The port postgres listens on, from its own pid file (line 4). */
function pgPortOf(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
