// Temporal, FerretDB and moto once per test run (jest globalSetup/globalTeardown), and the workflow bundle built once:
// each suite's stack then keeps to its own task queue, database and moto account (bootStack in harness.ts).
import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SharedDependencies } from '../../scripts/steward';
import { freePort, ROOT, startFerret, startMoto, startTemporal, type RunningProcess } from '../../scripts/stack';

/** What the global setup hands to the suites, through the environment (jest passes it on to every test file). */
const ENV_NAME = 'STEWARD_TEST_SHARED_RUN';

export interface SharedRun {
  temporalPort: number;
  mongoPort: number;
  motoUrl: string;
  logDir: string;
  /** The worker's workflow bundle, built once (STEWARD_WORKFLOW_BUNDLE_PATH). */
  workflowBundlePath: string;
}

export interface RunningSharedRun {
  run: SharedRun;
  stop(): Promise<void>;
}

declare global {
  /** Set by globalSetup, read by globalTeardown (jest keeps globals between the two). */
  var stewardSharedRun: RunningSharedRun | undefined;
}

export async function startSharedRun(): Promise<RunningSharedRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-shared-'));
  const logDir = join(ROOT, 'test-artifacts', 'shared', `logs-${Date.now()}`);
  const log = (name: string) => join(logDir, `${name}.log`);
  const [temporalPort, mongoPort, motoPort] = [await freePort(), await freePort(), await freePort()];
  const workflowBundlePath = join(dataDir, 'workflow-bundle.js');
  const started: RunningProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map((p) => p.stop().catch(() => undefined)));
    rmSync(dataDir, { recursive: true, force: true });
  };
  const track = (p: Promise<RunningProcess>) => p.then((proc) => (started.push(proc), proc));
  try {
    // allSettled: a failed start must not leave the others running unseen.
    const results = await Promise.allSettled([
      track(startTemporal({ port: temporalPort, logFile: log('temporal') })),
      track(startFerret({ port: mongoPort, dataDir: join(dataDir, 'ferretdb'), logFile: log('ferretdb') })),
      track(startMoto({ port: motoPort, logFile: log('moto') })),
      promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bundle-workflows.ts'), workflowBundlePath], { cwd: ROOT, timeout: 300_000 }),
    ]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (err) {
    await stop();
    throw err;
  }
  return { run: { temporalPort, mongoPort, motoUrl: `http://127.0.0.1:${motoPort}`, logDir, workflowBundlePath }, stop };
}

export function publishSharedRun(run: SharedRun): void {
  process.env[ENV_NAME] = JSON.stringify(run);
}

/** The run's shared dependencies, or null when none were started (a run of suites that boot no stack). */
export function sharedRun(): SharedRun | null {
  const raw = process.env[ENV_NAME];
  return raw ? (JSON.parse(raw) as SharedRun) : null;
}

/** One suite's own slice of the shared dependencies: names no other suite uses. */
export function suiteSlice(run: SharedRun, suite: string): SharedDependencies {
  const tag = `${suite.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 24)}-${randomBytes(4).toString('hex')}`;
  return {
    temporalPort: run.temporalPort,
    mongoPort: run.mongoPort,
    motoUrl: run.motoUrl,
    logDir: run.logDir,
    taskQueue: `steward-${tag}`,
    databaseName: `steward_${tag.replace(/-/g, '_')}`,
    motoAccountId: String(randomInt(100_000_000_000, 999_999_999_999)),
  };
}
