// Pure rules, tested directly: refresh timing, backoff, provider URL policy, error classification, config parsing, codec.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { lookup } from 'node:dns/promises';
import { classifyErrorResponse, classifyThrown, parseRetryAfter } from '../activities/providerErrors';
import { guardedFetch, ResponseTooLargeError } from '../lib/guardedFetch';
import { EncryptionCodec } from '../lib/codec';
import { ConfigError, loadApiConfig, loadWorkerConfig } from '../lib/config';
import { providerUrlProblem, resolvedUrlProblem } from '../lib/urlPolicy';
import { nextRefreshDelayMs, refreshDelayMs, retryDelayMs } from '../workflows/schedule';
import { expandPreset, PRESETS } from '../lib/connectors';

const policy = { refreshBufferMs: 300_000, retryBaseMs: 2000, retryMaxMs: 120_000, degradedAfterAttempts: 4, degradedRetryMs: 300_000 };

describe('refresh timing', () => {
  test('refreshes 5 minutes before expiry, at half-life for short tokens', () => {
    expect(refreshDelayMs(3600, policy)).toBe(55 * 60_000);
    expect(refreshDelayMs(600, policy)).toBe(300_000); // exactly twice the buffer
    expect(refreshDelayMs(300, policy)).toBe(150_000); // shorter: half-life
    expect(refreshDelayMs(1, policy)).toBe(1000); // never a hot loop
  });

  test('backs off exponentially with jitter, slows down once degraded, honours Retry-After', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect(retryDelayMs(1, policy, null, low)).toBe(1000);
    expect(retryDelayMs(1, policy, null, high)).toBe(1999);
    expect(retryDelayMs(3, policy, null, high)).toBe(7999);
    expect(retryDelayMs(4, policy, null, low)).toBe(150_000); // degraded pace
    expect(retryDelayMs(3, policy, 60, low)).toBe(60_000);
    expect(retryDelayMs(30, { ...policy, degradedAfterAttempts: 99 }, null, high)).toBeLessThanOrEqual(120_000);
  });

  test('Retry-After as seconds or HTTP date, bounded', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter(new Date(Date.now() + 30_000).toUTCString())).toBeGreaterThanOrEqual(29);
    expect(parseRetryAfter('999999')).toBe(3600);
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('provider URL policy', () => {
  test.each([
    ['https://login.salesforce.com/services/oauth2/token', false, null],
    ['http://provider.example/token', false, 'must use https'],
    ['http://provider.example/token', true, null],
    ['http://127.0.0.1:4000/token', true, null],
    ['https://127.0.0.1/token', false, 'must not point to a loopback address'],
    ['https://[::1]/token', false, 'must not point to a loopback address'],
    ['https://10.0.0.1/token', true, 'must not point to a private, link-local or metadata address'],
    ['https://169.254.169.254/latest', true, 'must not point to a private, link-local or metadata address'],
    ['https://[::ffff:10.1.2.3]/token', true, 'must not point to a private, link-local or metadata address'],
    ['https://[::ffff:127.0.0.1]/token', false, 'must not point to a loopback address'],
    ['https://[fd00::1]/token', true, 'must not point to a private, link-local or metadata address'],
    ['https://0.0.0.0/token', true, 'must not point to a private, link-local or metadata address'],
    ['https://2130706433/token', false, 'must not point to a loopback address'], // decimal 127.0.0.1, normalised by URL
    ['https://user:pass@provider.example/token', false, 'must not contain credentials'],
    ['file:///etc/passwd', true, 'must use https or http'],
    ['javascript:alert(1)', false, 'must use https'],
    ['not a url', false, 'must be an absolute URL'],
  ])('%s (insecure allowed: %s)', (url, allowInsecure, problem) => {
    expect(providerUrlProblem(url, allowInsecure)).toBe(problem);
  });
});

describe('provider URL policy after DNS resolution', () => {
  test.each([
    ['https://localhost/token', false, 'has a host name that resolves to a loopback address'],
    [`https://${hostname()}/token`, false, 'has a host name that resolves to a loopback address'],
    ['http://localhost:4000/token', true, null],
    ['https://no-such-host.invalid/token', false, null],
    ['https://10.0.0.1/token', true, 'must not point to a private, link-local or metadata address'],
  ])('%s (insecure allowed: %s)', async (url, allowInsecure, problem) => {
    if (url.includes(hostname()) && !(await lookup(hostname())).address.startsWith('127.')) return; // this machine's name is not loopback here
    expect(await resolvedUrlProblem(url, allowInsecure)).toBe(problem);
  });
});

describe('guarded fetch', () => {
  test('refuses to connect when the name resolves to a refused address, and says so', async () => {
    const server = createServer((_req, res) => res.end('{}')).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    try {
      await expect(guardedFetch(`http://localhost:${port}/`, {}, false)).rejects.toThrow();
      const err = await guardedFetch(`http://localhost:${port}/`, {}, false).catch((e) => e);
      expect(classifyThrown(err, []).code).toBe('provider_address_forbidden');
      expect((await guardedFetch(`http://localhost:${port}/`, {}, true)).status).toBe(200);
    } finally {
      server.close();
    }
  });

  test('refuses oversized bodies and never follows redirects', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/redirect') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
      res.write('x'.repeat(300 * 1024));
      res.end();
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await guardedFetch(`${base}/redirect`, {}, true)).status).toBe(302);
      const err = await guardedFetch(`${base}/big`, {}, true).catch((e) => e);
      expect(err).toBeInstanceOf(ResponseTooLargeError);
    } finally {
      server.close();
    }
  });
});

