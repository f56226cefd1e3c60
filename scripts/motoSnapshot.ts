// Compacts moto's request recording into a snapshot of the secrets it holds, and keeps clients off moto until it is restored.
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
  type Tag,
} from '@aws-sdk/client-secrets-manager';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';

/** One line of moto's recording, as its recorder writes and replays it (moto_api/_internal/recorder/models.py). */
interface RecordedRequest {
  headers: Record<string, string>;
  method: string;
  url: string;
  body: string;
  body_encoded: boolean;
}

/**
 * moto names a secret `<name>-<6 random letters>`; this tag makes it use the given letters instead
 * (moto/utilities/id_generator.py), so a secret recreated from the snapshot keeps its ARN.
 */
const CUSTOM_ID_TAG = '_custom_id_';
/** The signature of the requests a snapshot is made of; moto does not check signatures. */
const SNAPSHOT_SIGNATURE = 'Signature=steward-snapshot';
/** Recorded requests after the snapshot that make compacting again worth its cost (about 10 s for 160 secrets). */
const COMPACT_AFTER_REQUESTS = 500;
const STAGE_ORDER = ['AWSPREVIOUS', 'AWSCURRENT'];

const targetOf = (entry: RecordedRequest) =>
  Object.entries(entry.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1] ?? '';

/** Regions whose Secrets Manager the recording wrote to, from each request's SigV4 credential scope. */
function regionsIn(entries: RecordedRequest[]): string[] {
  const regions = new Set<string>();
  for (const entry of entries) {
    const auth = Object.entries(entry.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '';
    const region = /Credential=[^/]+\/\d+\/([a-z0-9-]+)\/secretsmanager\//.exec(auth)?.[1];
    if (region) regions.add(region);
  }
  return [...regions];
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}

/** A recorded-request line moto's replay accepts: JSON protocol, an unchecked signature naming the region. */
function request(base: string, region: string, action: string, input: Record<string, unknown>): RecordedRequest {
  const body = Buffer.from(JSON.stringify(input));
  return {
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `secretsmanager.${action}`,
      Authorization: `AWS4-HMAC-SHA256 Credential=steward-local/20240601/${region}/secretsmanager/aws4_request, SignedHeaders=host, ${SNAPSHOT_SIGNATURE}`,
      'Content-Length': String(body.length),
    },
    method: 'POST',
    url: `${base}/`,
    body: body.toString('base64'), // bytes, so replay sends them as they are
    body_encoded: true,
  };
}

/** The requests that recreate one region's live secrets: each with its ARN, tags, and staged versions (ids kept). */
async function snapshotRegion(base: string, region: string): Promise<RecordedRequest[]> {
  const sm = new SecretsManagerClient({ region, endpoint: base, credentials: { accessKeyId: 'steward-local', secretAccessKey: 'steward-local' } });
  const out: RecordedRequest[] = [];
  try {
    let NextToken: string | undefined;
    do {
      const page = await sm.send(new ListSecretsCommand({ MaxResults: 100, NextToken, IncludePlannedDeletion: false }));
      const perSecret = await mapLimit(page.SecretList ?? [], 8, async (listed) => {
        const requests: RecordedRequest[] = [];
        const secret = await sm.send(new DescribeSecretCommand({ SecretId: listed.ARN! }));
        if (secret.DeletedDate) return requests;
        const suffix = /-([A-Za-z]{6})$/.exec(secret.ARN!)?.[1];
        const tags: Tag[] = (secret.Tags ?? []).filter((t) => t.Key !== CUSTOM_ID_TAG);
        if (suffix) tags.push({ Key: CUSTOM_ID_TAG, Value: suffix });
        const rank = (stages: string[]) => Math.min(...stages.map((s) => (STAGE_ORDER.includes(s) ? STAGE_ORDER.indexOf(s) : STAGE_ORDER.length)));
        // moto lists superseded versions too (with no stage); like AWS's own clean-up, they are not kept.
        const versions = Object.entries(secret.VersionIdsToStages ?? {})
          .filter(([, stages]) => stages.length > 0)
          .sort(([, a], [, b]) => rank(a) - rank(b));
        for (const [index, [versionId, stages]] of versions.entries()) {
          const value = await sm.send(new GetSecretValueCommand({ SecretId: secret.ARN!, VersionId: versionId }));
          const material = value.SecretBinary ? { SecretBinary: Buffer.from(value.SecretBinary).toString('base64') } : { SecretString: value.SecretString };
          if (index === 0) {
            requests.push(
              request(base, region, 'CreateSecret', {
                Name: secret.Name,
                ClientRequestToken: versionId,
                ...material,
                ...(secret.Description ? { Description: secret.Description } : {}),
                ...(secret.KmsKeyId ? { KmsKeyId: secret.KmsKeyId } : {}),
                Tags: tags,
              }),
            );
            // CreateSecret makes its version AWSCURRENT, and the next PutSecretValue makes it AWSPREVIOUS; other
            // stages (AWSPENDING, custom) are set explicitly.
            if (stages.some((s) => s !== 'AWSCURRENT' && s !== 'AWSPREVIOUS')) requests.push(request(base, region, 'PutSecretValue', { SecretId: secret.Name, ClientRequestToken: versionId, ...material, VersionStages: stages }));
          } else {
            requests.push(request(base, region, 'PutSecretValue', { SecretId: secret.Name, ClientRequestToken: versionId, ...material, VersionStages: stages }));
          }
        }
        return requests;
      });
      out.push(...perSecret.flat());
      NextToken = page.NextToken;
    } while (NextToken);
  } finally {
    sm.destroy();
  }
  return out;
}

function readEntries(recordFile: string): RecordedRequest[] {
  return readFileSync(recordFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as RecordedRequest);
}

/** Compacting costs a few seconds: worth it once the requests recorded since the last snapshot outnumber it (or 500). */
export function worthCompacting(recordFile: string): boolean {
  const entries = readEntries(recordFile);
  const snapshot = entries.filter((e) => JSON.stringify(e.headers).includes(SNAPSHOT_SIGNATURE)).length;
  return entries.length - snapshot >= Math.min(COMPACT_AFTER_REQUESTS, Math.max(1, snapshot));
}

/**
 * Rewrites the recording as the few requests that rebuild what moto holds now (it must have replayed the recording):
 * reads, superseded versions and deleted secrets are gone, so the next start replays in seconds whatever the past.
 * Requests to services other than Secrets Manager are kept as they are. Written 0600: it holds every secret value.
 */
export async function compactRecording(base: string, recordFile: string): Promise<{ before: number; after: number }> {
  const entries = readEntries(recordFile);
  const others = entries.filter((e) => !targetOf(e).startsWith('secretsmanager.'));
  const regions = regionsIn(entries);
  const secrets = (await Promise.all(regions.map((region) => snapshotRegion(base, region)))).flat();
  const lines = [...others, ...secrets].map((e) => `${JSON.stringify(e)}\n`).join('');
  const tmp = `${recordFile}.compact-${process.pid}`;
  writeFileSync(tmp, lines, { mode: 0o600 });
  renameSync(tmp, recordFile);
  chmodSync(recordFile, 0o600);
  return { before: entries.length, after: others.length + secrets.length };
}

/**
 * The public port, opened only once moto holds its restored state: until then clients get "connection refused" (a
 * transient failure they retry), never "no such secret" from a half-replayed emulator.
 */
export async function openGate(port: number, targetPort: number): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.unref(); // never keeps the launcher (or jest) alive by itself
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
