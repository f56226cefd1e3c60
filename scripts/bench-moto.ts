// Measures the dev emulator's recording: how long a long session's recording takes to compact on stop and to replay on start.
import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startMoto } from './stack';

// An hour of `npm run dev` at 160 integrations recorded about 15,000 requests: a write and a read per refresh.
const SECRETS = Number(process.env.BENCH_SECRETS ?? 160);
const REFRESHES = Number(process.env.BENCH_REFRESHES ?? 7430);

async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-moto-'));
  const recordFile = join(dir, 'moto-recording.jsonl');
  const logFile = join(dir, 'moto.log');
  const port = await freePort();
  const sm = new SecretsManagerClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const size = () => {
    const text = readFileSync(recordFile, 'utf8');
    return `${text.split('\n').filter(Boolean).length} requests, ${(text.length / 1e6).toFixed(1)} MB`;
  };
  const value = (generation: number) =>
    JSON.stringify({ clientSecret: randomBytes(24).toString('base64url'), refreshToken: randomBytes(48).toString('base64url'), accessToken: randomBytes(600).toString('base64url'), generation });
  let moto = await startMoto({ port, logFile, recordFile });
  try {
    const names = Array.from({ length: SECRETS }, (_, i) => `steward/integrations/bench_${i}`);
    for (const name of names) await sm.send(new CreateSecretCommand({ Name: name, SecretString: value(1), ClientRequestToken: randomUUID() }));
    let done = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (done < REFRESHES) {
          const name = names[done++ % SECRETS];
          await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: value(done), ClientRequestToken: randomUUID() }));
          await sm.send(new GetSecretValueCommand({ SecretId: name }));
        }
      }),
    );
    console.log(`recorded                 ${size()}`);
    let t = Date.now();
    await moto.stop();
    console.log(`stop, compacting         ${Date.now() - t} ms → ${size()}`);
    t = Date.now();
    moto = await startMoto({ port, logFile, recordFile });
    console.log(`start, replaying         ${Date.now() - t} ms`);
  } finally {
    sm.destroy();
    await moto.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