describe('provider error classification', () => {
  const h = (init: Record<string, string> = {}) => new Headers(init);
  test.each([
    [400, '{"error":"invalid_grant"}', 'consent_required', 'invalid_grant'],
    [401, '{"error":"invalid_client"}', 'client_rejected', 'invalid_client'],
    [400, '{"error":"unauthorized_client"}', 'client_rejected', 'unauthorized_client'],
    [401, '', 'client_rejected', 'invalid_client'],
    [400, '{"error":"invalid_scope"}', 'rejected', 'invalid_scope'],
    [503, '<html>maintenance</html>', 'transient', 'provider_http_503'],
    [429, '', 'transient', 'provider_http_429'],
    [400, '{"error":"temporarily_unavailable"}', 'transient', 'temporarily_unavailable'],
    [302, '', 'rejected', 'provider_redirect'],
  ])('HTTP %s %s → %s', (status, body, kind, code) => {
    expect(classifyErrorResponse(status, h(), body, [])).toMatchObject({ kind, code });
  });

  test('reads Retry-After and scrubs secrets the provider echoes', () => {
    const f = classifyErrorResponse(400, h({ 'retry-after': '3' }), '{"error":"invalid_request","error_description":"bad secret s3cr3t-value"}', ['s3cr3t-value']);
    expect(f.providerErrorDescription).toBe('bad secret [redacted]');
    expect(f.message).not.toContain('s3cr3t-value');
    expect(classifyErrorResponse(429, h({ 'retry-after': '3' }), '', []).retryAfterSeconds).toBe(3);
  });
});

describe('configuration', () => {
  const key = `k1:${randomBytes(32).toString('base64')}`;
  const storeKey = { STEWARD_TOKEN_STORE_KEYS: `t1:${randomBytes(32).toString('base64')}` };
  test('fails fast naming each bad variable', () => {
    expect(() => loadApiConfig({ STEWARD_CODEC_KEY: key, ...storeKey })).toThrow(/STEWARD_ADMIN_KEY/);
    expect(() => loadApiConfig({ STEWARD_CODEC_KEY: key, STEWARD_ADMIN_KEY: 'x'.repeat(32) })).toThrow(/STEWARD_TOKEN_STORE_KEYS/);
    expect(() => loadApiConfig({ STEWARD_CODEC_KEY: 'k1:short', STEWARD_ADMIN_KEY: 'x'.repeat(32), ...storeKey })).toThrow(/STEWARD_CODEC_KEY/);
    expect(() => loadApiConfig({ STEWARD_CODEC_KEY: key, STEWARD_ADMIN_KEY: 'x'.repeat(32), STEWARD_PORT: 'eighty', ...storeKey })).toThrow(/STEWARD_PORT/);
    expect(() => loadWorkerConfig({ STEWARD_CODEC_KEY: key, MONGODB_URI: 'postgres://x' })).toThrow(ConfigError);
  });

  test('defaults: port 3000, insecure providers off, 5-minute buffer', () => {
    const c = loadApiConfig({ STEWARD_CODEC_KEY: key, STEWARD_ADMIN_KEY: 'x'.repeat(32), ...storeKey });
    expect(c.port).toBe(3000);
    expect(c.allowInsecureProviders).toBe(false);
    expect(c.lifecycle.refreshBufferMs).toBe(300_000);
  });
});

