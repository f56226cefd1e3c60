// Runs schemathesis (installed by scripts/setup.sh into .tools/fuzz-venv) against a running stack and reads its JSON report.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/stack';
import type { Stack } from './harness';

const ST = join(ROOT, '.tools', 'fuzz-venv', 'bin', 'st');
const HOOKS_DIR = join(ROOT, 'test', 'fuzz');

export type Phase = 'examples' | 'coverage' | 'fuzzing' | 'stateful';

export interface FuzzRun {
  /** Who the run calls as (a report label): admin, support, … */
  as: string;
  key: string;
  phases: Phase[];
  maxExamples: number;
  seed?: number;
}

export interface FuzzReport {
  as: string;
  exitCode: number;
  operationsTested: number;
  casesGenerated: number;
  uniqueFailures: number;
  failures: unknown[];
  errors: unknown[];
  /** The tail of schemathesis's own output: what failed and how to reproduce it. */
  output: string;
}

/**
 * Every check schemathesis has, plus ours (no stack trace, no secret), except positive_data_acceptance: the schema cannot
 * say everything the routes refuse (URLs that resolve to internal addresses, fields one grant type needs and another
 * forbids), so schema-valid bodies are rightly refused with 400.
 */
const CHECK_ARGS = ['--checks', 'all', '--exclude-checks', 'positive_data_acceptance'];

/** From FAILURES to the end, each line cut short: enough to see what failed and replay it. */
function failureSection(output: string): string {
  const start = output.indexOf('FAILURES');
  return (start >= 0 ? output.slice(start) : output)
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, 150)
    .map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l))
    .join('\n');
}

export async function runSchemathesis(stack: Stack, run: FuzzRun, reportDir: string): Promise<FuzzReport> {
  mkdirSync(reportDir, { recursive: true });
  const reportPath = join(reportDir, `schemathesis-${run.as}.json`);
  const demo = {
    clientId: stack.demoClient.clientId,
    clientSecret: stack.demoClient.clientSecret,
    tokenUrl: stack.provider.tokenUrl,
    revocationUrl: stack.provider.revocationUrl,
    authorizationUrl: stack.provider.authorizationUrl,
    issuer: stack.provider.issuer,
    redirectUri: `${stack.apiUrl}/v1/oauth/callback`,
  };
  const args = [
    '--config-file',
    join(HOOKS_DIR, 'schemathesis.toml'),
    'run',
    `${stack.apiUrl}/openapi.json`,
    '--header',
    `Authorization: Bearer ${run.key}`,
    ...CHECK_ARGS,
    '--phases',
    run.phases.join(','),
    '--max-examples',
    String(run.maxExamples),
    // One worker: Python 3.11's ast module is not thread-safe under hypothesis's lambda descriptions.
    '--workers',
    '1',
    // Generating from the create body's patterns is slow on a busy machine; that is not a finding about the API.
    '--suppress-health-check',
    'too_slow',
    '--request-timeout',
    '60',
    '--generation-database',
    'none',
    '--no-color',
    '--output-truncate',
    'false',
    '--report',
    'json',
    '--report-json-path',
    reportPath,
    ...(run.seed !== undefined ? ['--seed', String(run.seed)] : []),
  ];
  const env = { ...process.env, PYTHONPATH: HOOKS_DIR, SCHEMATHESIS_HOOKS: 'steward_fuzz_hooks', STEWARD_FUZZ_DEMO: JSON.stringify(demo), PYTHONDONTWRITEBYTECODE: '1' };
  const child = spawn(ST, args, { cwd: reportDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
  let report: { operations?: { tested?: number }; test_cases?: { generated?: number; unique_failures?: number }; failures?: unknown[]; errors?: unknown[] } = {};
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8'));
  } catch {
    // No report: schemathesis failed before testing anything; the output says why.
  }
  return {
    as: run.as,
    exitCode,
    operationsTested: report.operations?.tested ?? 0,
    casesGenerated: report.test_cases?.generated ?? 0,
    uniqueFailures: report.test_cases?.unique_failures ?? 0,
    failures: report.failures ?? [],
    errors: report.errors ?? [],
    output: failureSection(output),
  };
}
