// The token proxy (issue #15 §4) and DPoP (§3): services reach the provider's API through Steward, which attaches the
// token (Bearer, or DPoP with a fresh proof) and never lets it leave the API base URL's origin. The target rule is unit
// tested; the rest runs against the real stack, the demo provider and a small upstream API stub.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { forwardedRequestHeaders, proxyTarget, retryAfterMs, returnedResponseHeaders } from '../api/proxy';
import { apiClient, bootStack, clientCredentialsBody, eventually, introspect, storeInspector, type Stack } from './support/harness';
import { dpopProblem, echo, startUpstreamStub, type UpstreamStub } from './support/upstreamStub';

describe('proxyTarget', () => {
  const base = 'https://api.example.com/v2';
  const refused = (path: string, query = '') => expect(proxyTarget(base, path, query)).toMatchObject({ ok: false });

  test('joins the API base URL, its path prefix and the raw path and query', () => {
    expect(proxyTarget(base, '/users/42', 'expand=a,b&x=%20y')).toEqual({ ok: true, url: 'https://api.example.com/v2/users/42?expand=a,b&x=%20y' });
    expect(proxyTarget('https://api.example.com', '/users', '')).toEqual({ ok: true, url: 'https://api.example.com/users' });
    expect(proxyTarget('https://api.example.com/v2/', '/users', '')).toEqual({ ok: true, url: 'https://api.example.com/v2/users' });
    expect(proxyTarget(base, '', '')).toEqual({ ok: true, url: 'https://api.example.com/v2' });
    expect(proxyTarget(base, '/', '')).toEqual({ ok: true, url: 'https://api.example.com/v2/' });
    expect(proxyTarget(base, '/sheets/abc:batchGet', '')).toEqual({ ok: true, url: 'https://api.example.com/v2/sheets/abc:batchGet' });
    expect(proxyTarget(base, '/files/a%20b', '')).toEqual({ ok: true, url: 'https://api.example.com/v2/files/a%20b' });
  });

  test('refuses dot segments, raw and percent-encoded', () => {
    for (const path of ['/..', '/../admin', '/a/../../x', '/./x', '/%2e%2e/x', '/%2E%2E', '/.%2e/x', '/%2e/x', '/a/..']) refused(path);
  });

  test('refuses encoded slashes and backslashes, raw backslashes and encoded percent signs', () => {
    for (const path of ['/a%2fb', '/a%2Fb', '/%2f%2fevil.com', '/a%5cb', '/a%5Cb', '/a\\b', '/\\\\evil.com', '/a%252fb']) refused(path);
  });

  test('refuses absolute and protocol-relative URLs', () => {
    for (const path of ['//evil.com/x', 'http://evil.com/x', 'https://evil.com', '/https://evil.com', 'evil.com', '///evil.com']) refused(path);
  });

  test('refuses @ in any form', () => {
    for (const path of ['/@evil.com', '/a@b', '/%40evil.com', '/user%40host']) refused(path);
  });

  test('refuses malformed escapes, control characters, spaces and fragments', () => {
    for (const path of ['/a%', '/a%zz', '/a%2', '/a%00b', '/a%0d%0aHost:x', '/a b', '/a\tb', '/a#frag', '/a\u0000']) refused(path);
    refused('/ok', 'a=1#frag');
    refused('/ok', 'a=%zz');
    refused('/ok', 'a=\r\n');
  });

  test('whatever random paths come in, an accepted target stays on the origin and under the prefix', () => {
    const alphabet = ['a', 'b', '.', '..', '%2e', '%2f', '/', '//', '@', '\\', '%5c', ':', '%', '%41', '?', '#', 'http:', '~', ' '];
    for (let i = 0; i < 5000; i++) {
      let path = '/';
      for (let n = 0; n < 1 + (i % 7); n++) path += alphabet[(i * 31 + n * 17 + n * n * 7) % alphabet.length]! + alphabet[(i * 13 + n * 5) % alphabet.length]!;
      const result = proxyTarget(base, path, '');
      if (result.ok) {
        const url = new URL(result.url);
        expect(url.origin).toBe('https://api.example.com');
        expect(url.pathname.startsWith('/v2/') || url.pathname === '/v2').toBe(true);
        expect(url.pathname.split('/')).not.toContain('..');
      }
    }
  });

  test('a base URL that is not a URL gives no target', () => {
    expect(proxyTarget('', '/x', '')).toMatchObject({ ok: false });
  });
});