describe('payload codec', () => {
  const k1 = { id: 'k1', key: randomBytes(32) };
  const k2 = { id: 'k2', key: randomBytes(32) };
  const payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"clientSecret":"hunter2"}') };

  test('encrypts with the newest key, decrypts with any known key, rejects tampering', async () => {
    const [encoded] = await new EncryptionCodec([k1]).encode([payload]);
    expect(Buffer.from(encoded.data!).toString('latin1')).not.toContain('hunter2');
    expect(Buffer.from(encoded.metadata!['encryption-key-id']!).toString()).toBe('k1');
    const [decoded] = await new EncryptionCodec([k2, k1]).decode([encoded]);
    expect(Buffer.from(decoded.data!).toString()).toBe('{"clientSecret":"hunter2"}');
    await expect(new EncryptionCodec([k2]).decode([encoded])).rejects.toThrow(/unknown key id "k1"/);
    const tampered = { ...encoded, data: Buffer.from(encoded.data!).fill(1, 20, 21) };
    await expect(new EncryptionCodec([k1]).decode([tampered])).rejects.toThrow();
  });
});

describe('connector presets', () => {
  test('every preset validates and expands its own examples into https URLs', () => {
    expect(PRESETS.size).toBeGreaterThanOrEqual(13);
    for (const preset of PRESETS.values()) {
      const examples = Object.fromEntries(Object.entries(preset.templates).map(([k, t]) => [k, t.example]));
      const expanded = expandPreset(preset, examples);
      if (!expanded.ok) throw new Error(`${preset.id}: ${JSON.stringify(expanded.problems)}`);
      for (const url of Object.values(expanded.urls).filter(Boolean)) {
        expect(providerUrlProblem(url!, false)).toBeNull();
        expect(url).not.toMatch(/[{}]|undefined/);
      }
    }
  });

  test.each([
    ['shopify', { shop: 'acme-store' }, 'https://acme-store.myshopify.com/admin/oauth/access_token'],
    ['salesforce', { host: 'acme--uat.sandbox.my.salesforce.com' }, 'https://acme--uat.sandbox.my.salesforce.com/services/oauth2/token'],
    ['salesforce', {}, 'https://login.salesforce.com/services/oauth2/token'],
    ['microsoft-entra', { tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47' }, 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token'],
    ['zoho', { dc: 'com.au' }, 'https://accounts.zoho.com.au/oauth/v2/token'],
    ['ebay', { environment: 'sandbox' }, 'https://api.sandbox.ebay.com/identity/v1/oauth2/token'],
  ])('%s expands %j', (id, values, tokenUrl) => {
    const expanded = expandPreset(PRESETS.get(id)!, values as Record<string, string>);
    expect(expanded.ok && expanded.urls.tokenUrl).toBe(tokenUrl);
  });

  test('region choices expand per part; values that would escape the host are refused', () => {
    const eu = expandPreset(PRESETS.get('amazon-sp-api')!, { region: 'eu' });
    expect(eu.ok && [eu.urls.authorizationUrl, eu.urls.apiBaseUrl]).toEqual(['https://sellercentral-europe.amazon.com/apps/authorize/consent', 'https://sellingpartnerapi-eu.amazon.com']);
    for (const [id, values] of [
      ['shopify', { shop: 'evil.com/x?' }],
      ['salesforce', { host: 'evil.example' }],
      ['microsoft-entra', { tenant: '../../common' }],
      ['amazon-sp-api', { region: 'xx' }],
      ['zoho', { dc: 'com@evil' }],
    ] as const) {
      expect(expandPreset(PRESETS.get(id)!, values as Record<string, string>).ok).toBe(false);
    }
    expect(expandPreset(PRESETS.get('hubspot')!, { shop: 'x' })).toEqual({ ok: false, problems: [{ name: 'shop', message: 'is not used by HubSpot' }] });
  });

  test('idle-expiring refresh tokens bring the next refresh forward', () => {
    const base = { refreshBufferMs: 300_000, refreshTokenIdleMs: null };
    expect(nextRefreshDelayMs(3600, true, base)).toBe(55 * 60_000);
    expect(nextRefreshDelayMs(3600, true, { ...base, refreshTokenIdleMs: 1800_000 })).toBe(25 * 60_000);
    expect(nextRefreshDelayMs(3600, false, { ...base, refreshTokenIdleMs: 1800_000 })).toBe(55 * 60_000); // nothing idle to keep alive
    expect(nextRefreshDelayMs(3600, true, { ...base, refreshTokenIdleMs: 8000 })).toBe(4000);
  });
});
