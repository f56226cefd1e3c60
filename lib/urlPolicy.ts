// The one rule for admin-supplied outbound URLs: https only, no credentials in URLs, never an internal address —
// checked on the URL, on what its host name resolves to, and (lib/guardedFetch.ts) on the address actually connected to.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// Always refused: private, link-local (cloud metadata), CGNAT, unspecified, reserved, multicast, unique-local and
// NAT64 ranges. Node's BlockList also matches IPv4-mapped IPv6 (::ffff:a9fe:a9fe) against the IPv4 rules.
const internal = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  internal.addSubnet(net, bits, 'ipv4');
}
// IPv6 forms that embed or tunnel to an IPv4 address are refused whole: IPv4-compatible ::/96 (also ::), IPv4-translated
// ::ffff:0:0:0/96, NAT64 64:ff9b::/96 and 64:ff9b:1::/48, 6to4 2002::/16, Teredo 2001::/32.
for (const [net, bits] of [
  ['::', 96], ['::ffff:0:0:0', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['2002::', 16], ['2001::', 32],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) {
  internal.addSubnet(net, bits, 'ipv6');
}
// Cloud metadata and host services outside the ranges above (Azure's wire server; Alibaba's and AWS's IPv6 metadata
// addresses are inside CGNAT and unique-local already, named here so the list is complete).
for (const address of ['168.63.129.16', '100.100.100.200']) internal.addAddress(address, 'ipv4');
internal.addAddress('fd00:ec2::254', 'ipv6');
// Refused unless development mode allows it, so the local demo provider works.
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

function addressCategory(host: string): 'internal' | 'loopback' | 'public' | 'name' {
  const bare = host.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 0) return 'name';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it maps.
  const mapped = type === 'ipv6' ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1] : undefined;
  if (mapped) return addressCategory(mapped);
  if (loopback.check(bare, type)) return 'loopback';
  if (internal.check(bare, type)) return 'internal';
  return 'public';
}

/** What is wrong with connecting to this IP address, or null. Development mode allows loopback, never internal ranges. */
export function addressProblem(address: string, allowInsecure: boolean): string | null {
  const category = addressCategory(address);
  if (category === 'internal') return 'a private, link-local or metadata address';
  if (category === 'loopback' && !allowInsecure) return 'a loopback address';
  return null;
}

/** Returns what is wrong with `raw` as a provider URL, or null when it is acceptable. */
export function providerUrlProblem(raw: string, allowInsecure: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(allowInsecure && url.protocol === 'http:')) {
    return allowInsecure ? 'must use https or http' : 'must use https';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (url.hash) return 'must not contain a fragment';
  const problem = addressCategory(url.hostname) === 'name' ? null : addressProblem(url.hostname.replace(/^\[|\]$/g, ''), allowInsecure);
  return problem ? `must not point to ${problem}` : null;
}

/** providerUrlProblem, plus every address the host name resolves to right now. */
export async function resolvedUrlProblem(raw: string, allowInsecure: boolean): Promise<string | null> {
  const problem = providerUrlProblem(raw, allowInsecure);
  if (problem) return problem;
  const host = new URL(raw).hostname;
  if (isIP(host.replace(/^\[|\]$/g, ''))) return null;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    return null; // unresolvable now: nothing to reach; the connect-time check (lib/guardedFetch.ts) decides later
  }
  for (const { address } of addresses) {
    const bad = addressProblem(address, allowInsecure);
    if (bad) return `has a host name that resolves to ${bad}`;
  }
  return null;
}
