// Probe of the token endpoint's refresh rule: provider requests, secret writes and latency caused by reads (`npx tsx scripts/probe-reads.ts`).
// Boots a test stack with the default 300 s buffer, puts one demo provider per (lifetime, rotation) behind a counting proxy,
// reads each integration N times right after creation, then measures read latency inside the due window with the worker stopped.
import { ListSecretVersionIdsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { randomBytes } from 'node:crypto';
import { startDemoProvider, type DemoProvider } from '../demo/provider';
import { startFaultProxy, type FaultProxy } from '../test/support/faultProxy';
import { apiClient, bootStack } from '../test/support/harness';

const N = Number(process.env.PROBE_READS ?? 20);
const client = { clientId: 'probe-client', clientSecret: randomBytes(18).toString('base64url') };

const stack = await bootStack('probe-reads');
const api = apiClient(stack);
const sm = new SecretsManagerClient({ region: 'us-east-1', endpoint: stack.motoUrl, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const started: { provider: DemoProvider; proxy: FaultProxy }[] = [];

async function integrationOn(ttl: number, rotate: boolean) {
  const provider = await startDemoProvider({ port: 0, clients: [client], accessTokenTtlSeconds: ttl, rotateRefreshTokens: rotate });
  const proxy = await startFaultProxy(provider.url);
  started.push({ provider, proxy });
  const minted = await provider.mintRefreshToken(client.clientId, 'read');
  const created = await api.post('/v1/integrations', {
    label: `probe ${ttl}s ${rotate ? 'rotating' : 'fixed'}`,
    grantType: 'refresh_token',
    tokenUrl: `${proxy.url}/token`,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    refreshToken: minted.refresh_token,
    scope: 'read',
    apiBaseUrl: 'https://api.example.com',
    tenantId: 'probe',
  });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.text}`);
  const tokenRequests = () => proxy.requests().filter((r) => r.path.startsWith('/token') && !r.path.includes('introspection')).length;
  return { id: created.body.id as string, tokenRequests, proxy };
}

const versions = async (id: string) =>
  (await sm.send(new ListSecretVersionIdsCommand({ SecretId: `steward/integrations/${id}`, IncludeDeprecated: true, MaxResults: 100 }))).Versions?.length ?? 0;

try {
  console.log(`N = ${N} reads right after creation; buffer ${stack.env.STEWARD_REFRESH_BUFFER_SECONDS ?? 'default (300)'} s`);
  console.log('lifetime  rotation  provider-requests  secret-writes  distinct-tokens  total-ms');
  for (const ttl of [30, 300, 900]) {
    for (const rotate of [true, false]) {
      const { id, tokenRequests } = await integrationOn(ttl, rotate);
      const [requests0, versions0] = [tokenRequests(), await versions(id)];
      const tokens = new Set<string>();
      const t0 = performance.now();
      for (let i = 0; i < N; i++) {
        const res = await api.get(`/v1/integrations/${id}/token`);
        tokens.add(res.status === 200 ? res.body.access_token : `HTTP ${res.status}`);
      }
      const elapsed = performance.now() - t0;
      await new Promise((r) => setTimeout(r, 1500)); // let any background refresh land before counting
      console.log(
        `${String(ttl).padStart(6)} s  ${rotate ? 'on ' : 'off'}       ${String(tokenRequests() - requests0).padStart(6)}             ${String((await versions(id)) - versions0).padStart(4)}           ${String(tokens.size).padStart(4)}          ${elapsed.toFixed(0)}`,
      );
    }
  }

  const quantiles = (latencies: number[]) => {
    const sorted = [...latencies].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(0);
    return `p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms, total ${latencies.reduce((a, b) => a + b, 0).toFixed(0)} ms`;
  };
  const timedReads = async (id: string, count: number, gapMs = 0) => {
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      const res = await api.get(`/v1/integrations/${id}/token`);
      latencies.push(performance.now() - t);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
    }
    return `${quantiles(latencies)}, statuses ${[...statuses].map(([k, v]) => `${k}×${v}`).join(' ')}`;
  };
  const until = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + 120_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  // Provider failing: once the lifecycle is degraded (next attempt 150–300 s away), every provider request is read-caused.
  {
    const { id, tokenRequests, proxy } = await integrationOn(30, true);
    proxy.setMode({ kind: 'status', status: 503 }, { paths: ['/token'] });
    await until('the slow retry pace', async () => {
      const state = (await api.get(`/v1/integrations/${id}`)).body;
      return state.status === 'degraded' && state.consecutiveFailures >= 4;
    });
    const before = tokenRequests();
    const summary = await timedReads(id, 100, 200);
    console.log(`provider down, degraded at the slow pace, 100 reads over ~20 s+: ${tokenRequests() - before} provider requests caused; ${summary}`);
    proxy.setMode({ kind: 'pass' });
  }

  // Worker down: a 30 s token (due at half-life, 15 s) read inside its due window but still valid for ~15 s, then expired.
  {
    const { id } = await integrationOn(30, true);
    const createdAt = Date.now();
    await stack.stopWorker();
    await new Promise((r) => setTimeout(r, Math.max(0, createdAt + 16_000 - Date.now())));
    console.log(`worker down, valid 30 s token inside its due window, ${N} reads: ${await timedReads(id, N)}`);
    await new Promise((r) => setTimeout(r, Math.max(0, createdAt + 31_000 - Date.now())));
    console.log(`worker down, expired 30 s token, ${N} reads: ${await timedReads(id, N)}`);
  }
} finally {
  for (const { provider, proxy } of started) {
    await proxy.close();
    await provider.close();
  }
  sm.destroy();
  await stack.stop();
}
