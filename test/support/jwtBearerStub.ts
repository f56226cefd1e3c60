// A token endpoint for the JWT bearer grant (RFC 7523 §2.1), beside the real provider (oidc-provider has no such
// grant): it verifies each assertion as Google and Salesforce do — signature by the issuer's registered key, iss, sub,
// aud, exp, a short lifetime and a never-seen jti — and issues opaque access tokens it can introspect and revoke.
// Records what each request carried (claims, header names), never a token.
import { randomBytes, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BearerAccount {
  /** The assertion's `iss` (a service account's client_email, a consumer key). */
  issuer: string;
  publicKey: KeyObject;
  kid?: string;
  /** Subjects this account may act for; its own issuer always. */
  subjects?: string[];
}

export interface BearerRequest {
  at: number;
  grantType: string | null;
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
  scopeParameter: string | null;
  /** Form fields and headers that would authenticate a client besides the assertion. */
  clientAuthentication: string[];
  answeredWith: number;
  error?: string;
}

export interface JwtBearerStub {
  url: string;
  tokenUrl: string;
  requests(): BearerRequest[];
  /** What introspection says of a token the stub issued. */
  introspect(token: string): { active: boolean; sub?: string; scope?: string; iss?: string };
  revoked(): number;
  /** The next `count` token requests answer this status with an OAuth error (5xx: temporarily_unavailable). */
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const MAX_ASSERTION_LIFETIME_S = 300;

const VERIFY: Record<string, (data: Buffer, key: KeyObject, signature: Buffer) => boolean> = {
  RS256: (data, key, sig) => verify('sha256', data, key, sig),
  PS256: (data, key, sig) => verify('sha256', data, { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }, sig),
  ES256: (data, key, sig) => verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig),
};

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const decodePart = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

export async function startJwtBearerStub(opts: { accounts: BearerAccount[]; expiresIn: number; audience?: string }): Promise<JwtBearerStub> {
  const log: BearerRequest[] = [];
  const seenJti = new Set<string>();
  const issued = new Map<string, { sub: string; scope?: string; iss: string; active: boolean }>();
  let failures: { status: number; count: number } | null = null;
  let revocations = 0;
  let tokenUrl = '';

  /** Why the assertion is refused, or its verified header and claims. */
  function check(assertion: string | null): { error: string } | { header: Record<string, unknown>; claims: Record<string, unknown>; account: BearerAccount } {
    const parts = assertion?.split('.') ?? [];
    if (parts.length !== 3) return { error: 'assertion is not a compact JWS' };
    const [h, p, s] = parts as [string, string, string];
    const header = decodePart(h);
    const claims = decodePart(p);
    const account = opts.accounts.find((a) => a.issuer === claims.iss);
    if (!account) return { error: `unknown iss ${String(claims.iss)}` };
    const check = VERIFY[String(header.alg)];
    if (!check || !check(Buffer.from(`${h}.${p}`), account.publicKey, Buffer.from(s, 'base64url'))) return { error: 'bad signature' };
    if (account.kid && header.kid !== account.kid) return { error: 'unknown kid' };
    const subjects = [account.issuer, ...(account.subjects ?? [])];
    if (!subjects.includes(String(claims.sub))) return { error: `sub ${String(claims.sub)} not allowed` };
    if (claims.aud !== (opts.audience ?? tokenUrl)) return { error: `wrong aud ${String(claims.aud)}` };
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp <= now) return { error: 'expired' };
    if (typeof claims.iat !== 'number' || claims.exp - claims.iat > MAX_ASSERTION_LIFETIME_S) return { error: 'lifetime too long' };
    if (typeof claims.jti !== 'string' || seenJti.has(claims.jti)) return { error: 'jti missing or replayed' };
    seenJti.add(claims.jti);
    return { header, claims, account };
  }

  const server: Server = createServer(async (req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const form = await readForm(req);
    if (req.url === '/token') {
      const entry: BearerRequest = {
        at: Date.now(),
        grantType: form.get('grant_type'),
        header: null,
        claims: null,
        scopeParameter: form.get('scope'),
        clientAuthentication: [...['client_id', 'client_secret', 'client_assertion'].filter((f) => form.has(f)), ...(req.headers.authorization ? ['authorization'] : [])],
        answeredWith: 0,
      };
      log.push(entry);
      const assertion = form.get('assertion');
      if (assertion) {
        const [h, p] = assertion.split('.');
        try {
          entry.header = decodePart(h!);
          entry.claims = decodePart(p!);
        } catch {
          // reported by check()
        }
      }
      if (failures && failures.count > 0) {
        failures.count--;
        entry.answeredWith = failures.status;
        return answer(failures.status, { error: failures.status >= 500 ? 'temporarily_unavailable' : 'invalid_grant' });
      }
      if (entry.grantType !== JWT_BEARER) {
        entry.answeredWith = 400;
        return answer(400, { error: 'unsupported_grant_type' });
      }
      const verdict = check(assertion);
      if ('error' in verdict) {
        entry.answeredWith = 400;
        entry.error = verdict.error;
        return answer(400, { error: 'invalid_grant', error_description: verdict.error });
      }
      const token = randomBytes(24).toString('base64url');
      const scope = typeof verdict.claims.scope === 'string' ? verdict.claims.scope : (entry.scopeParameter ?? undefined);
      issued.set(token, { sub: String(verdict.claims.sub), scope, iss: verdict.account.issuer, active: true });
      entry.answeredWith = 200;
      return answer(200, { access_token: token, token_type: 'Bearer', expires_in: opts.expiresIn, ...(scope ? { scope } : {}) });
    }
    if (req.url === '/revoke') {
      const held = issued.get(form.get('token') ?? '');
      if (held) {
        held.active = false;
        revocations++;
      }
      return answer(200, {});
    }
    answer(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tokenUrl = `${url}/token`;

  return {
    url,
    tokenUrl,
    requests: () => [...log],
    introspect(token) {
      const held = issued.get(token);
      return held?.active ? { active: true, sub: held.sub, scope: held.scope, iss: held.iss } : { active: false };
    },
    revoked: () => revocations,
    failNext(status, count = 1) {
      failures = { status, count };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
