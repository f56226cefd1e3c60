// Brings up the whole local Steward stack (Temporal, FerretDB, moto, demo provider, worker, api): used by `npm run dev` and the tests.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { join } from 'node:path';
import { startDemoProvider, type DemoProvider } from '../demo/provider';
import { startSmQuotaProxy, type SmQuotaProxy } from './smProxy';
import { createFerretDatabase, ferretPostgresUrl, startPostgres, startTemporalServer } from './scaleInfra';
import { ROOT, freePort, startFerret, startMoto, startProcess, startTemporal, startTemporalUi, waitFor, type RunningProcess } from './stack';

export type Dependency = 'temporal' | 'ferretdb' | 'moto';

export interface StackPorts {
  api: number;
  temporal: number;
  temporalUi?: number;
  mongo: number;
  moto: number;
  provider: number;
}

export interface StackOptions {
  /** Where data (and the generated keys) persist; a fresh temp folder for tests. */
  dataDir: string;
  logDir: string;
  ports?: Partial<StackPorts>;
  withUi?: boolean;
  /** Keep Temporal, FerretDB and moto data across restarts (dev) or keep it in memory (tests). */
  persistent?: boolean;
  providerTokenTtlSeconds?: number;
  /** Refresh tokens rotate with a fresh lifetime, so a short one is an idle expiry. */
  providerRefreshTokenTtlSeconds?: number;
  providerTestControls?: boolean;
  /** Extra environment for api and worker (lifecycle tuning in tests). */
  env?: Record<string, string>;
  /** Run api and worker from this compiled tree (scripts/build.ts) with plain node, as the image does; default: tsx on the sources. */
  compiledDir?: string;
  /** The scale topology (scripts/scaleInfra.ts): Temporal's server and FerretDB on PostgreSQL instead of the embedded stores. */
  postgres?: { port?: number };
  /**
   * Use Temporal, FerretDB and moto that are already running (the test run starts them once, test/support/sharedStack.ts)
   * instead of starting them: this stack then keeps to its own task queue, database and moto account.
   */
  shared?: SharedDependencies;
}

/** Running dependencies a stack can use, and the slice of each that is this stack's alone. */
export interface SharedDependencies {
  temporalPort: number;
  mongoPort: number;
  /** moto itself; each stack still puts its own quota proxy in front. */
  motoUrl: string;
  taskQueue: string;
  databaseName: string;
  /** moto keeps one Secrets Manager per account id: secret names stay Steward's usual ones. */
  motoAccountId: string;
  /** Where the shared processes log. */
  logDir: string;
}

export interface Stack {
  ports: StackPorts;
  /** The data folder (keys, recordings, databases). */
  dataDir: string;
  /** Where Temporal, FerretDB and moto log (this stack's log folder, or the shared ones'). */
  dependencyLogDir: string;
  apiUrl: string;
  temporalAddress: string;
  /** The task queue this stack's workers poll (its own when dependencies are shared). */
  taskQueue: string;
  temporalUiUrl: string | null;
  mongoUri: string;
  /** Where Secrets Manager clients connect: the quota proxy in front of moto. */
  motoUrl: string;
  /** AWS's limits in front of moto: its ledger, clock and test holds. */
  smQuota: SmQuotaProxy;
  adminKey: string;
  codecKey: string;
  demoClient: { clientId: string; clientSecret: string };
  provider: DemoProvider;
  /** The environment api and worker run with. */
  env: Record<string, string>;
  worker: RunningProcess | null;
  api: RunningProcess | null;
  startWorker(extraEnv?: Record<string, string>): Promise<RunningProcess>;
  stopWorker(): Promise<void>;
  startApi(extraEnv?: Record<string, string>): Promise<RunningProcess>;
  stopApi(): Promise<void>;
  /** Stops one dependency, keeps it down `downMs`, starts it again on the same port with the same data (fault runs). */
  restartDependency(name: Dependency, downMs?: number): Promise<void>;
  /** Another api instance on its own port with its own settings, as a second replica would run. The caller stops it. */
  startApiReplica(name: string, extraEnv?: Record<string, string>): Promise<{ url: string; process: RunningProcess }>;
  /** Another worker polling the same task queue, as a second replica would run. The caller stops it. */
  startWorkerReplica(name: string, extraEnv?: Record<string, string>): Promise<RunningProcess>;
  /** The infrastructure's processes (PostgreSQL, Temporal, its UI, FerretDB, moto), for benchmarks that measure them. */
  infrastructure(): RunningProcess[];
  stop(): Promise<void>;
}

