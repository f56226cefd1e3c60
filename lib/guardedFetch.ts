// fetch for admin-supplied URLs: the address connected to is checked (no DNS-rebinding window), no redirects, bounded size and time.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent, fetch as undiciFetch } from 'undici';
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
