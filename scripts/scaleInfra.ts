// The scale topology's infrastructure (`npm run scale`): PostgreSQL from Debian, the Temporal server on it (schema set up
// by the server's own SQL tool), and FerretDB's PostgreSQL backend, which honours indexes. Installed by
// scripts/setup-scale.sh; the default `npm run dev` keeps the embedded dev server and SQLite.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
import { SEARCH_ATTRIBUTES, TOOLS_BIN, assertPortFree, freePort, startProcess, type RunningProcess } from './stack';

/** The Temporal server release the scale topology runs: the one the pinned CLI (1.5.1) embeds. */
export const TEMPORAL_SERVER_VERSION = '1.29.1';
const PG_BIN = process.env.STEWARD_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PG_USER = 'temporal';

/** PostgreSQL refuses to run as root: as root, the server and its tools run as Debian's `postgres` user. */
function asPostgres(command: string, args: string[]): { command: string; args: string[] } {
  return userInfo().uid === 0 ? { command: 'runuser', args: ['-u', 'postgres', '--', command, ...args] } : { command, args };
}

function run(command: string, args: string[], env: Record<string, string> = {}): string {
  const call = asPostgres(command, args);
  return execFileSync(call.command, call.args, { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Root owns the data folder (0700); the postgres user may only pass through to its own cluster directory. */
function prepareClusterDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (userInfo().uid !== 0) return;
  const { uid, gid } = JSON.parse(execFileSync('python3', ['-c', 'import pwd,json;p=pwd.getpwnam("postgres");print(json.dumps({"uid":p.pw_uid,"gid":p.pw_gid}))'], { encoding: 'utf8' }));
  for (let dir = resolve(dataDir, '..'); dir !== '/' && !existsSync(join(dir, 'package.json')); dir = resolve(dir, '..')) chmodSync(dir, 0o711);
  chownSync(dataDir, uid, gid);
  chmodSync(dataDir, 0o700);
}

export async function startPostgres(opts: { port: number; dataDir: string; logFile: string }): Promise<RunningProcess> {
  await assertPortFree(opts.port, 'postgres');
  prepareClusterDir(opts.dataDir);
  if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) {
    // Loopback only, trust for the local user names: nothing but this machine reaches it (ARCHITECTURE.md, local stack).
    run(join(PG_BIN, 'initdb'), ['-D', opts.dataDir, '-U', PG_USER, '--auth=trust', '--encoding=UTF8', '--no-sync']);
  }
  const server = asPostgres(join(PG_BIN, 'postgres'), [
    '-D', opts.dataDir,
    '-h', '127.0.0.1',
    '-p', String(opts.port),
    '-k', '', // no Unix socket: TCP on loopback only
    '-c', 'max_connections=300',
    '-c', 'shared_buffers=512MB',
    '-c', 'synchronous_commit=off', // a benchmark topology: durability of the last few ms is not what it measures
    '-c', 'fsync=on',
  ]);
  return startProcess({
    name: 'postgres',
    ...server,
    logFile: opts.logFile,
    readyTimeoutMs: 60_000,
    ready: async () => {
      execFileSync(join(PG_BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(opts.port)], { stdio: 'ignore' });
      return true;
    },
  });
}

/** Creates the database if it is missing and brings its schema to the release's version with temporal-sql-tool. */
function setupTemporalSchema(pgPort: number, database: 'temporal' | 'temporal_visibility', schemaDir: string): void {
  const tool = join(TOOLS_BIN, 'temporal-sql-tool');
  const base = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(pgPort), '-u', PG_USER, '--db', database];
  const sql = (args: string[]) => execFileSync(tool, [...base, ...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  try {
    sql(['create-database']);
  } catch (err) {
    if (!String((err as { stderr?: string }).stderr ?? err).includes('already exists')) throw err;
  }
  sql(['setup-schema', '-v', '0.0']);
  sql(['update-schema', '-d', schemaDir]);
}

/** The server's module in Go's module cache holds the versioned schema files the SQL tool applies. */
function temporalSchemaDir(kind: 'temporal' | 'visibility'): string {
  const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const dir = join(modCache, `go.temporal.io/server@v${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12', kind, 'versioned');
  if (!existsSync(dir)) throw new Error(`Temporal's schema files are missing (${dir}); run \`bash scripts/setup-scale.sh\``);
  return dir;
}

export async function startTemporalServer(opts: { port: number; pgPort: number; configDir: string; logFile: string; namespace?: string; historyShards?: number }): Promise<RunningProcess> {
  const namespace = opts.namespace ?? 'default';
  await assertPortFree(opts.port, 'temporal');
  setupTemporalSchema(opts.pgPort, 'temporal', temporalSchemaDir('temporal'));
  setupTemporalSchema(opts.pgPort, 'temporal_visibility', temporalSchemaDir('visibility'));
  mkdirSync(join(opts.configDir, 'dynamicconfig'), { recursive: true });
  const ports = { frontendHttp: await freePort(), history: await freePort(), matching: await freePort(), worker: await freePort() };
  const membership = { frontend: await freePort(), history: await freePort(), matching: await freePort(), worker: await freePort() };
  const store = (db: string, conns: number) => ({
    sql: { pluginName: 'postgres12', databaseName: db, connectAddr: `127.0.0.1:${opts.pgPort}`, connectProtocol: 'tcp', user: PG_USER, password: '', maxConns: conns, maxIdleConns: conns, maxConnLifetime: '1h' },
  });
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      // Shards are fixed for a cluster's life; 4 per core is a common starting point for a small cluster.
      numHistoryShards: opts.historyShards ?? 8,
      datastores: { default: store('temporal', 40), visibility: store('temporal_visibility', 10) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: { rpc: { grpcPort: opts.port, membershipPort: membership.frontend, bindOnLocalHost: true, httpPort: ports.frontendHttp } },
      history: { rpc: { grpcPort: ports.history, membershipPort: membership.history, bindOnLocalHost: true } },
      matching: { rpc: { grpcPort: ports.matching, membershipPort: membership.matching, bindOnLocalHost: true } },
      worker: { rpc: { grpcPort: ports.worker, membershipPort: membership.worker, bindOnLocalHost: true } },
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${opts.port}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: join(opts.configDir, 'dynamicconfig', 'steward.yaml'), pollInterval: '10s' },
  };
  // JSON is YAML. The same switches the dev server gets on its command line (scripts/stack.ts startTemporal).
  writeFileSync(join(opts.configDir, 'steward.yaml'), JSON.stringify(config, null, 2));
  writeFileSync(
    join(opts.configDir, 'dynamicconfig', 'steward.yaml'),
    JSON.stringify({ 'frontend.enableExecuteMultiOperation': [{ value: true }], 'frontend.enableUpdateWorkflowExecution': [{ value: true }] }, null, 2),
  );
  const address = `127.0.0.1:${opts.port}`;
  const server = await startProcess({
    name: 'temporal',
    command: join(TOOLS_BIN, 'temporal-server'),
    args: ['--root', opts.configDir, '--config', '.', '--env', 'steward', 'start'],
    logFile: opts.logFile,
    readyTimeoutMs: 120_000,
    ready: async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        return (await connection.healthService.check({})).status === 1; // SERVING
      } finally {
        await connection.close();
      }
    },
  });
  try {
    await registerNamespace(address, namespace);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

/** A real server starts with no namespace and no custom search attributes: create what the dev server gets by flags. */
async function registerNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const { namespaces } = await connection.workflowService.listNamespaces({});
    if (!namespaces.some((n) => n.namespaceInfo?.name === namespace)) {
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('3 days') });
    }
    const types: Record<string, number> = { Keyword: 2, Text: 1, Int: 3, Double: 4, Bool: 5, Datetime: 6, KeywordList: 7 };
    const wanted = Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [name, types[type]] as const);
    for (let attempt = 0; ; attempt++) {
      try {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
        const missing = wanted.filter(([name]) => customAttributes?.[name] === undefined);
        if (missing.length === 0) return;
        await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing) });
      } catch (err) {
        // A namespace just registered takes a few seconds to reach every service.
        if (attempt >= 30) throw err;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  } finally {
    await connection.close();
  }
}

/** FerretDB's PostgreSQL backend keeps each collection in a table with real indexes (SQLite's scans). */
export function ferretPostgresUrl(pgPort: number): string {
  return `postgres://${PG_USER}@127.0.0.1:${pgPort}/ferretdb`;
}

export function createFerretDatabase(pgPort: number): void {
  const dbs = execFileSync(join(PG_BIN, 'psql'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', PG_USER, '-d', 'postgres', '-Atc', 'SELECT datname FROM pg_database'], { encoding: 'utf8' });
  if (!dbs.split('\n').includes('ferretdb')) execFileSync(join(PG_BIN, 'createdb'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', PG_USER, 'ferretdb']);
}

/** Whether setup-scale.sh has run: the server, its SQL tool and PostgreSQL's binaries. */
export function scaleToolsPresent(): string[] {
  const missing = ['temporal-server', 'temporal-sql-tool'].filter((b) => !existsSync(join(TOOLS_BIN, b)));
  if (!existsSync(join(PG_BIN, 'postgres'))) missing.push(`${PG_BIN}/postgres`);
  return missing;
}