/** Directories 0700 and files 0600 under `dir`, `dir` included. */
export function tightenTree(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tightenTree(path);
    else if (entry.isFile()) chmodSync(path, 0o600);
  }
}

/** Reads a generated value from the data folder, creating it on first use. */
function persisted(dataDir: string, name: string, make: () => string): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

async function resolvePorts(wanted: Partial<StackPorts>, withUi: boolean): Promise<StackPorts> {
  return {
    api: wanted.api ?? (await freePort()),
    temporal: wanted.temporal ?? (await freePort()),
    temporalUi: withUi ? (wanted.temporalUi ?? (await freePort())) : undefined,
    mongo: wanted.mongo ?? (await freePort()),
    moto: wanted.moto ?? (await freePort()),
    provider: wanted.provider ?? (await freePort()),
  };
}

/** Ready means Temporal lists this very process (identity "<pid>@host") among the task queue's workflow pollers. */
export async function isPolling(address: string, taskQueue: string, pid: number): Promise<boolean> {
  const connection = await Connection.connect({ address });
  try {
    const { pollers } = await connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: 1 });
    return pollers.some((p) => p.identity?.startsWith(`${pid}@`));
  } finally {
    await connection.close();
  }
}

const tsxNode = (script: string) => ({ command: process.execPath, args: ['--import', 'tsx', join(ROOT, script)] });
const compiledNode = (dir: string, script: string) => ({ command: process.execPath, args: ['--enable-source-maps', join(dir, script.replace(/\.ts$/, '.js'))] });

