/**
 * Start and stop the local infrastructure Steward runs against: the Temporal dev
 * server, FerretDB (MongoDB wire protocol on SQLite) and moto (AWS Secrets Manager).
 * The binaries come from `.tools/`, installed by scripts/setup.sh.
 *
 * Used by scripts/dev.ts and by the jest globalSetup. Every process is spawned
 * detached in its own process group with its output appended to a log file, and
 * is unref'd so that it never keeps the Node event loop (or jest) alive.
 * Processes still running when this Node process exits get SIGTERM (see
 * `stopAll`); a signal handler of the caller should `await stopAll()` first.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Connection } from '@temporalio/client';
import mongoose from 'mongoose';

import { compactRecording, openGate, worthCompacting } from './motoSnapshot';

export const ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TOOLS_BIN: string = resolve(ROOT, '.tools', 'bin');
const MOTO_SERVER = resolve(ROOT, '.tools', 'venv', 'bin', 'moto_server');

export interface RunningProcess {
  name: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/** Custom search attributes the Temporal dev server registers at start. */
export const SEARCH_ATTRIBUTES = {
  IntegrationStatus: 'Keyword',
  TenantId: 'Keyword',
  TokenExpiresAt: 'Datetime',
} as const;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// Below Linux's ephemeral range (32768–60999): a port the OS hands to an outgoing connection between our check and
// the server's listen would otherwise take it (EADDRINUSE seen when stacks start while other stacks are busy).
const FULL_PORT_RANGE = { from: 20_000, to: 32_000 };
const PORT_SLICES = 8;
/**
 * Parallel jest workers each draw from their own slice of the range (JEST_WORKER_ID is 1, 2, …), so two workers never
 * pick the same port between one's check and its server's listen. Other processes use the whole range.
 */
function portRange(workerId = process.env.JEST_WORKER_ID): { from: number; to: number } {
  const id = Number(workerId);
  if (!Number.isInteger(id) || id < 1) return FULL_PORT_RANGE;
  const size = Math.floor((FULL_PORT_RANGE.to - FULL_PORT_RANGE.from) / PORT_SLICES);
  const from = FULL_PORT_RANGE.from + ((id - 1) % PORT_SLICES) * size;
  return { from, to: from + size };
}
const PORT_RANGE = portRange();
const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise<boolean>((resolveFree) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

/** A free TCP port on 127.0.0.1, outside the ephemeral range and never the same one twice in this process. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from));
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`freePort: no free port found in ${PORT_RANGE.from}–${PORT_RANGE.to}`);
}

/**
 * Throws if something already listens on 127.0.0.1:port. Without this, a ready
 * check could be answered by an older server on the same port.
 */
export async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolveFree, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `${what}: port 127.0.0.1:${port} is already in use (another server still running?)`
            : `${what}: cannot use port 127.0.0.1:${port}: ${err.message}`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree()));
  });
}

/**
 * Polls `check` until it resolves true. A check that throws counts as "not yet".
 * Throws an error naming `what` (and the last error seen) on timeout.
 */
