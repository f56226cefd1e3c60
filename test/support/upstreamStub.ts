// A provider's API for the token proxy's tests: records what arrived (raw path, headers, body digest, when the first
// body chunk came), answers per path with handlers the test sets, and can check DPoP proofs (RFC 9449 §7) with nonces.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UpstreamRequest {
  method: string;
  /** The request target exactly as received. */
  url: string;
  headers: IncomingMessage['headers'];
  bodyBytes: number;
  bodySha256: string;
  /** Milliseconds from the request's arrival to its first body chunk, and to its end. */
  firstChunkAfterMs: number | null;
  endAfterMs: number;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, seen: UpstreamRequest) => void | Promise<void>;

export interface UpstreamStub {
  url: string;
  requests(): UpstreamRequest[];
  /** Answers requests whose path starts with `prefix` (longest prefix wins); the default echoes what arrived. */
  on(prefix: string, handler: Handler): void;
  /** A request whose first body chunk has arrived while the body is still coming (streaming seen from the far side). */
  firstChunkArrived(): Promise<void>;
  close(): Promise<void>;
}

export function echo(res: ServerResponse, seen: UpstreamRequest): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(seen));
}

export async function startUpstreamStub(): Promise<UpstreamStub> {
  const log: UpstreamRequest[] = [];
  const handlers = new Map<string, Handler>();
  let chunkWaiters: (() => void)[] = [];

  const server: Server = createServer((req, res) => {
    // A caller that goes away mid-body (a proxy cutting off an oversized request) is not the stub's failure.
    answer(req, res).catch(() => res.destroy());
  });
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const hash = createHash('sha256');
    let bytes = 0;
    let firstChunkAfterMs: number | null = null;
    for await (const chunk of req) {
      if (firstChunkAfterMs === null) {
        firstChunkAfterMs = Date.now() - started;
        for (const wake of chunkWaiters) wake();
        chunkWaiters = [];
      }
      bytes += (chunk as Buffer).byteLength;
      hash.update(chunk as Buffer);
    }
    const seen: UpstreamRequest = {
      method: req.method!,
      url: req.url!,
      headers: req.headers,
      bodyBytes: bytes,
      bodySha256: hash.digest('hex'),
      firstChunkAfterMs,
      endAfterMs: Date.now() - started,
    };
    log.push(seen);
    const path = req.url!.split('?')[0]!;
    const prefix = [...handlers.keys()].filter((p) => path.startsWith(p)).sort((a, b) => b.length - a.length)[0];
    try {
      await (prefix ? handlers.get(prefix)! : (_q: IncomingMessage, r: ServerResponse, s: UpstreamRequest) => echo(r, s))(req, res, seen);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500).end(String(err));
      else res.destroy();
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests: () => [...log],
    on: (prefix, handler) => void handlers.set(prefix, handler),
    firstChunkArrived: () => new Promise<void>((resolve) => chunkWaiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Checks a DPoP-bound request as a resource server does (RFC 9449 §7.1, §8): `Authorization: DPoP <token>`, a proof
 * signed by its embedded ES256 key, htm/htu for this request, ath of the token, the key thumbprint the token is bound
 * to, and the nonce this server last handed out. Returns the problem, or null.
 */
export function dpopProblem(req: IncomingMessage, publicUrl: string, expectedJkt: string | undefined, nonce: string): { error: string; nonce?: boolean } | null {
  const auth = /^DPoP (.+)$/.exec(req.headers.authorization ?? '');
  if (!auth) return { error: 'not a DPoP authorization' };
  const proof = req.headers.dpop;
  if (typeof proof !== 'string') return { error: 'no DPoP proof' };
  const [h, p, s] = proof.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg: string; typ: string; jwk: JsonWebKey };
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  if (header.typ !== 'dpop+jwt' || header.alg !== 'ES256') return { error: 'bad proof header' };
  const key = createPublicKey({ key: header.jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  if (!verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'))) return { error: 'bad proof signature' };
  const { crv, kty, x, y } = header.jwk;
  const jkt = createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
  if (expectedJkt !== undefined && jkt !== expectedJkt) return { error: 'proof key is not the key the token is bound to' };
  if (claims.htm !== req.method) return { error: 'htm mismatch' };
  if (claims.htu !== `${publicUrl}${req.url!.split('?')[0]}`) return { error: `htu mismatch: ${String(claims.htu)}` };
  if (claims.ath !== createHash('sha256').update(auth[1]!).digest('base64url')) return { error: 'ath mismatch' };
  if (claims.nonce !== nonce) return { error: 'use_dpop_nonce', nonce: true };
  return null;
}
