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
  return { id: created.body.id as string, tokenRequests };
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

  // Worker down: a 30 s token (due at half-life, 15 s) read inside its due window but still valid for ~15 s.
  const { id } = await integrationOn(30, true);
  const createdAt = Date.now();
  await stack.stopWorker();
  await new Promise((r) => setTimeout(r, Math.max(0, createdAt + 16_000 - Date.now())));
  const latencies: number[] = [];
  const statuses = new Set<number>();
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    const res = await api.get(`/v1/integrations/${id}/token`);
    latencies.push(performance.now() - t);
    statuses.add(res.status);
  }
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(0);
  console.log(`worker down, valid 30 s token inside its due window, ${N} reads: p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms, total ${latencies.reduce((a, b) => a + b, 0).toFixed(0)} ms, statuses ${[...statuses].join(',')}`);
} finally {
  for (const { provider, proxy } of started) {
    await proxy.close();
    await provider.close();
  }
  sm.destroy();
  await stack.stop();
}