export async function waitFor(
  check: () => Promise<boolean>,
  opts: { what: string; timeoutMs?: number; intervalMs?: number },
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const intervalMs = opts.intervalMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError === undefined ? '' : `; last error: ${errorText(lastError)}`;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${opts.what}${why}`);
    }
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function logTail(logFile: string, lines = 40): string {
  try {
    const text = readFileSync(logFile, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * True while any process of the group `pid` is alive. Zombies do not count: group
 * members orphaned by the leader's death are reaped by PID 1, which in some
 * containers takes seconds.
 */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
  } catch (err) {
    // EPERM would mean "exists but not ours"; treat it as alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pid && fields[0] !== 'Z') return true;
    }
    return false;
  } catch {
    return true;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Process groups started here and not stopped yet; SIGTERMed when Node exits. */
const live = new Map<number, RunningProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pid of live.keys()) signalGroup(pid, 'SIGTERM');
  });
  // A SIGTERM (jest ending its worker processes, a CI timeout) would otherwise end Node without 'exit': the detached
  // children would outlive it.
  if (process.listenerCount('SIGTERM') === 0) process.once('SIGTERM', () => process.exit(143));
}

/** Stops every process started by this module that is still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live.values()].map((p) => p.stop()));
}

export async function startProcess(opts: {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  logFile: string;
  /** Called with the child's pid until it answers true. */
  ready: (pid: number) => Promise<boolean>;
  readyTimeoutMs?: number;
  cwd?: string;
}): Promise<RunningProcess> {
  const { name, command, args, logFile } = opts;
  if (command.includes('/') && !existsSync(command)) {
    throw new Error(`${name}: ${command} does not exist; run \`bash scripts/setup.sh\` first`);
  }
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  writeSync(fd, `\n=== ${new Date().toISOString()} starting ${name}: ${command} ${args.join(' ')}\n`);
  let child;
  try {
    child = spawn(command, args, {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, ...opts.env },
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (err) => reject(new Error(`${name}: could not start ${command}: ${err.message}`))),
  );
  spawnError.catch(() => {});
  if (child.pid === undefined) await spawnError;
  const pid = child.pid as number;
  child.unref();

  let exitInfo: string | undefined;
  const exited = new Promise<void>((r) =>
    child.once('exit', (code, signal) => {
      exitInfo = signal ? `signal ${signal}` : `code ${code}`;
      r();
    }),
  );

  let stopping: Promise<void> | undefined;
  const proc: RunningProcess = {
    name,
    pid,
    logFile,
    stop(): Promise<void> {
      stopping ??= (async () => {
        if (exitInfo === undefined || groupAlive(pid)) {
          signalGroup(pid, 'SIGTERM');
          const deadline = Date.now() + 10_000;
          // ref'd timers: an `await stop()` must keep Node alive until it is done
          while ((exitInfo === undefined || groupAlive(pid)) && Date.now() < deadline) await sleep(50);
          if (exitInfo === undefined || groupAlive(pid)) {
            signalGroup(pid, 'SIGKILL');
            const killDeadline = Date.now() + 5_000;
            while ((exitInfo === undefined || groupAlive(pid)) && Date.now() < killDeadline) await sleep(50);
          }
        }
        live.delete(pid);
      })();
      return stopping;
    },
  };
  live.set(pid, proc);
  installExitHook();

  const t0 = Date.now();
  const died = exited.then(() => {
    throw new Error(`${name} exited (${exitInfo}) before it was ready`);
  });
  died.catch(() => {});
  let settled = false; // ends the ready polling once the race is decided
  const ready = async () => settled || (await opts.ready(pid));
  try {
    await Promise.race([
      waitFor(ready, { what: `${name} to be ready`, timeoutMs: opts.readyTimeoutMs ?? 60_000 }),
      died,
      spawnError,
    ]);
    settled = true;
    if (exitInfo !== undefined) await died; // exited just as it looked ready
  } catch (err) {
    settled = true;
    const exitedEarly = exitInfo !== undefined;
    await proc.stop();
    const what = exitedEarly ? `${name} exited (${exitInfo}) before it was ready` : errorText(err);
    throw new Error(`${what}. Last lines of ${logFile}:\n${logTail(logFile)}`);
  }
  writeLogLine(logFile, `=== ${new Date().toISOString()} ${name} ready after ${Date.now() - t0} ms (pid ${pid})`);
  return proc;
}

function writeLogLine(logFile: string, line: string): void {
  try {
    const fd = openSync(logFile, 'a');
    try {
      writeSync(fd, `${line}\n`);
    } finally {
      closeSync(fd);
    }
  } catch {
    // logging is best effort
  }
}

// ---------------------------------------------------------------- Temporal

// The dev server always runs headless: its embedded Web UI (CLI 1.5.1) has no switch for write actions, so anyone
// who reaches it could signal, update, reset or terminate workflows. The UI runs as Temporal's own ui-server instead
// (startTemporalUi), configured read-only.
export async function startTemporal(opts: { port: number; dbFile?: string; logFile: string; namespace?: string }): Promise<RunningProcess> {
  const namespace = opts.namespace ?? 'default';
  const address = `127.0.0.1:${opts.port}`;
  await assertPortFree(opts.port, 'temporal');
  if (opts.dbFile) mkdirSync(dirname(opts.dbFile), { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--headless',
    ...(opts.dbFile ? ['--db-filename', opts.dbFile] : []),
    '--namespace', namespace,
    '--log-level', 'warn',
    ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([k, t]) => ['--search-attribute', `${k}=${t}`]),
    '--dynamic-config-value', 'frontend.enableExecuteMultiOperation=true',
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true',
  ];
  return startProcess({
    name: 'temporal',
    command: resolve(TOOLS_BIN, 'temporal'),
    args,
    logFile: opts.logFile,
    readyTimeoutMs: 60_000,
    ready: async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        const health = await connection.healthService.check({});
        if (health.status !== 1 /* SERVING */) return false;
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
        return Object.keys(SEARCH_ATTRIBUTES).every((k) => customAttributes?.[k] !== undefined);
      } finally {
        await connection.close();
      }
    },
  });
}

// ---------------------------------------------------------------- Temporal Web UI