describe('proxy header rules', () => {
  test('the caller’s credentials, cookies, hop-by-hop headers and those Connection names are not forwarded', () => {
    const out = forwardedRequestHeaders({
      authorization: 'Bearer stw_secret',
      cookie: 'session=1',
      connection: 'keep-alive, x-private-hop',
      'keep-alive': 'timeout=5',
      'x-private-hop': '1',
      'proxy-authorization': 'Basic x',
      'transfer-encoding': 'chunked',
      te: 'trailers',
      upgrade: 'websocket',
      host: 'steward.local',
      dpop: 'proof',
      'content-type': 'text/plain',
      accept: 'application/json',
      'x-request-id': 'r1',
    });
    expect(out).toEqual({ 'content-type': 'text/plain', accept: 'application/json', 'x-request-id': 'r1' });
  });

  test('Set-Cookie and hop-by-hop headers do not come back', () => {
    const headers = new Headers([
      ['set-cookie', 'a=1'],
      ['connection', 'close, x-hop'],
      ['x-hop', '1'],
      ['keep-alive', 'timeout=5'],
      ['content-type', 'application/json'],
      ['etag', '"v1"'],
    ]);
    expect(returnedResponseHeaders(headers)).toEqual([
      ['content-type', 'application/json'],
      ['etag', '"v1"'],
    ]);
  });

  test('Retry-After in seconds or as a date, bounded to an hour; nonsense is none', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('99999999', now)).toBe(3600_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});

describe('the proxy against the real stack', () => {
  let stack: Stack;
  let api: ReturnType<typeof apiClient>;
  let upstream: UpstreamStub;
  let elsewhere: UpstreamStub;
  let store: Awaited<ReturnType<typeof storeInspector>>;
  let id: string;
  const seenTokens = new Set<string>();
  const MAX_REQUEST = 256 * 1024;
  const MAX_RESPONSE = 1024 * 1024;

  beforeAll(async () => {
    stack = await bootStack('proxy', {
      env: {
        STEWARD_TOKEN_REJECTED_WINDOW_SECONDS: '0',
        STEWARD_PROXY_MAX_REQUEST_BYTES: String(MAX_REQUEST),
        STEWARD_PROXY_MAX_RESPONSE_BYTES: String(MAX_RESPONSE),
        STEWARD_PROXY_TIMEOUT_MS: '5000',
        STEWARD_STATE_CACHE_MS: '200',
      },
    });
    api = apiClient(stack);
    store = await storeInspector(stack);
    upstream = await startUpstreamStub();
    elsewhere = await startUpstreamStub();
    const created = await api.post('/v1/integrations', clientCredentialsBody(stack, { apiBaseUrl: `${upstream.url}/api/v2` }));
    expect(created.status).toBe(201);
    id = created.body.id;
  }, 180_000);

  afterAll(async () => {
    await upstream?.close();
    await elsewhere?.close();
    await store?.close();
    await stack?.stop();
  });

  /** A raw request (fetch would normalise dot segments and encoded characters before they reach Steward). */
  function raw(method: string, path: string, opts: { headers?: Record<string, string>; body?: Buffer | string; key?: string | null } = {}) {
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; complete: boolean }>((resolve, reject) => {
      const url = new URL(stack.apiUrl);
      const key = opts.key === undefined ? stack.adminKey : opts.key;
      const req = http.request({ host: url.hostname, port: url.port, method, path, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...opts.headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), complete: res.complete }));
        res.on('error', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), complete: false }));
        res.on('aborted', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), complete: false }));
      });
      req.on('error', reject);
      req.end(opts.body);
    });
  }
  const proxied = (path: string) => `/v1/integrations/${id}/proxy${path}`;
  const bearerOf = (r: { headers: http.IncomingHttpHeaders }) => /^Bearer (.+)$/.exec(String(r.headers.authorization ?? ''))?.[1];
  const json = (b: Buffer) => JSON.parse(b.toString('utf8'));

  test('GET: the upstream gets the current token as Bearer, the exact path and query, and none of the caller’s credentials, cookies or hop-by-hop headers', async () => {
    const before = upstream.requests().length;
    upstream.on('/api/v2/echo', (_req, res, seen) => {
      res.setHeader('set-cookie', ['tracking=1; Path=/', 'session=abc']);
      res.setHeader('connection', 'x-upstream-hop');
      res.setHeader('x-upstream-hop', 'secret');
      res.setHeader('x-upstream', 'yes');
      res.setHeader('etag', '"v7"');
      echo(res, seen);
    });
    const res = await raw('GET', proxied('/echo/items?filter=a%20b&page=2'), {
      headers: { cookie: 'steward_session=1', connection: 'x-caller-hop', 'x-caller-hop': '1', 'proxy-authorization': 'Basic eA==', 'x-request-id': 'req-1', accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    const seen = upstream.requests().slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('/api/v2/echo/items?filter=a%20b&page=2');
    const token = bearerOf(seen[0]!)!;
    seenTokens.add(token);
    expect(token).not.toContain(stack.adminKey);
    expect((await api.get(`/v1/integrations/${id}/token`)).body.access_token).toBe(token);
    expect((await introspect(stack, token)).active).toBe(true);
    expect(seen[0]!.headers).toMatchObject({ 'x-request-id': 'req-1', accept: 'application/json' });
    for (const name of ['cookie', 'x-caller-hop', 'proxy-authorization', 'dpop']) expect(seen[0]!.headers[name]).toBeUndefined();
    expect(JSON.stringify(seen[0]!.headers)).not.toContain(stack.adminKey);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['x-upstream-hop']).toBeUndefined();
    expect(res.headers).toMatchObject({ 'x-upstream': 'yes', etag: '"v7"' });
  });

  test('POST: a chunked body streams through (the upstream has its first chunk before the caller has sent the rest) and arrives whole', async () => {
    const before = upstream.requests().length;
    const url = new URL(stack.apiUrl);
    const first = randomBytes(32 * 1024);
    const second = randomBytes(64 * 1024);
    const arrived = upstream.firstChunkArrived();
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, method: 'POST', path: proxied('/upload'), headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      req.write(first);
      // The rest only once the upstream has the first part: a proxy that buffered the body would never get there.
      arrived.then(() => req.end(second), reject);
    });
    const res = await answer;
    expect(res.status).toBe(200);
    const seen = upstream.requests().slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.bodyBytes).toBe(first.length + second.length);
    expect(seen[0]!.bodySha256).toBe(createHash('sha256').update(Buffer.concat([first, second])).digest('hex'));
  });

  test('the answer streams back: the caller reads the first part while the upstream is still writing', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    upstream.on('/api/v2/drip', async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part;');
      await released;
      res.end('second part');
    });
    const url = new URL(stack.apiUrl);
    const text = await new Promise<string>((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path: proxied('/drip'), headers: { authorization: `Bearer ${stack.adminKey}` } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
          if (body === 'first part;') release();
        });
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end();
    });
    expect(text).toBe('first part;second part');
  });

  test('bodies of any type pass (not only JSON), with the upstream’s status and content type', async () => {
    upstream.on('/api/v2/created', (_req, res, seen) => void res.writeHead(201, { 'content-type': 'text/csv', location: '/api/v2/created/1' }).end(`got ${seen.bodyBytes}`));
    const res = await raw('PUT', proxied('/created'), { headers: { 'content-type': 'text/csv' }, body: 'a,b\n1,2\n' });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('text/csv');
    expect(res.headers.location).toBe('/api/v2/created/1');
    expect(res.body.toString()).toBe('got 8');
  });

  test('a request body over the limit is a 413 in the API’s error shape, declared or streamed, and the declared one never leaves', async () => {
    const before = upstream.requests().length;
    const declared = await raw('POST', proxied('/upload'), { headers: { 'content-type': 'application/octet-stream' }, body: randomBytes(MAX_REQUEST + 1) });
    expect(declared.status).toBe(413);
    expect(json(declared.body)).toMatchObject({ error: 'payload_too_large' });
    expect(upstream.requests().length).toBe(before);
    const streamed = await raw('POST', proxied('/upload'), { headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' }, body: randomBytes(MAX_REQUEST + 1024) });
    expect(streamed.status).toBe(413);
    expect(json(streamed.body)).toMatchObject({ error: 'payload_too_large' });
    expect(upstream.requests().slice(before).every((r) => r.bodyBytes <= MAX_REQUEST)).toBe(true);
  });

  test('an answer larger than the limit: a declared one is a 502 in the API’s error shape, a streamed one is cut off short', async () => {
    upstream.on('/api/v2/huge', (req, res) => {
      const chunked = req.url!.includes('chunked');
      res.writeHead(200, chunked ? { 'content-type': 'application/octet-stream' } : { 'content-type': 'application/octet-stream', 'content-length': String(MAX_RESPONSE * 2) });
      const chunk = Buffer.alloc(64 * 1024, 7);
      let sent = 0;
      const pump = () => {
        while (sent < MAX_RESPONSE * 2) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    });
    const declared = await raw('GET', proxied('/huge'));
    expect(declared.status).toBe(502);
    expect(json(declared.body)).toMatchObject({ error: 'provider_invalid_response' });
    const streamed = await raw('GET', proxied('/huge?chunked=1'));
    expect(streamed.complete).toBe(false);
    expect(streamed.body.length).toBeLessThanOrEqual(MAX_RESPONSE);
  });

  test('an upstream 401 refreshes the token once (the /token/rejected path) and retries once with the new token', async () => {
    const current = (await api.get(`/v1/integrations/${id}/token`)).body.access_token as string;
    upstream.on('/api/v2/guarded', (req, res, seen) => {
      if (bearerOf({ headers: req.headers }) === current) return void res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
      echo(res, seen);
    });
    const before = upstream.requests().length;
    const res = await raw('POST', proxied('/guarded'), { headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
    expect(res.status).toBe(200);
    const seen = upstream.requests().slice(before);
    expect(seen).toHaveLength(2);
    expect(bearerOf(seen[0]!)).toBe(current);
    const renewed = bearerOf(seen[1]!)!;
    expect(renewed).not.toBe(current);
    expect(seen[1]!.bodySha256).toBe(seen[0]!.bodySha256);
    expect((await api.get(`/v1/integrations/${id}/token`)).body.access_token).toBe(renewed);
    seenTokens.add(current).add(renewed);
  });

  test('a burst of requests refused with 401 together costs one refresh: every retry carries the same new token', async () => {
    const current = (await api.get(`/v1/integrations/${id}/token`)).body.access_token as string;
    upstream.on('/api/v2/burst', (req, res, seen) => {
      if (bearerOf({ headers: req.headers }) === current) return void res.writeHead(401).end();
      echo(res, seen);
    });
    const before = upstream.requests().length;
    const answers = await Promise.all(Array.from({ length: 6 }, (_, n) => raw('GET', proxied(`/burst/${n}`))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const retried = upstream.requests().slice(before).filter((r) => bearerOf(r) !== current);
    expect(retried).toHaveLength(6);
    expect(new Set(retried.map((r) => bearerOf(r))).size).toBe(1);
    seenTokens.add(current).add(bearerOf(retried[0]!)!);
  });

  test('an upstream that does not answer within STEWARD_PROXY_TIMEOUT_MS is a 504 in the API’s error shape', async () => {
    upstream.on('/api/v2/slow', async (_req, res) => {
      await new Promise((r) => setTimeout(r, 6000));
      if (!res.destroyed) res.writeHead(200).end('late');
    });
    const started = Date.now();
    const res = await raw('GET', proxied('/slow'));
    expect(res.status).toBe(504);
    expect(json(res.body)).toMatchObject({ error: 'provider_timeout' });
    expect(Date.now() - started).toBeLessThan(5900);
  }, 15_000);

  test('HEAD answers the upstream’s status and headers without a body', async () => {
    upstream.on('/api/v2/head', (_req, res) => void res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '12345', etag: '"h1"' }).end());
    const res = await raw('HEAD', proxied('/head'));
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ 'content-type': 'application/pdf', 'content-length': '12345', etag: '"h1"' });
    expect(res.body.length).toBe(0);
  });

  test('an upstream that keeps answering 401 gets exactly one retry, and the caller its 401', async () => {
    upstream.on('/api/v2/always401', (_req, res) => void res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end('{"error":"nope"}'));
    const before = upstream.requests().length;
    const res = await raw('GET', proxied('/always401'));
    expect(res.status).toBe(401);
    expect(res.body.toString()).toBe('{"error":"nope"}');
    expect(upstream.requests().length - before).toBe(2);
  });

  test('a streamed (chunked) body is not retried after a 401: it cannot be sent twice', async () => {
    const before = upstream.requests().length;
    const res = await raw('POST', proxied('/always401'), { headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' }, body: randomBytes(1000) });
    expect(res.status).toBe(401);
    expect(upstream.requests().length - before).toBe(1);
  });

  test('a 429 passes through with Retry-After, then the integration is held locally until it passes: no storm upstream', async () => {
    let limited = true;
    upstream.on('/api/v2/limited', (_req, res, seen) => {
      if (limited) return void res.writeHead(429, { 'retry-after': '2', 'content-type': 'application/json' }).end('{"error":"slow down"}');
      echo(res, seen);
    });
    const before = upstream.requests().length;
    const first = await raw('GET', proxied('/limited'));
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('2');
    expect(first.body.toString()).toBe('{"error":"slow down"}');
    for (let i = 0; i < 5; i++) {
      const held = await raw('GET', proxied('/limited'));
      expect(held.status).toBe(429);
      expect(Number(held.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(json(held.body)).toMatchObject({ error: 'rate_limited' });
    }
    expect(upstream.requests().length - before).toBe(1);
    limited = false;
    await new Promise((r) => setTimeout(r, 2100));
    expect((await raw('GET', proxied('/limited'))).status).toBe(200);
    expect(upstream.requests().length - before).toBe(2);
  });

  test('escape attempts (.., encoded dots and slashes, backslashes, absolute URLs, @) are refused before anything is sent', async () => {
    const before = upstream.requests().length;
    const attempts = [
      '/../../token',
      '/a/../../../v1/keys',
      '/%2e%2e/%2e%2e/admin',
      '/.%2E/x',
      '/a%2f..%2f..%2fadmin',
      '/a%5c..%5cadmin',
      `//${new URL(elsewhere.url).host}/steal`,
      `/http://${new URL(elsewhere.url).host}/steal`,
      `/@${new URL(elsewhere.url).host}/steal`,
      `/x%40${new URL(elsewhere.url).host}`,
    ];
    for (const path of attempts) {
      const res = await raw('GET', proxied(path));
      expect([res.status, path]).toEqual([400, path]);
      expect(json(res.body)).toMatchObject({ error: 'invalid_request' });
    }
    expect(upstream.requests().length).toBe(before);
    expect(elsewhere.requests()).toHaveLength(0);
  });

  test('redirects are not followed: the 3xx goes back to the caller and the token never reaches the other origin', async () => {
    upstream.on('/api/v2/moved', (_req, res) => void res.writeHead(302, { location: `${elsewhere.url}/collect` }).end());
    const res = await raw('GET', proxied('/moved'));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${elsewhere.url}/collect`);
    expect(elsewhere.requests()).toHaveLength(0);
  });

  test('token rights are required as for the token endpoint; another tenant’s integration is a 404', async () => {
    const key = async (body: Record<string, unknown>) => (await api.post('/v1/keys', body)).body.key as string;
    const finance = await key({ name: 'Finance', role: 'finance' });
    const service = await key({ name: 'Billing', role: 'service', integrations: [id] });
    const stranger = await key({ name: 'Other', role: 'service', tenants: ['globex'] });
    const before = upstream.requests().length;
    expect((await raw('GET', proxied('/echo'), { key: null })).status).toBe(401);
    expect((await raw('GET', proxied('/echo'), { key: finance })).status).toBe(403);
    expect((await raw('GET', proxied('/echo'), { key: stranger })).status).toBe(404);
    expect(upstream.requests().length).toBe(before);
    const ok = await raw('GET', proxied('/echo'), { key: service });
    expect(ok.status).toBe(200);
    expect(upstream.requests().length).toBe(before + 1);
  });

  test('proxied requests are counted like token reads in the audit trail, and measured by outcome without ids', async () => {
    await raw('GET', proxied('/echo/audit'));
    const reads = await eventually(async () => {
      const items = (await api.get(`/v1/audit/token-reads?integrationId=${id}`)).body.items as { principalId: string; count: number }[];
      return items.some((r) => r.principalId === 'bootstrap-admin' && r.count >= 3) ? items : null;
    }, 'proxied requests counted as token reads');
    expect(reads.length).toBeGreaterThan(0);
    const metrics = await (await fetch(`${stack.apiUrl}/metrics`)).text();
    expect(metrics).toMatch(/steward_proxy_request_duration_seconds_count\{outcome="upstream_2xx"\} \d+/);
    expect(metrics).toMatch(/steward_proxy_request_duration_seconds_count\{outcome="refused_path"\} \d+/);
    expect(metrics).toMatch(/steward_proxy_request_duration_seconds_count\{outcome="held"\} \d+/);
    expect(metrics).toMatch(/steward_proxy_upstream_401_total\{result="retried"\} \d+/);
    expect(metrics.split('\n').filter((l) => l.startsWith('steward_proxy')).join('\n')).not.toMatch(/int_[0-9a-f]/);
  });

  describe('DPoP (RFC 9449) against the demo provider, which demands proofs with nonces from a dedicated client', () => {
    const dpopClient = { clientId: `dpop-${randomBytes(3).toString('hex')}`, clientSecret: randomBytes(24).toString('base64url'), dpop: true };
    let dpopId: string;

    beforeAll(async () => {
      await stack.provider.addClient(dpopClient);
    });

    test('"dpop": true at create: the token is DPoP-bound to a key Steward generated (the provider asked for a nonce first)', async () => {
      const created = await api.post('/v1/integrations', clientCredentialsBody(stack, { clientId: dpopClient.clientId, clientSecret: dpopClient.clientSecret, dpop: true, apiBaseUrl: `${upstream.url}/dpop-api` }));
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'active', dpop: true });
      dpopId = created.body.id;
      const token = await api.get(`/v1/integrations/${dpopId}/token`);
      expect(token.body.token_type.toLowerCase()).toBe('dpop');
      const info = await introspect(stack, token.body.access_token);
      expect(info).toMatchObject({ active: true, token_type: 'DPoP' });
      expect((info.cnf as { jkt?: string }).jkt).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // Without a proof the same client is refused: the provider really demands DPoP from it.
      const bare = await fetch(stack.provider.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${dpopClient.clientId}:${dpopClient.clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read' }),
      });
      expect(bare.status).toBe(400);
    });

    test('a refresh obtains a new token bound to the same key (the key is kept with the secret material)', async () => {
      const before = await api.get(`/v1/integrations/${dpopId}/token`);
      const jkt = ((await introspect(stack, before.body.access_token)).cnf as { jkt: string }).jkt;
      expect((await api.post(`/v1/integrations/${dpopId}/refresh`, {})).status).toBe(200);
      const after = await api.get(`/v1/integrations/${dpopId}/token`);
      expect(after.body.access_token).not.toBe(before.body.access_token);
      expect(((await introspect(stack, after.body.access_token)).cnf as { jkt: string }).jkt).toBe(jkt);
    });

    test('the proxy sends Authorization: DPoP with a fresh proof per request, answers the API’s nonce demand once, and reuses the nonce', async () => {
      const nonce = `n-${randomBytes(6).toString('hex')}`;
      const problems: string[] = [];
      upstream.on('/dpop-api', async (req, res, seen) => {
        const token = /^DPoP (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const info = token ? await introspect(stack, token) : { active: false };
        const problem = info.active ? dpopProblem(req, upstream.url, (info.cnf as { jkt?: string })?.jkt, nonce) : { error: 'inactive token' };
        if (problem?.nonce) return void res.writeHead(401, { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': nonce }).end();
        if (problem) {
          problems.push(problem.error);
          return void res.writeHead(401, { 'www-authenticate': `DPoP error="invalid_dpop_proof"` }).end(problem.error);
        }
        echo(res, seen);
      });
      const before = upstream.requests().length;
      const first = await raw('POST', `/v1/integrations/${dpopId}/proxy/orders?x=1`, { headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
      expect([first.status, problems]).toEqual([200, []]);
      expect(upstream.requests().length - before).toBe(2); // the nonce demand, then the request with it
      const second = await raw('GET', `/v1/integrations/${dpopId}/proxy/orders/1`);
      expect([second.status, problems]).toEqual([200, []]);
      const seen = upstream.requests().slice(before);
      expect(seen).toHaveLength(3); // the nonce was remembered
      const proofs = seen.map((r) => r.headers.dpop);
      expect(new Set(proofs).size).toBe(3);
    });

    test('a resource server that demands a new nonce every time (a nonce loop) gets one retry, no refresh, and the caller its 401', async () => {
      let n = 0;
      upstream.on('/dpop-loop', (_req, res) => void res.writeHead(401, { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': `loop-${n++}` }).end());
      const token = (await api.get(`/v1/integrations/${dpopId}/token`)).body.access_token as string;
      const created = await api.patch(`/v1/integrations/${dpopId}`, { apiBaseUrl: `${upstream.url}/dpop-loop` });
      expect(created.status).toBe(200);
      const before = upstream.requests().length;
      const res = await raw('GET', `/v1/integrations/${dpopId}/proxy/x`);
      expect(res.status).toBe(401);
      expect(upstream.requests().length - before).toBe(2);
      expect((await api.get(`/v1/integrations/${dpopId}/token`)).body.access_token).toBe(token);
    });

    test('the DPoP private key appears nowhere but the vault: not in MongoDB, API answers or logs', async () => {
      const { tokenStore, close } = await (await import('./support/harness')).openTokenStore(stack);
      try {
        const latest = await tokenStore.latest(dpopId);
        const d = latest!.value.dpopKey!.d!;
        expect(d).toMatch(/^[A-Za-z0-9_-]{43}$/);
        const dump = await store.dumpAll();
        const listed = JSON.stringify((await api.get(`/v1/integrations/${dpopId}`)).body) + JSON.stringify((await api.get(`/v1/integrations/${dpopId}/token`)).body);
        const logDir = join(stack.worker!.logFile, '..');
        const logs = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8')).join('\n');
        for (const text of [dump, listed, logs]) expect(text).not.toContain(d);
      } finally {
        await close();
      }
    });
  });

  test('the tokens the proxy attached appear in no log and no MongoDB document in plaintext', async () => {
    expect(seenTokens.size).toBeGreaterThanOrEqual(2);
    const dump = await store.dumpAll();
    const logDir = join(stack.worker!.logFile, '..');
    const logs = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8')).join('\n');
    for (const token of seenTokens) {
      expect(dump).not.toContain(token);
      expect(logs).not.toContain(token);
    }
  });
});