export async function startStack(opts: StackOptions): Promise<Stack> {
  // Keys, the moto recording, Temporal's and FerretDB's files live here: owner-only. The umask reaches every file the
  // stack's processes create (they inherit it); tightenTree fixes what an earlier run left readable.
  process.umask(0o077);
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  tightenTree(opts.dataDir);
  mkdirSync(opts.logDir, { recursive: true });
  const shared = opts.shared;
  const ports = await resolvePorts(shared ? { ...opts.ports, temporal: shared.temporalPort, mongo: shared.mongoPort } : (opts.ports ?? {}), opts.withUi ?? false);
  const adminKey = persisted(opts.dataDir, 'admin-key', () => `stw_admin_${randomBytes(24).toString('base64url')}`);
  const codecKey = persisted(opts.dataDir, 'codec-key', () => `dev1:${randomBytes(32).toString('base64')}`);
  const tokenStoreKey = persisted(opts.dataDir, 'token-store-key', () => `tsk1:${randomBytes(32).toString('base64')}`);
  const demoClient = {
    clientId: 'steward-demo',
    clientSecret: persisted(opts.dataDir, 'demo-client-secret', () => randomBytes(24).toString('base64url')),
  };
  const log = (name: string) => join(opts.logDir, `${name}.log`);
  const started: RunningProcess[] = [];
  let provider: DemoProvider | null = null;
  let smQuota: SmQuotaProxy | null = null;
  let postgres: RunningProcess | null = null;

  const stopInfra = async () => {
    await Promise.all(started.reverse().map((p) => p.stop().catch(() => undefined)));
    await provider?.close().catch(() => undefined);
    await smQuota?.close().catch(() => undefined);
    await postgres?.stop().catch(() => undefined); // last: Temporal and FerretDB write to it until they stop
  };

  const motoPort = await freePort();
  const ferretDir = join(opts.dataDir, opts.persistent ? 'ferretdb' : `ferretdb-${Date.now()}`);
  let pgPort = 0;
  if (opts.postgres) {
    pgPort = opts.postgres.port ?? (await freePort());
    postgres = await startPostgres({ port: pgPort, dataDir: join(opts.dataDir, 'postgres'), logFile: log('postgres') });
    try {
      createFerretDatabase(pgPort);
    } catch (err) {
      await stopInfra();
      throw err;
    }
  }
  const launch: Record<Dependency, () => Promise<RunningProcess>> = {
    temporal: () =>
      opts.postgres
        ? startTemporalServer({ port: ports.temporal, pgPort, configDir: join(opts.dataDir, 'temporal-server'), logFile: log('temporal') })
        : startTemporal({ port: ports.temporal, dbFile: opts.persistent ? join(opts.dataDir, 'temporal.db') : undefined, logFile: log('temporal') }),
    ferretdb: () => startFerret({ port: ports.mongo, dataDir: ferretDir, logFile: log('ferretdb'), postgresUrl: opts.postgres ? ferretPostgresUrl(pgPort) : undefined }),
    moto: () => startMoto({ port: motoPort, logFile: log('moto'), recordFile: opts.persistent ? join(opts.dataDir, 'moto-recording.jsonl') : undefined }),
  };
  const deps = {} as Record<Dependency, RunningProcess>;
  const startUi = () =>
    startTemporalUi({
      port: ports.temporalUi!,
      temporalAddress: `127.0.0.1:${ports.temporal}`,
      codecEndpoint: `http://127.0.0.1:${ports.api}/codec`,
      configDir: join(opts.dataDir, 'temporal-ui'),
      logFile: log('temporal-ui'),
    });
  try {
    if (shared) {
      if (ports.temporalUi !== undefined) started.push(await startUi());
    } else {
      const [temporalProcesses, mongo, moto] = await Promise.all([
        launch.temporal().then(async (temporal) => {
          if (ports.temporalUi === undefined) return [temporal];
          const ui = await startUi().catch(async (err: unknown) => {
            await temporal.stop();
            throw err;
          });
          return [temporal, ui];
        }),
        launch.ferretdb(),
        launch.moto(),
      ]);
      started.push(...temporalProcesses, mongo, moto);
      Object.assign(deps, { temporal: temporalProcesses[0], ferretdb: mongo, moto });
    }
    // Clients reach moto only through AWS's limits (scripts/smProxy.ts), on the port the stack advertises.
    smQuota = await startSmQuotaProxy({ port: ports.moto, target: shared?.motoUrl ?? `http://127.0.0.1:${motoPort}`, accountId: shared?.motoAccountId });
    provider = await startDemoProvider({
      port: ports.provider,
      clients: [{ ...demoClient, redirectUris: [`http://127.0.0.1:${ports.api}/v1/oauth/callback`] }],
      accessTokenTtlSeconds: opts.providerTokenTtlSeconds ?? 3600,
      refreshTokenTtlSeconds: opts.providerRefreshTokenTtlSeconds,
      enableTestControls: opts.providerTestControls ?? false,
    });
  } catch (err) {
    await stopInfra();
    throw err;
  }

  const temporalUiUrl = ports.temporalUi ? `http://127.0.0.1:${ports.temporalUi}` : null;
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
    TEMPORAL_NAMESPACE: 'default',
    MONGODB_URI: `mongodb://127.0.0.1:${ports.mongo}/${shared?.databaseName ?? 'steward'}`,
    ...(shared ? { STEWARD_TASK_QUEUE: shared.taskQueue } : {}),
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${ports.moto}`,
    AWS_ACCESS_KEY_ID: 'steward-local',
    AWS_SECRET_ACCESS_KEY: 'steward-local',
    STEWARD_HOST: '127.0.0.1',
    STEWARD_PORT: String(ports.api),
    STEWARD_ADMIN_KEY: adminKey,
    STEWARD_CODEC_KEY: codecKey,
    STEWARD_TOKEN_STORE_KEYS: tokenStoreKey,
    STEWARD_ALLOW_INSECURE_PROVIDERS: 'true',
    ...(temporalUiUrl ? { STEWARD_TEMPORAL_UI_URL: temporalUiUrl } : {}),
    ...opts.env,
  };
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const node = (script: string) => (opts.compiledDir ? compiledNode(opts.compiledDir, script) : tsxNode(script));
  const launchApi = (name: string, url: string, apiEnv: Record<string, string>) =>
    startProcess({
      name,
      ...node('api/main.ts'),
      env: apiEnv,
      logFile: log(name),
      ready: async () => (await fetch(`${url}/healthz`)).ok,
      readyTimeoutMs: 60_000,
    });

  const stack: Stack = {
    ports,
    dataDir: opts.dataDir,
    dependencyLogDir: shared?.logDir ?? opts.logDir,
    apiUrl,
    temporalAddress: env.TEMPORAL_ADDRESS,
    taskQueue: env.STEWARD_TASK_QUEUE ?? 'steward-integrations',
    temporalUiUrl,
    mongoUri: env.MONGODB_URI,
    motoUrl: env.AWS_ENDPOINT_URL_SECRETS_MANAGER,
    smQuota: smQuota!,
    adminKey,
    codecKey,
    demoClient,
    provider: provider!,
    env,
    worker: null,
    api: null,
    async startWorker(extraEnv = {}) {
      const worker = await startProcess({
        name: 'worker',
        ...node('worker/main.ts'),
        env: { ...env, ...extraEnv },
        logFile: log('worker'),
        ready: (pid) => isPolling(env.TEMPORAL_ADDRESS, stack.taskQueue, pid),
        readyTimeoutMs: 120_000,
      });
      stack.worker = worker;
      return worker;
    },
    async stopWorker() {
      await stack.worker?.stop();
      stack.worker = null;
    },
    async startApi(extraEnv = {}) {
      stack.api = await launchApi('api', apiUrl, { ...env, ...extraEnv });
      return stack.api;
    },
    async startApiReplica(name, extraEnv = {}) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      return { url, process: await launchApi(name, url, { ...env, ...extraEnv, STEWARD_PORT: String(port) }) };
    },
    async startWorkerReplica(name, extraEnv = {}) {
      return startProcess({
        name,
        ...node('worker/main.ts'),
        env: { ...env, ...extraEnv },
        logFile: log(name),
        ready: (pid) => isPolling(env.TEMPORAL_ADDRESS, env.STEWARD_TASK_QUEUE ?? 'steward-integrations', pid),
        readyTimeoutMs: 120_000,
      });
    },
    infrastructure() {
      return [...(postgres ? [postgres] : []), ...started];
    },
    async stopApi() {
      await stack.api?.stop();
      stack.api = null;
    },
    async restartDependency(name, downMs = 0) {
      if (shared) throw new Error(`restartDependency('${name}'): this stack shares ${name} with other suites; boot it with { isolated: true } to get its own`);
      const old = deps[name];
      await old.stop();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      const fresh = await launch[name]();
      deps[name] = fresh;
      started[started.indexOf(old)] = fresh;
    },
    async stop() {
      await Promise.all([stack.stopApi(), stack.stopWorker()]);
      await stopInfra();
    },
  };

  try {
    await Promise.all([stack.startWorker(), stack.startApi()]);
    await waitFor(async () => (await fetch(`${apiUrl}/readyz`)).ok, { what: 'api /readyz', timeoutMs: 30_000 });
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return stack;
}
