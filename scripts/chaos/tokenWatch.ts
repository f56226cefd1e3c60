// Fault run: polls a sample of token endpoints and checks every served token with the provider's introspection.
import type { Stack } from '../steward';

export interface ServeCounts {
  reads: number;
  served: number;
  /** Served with no lifetime left by its own expires_at. */
  expired: number;
  /** Served with lifetime left but inactive at the provider: revoked (a lost or replaced grant). */
  revoked: number;
  unavailable: number;
  other: number;
}

export const emptyCounts = (): ServeCounts => ({ reads: 0, served: 0, expired: 0, revoked: 0, unavailable: 0, other: 0 });

const basic = (stack: Stack) => `Basic ${Buffer.from(`${stack.demoClient.clientId}:${stack.demoClient.clientSecret}`).toString('base64')}`;

/** RFC 7662 at the provider itself (never through the fault proxy). */
export async function introspectAt(stack: Stack, token: string): Promise<boolean | null> {
  try {
    const res = await fetch(stack.provider.introspectionUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(stack) },
      body: new URLSearchParams({ token }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return null;
    return ((await res.json()) as { active?: boolean }).active === true;
  } catch {
    return null;
  }
}

/** One read of the token endpoint, judged; `counts` is the bucket of the experiment under way. */
export async function readAndJudge(stack: Stack, id: string, counts: ServeCounts, onBad: (what: string) => void): Promise<void> {
  counts.reads++;
  let res: Response;
  try {
    res = await fetch(`${stack.apiUrl}/v1/integrations/${id}/token`, { headers: { authorization: `Bearer ${stack.adminKey}` }, signal: AbortSignal.timeout(30_000) });
  } catch {
    counts.unavailable++;
    return;
  }
  const body = (await res.json().catch(() => null)) as { access_token?: string; expires_at?: string } | null;
  if (res.status !== 200 || !body?.access_token) {
    if (res.status === 503 || res.status === 504 || res.status === 409 || res.status === 429) counts.unavailable++;
    else counts.other++;
    return;
  }
  counts.served++;
  const leftMs = Date.parse(body.expires_at ?? '') - Date.now();
  if (!(leftMs > 0)) {
    counts.expired++;
    onBad(`${id}: served an expired token (expires_at ${body.expires_at})`);
    return;
  }
  const active = await introspectAt(stack, body.access_token);
  if (active !== false) return;
  // A token served with ≤ 2 s left may expire before the introspection answers: that is not a wrong answer.
  if (leftMs <= 2000) return;
  counts.revoked++;
  onBad(`${id}: served a token the provider says is inactive (${Math.round(leftMs / 1000)} s left by its expires_at)`);
}

/** Reads each sampled integration in turn until stopped; `bucket()` names where results count. */
export function watchTokens(stack: Stack, sample: string[], bucket: () => ServeCounts, onBad: (what: string) => void, gapMs = 250) {
  let stopped = false;
  const loop = (async () => {
    for (let i = 0; !stopped; i++) {
      await readAndJudge(stack, sample[i % sample.length]!, bucket(), onBad);
      await new Promise((r) => setTimeout(r, gapMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
