// The dev emulator's recording: compacted on start (same ARNs, versions and values; reads and deleted secrets gone), 0600, and no client served before it is restored.
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT, startMoto, type RunningProcess } from '../scripts/stack';

const dir = mkdtempSync(join(tmpdir(), 'steward-moto-'));
const recordFile = join(dir, 'data', 'moto-recording.jsonl');
const logFile = join(ROOT, 'test-artifacts', 'motoRecording', `moto-${Date.now()}.log`);
let port: number;
let moto: RunningProcess | null = null;

const client = () => new SecretsManagerClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'steward-local', secretAccessKey: 'x' } });
const lines = () => readFileSync(recordFile, 'utf8').split('\n').filter(Boolean).length;

async function snapshot(sm: SecretsManagerClient, names: string[]) {
  return Promise.all(
    names.map(async (name) => {
      const d = await sm.send(new DescribeSecretCommand({ SecretId: name }));
      const v = await sm.send(new GetSecretValueCommand({ SecretId: name }));
      const previous = Object.entries(d.VersionIdsToStages ?? {}).find(([, s]) => s.includes('AWSPREVIOUS'))?.[0] ?? null;
      return { arn: d.ARN, current: v.VersionId, value: v.SecretString, previous };
    }),
  );
}

beforeAll(async () => {
  port = await freePort();
});

afterEach(async () => {
  await moto?.stop();
  moto = null;
});

test('a restart compacts a long recording to one request per kept version and restores the same ARNs, versions and values', async () => {
  moto = await startMoto({ port, logFile, recordFile });
  const sm = client();
  const names = Array.from({ length: 6 }, (_, i) => `steward/integrations/int_${i}_${randomUUID().slice(0, 8)}`);
  for (const name of names) {
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: JSON.stringify({ generation: 1 }), ClientRequestToken: randomUUID() }));
    for (let g = 2; g <= 8; g++) {
      await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: JSON.stringify({ generation: g }), ClientRequestToken: randomUUID() }));
      await sm.send(new GetSecretValueCommand({ SecretId: name }));
    }
  }
  const gone = names.pop()!;
  await sm.send(new DeleteSecretCommand({ SecretId: gone, ForceDeleteWithoutRecovery: true }));
  const recorded = lines();
  const before = await snapshot(sm, names);
  sm.destroy();
  await moto.stop();

  moto = await startMoto({ port, logFile, recordFile });
  const after = client();
  expect(await snapshot(after, names)).toEqual(before);
  await expect(after.send(new GetSecretValueCommand({ SecretId: gone }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  // Five secrets, two staged versions each, instead of every write and read ever made.
  expect(recorded).toBe(6 * 15 + 1);
  expect(lines() - 11).toBe(5 * 2); // less the 11 reads just made

  // Secrets created after the compaction keep their ARNs over the next restart too.
  const later = `steward/integrations/int_later_${randomUUID().slice(0, 8)}`;
  await after.send(new CreateSecretCommand({ Name: later, SecretString: '{"generation":1}', ClientRequestToken: randomUUID() }));
  await after.send(new GetSecretValueCommand({ SecretId: later }));
  const laterBefore = await snapshot(after, [...names, later]);
  after.destroy();
  await moto.stop();
  moto = await startMoto({ port, logFile, recordFile });
  const third = client();
  expect(await snapshot(third, [...names, later])).toEqual(laterBefore);
  third.destroy();
});

test('the recording is readable by its owner only, in a folder only its owner can enter', async () => {
  moto = await startMoto({ port, logFile, recordFile });
  expect(statSync(recordFile).mode & 0o777).toBe(0o600);
  expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
});

test('while the recording is replayed, clients get no answer at all rather than "no such secret"', async () => {
  // Enough recorded writes that the replay takes a while.
  moto = await startMoto({ port, logFile, recordFile });
  const sm = client();
  const name = `steward/integrations/int_busy_${randomUUID().slice(0, 8)}`;
  await sm.send(new CreateSecretCommand({ Name: name, SecretString: '{"generation":1}', ClientRequestToken: randomUUID() }));
  for (let g = 2; g <= 300; g++) await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: JSON.stringify({ generation: g }), ClientRequestToken: randomUUID() }));
  // A crash: no compaction on the way down, so the next start replays every request recorded.
  process.kill(-moto.pid, 'SIGKILL');
  await moto.stop();

  let started = false;
  const starting = startMoto({ port, logFile, recordFile }).then((p) => {
    moto = p;
    started = true;
  });
  const answers: string[] = [];
  while (!started) {
    try {
      const v = await sm.send(new GetSecretValueCommand({ SecretId: name }));
      answers.push(`generation ${JSON.parse(v.SecretString!).generation}`);
    } catch (err) {
      const e = err as { name?: string; code?: string; cause?: { code?: string } };
      answers.push(e.name === 'ResourceNotFoundException' ? 'not found' : 'unreachable');
    }
  }
  await starting;
  expect(answers.filter((a) => a !== 'unreachable' && a !== 'generation 300')).toEqual([]);
  expect(JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString!).generation).toBe(300);
  sm.destroy();
});
