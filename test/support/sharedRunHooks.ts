// jest's globalSetup and globalTeardown (loaded through the globalSetup.js/globalTeardown.js shims, which jest runs
// outside its ESM transform): the shared dependencies (sharedStack.ts) for a run whose suites boot stacks.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/stack';
import { publishSharedRun, startSharedRun } from './sharedStack';

interface JestGlobalConfig {
  rootDir: string;
  testPathPatterns?: { toExecutor(opts: { rootDir: string }): { isMatch(path: string): boolean } };
}

/** Whether any test file this run selects calls bootStack: pure unit runs then start nothing. */
function runBootsStacks(config: JestGlobalConfig): boolean {
  const testDir = join(ROOT, 'test');
  const files = readdirSync(testDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(testDir, f));
  let matcher: { isMatch(path: string): boolean } | null = null;
  try {
    matcher = config.testPathPatterns?.toExecutor({ rootDir: config.rootDir }) ?? null;
  } catch {
    matcher = null; // an unknown jest: start the dependencies rather than guess
  }
  return files.filter((f) => !matcher || matcher.isMatch(f)).some((f) => /\bbootStack\(/.test(readFileSync(f, 'utf8')));
}

export async function globalSetup(config: JestGlobalConfig): Promise<void> {
  if (!runBootsStacks(config)) return;
  const shared = await startSharedRun();
  globalThis.stewardSharedRun = shared;
  publishSharedRun(shared.run);
  // An interrupted run (Ctrl-C, a CI timeout) skips globalTeardown: stop the detached processes before leaving.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void shared.stop().finally(() => process.exit(130));
    });
  }
}

export async function globalTeardown(): Promise<void> {
  await globalThis.stewardSharedRun?.stop();
  globalThis.stewardSharedRun = undefined;
}
