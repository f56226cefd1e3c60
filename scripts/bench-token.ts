// `npm run bench`: token endpoint throughput and latency against /healthz (same server, no work) measured in the same run.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from './steward';
import { ROOT } from './stack';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function load(url: string, headers: Record<string, string>) {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (!res.ok) errors++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { rps: latencies.length / SECONDS, p50: pct(50), p99: pct(99), errors };
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function run(): Promise<void> {
  const stack = await startStack({
    dataDir: mkdtempSync(join(tmpdir(), 'steward-bench-')),
    logDir: join(ROOT, 'test-artifacts', 'bench'),
    // The limiter stays in the path (it is part of the cost) but must not refuse the benchmark's own load.
    env: { STEWARD_LOG_LEVEL: 'warn', STEWARD_RATE_LIMIT_PER_MINUTE: '100000000' },
  });
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
    const tokenUrl = `${stack.apiUrl}/v1/integrations/${id}/token`;
    await load(tokenUrl, auth); // warm-up
    const rssBefore = rssMb(stack.api!.pid);
    const baseline = await load(`${stack.apiUrl}/healthz`, {});
    const token = await load(tokenUrl, auth);
    const rssAfter = rssMb(stack.api!.pid);
    const row = (name: string, r: Awaited<ReturnType<typeof load>>) =>
      `${name.padEnd(22)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   errors ${r.errors}`;
    console.log(`\nconcurrency ${CONCURRENCY}, ${SECONDS}s per target, loopback\n`);
    console.log(row('GET /healthz (baseline)', baseline));
    console.log(row('GET …/token', token));
    console.log(`\ntoken / baseline throughput: ${(token.rps / baseline.rps).toFixed(2)}   p50 ratio: ${(token.p50 / baseline.p50).toFixed(2)}`);
    console.log(`api RSS: ${rssBefore.toFixed(0)} MiB before, ${rssAfter.toFixed(0)} MiB after the token run`);
  } finally {
    await stack.stop();
  }
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
