// `npm run scale`: the topology for scale and soak runs. PostgreSQL, the Temporal server on it, FerretDB on its
// PostgreSQL backend, moto behind AWS's limits, the demo provider, two workers and two api instances, with data in
// .data/scale/. The default `npm run dev` stays the light embedded stack.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { devStackOptions } from './devOptions';
import { scaleToolsPresent } from './scaleInfra';
import { ROOT, type RunningProcess } from './stack';
import { startStack } from './steward';
import { runForeground, stopOnSignal } from './foreground';

async function run(): Promise<void> {
  const missing = scaleToolsPresent();
  if (missing.length > 0) throw new Error(`Missing ${missing.join(', ')}: run \`bash scripts/setup-scale.sh\` first`);
  const startedAt = Date.now();
  const dev = devStackOptions();
  const dataDir = join(ROOT, '.data', 'scale');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  console.log('Starting the scale topology: PostgreSQL, Temporal server, FerretDB (pg), Secrets Manager, demo provider, 2 workers, 2 apis…');
  const stack = await startStack({ ...dev, dataDir, logDir: join(dataDir, 'logs'), ports: {}, postgres: {} });
  const replicas: RunningProcess[] = [];
  try {
    replicas.push(await stack.startWorkerReplica('worker-2'));
    const api2 = await stack.startApiReplica('api-2');
    replicas.push(api2.process);
    console.log(`
The scale topology is up (${((Date.now() - startedAt) / 1000).toFixed(1)}s).

  API              ${stack.apiUrl}   and   ${api2.url}
  Temporal         ${stack.temporalAddress}   (the server on PostgreSQL)   UI ${stack.temporalUiUrl}
  MongoDB          ${stack.mongoUri}   (FerretDB on PostgreSQL)
  Secrets Manager  ${stack.motoUrl}
  Demo provider    ${stack.provider.issuer}
  Workers          2 (pids ${stack.worker?.pid}, ${replicas[0]!.pid})
  Logs             .data/scale/logs/
  Admin key        ${stack.adminKey}

Press Ctrl-C to stop everything.`);
  } catch (err) {
    await Promise.all(replicas.map((p) => p.stop()));
    await stack.stop();
    throw err;
  }
  stopOnSignal(async () => {
    await Promise.all(replicas.map((p) => p.stop()));
    await stack.stop();
  }, '.data/scale');
}

runForeground(run);
