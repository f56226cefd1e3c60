/**
 * A small fault-injecting reverse proxy (node:http only) for putting in front of the
 * demo provider in tests.
 *
 * - 'pass'   forwards method, path+query, headers (Host rewritten to the target) and
 *            body; the upstream status, headers and body are returned verbatim.
 * - 'status' answers immediately with the given status (+ optional Retry-After, body,
 *            content type). Default body: `fault injected: HTTP <status>` (text/plain).
 * - 'hang'   never answers. Hung requests are held until the mode changes (they are
 *            then re-dispatched under the new mode, e.g. forwarded on 'pass') or the
 *            proxy closes (their sockets are destroyed). Requests whose client gave up
 *            in the meantime are dropped.
 * - 'reset'  destroys the socket with a TCP RST (client sees ECONNRESET / "socket hang
 *            up" / fetch "fetch failed").
 * - 'delay'  forwards at once, so the provider acts on the request now, but holds its
 *            answer `ms` before passing it on (a late answer).
 * - 'drop'   forwards at once, lets the provider answer in full, then closes the
 *            client's connection without a byte of that answer (a lost answer).
 *
 * setMode(mode, { paths, times }): `paths` limits the fault to requests whose pathname
 * (query excluded) is in the list, other requests pass; `times` applies the fault to
 * that many matching requests, then the proxy reverts to 'pass'.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultMode =
  | { kind: 'pass' }
  | { kind: 'status'; status: number; retryAfterSeconds?: number; body?: string; contentType?: string }
  | { kind: 'hang' } /* never answers until mode changes or proxy closes */
  | { kind: 'reset' } /* destroy the socket */
  | { kind: 'delay'; ms: number } /* forward now, answer after ms */
  | { kind: 'drop' } /* forward, then close without the answer */;

export interface FaultProxyRequest {
  method: string;
  path: string;
  /** The query string ('' or '?…'): a caller can tag its requests with it. */
  search: string;
  at: number;
  answeredWith: number | 'hang' | 'reset' | 'drop';
  /** A private_key_jwt request's client assertion (a 60-s signed JWT), so tests can check what was signed. */
  clientAssertion?: string;
  /** grant_type of a form-encoded token request: a fault run counts code exchanges apart from refreshes. */
  grantType?: string;
  /** Fingerprints (never the tokens): the refresh token a request presented and the one its 200 answer issued. */
  presented?: string;
  issued?: string;
  /** When the provider's answer arrived at the proxy. */
  answeredAt?: number;
  /** When the upstream answer started back to the client (after any delay); unset if the client never got it. */
  deliveredAt?: number;
}

/** A short one-way fingerprint of a token, so a fault run can follow rotations without holding any token. */
export const fingerprint = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 16);

function noteTokenRequest(record: FaultProxyRequest, body: Buffer): void {
  if (record.path !== '/token' || body.length === 0 || body.length > 65_536) return;
  const form = new URLSearchParams(body.toString('utf8'));
  record.grantType = form.get('grant_type') ?? undefined;
  const presented = form.get('refresh_token');
  if (presented) record.presented = fingerprint(presented);
  const assertion = form.get('client_assertion');
  if (assertion) record.clientAssertion = assertion;
}

function noteTokenAnswer(record: FaultProxyRequest, status: number | undefined, body: Buffer): void {
  if (record.path !== '/token' || status !== 200) return;
  try {
    const issued = (JSON.parse(body.toString('utf8')) as { refresh_token?: unknown }).refresh_token;
    if (typeof issued === 'string') record.issued = fingerprint(issued);
  } catch {
    // not JSON: nothing issued
  }
}

export interface FaultProxy {
  url: string;
  setMode(mode: FaultMode, opts?: { paths?: string[]; times?: number }): void;
  requests(): FaultProxyRequest[];
  close(): Promise<void>;
}

interface Rule {
  mode: FaultMode;
  paths?: Set<string>;
  remaining?: number;
}

interface Held {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  body: Buffer;
  record: FaultProxyRequest;
  /** true once a hung request is re-dispatched; its log entry then keeps saying 'hang'. */
  released?: boolean;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
]);

