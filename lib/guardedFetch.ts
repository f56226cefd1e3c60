// fetch for admin-supplied URLs: the address connected to is checked (no DNS-rebinding window), no redirects, bounded size and time;
// guardedRequest streams both ways for the token proxy.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Readable, Transform } from 'node:stream';
import { Agent, errors as undiciErrors, fetch as undiciFetch, request as undiciRequest, type Dispatcher } from 'undici';
import { addressProblem, providerUrlProblem } from './urlPolicy';

export const MAX_RESPONSE_BYTES = 256 * 1024;

export class ResponseTooLargeError extends Error {}
export class ForbiddenAddressError extends Error {}

const agents = new Map<boolean, Agent>();

/** An agent whose DNS lookup refuses forbidden addresses: the check and the connection use the same answer. */
function guardedAgent(allowInsecure: boolean): Agent {
  let agent = agents.get(allowInsecure);
  if (!agent) {
    agent = new Agent({
      connect: {
        lookup: (hostname: string, options: object, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
          dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
            if (err) return callback(err, []);
            const bad = addresses.map((a) => addressProblem(a.address, allowInsecure)).find(Boolean);
            if (bad) return callback(new ForbiddenAddressError(`${hostname} resolves to ${bad}`), []);
            if ((options as { all?: boolean }).all) return callback(null, addresses);
            callback(null, addresses[0].address, addresses[0].family);
          });
        },
      },
    });
    agents.set(allowInsecure, agent);
  }
  return agent;
}

/** Returns a global-Response with the whole (bounded) body read, so callers never stream from a hostile server. */
export async function guardedFetch(url: string, init: RequestInit, allowInsecure: boolean): Promise<Response> {
  const problem = providerUrlProblem(url, allowInsecure);
  if (problem) throw new ForbiddenAddressError(`the URL ${problem}`);
  const res = await undiciFetch(url, { ...(init as object), redirect: 'manual', dispatcher: guardedAgent(allowInsecure) } as Parameters<typeof undiciFetch>[1]);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_RESPONSE_BYTES) {
        await reader.cancel();
        throw new ResponseTooLargeError(`more than ${MAX_RESPONSE_BYTES} bytes`);
      }
      chunks.push(value);
    }
  }
  const empty = size === 0 || [204, 205, 304].includes(res.status);
  return new Response(empty ? null : Buffer.concat(chunks), { status: res.status, statusText: res.statusText, headers: new Headers([...res.headers]) });
}

export class UpstreamTimeoutError extends Error {}

export interface GuardedRequestInit {
  method: string;
  headers: Record<string, string>;
  /** Streamed as read; a Buffer can be sent again. */
  body: Readable | Buffer | null;
  /** Response body bytes beyond this fail the stream with ResponseTooLargeError. */
  maxResponseBytes: number;
  /** Bound on the wait for the answer's headers, and on each wait between its body's chunks. */
  timeoutMs: number;
}

/**
 * Streams one request through the guarded agent (every connection's address checked, as guardedFetch does) and returns a
 * global-Response whose body streams too, undecoded (content-encoding passes through), cut off past maxResponseBytes.
 * Follows no redirects: a 3xx is the answer.
 */
export async function guardedRequest(url: string, init: GuardedRequestInit, allowInsecure: boolean): Promise<Response> {
  const problem = providerUrlProblem(url, allowInsecure);
  if (problem) throw new ForbiddenAddressError(`the URL ${problem}`);
  let answer: Dispatcher.ResponseData;
  try {
    answer = await undiciRequest(url, {
      dispatcher: guardedAgent(allowInsecure),
      method: init.method as Dispatcher.HttpMethod,
      headers: init.headers,
      body: init.body,
      headersTimeout: init.timeoutMs,
      bodyTimeout: init.timeoutMs,
      maxRedirections: 0,
    } as Parameters<typeof undiciRequest>[1]);
  } catch (err) {
    if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.ConnectTimeoutError) throw new UpstreamTimeoutError('the upstream did not answer in time');
    throw err;
  }
  // Destroying undici's body emits an abort error: expected whenever we stop reading, never a crash.
  answer.body.on('error', () => undefined);
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  if ([204, 205, 304].includes(answer.statusCode) || init.method === 'HEAD') {
    answer.body.destroy();
    return new Response(null, { status: answer.statusCode, headers });
  }
  const declared = Number(answer.headers['content-length']);
  if (Number.isFinite(declared) && declared > init.maxResponseBytes) {
    answer.body.destroy();
    throw new ResponseTooLargeError(`more than ${init.maxResponseBytes} bytes`);
  }
  let size = 0;
  const bounded = answer.body.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.byteLength;
        if (size > init.maxResponseBytes) return done(new ResponseTooLargeError(`more than ${init.maxResponseBytes} bytes`));
        done(null, chunk);
      },
    }),
  );
  answer.body.on('error', (err) => bounded.destroy(err));
  bounded.on('error', () => undefined); // the reader of the Response sees it; an unread one must not crash the process
  bounded.on('close', () => {
    if (!answer.body.readableEnded) answer.body.destroy(); // the caller went away or the limit was hit: stop reading upstream
  });
  return new Response(Readable.toWeb(bounded) as ReadableStream<Uint8Array>, { status: answer.statusCode, headers });
}
