/**
 * Smoke test of scripts/stack.ts: starts Temporal, FerretDB and moto on free
 * ports in a temp dir, proves each one works, restarts moto to prove its
 * record/replay persistence, stops everything and exits 0.
 *
 *   tsx scripts/stack-smoke.ts          (after `bash scripts/setup.sh`)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { Connection } from '@temporalio/client';
import mongoose from 'mongoose';

import {
  freePort,
  type RunningProcess,
  SEARCH_ATTRIBUTES,
  startFerret,
  startMoto,
  startTemporal,
  stopAll,
} from './stack';

const timings: Array<[string, number]> = [];
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  timings.push([label, Math.round(performance.now() - t0)]);
  return result;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`smoke check failed: ${message}`);
}

function secretsClient(port: number): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-stack-smoke-'));
  const [temporalPort, ferretPort, motoPort, motoPort2] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const recordFile = join(dir, 'moto', 'recording.jsonl');
  let ok = false;
  try {
    const started = await timed('start all three (in parallel)', () =>
      Promise.all([
        timed('start temporal', () => startTemporal({ port: temporalPort, logFile: join(dir, 'temporal.log') })),
        timed('start ferretdb', () =>
          startFerret({ port: ferretPort, dataDir: join(dir, 'ferret'), logFile: join(dir, 'ferret.log') }),
        ),
        timed('start moto', () => startMoto({ port: motoPort, logFile: join(dir, 'moto.log'), recordFile })),
      ]),
    );
    let moto: RunningProcess = started[2];
    let persistedArn: string | undefined;

    // Temporal: the custom search attributes are registered.
    await timed('temporal: list search attributes', async () => {
      const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
      try {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({
          namespace: 'default',
        });
        for (const name of Object.keys(SEARCH_ATTRIBUTES)) {
          check(customAttributes?.[name] !== undefined, `search attribute ${name} is registered`);
        }
        console.log(
          'temporal search attributes:',
          Object.keys(SEARCH_ATTRIBUTES)
            .map((k) => `${k}=${customAttributes?.[k]}`)
            .join(' '),
        );
      } finally {
        await connection.close();
      }
    });

    // FerretDB: insert and find a document through mongoose.
    await timed('ferretdb: insert + find', async () => {
      const conn = await mongoose
        .createConnection(`mongodb://127.0.0.1:${ferretPort}/steward_smoke`, { serverSelectionTimeoutMS: 5_000 })
        .asPromise();
      try {
        const Thing = conn.model('Thing', new mongoose.Schema({ name: String, n: Number }));
        await Thing.create({ name: 'smoke', n: 42 });
        const found = await Thing.findOne({ name: 'smoke' }).lean();
        check(found?.n === 42, 'ferretdb returns the inserted document');
      } finally {
        await conn.close();
      }
    });

    // moto: create, get, delete a secret.
    await timed('moto: create + get + delete secret', async () => {
      const sm = secretsClient(motoPort);
      try {
        await sm.send(new CreateSecretCommand({ Name: 'smoke/ephemeral', SecretString: '{"a":1}' }));
        const got = await sm.send(new GetSecretValueCommand({ SecretId: 'smoke/ephemeral' }));
        check(got.SecretString === '{"a":1}', 'moto returns the secret value');
        await sm.send(new DeleteSecretCommand({ SecretId: 'smoke/ephemeral', ForceDeleteWithoutRecovery: true }));
        const created = await sm.send(
          new CreateSecretCommand({ Name: 'smoke/persisted', SecretString: 'survives-restart' }),
        );
        persistedArn = created.ARN;
      } finally {
        sm.destroy();
      }
    });

    // moto: a secret written before a restart is there after it (record/replay).
    await timed('moto: restart with replay', async () => {
      await moto.stop();
      moto = await startMoto({ port: motoPort2, logFile: join(dir, 'moto.log'), recordFile });
    });
    await timed('moto: read secret after restart', async () => {
      const sm = secretsClient(motoPort2);
      try {
        const got = await sm.send(new GetSecretValueCommand({ SecretId: persistedArn }));
        check(got.SecretString === 'survives-restart', 'secret survives a moto restart, under the same ARN');
        const list = await sm.send(new ListSecretsCommand({}));
        const names = (list.SecretList ?? []).map((s) => s.Name);
        check(!names.includes('smoke/ephemeral'), 'a deleted secret stays deleted after replay');
      } finally {
        sm.destroy();
      }
    });

    await timed('stop all', () => stopAll());
    ok = true;
  } finally {
    if (!ok) {
      await stopAll();
      console.error(`logs kept in ${dir}`);
    }
    for (const [label, ms] of timings) console.log(`${label.padEnd(40)} ${String(ms).padStart(6)} ms`);
    if (ok) rmSync(dir, { recursive: true, force: true });
  }
  console.log('stack smoke: OK');
}

main().then(
  () => {
    // Node should now exit by itself: nothing started here may keep it alive.
    setTimeout(() => {
      console.error('stack smoke: something still keeps Node alive 10 s after stopping (leaked handle)');
      process.exit(1);
    }, 10_000).unref();
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack ?? err.message : err);
    process.exit(1);
  },
);