export async function startFaultProxy(
  targetUrl: string,
  opts?: { port?: number; /** Called as an upstream answer starts back to the client: a fault run kills the caller at this moment. */ onAnswer?: (record: FaultProxyRequest) => void },
): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  if (target.protocol !== 'http:') throw new TypeError('fault proxy only supports http targets');
  const basePath = target.pathname.replace(/\/+$/, '');

  let rule: Rule = { mode: { kind: 'pass' } };
  const log: FaultProxyRequest[] = [];
  const held = new Set<Held>();
  const sockets = new Set<Socket>();
  const upstreamRequests = new Set<http.ClientRequest>();
  const delayed = new Set<NodeJS.Timeout>();
  const agent = new http.Agent({ keepAlive: false });
  let closed = false;

  /** Picks the mode for one request, consuming `times`. */
  function modeFor(pathname: string): FaultMode {
    const current = rule;
    if (current.mode.kind === 'pass') return current.mode;
    if (current.paths && !current.paths.has(pathname)) return { kind: 'pass' };
    if (current.remaining !== undefined) {
      current.remaining -= 1;
      if (current.remaining <= 0 && rule === current) rule = { mode: { kind: 'pass' } };
    }
    return current.mode;
  }

  function forward(h: Held, fault: { delayMs?: number; drop?: boolean } = {}): void {
    const { req, res, body, record } = h;
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      headers[name] = value;
    }
    headers.host = target.host;
    if (!('transfer-encoding' in req.headers)) headers['content-length'] = body.length;
    else delete headers['content-length'];

    const upstream = http.request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: `${basePath}${req.url ?? '/'}`,
        headers,
        agent,
      },
      (upRes) => {
        if (!h.released) record.answeredWith = upRes.statusCode ?? 502;
        record.answeredAt = Date.now();
        opts?.onAnswer?.({ ...record, answeredWith: upRes.statusCode ?? 502 });
        const outHeaders: string[] = [];
        for (let i = 0; i < upRes.rawHeaders.length; i += 2) {
          const name = upRes.rawHeaders[i]!;
          if (HOP_BY_HOP.has(name.toLowerCase())) continue;
          outHeaders.push(name, upRes.rawHeaders[i + 1]!);
        }
        if (res.destroyed) {
          // The client left: the provider's answer (and any rotation in it) reaches no one, but the log still says what it issued.
          const lost: Buffer[] = [];
          upRes.on('data', (c: Buffer) => lost.push(c));
          upRes.on('end', () => noteTokenAnswer(record, upRes.statusCode, Buffer.concat(lost)));
          upRes.resume();
          return;
        }
        if (fault.drop || fault.delayMs !== undefined) {
          // The provider's answer is complete (it has acted on the request) before the client sees anything, or nothing.
          const chunks: Buffer[] = [];
          upRes.on('data', (c: Buffer) => chunks.push(c));
          upRes.on('error', () => res.destroy());
          upRes.on('end', () => {
            noteTokenAnswer(record, upRes.statusCode, Buffer.concat(chunks));
            if (fault.drop) {
              if (!h.released) record.answeredWith = 'drop';
              req.socket.destroy();
              return;
            }
            const timer = setTimeout(() => {
              delayed.delete(timer);
              if (res.destroyed) return;
              record.deliveredAt = Date.now();
              res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, outHeaders);
              res.end(Buffer.concat(chunks));
            }, fault.delayMs);
            delayed.add(timer);
          });
          return;
        }
        record.deliveredAt = Date.now();
        const answer: Buffer[] = [];
        upRes.on('data', (c: Buffer) => answer.push(c));
        upRes.on('end', () => noteTokenAnswer(record, upRes.statusCode, Buffer.concat(answer)));
        res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, outHeaders);
        upRes.pipe(res);
        upRes.on('error', () => res.destroy());
      },
    );
    upstreamRequests.add(upstream);
    upstream.on('close', () => upstreamRequests.delete(upstream));
    upstream.on('error', (err) => {
      if (!h.released) record.answeredWith = 502;
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const text = `fault proxy: upstream error: ${err.message}`;
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
    res.on('close', () => {
      // A late or dropped answer is the provider's to finish: the client leaving must not cancel it.
      if (!res.writableFinished && !fault.drop && fault.delayMs === undefined) upstream.destroy();
    });
    upstream.end(body);
  }

  function dispatch(h: Held, mode: FaultMode): void {
    const { req, res } = h;
    // Log entries describe what happened when the request arrived; a released hung
    // request keeps 'hang'.
    const record: Pick<FaultProxyRequest, 'answeredWith'> = h.released ? { answeredWith: 'hang' } : h.record;
    switch (mode.kind) {
      case 'pass':
        forward(h);
        return;
      case 'delay':
        forward(h, { delayMs: mode.ms });
        return;
      case 'drop':
        forward(h, { drop: true });
        return;
      case 'status': {
        record.answeredWith = mode.status;
        const text = mode.body ?? `fault injected: HTTP ${mode.status}`;
        const headers: http.OutgoingHttpHeaders = {
          'content-type': mode.contentType ?? (mode.body === undefined ? 'text/plain; charset=utf-8' : 'application/json'),
          'content-length': Buffer.byteLength(text),
          'cache-control': 'no-store',
        };
        if (mode.retryAfterSeconds !== undefined) headers['retry-after'] = String(mode.retryAfterSeconds);
        res.writeHead(mode.status, headers);
        res.end(text);
        return;
      }
      case 'hang':
        record.answeredWith = 'hang';
        held.add(h);
        res.on('close', () => held.delete(h));
        return;
      case 'reset': {
        record.answeredWith = 'reset';
        const socket = req.socket as Socket & { resetAndDestroy?: () => void };
        if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
        else socket.destroy();
        return;
      }
    }
  }

  const server = http.createServer((req, res) => {
    const { pathname, search } = new URL(req.url ?? '/', 'http://proxy.invalid');
    const record: FaultProxyRequest = { method: req.method ?? 'GET', path: pathname, search, at: Date.now(), answeredWith: 0 };
    log.push(record);
    const mode = modeFor(pathname);
    // Buffer the body first so hung requests can be replayed later.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (res.destroyed) return;
      const body = Buffer.concat(chunks);
      noteTokenRequest(record, body);
      dispatch({ req, res, body, record }, mode);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts?.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  function releaseHeld(): void {
    for (const h of [...held]) {
      held.delete(h);
      if (h.res.destroyed || h.req.socket.destroyed) continue;
      h.released = true;
      dispatch(h, modeFor(h.record.path));
    }
  }

  return {
    url: `http://127.0.0.1:${port}`,
    setMode(mode, o) {
      if (o?.times !== undefined && (!Number.isInteger(o.times) || o.times < 1)) {
        throw new TypeError('times must be a positive integer');
      }
      rule = {
        mode,
        paths: o?.paths ? new Set(o.paths) : undefined,
        remaining: o?.times,
      };
      if (mode.kind !== 'hang') releaseHeld();
    },
    requests() {
      return log.map((r) => ({ ...r }));
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const t of delayed) clearTimeout(t);
        for (const h of held) h.res.destroy();
        held.clear();
        for (const u of upstreamRequests) u.destroy();
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        agent.destroy();
      });
    },
  };
}