/** The UI's switches for every action that changes a workflow: people read, only Steward's api steers. */
export const TEMPORAL_UI_READ_ONLY = {
  disableWriteActions: true,
  startWorkflowDisabled: true,
  workflowSignalDisabled: true,
  workflowUpdateDisabled: true,
  workflowResetDisabled: true,
  workflowCancelDisabled: true,
  workflowTerminateDisabled: true,
  batchActionsDisabled: true,
  activityCommandsDisabled: true,
} as const;

/** Temporal's ui-server (the same version the CLI embeds), read-only, on loopback, decoding through Steward's codec server. */
export async function startTemporalUi(opts: { port: number; temporalAddress: string; codecEndpoint: string; configDir: string; logFile: string; namespace?: string }): Promise<RunningProcess> {
  await assertPortFree(opts.port, 'temporal UI');
  mkdirSync(opts.configDir, { recursive: true });
  const config = {
    temporalGrpcAddress: opts.temporalAddress,
    host: '127.0.0.1',
    port: opts.port,
    enableUi: true,
    defaultNamespace: opts.namespace ?? 'default',
    hideLogs: true,
    notifyOnNewVersion: false,
    cors: { cookieInsecure: true },
    // The browser sends the console's codec cookie (POST /v1/codec/session) with decode requests.
    codec: { endpoint: opts.codecEndpoint, includeCredentials: true },
    ...TEMPORAL_UI_READ_ONLY,
  };
  writeFileSync(resolve(opts.configDir, 'steward.yaml'), JSON.stringify(config, null, 2)); // JSON is YAML
  const url = `http://127.0.0.1:${opts.port}`;
  return startProcess({
    name: 'temporal-ui',
    command: resolve(TOOLS_BIN, 'temporal-ui-server'),
    args: ['--root', opts.configDir, '--config', '.', '--env', 'steward', 'start'],
    logFile: opts.logFile,
    readyTimeoutMs: 30_000,
    ready: async () => (await fetch(`${url}/api/v1/settings`)).ok,
  });
}

// ---------------------------------------------------------------- FerretDB

/** SQLite files in `dataDir` by default; with `postgresUrl`, the PostgreSQL backend (the scale topology). */
export async function startFerret(opts: { port: number; dataDir: string; logFile: string; postgresUrl?: string }): Promise<RunningProcess> {
  const dataDir = resolve(opts.dataDir);
  await assertPortFree(opts.port, 'ferretdb');
  mkdirSync(dataDir, { recursive: true });
  const uri = `mongodb://127.0.0.1:${opts.port}/?directConnection=true`;
  return startProcess({
    name: 'ferretdb',
    command: resolve(TOOLS_BIN, 'ferretdb'),
    args: [
      ...(opts.postgresUrl ? ['--handler=pg', `--postgresql-url=${opts.postgresUrl}`] : ['--handler=sqlite', `--sqlite-url=file:${dataDir}/`]),
      `--listen-addr=127.0.0.1:${opts.port}`,
      '--debug-addr=-', // no metrics/pprof HTTP listener (default 127.0.0.1:8088 would clash)
      `--state-dir=${dataDir}`,
      '--telemetry=disable',
      '--log-level=warn',
    ],
    env: { FERRETDB_TELEMETRY: 'disable', DO_NOT_TRACK: '1' },
    logFile: opts.logFile,
    readyTimeoutMs: 30_000,
    ready: async () => {
      const client = new mongoose.mongo.MongoClient(uri, {
        serverSelectionTimeoutMS: 1_000,
        connectTimeoutMS: 1_000,
      });
      try {
        await client.connect();
        const res = await client.db('admin').command({ ping: 1 });
        return res.ok === 1;
      } finally {
        await client.close().catch(() => {});
      }
    },
  });
}

// ---------------------------------------------------------------- moto

async function motoPost(base: string, path: string): Promise<void> {
  const res = await fetch(`${base}${path}`, { method: 'POST', signal: AbortSignal.timeout(600_000) });
  const body = await res.text();
  if (!res.ok) throw new Error(`moto: POST ${path} answered ${res.status}: ${body.slice(0, 500)}`);
}

/**
 * Fixed seed for moto's random numbers. moto draws from one seeded RNG for every
 * request (request ids, ARN suffixes, ...), so seeding before the first recording
 * and before every replay makes a replay of the same requests produce the same
 * ARNs (`name-XXXXXX`) as the original run, and later requests continue the same
 * random stream. The compacted snapshot pins each secret's ARN suffix with a tag
 * (see scripts/motoSnapshot.ts); requests recorded after it are replayed whole,
 * reads included, so the secrets they created get their ARNs back too.
 */
const MOTO_SEED = 20240601;

