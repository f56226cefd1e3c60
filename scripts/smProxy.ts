// The honest emulator: an HTTP proxy in front of moto that answers as AWS Secrets Manager does at its limits.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { secretNameOf } from '../lib/vault';
import { SmQuotaLedger, type SmError, type SmWrite } from './smQuota';

export interface HeldWrite {
  /** Resolves when a matching write has arrived and is being held. */
  reached: Promise<SmWrite>;
  /** Lets the held write through (it is dropped if its client has gone meanwhile). */
  release(): void;
}

export interface SmQuotaProxy {
  url: string;
  ledger: SmQuotaLedger;
  /** Moves the proxy's clock (tests cover 24 h windows without waiting). */
  setClockOffset(ms: number): void;
  /** Holds the next write that `match` accepts until released: a test kills a worker mid-write with it. */
  holdNext(match: (write: SmWrite) => boolean): HeldWrite;
  close(): Promise<void>;
}

const clockBody = z.object({ offsetMs: z.number().finite() });

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** What a Secrets Manager JSON request asks for; null for anything the proxy does not inspect. */
function describe(req: http.IncomingMessage, body: Buffer): SmWrite | null {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (!target.startsWith('secretsmanager.')) return null;
  let input: Record<string, unknown> = {};
  try {
    input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return null; // moto answers malformed bodies itself
  }
  const secretId = typeof input.SecretId === 'string' ? input.SecretId : typeof input.Name === 'string' ? input.Name : null;
  const value = typeof input.SecretString === 'string' ? Buffer.byteLength(input.SecretString) : typeof input.SecretBinary === 'string' ? Buffer.from(input.SecretBinary, 'base64').length : null;
  return {
    operation: target.slice('secretsmanager.'.length),
    secret: secretId ? secretNameOf(secretId) : null,
    clientRequestToken: typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : null,
    valueBytes: value,
  };
}

/** AWS's JSON error shape: the SDK maps `__type` to its exception classes. */
function sendAwsError(res: http.ServerResponse, err: SmError): void {
  const body = JSON.stringify({ __type: err.type, message: err.message, Message: err.message });
  res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': err.type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function forward(target: URL, req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, accountId: string | undefined): void {
  const headers = { ...req.headers, host: target.host, ...(accountId ? { 'x-moto-account-id': accountId } : {}) };
  const upstream = http.request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  upstream.end(body);
}

/**
 * `accountId` puts every request into that moto account (moto's `x-moto-account-id`): test suites sharing one moto
 * each see a Secrets Manager of their own, with Steward's usual secret names.
 */
export async function startSmQuotaProxy(opts: { port: number; target: string; host?: string; accountId?: string }): Promise<SmQuotaProxy> {
  const target = new URL(opts.target);
  let offsetMs = 0;
  const ledger = new SmQuotaLedger(() => Date.now() + offsetMs);
  const holds: { match: (w: SmWrite) => boolean; arrived: (w: SmWrite) => void; released: Promise<void> }[] = [];

  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (req.url?.startsWith('/__quota/')) return control(req, body, res);
      const write = describe(req, body);
      if (write) {
        const hold = holds.findIndex((h) => h.match(write));
        if (hold >= 0) {
          const [h] = holds.splice(hold, 1);
          h!.arrived(write);
          await h!.released;
          if (req.socket.destroyed) return; // the caller died while held: the request never reached AWS
        }
        const refused = ledger.admit(write);
        if (refused) return sendAwsError(res, refused);
      }
      forward(target, req, body, res, opts.accountId);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  function control(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'POST' && req.url === '/__quota/clock') {
      let json: unknown = null;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        // reported below
      }
      const parsed = clockBody.safeParse(json);
      if (!parsed.success) return send(400, { error: 'expected a JSON body {"offsetMs": <finite number>}', field: 'offsetMs' });
      offsetMs = parsed.data.offsetMs;
      return send(200, { offsetMs });
    }
    if (req.method === 'GET' && req.url === '/__quota/stats') {
      return send(200, { offsetMs, acceptedVersions: ledger.acceptedVersions, refused: ledger.refused, peakWritesPerSecond: ledger.peakWritesPerSecond() });
    }
    send(404, { error: 'no such control route' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  server.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    ledger,
    setClockOffset(ms) {
      offsetMs = ms;
    },
    holdNext(match) {
      let arrived!: (w: SmWrite) => void;
      let release!: () => void;
      const reached = new Promise<SmWrite>((r) => (arrived = r));
      const released = new Promise<void>((r) => (release = r));
      holds.push({ match, arrived, released });
      return { reached, release };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
