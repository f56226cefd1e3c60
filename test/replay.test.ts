// Replays every recorded history in test/histories/ against the current workflow code: no Temporal server, no stack.
// A change to workflows/ that would put running integrations into non-determinism errors after a deploy fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { EncryptionCodec } from '../lib/codec';
import * as patches from '../workflows/patches';
import { fixtureCodecKeys } from './support/fixtureCodec';
import { historyFromJSON } from './support/historyJson';
import { testWorkflowBundle } from './support/testWorkflowBundle';
import { failureConverterPath } from '../worker/bundle';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, 'test', 'histories');

const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const results = new Map<string, ReplayResult | Error>();

beforeAll(async () => {
  // The bundle and converters the worker runs (worker/bundle.ts): replay must see what production runs.
  const workflowBundle = await testWorkflowBundle();
  const histories = fixtures.map((file) => ({ workflowId: file, history: historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8'))) }));
  const replay = Worker.runReplayHistories(
    { workflowBundle, dataConverter: { payloadCodecs: [new EncryptionCodec(fixtureCodecKeys())], failureConverterPath }, replayName: 'fixtures' },
    histories,
  );
  try {
    for await (const result of replay) results.set(result.workflowId, result);
  } catch (err) {
    // A replay that cannot even run (bad bundle, undecodable fixture) is reported on every fixture not yet replayed.
    for (const file of fixtures) if (!results.has(file)) results.set(file, err as Error);
  }
}, 180_000);

test('the recorded histories cover every path of the workflows', () => {
  // Each path once (issue 11): a missing file means a scenario was dropped from scripts/record-histories.ts.
  const required = [
    'create-client-credentials',
    'create-refresh-token',
    'create-authorization-code-consent',
    'create-rejected',
    'scheduled-refresh',
    'rotation',
    'degraded-recovered',
    'invalid-grant-reconsent',
    'invalid-client-new-credentials',
    'config-change',
    'refresh-coalesced',
    'revoke',
    'revoke-with-requests-waiting',
    'continue-as-new',
    'continued-run',
    'webhook-delivery',
    'timer-fired-with-requests-after-restart',
  ];
  expect(required.filter((name) => !fixtures.includes(`${name}.json`))).toEqual([]);
  for (const file of fixtures) expect({ file, small: statSync(join(dir, file)).size <= 1024 * 1024 }).toEqual({ file, small: true });
});

test('every patch id has fixtures recorded through its patched branch', () => {
  // scripts/record-histories.ts records them as "<patch id>--<scenario>.json"; the older fixtures cover the unpatched branch.
  const uncovered = Object.values(patches).filter((id) => !fixtures.some((file) => file.startsWith(`${id}--`)));
  expect(uncovered).toEqual([]);
});

describe.each(fixtures)('%s', (file) => {
  test('replays against the current workflow code', () => {
    const result = results.get(file);
    const outcome = result instanceof Error ? result : result?.error;
    if (!result) throw new Error(`test/histories/${file} was not replayed`);
    if (outcome) {
      throw new Error(
        [
          `test/histories/${file} no longer replays against workflows/: ${outcome.name}`,
          outcome.message,
          '',
          'Running workflows with this history would fail every workflow task after a deploy. Put the changed command',
          "sequence behind patched('<id>') (README, \"Changing workflow code safely\"); never re-record or edit this fixture.",
          `Run this fixture alone: NODE_OPTIONS=--experimental-vm-modules npx jest test/replay.test.ts -t '${file}'`,
        ].join('\n'),
      );
    }
  });
});