/** Drops unparseable lines (a torn last line of a killed server) from a moto recording. */
function repairMotoRecording(recordFile: string): number {
  const lines = readFileSync(recordFile, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const kept = lines.filter((line) => {
    try {
      JSON.parse(line);
      return true;
    } catch {
      return false;
    }
  });
  if (kept.length !== lines.length) {
    const tmp = `${recordFile}.repair-${process.pid}`;
    writeFileSync(tmp, kept.map((l) => `${l}\n`).join(''), { mode: 0o600 });
    renameSync(tmp, recordFile);
  }
  return kept.length;
}

/**
 * moto's server with AWS Secrets Manager (and every other service moto mocks).
 * With `recordFile`, state survives restarts: on start the recording is replayed
 * into a moto that only the launcher can reach, compacted into a snapshot of what
 * it holds (and moto rebuilt from that snapshot, so the random stream that names
 * new secrets is the one the next replay reproduces), and only then is `port`
 * opened to clients. New requests are appended to the recording (mode 0600, its
 * folder 0700: it holds every secret value), which is compacted again on stop.
 */
export async function startMoto(opts: { port: number; logFile: string; recordFile?: string }): Promise<RunningProcess> {
  const recordFile = opts.recordFile ? resolve(opts.recordFile) : undefined;
  await assertPortFree(opts.port, 'moto');
  // Without a recording there is nothing to restore: clients may use moto at once, on its own port.
  const motoPort = recordFile ? await freePort() : opts.port;
  const base = `http://127.0.0.1:${motoPort}`;
  if (recordFile) {
    mkdirSync(dirname(recordFile), { recursive: true, mode: 0o700 });
    chmodSync(dirname(recordFile), 0o700);
    if (existsSync(recordFile)) chmodSync(recordFile, 0o600);
    else writeFileSync(recordFile, '', { mode: 0o600 }); // moto appends to it with the default umask otherwise
  }
  const proc = await startProcess({
    name: 'moto',
    command: MOTO_SERVER,
    args: ['-H', '127.0.0.1', '-p', String(motoPort)],
    env: {
      PYTHONUNBUFFERED: '1',
      ...(recordFile ? { MOTO_RECORDER_FILEPATH: recordFile } : {}),
    },
    logFile: opts.logFile,
    readyTimeoutMs: 30_000,
    ready: async () => {
      const res = await fetch(`${base}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      return res.ok;
    },
  });
  if (!recordFile) return proc;
  let gate: { close(): Promise<void> } | undefined;
  try {
    // Same seed before the first recording and before every replay (see MOTO_SEED):
    // ARNs stay stable across restarts. VersionIds are stable anyway (the AWS SDK
    // sends a ClientRequestToken, which moto uses as the VersionId).
    await motoPost(base, `/moto-api/seed?a=${MOTO_SEED}`);
    if (statSync(recordFile).size > 0) {
      const t0 = Date.now();
      const count = repairMotoRecording(recordFile);
      await motoPost(base, '/moto-api/recorder/replay-recording');
      writeLogLine(opts.logFile, `=== replayed ${count} recorded requests from ${recordFile} in ${Date.now() - t0} ms`);
      if (worthCompacting(recordFile)) {
        const t1 = Date.now();
        const { before, after } = await compactRecording(base, recordFile);
        await motoPost(base, '/moto-api/reset');
        await motoPost(base, `/moto-api/seed?a=${MOTO_SEED}`);
        await motoPost(base, '/moto-api/recorder/replay-recording');
        writeLogLine(opts.logFile, `=== compacted ${before} recorded requests to ${after} and restored from them in ${Date.now() - t1} ms`);
      }
    }
    await motoPost(base, '/moto-api/recorder/start-recording');
    gate = await openGate(opts.port, motoPort);
  } catch (err) {
    await proc.stop();
    throw new Error(`moto: restoring state from ${recordFile} failed: ${errorText(err)}`);
  }
  const stopMoto = proc.stop.bind(proc);
  let stopping: Promise<void> | undefined;
  proc.stop = () =>
    (stopping ??= (async () => {
      await gate?.close();
      // Clients are out: compacting now makes the next start replay only the snapshot, however long this session was.
      // After a crash the next start replays the whole recording and compacts it then.
      if (worthCompacting(recordFile)) {
        try {
          const t0 = Date.now();
          await motoPost(base, '/moto-api/recorder/stop-recording');
          const { before, after } = await compactRecording(base, recordFile);
          writeLogLine(opts.logFile, `=== compacted ${before} recorded requests to ${after} on stop in ${Date.now() - t0} ms`);
        } catch (err) {
          writeLogLine(opts.logFile, `=== could not compact ${recordFile} on stop (the next start will): ${errorText(err)}`);
        }
      }
      await stopMoto();
    })());
  return proc;
}
