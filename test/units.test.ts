// Pure rules, tested directly: refresh timing, backoff, provider URL policy, error classification, config parsing, codec.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { lookup } from 'node:dns/promises';
import * as oauth from 'oauth4webapi';
import { classifyErrorResponse, classifyThrown, parseRetryAfter } from '../activities/providerErrors';
import { guardedFetch, ResponseTooLargeError } from '../lib/guardedFetch';
import { EncryptionCodec } from '../lib/codec';
import { ConfigError, loadApiConfig, loadWorkerConfig } from '../lib/config';
import { providerUrlProblem, resolvedUrlProblem } from '../lib/urlPolicy';
import { nextRefreshDelayMs, refreshDelayMs, refreshFloorWarning, retryDelayMs } from '../workflows/schedule';
import { codeLabel } from '../activities/instrument';
import { expandPreset, PRESETS } from '../lib/connectors';
import { replacedGrantKeptBecause, revokeReplacedGrantProblem, revokesReplacedGrant } from '../lib/replacedGrantRule';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attributionProblem, credentialChangeProblems } from '../workflows/credentialChange';
import { scrubSecrets } from '../lib/redact';
import { bindingFor, bindingOf, outsideBinding } from '../activities/secretBinding';
import { ROOT, TEMPORAL_UI_READ_ONLY } from '../scripts/stack';

const policy = { refreshBufferMs: 300_000, retryBaseMs: 2000, retryMaxMs: 120_000, degradedAfterAttempts: 4, degradedRetryMs: 300_000 };

describe('refresh timing', () => {
  test('the refresh floor: no refresh sooner than minRefreshIntervalMs after the last, and a warning says so', () => {
    const floored = { ...policy, minRefreshIntervalMs: 30_000 };
    expect(refreshDelayMs(1, floored)).toBe(30_000);
    expect(refreshDelayMs(40, floored)).toBe(30_000); // half-life 20 s, held to the floor
    expect(refreshDelayMs(3600, floored)).toBe(55 * 60_000); // untouched above the floor
    expect(nextRefreshDelayMs(3600, true, { ...floored, refreshTokenIdleMs: 2000 })).toBe(30_000);
    expect(refreshFloorWarning(1, false, floored)).toMatch(/at most one per 30 s/);
    expect(refreshFloorWarning(3600, true, { ...floored, refreshTokenIdleMs: 2000 })).toMatch(/idle-refresh/);
    expect(refreshFloorWarning(3600, true, { ...floored, refreshTokenIdleMs: 3600_000 })).toBeNull();
    expect(refreshFloorWarning(1, false, policy)).toBeNull(); // workflows started before the floor: no floor, no warning
  });

  test('metric labels come from a closed set: provider-invented error codes become other', () => {
    for (const code of ['invalid_grant', 'slow_down', 'unsupported_token_type', 'provider_http_503', 'provider_timeout']) expect(codeLabel(code)).toBe(code);
    for (const code of ['made_up_code', 'invalid_grant_x', 'provider_http_999', 'a'.repeat(40), 'tenant_acme_secret']) expect(codeLabel(code)).toBe('other');
  });

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
    ['https://[::7f00:1]/token', true, 'must not point to a private, link-local or metadata address'],
    ['https://[2002:a00:1::]/token', true, 'must not point to a private, link-local or metadata address'],
    ['https://168.63.129.16/token', true, 'must not point to a private, link-local or metadata address'],
    ['https://[2001:db8::1]/token', false, null], // documentation range, not Teredo: public by this rule
    ['https://[2606:4700::1111]/token', false, null],
    ['https://2130706433/token', false, 'must not point to a loopback address'], // decimal 127.0.0.1, normalised by URL
    ['https://user:pass@provider.example/token', false, 'must not contain credentials'],
    ['file:///etc/passwd', true, 'must use https or http'],
    ['javascript:alert(1)', false, 'must use https'],
    ['not a url', false, 'must be an absolute URL'],
  ])('%s (insecure allowed: %s)', (url, allowInsecure, problem) => {
    expect(providerUrlProblem(url, allowInsecure)).toBe(problem);
  });
});

// Whether this machine's own name resolves to loopback (it does on most hosts and containers, not everywhere).
const ownAddress = (await lookup(hostname()).catch(() => null))?.address ?? 'nothing';

describe('provider URL policy after DNS resolution', () => {
  test.each([
    ['https://localhost/token', false, 'has a host name that resolves to a loopback address'],
    ['http://localhost:4000/token', true, null],
    ['https://no-such-host.invalid/token', false, null],
    ['https://10.0.0.1/token', true, 'must not point to a private, link-local or metadata address'],
  ])('%s (insecure allowed: %s)', async (url, allowInsecure, problem) => {
    expect(await resolvedUrlProblem(url, allowInsecure)).toBe(problem);
  });

  (ownAddress.startsWith('127.') ? test : test.skip)(
    `https://<this machine's name>/token is refused as loopback${ownAddress.startsWith('127.') ? '' : ` (skipped: ${hostname()} resolves to ${ownAddress} here, not loopback)`}`,
    async () => {
      expect(await resolvedUrlProblem(`https://${hostname()}/token`, false)).toBe('has a host name that resolves to a loopback address');
    },
  );
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
    [400, '{"error":"vendor_specific"}', 'rejected', 'provider_error'], // codes are a closed union; the provider's text stays in providerError
  ])('HTTP %s %s → %s', (status, body, kind, code) => {
    expect(classifyErrorResponse(status, h(), body, [])).toMatchObject({ kind, code });
    if (code === 'provider_error') expect(classifyErrorResponse(status, h(), body, []).providerError).toBe('vendor_specific');
  });

  test('reads Retry-After and scrubs secrets the provider echoes', () => {
    const f = classifyErrorResponse(400, h({ 'retry-after': '3' }), '{"error":"invalid_request","error_description":"bad secret s3cr3t-value"}', ['s3cr3t-value']);
    expect(f.providerErrorDescription).toBe('bad secret [redacted]');
    expect(f.message).not.toContain('s3cr3t-value');
    expect(classifyErrorResponse(429, h({ 'retry-after': '3' }), '', []).retryAfterSeconds).toBe(3);
  });

  test('an answer oauth4webapi refuses is recognised by its class, not by an error that merely borrows the name', async () => {
    const as = { issuer: 'https://idp.example', token_endpoint: 'https://idp.example/token' };
    const answer = new Response('{"access_token":1,"token_type":"bearer"}', { status: 200, headers: { 'content-type': 'application/json' } });
    const thrown = await oauth.processClientCredentialsResponse(as, { client_id: 'c' }, answer).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(oauth.OperationProcessingError);
    expect(classifyThrown(thrown, [])).toMatchObject({ kind: 'transient', code: 'provider_invalid_response' });
    const impostor = Object.assign(new Error('no route'), { name: 'OperationProcessingError', code: 'OAUTH_X' });
    expect(classifyThrown(impostor, []).code).toBe('provider_unreachable');
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

  const refusal = async (codec: EncryptionCodec, p: typeof payload) => JSON.parse(Buffer.from((await codec.decode([p]))[0].data!).toString()).refused;

  test('encrypts with the newest key, decrypts with any known key', async () => {
    const [encoded] = await new EncryptionCodec([k1]).encode([payload]);
    expect(Buffer.from(encoded.data!).toString('latin1')).not.toContain('hunter2');
    expect(Buffer.from(encoded.metadata!['encryption-key-id']!).toString()).toBe('k1');
    const [decoded] = await new EncryptionCodec([k2, k1]).decode([encoded]);
    expect(Buffer.from(decoded.data!).toString()).toBe('{"clientSecret":"hunter2"}');
  });

  test('fails closed: plaintext, tampered ciphertext and unknown keys decode to a refusal, never to their content', async () => {
    const [encoded] = await new EncryptionCodec([k1]).encode([payload]);
    expect(await refusal(new EncryptionCodec([k1]), payload)).toBe('unencrypted');
    expect(await refusal(new EncryptionCodec([k2]), encoded as typeof payload)).toBe('unknown-key');
    const tampered = { ...encoded, data: Buffer.from(encoded.data!).fill(1, 20, 21) } as typeof payload;
    expect(await refusal(new EncryptionCodec([k1]), tampered)).toBe('undecryptable');
    const forged = { metadata: { encoding: Buffer.from('binary/encrypted'), 'encryption-key-id': Buffer.from('k1') }, data: Buffer.from('short') } as typeof payload;
    expect(await refusal(new EncryptionCodec([k1]), forged)).toBe('undecryptable');
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

describe('replaced grant revocation (lib/replacedGrantRule.ts)', () => {
  test('custom integrations opt in; presets revoke unless their revocation ends the whole authorization', () => {
    expect(revokesReplacedGrant({ preset: null })).toBe(false); // a record from before the setting
    expect(revokesReplacedGrant({ preset: null, revokeReplacedGrant: true })).toBe(true);
    expect(revokesReplacedGrant({ preset: 'salesforce' })).toBe(true);
    expect(revokesReplacedGrant({ preset: 'salesforce', revokeReplacedGrant: false })).toBe(false);
    for (const id of ['google', 'xero', 'quickbooks', 'zoho']) {
      expect(PRESETS.get(id)?.revocationEndsAuthorization).toBe(true);
      expect(revokesReplacedGrant({ preset: id, revokeReplacedGrant: true })).toBe(false);
      expect(revokeReplacedGrantProblem(id, true)).toMatch(/ends the whole authorization/);
      expect(revokeReplacedGrantProblem(id, false)).toBeNull();
    }
    expect(replacedGrantKeptBecause({ preset: null, revokeReplacedGrant: false })).toBe('revokeReplacedGrant is off for this integration');
    expect(revokeReplacedGrantProblem(null, true)).toBeNull();
  });
});

describe('credential changes (workflows/credentialChange.ts)', () => {
  const current = {
    id: 'int_x', label: 'x', grantType: 'refresh_token', tokenUrl: 'https://a.example/token', clientId: 'c', scope: null, apiBaseUrl: 'https://api.example',
    tenantId: null, revocationUrl: 'https://a.example/revoke', tokenAuthMethod: 'client_secret_basic', authorizationUrl: null, redirectUri: null,
    owner: 'o', preset: null, issuer: null, authorizationParams: {}, tokenRequestHeaders: [],
  } as const;
  const problems = (changes: Record<string, unknown>, secrets?: Record<string, string>) =>
    credentialChangeProblems({ ...current, tokenRequestHeaders: [], authorizationParams: {} }, { changes, secrets }).map((p) => p.path);

  test('each field that decides where or how the secret goes needs the secret again; others do not', () => {
    expect(problems({ tokenUrl: 'https://a.example/v2/token' })).toEqual(['tokenUrl']);
    expect(problems({ revocationUrl: 'https://b.example/revoke' })).toEqual(['revocationUrl']);
    expect(problems({ clientId: 'd' })).toEqual(['clientId']);
    expect(problems({ tokenAuthMethod: 'client_secret_post' })).toEqual(['tokenAuthMethod']);
    expect(problems({ label: 'y', scope: 'read', revocationUrl: null })).toEqual([]);
    expect(problems({ tokenUrl: current.tokenUrl, clientId: 'c' })).toEqual([]); // unchanged values change nothing
    expect(problems({ tokenUrl: 'https://a.example/v2/token' }, { clientSecret: 's' })).toEqual([]);
  });

  test('a token endpoint on another origin also needs the refresh token when one is held', () => {
    expect(problems({ tokenUrl: 'https://b.example/token' }, { clientSecret: 's' })).toEqual(['refreshToken']);
    expect(problems({ tokenUrl: 'https://b.example/token' }, { clientSecret: 's', refreshToken: 'r' })).toEqual([]);
  });

  test('a message must name its principal', () => {
    expect(attributionProblem({ actor: 'bootstrap-admin' })).toBeNull();
    for (const bad of [undefined, null, {}, { actor: '' }, { actor: 'unknown' }, { actor: 'a b' }, { refused: 'unencrypted', detail: 'x' }]) expect(attributionProblem(bad)).not.toBeNull();
  });
});

describe('docker-compose.yml', () => {
  const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');

  test('publishes every port on loopback only', () => {
    const published = [...compose.matchAll(/ports: \[([^\]]*)\]/g)].flatMap((m) => m[1].split(',').map((p) => p.trim().replace(/"/g, '')));
    expect(published.length).toBeGreaterThan(0);
    expect(published.filter((p) => !p.startsWith('127.0.0.1:'))).toEqual([]);
  });

  test('runs the Temporal UI with every write switch of scripts/stack.ts on', () => {
    for (const key of Object.keys(TEMPORAL_UI_READ_ONLY)) {
      const env = `TEMPORAL_${key.replace(/([A-Z])/g, '_$1').toUpperCase()}`;
      expect({ env, on: compose.includes(`${env}: "true"`) }).toEqual({ env, on: true });
    }
  });
});

describe('scrubbing echoed secrets (lib/redact.ts)', () => {
  const secret = 'S3cr+t/x=y&z %q';
  const basic = Buffer.from(`client-id:${new URLSearchParams({ s: secret }).toString().slice(2)}`).toString('base64');
  test.each([
    ['raw', secret],
    ['URL-encoded', encodeURIComponent(secret)],
    ['URL-encoded, lower-case hex', encodeURIComponent(secret).toLowerCase()],
    ['form-encoded', new URLSearchParams({ s: secret }).toString().slice(2)],
    ['base64', Buffer.from(secret).toString('base64')],
    ['base64url', Buffer.from(secret).toString('base64url')],
    ['base64 of a longer value (unaligned)', Buffer.from(`xy${secret}tail`).toString('base64')],
    ['a Basic header', `Basic ${basic}`],
  ])('removes the secret %s', (_what, form) => {
    const out = scrubSecrets(`provider says: [${form}] is wrong`, [secret]);
    expect(out).toContain('[redacted]');
    expect(out).not.toContain(form.replace(/^Basic /, ''));
    expect(out).toMatch(/^provider says: \[.*\] is wrong$/);
  });
  test('leaves text without secrets alone', () => {
    expect(scrubSecrets('invalid_client: client authentication failed (abcdefgh)', [secret])).toBe('invalid_client: client authentication failed (abcdefgh)');
  });
});

describe('secret bindings (activities/secretBinding.ts)', () => {
  const stored = { clientSecret: 's', accessToken: null, refreshToken: null, tokenType: null, expiresAt: null, scope: null, generation: 1 };
  test('a supplied secret is bound to the token and revocation origins it came with', () => {
    expect(bindingFor({ tokenUrl: 'https://a.example/token', revocationUrl: 'https://b.example/revoke' })).toEqual({ origins: ['https://a.example', 'https://b.example'] });
    expect(bindingFor({ tokenUrl: 'https://a.example/token', revocationUrl: 'https://a.example/revoke' })).toEqual({ origins: ['https://a.example'] });
  });
  test('a record written before bindings is bound to its token origin, or (never used) to the endpoint it is first validated with', () => {
    expect(bindingOf({ ...stored, tokenOrigin: 'https://a.example' }, { tokenUrl: 'https://evil.example/token' })).toEqual({ origins: ['https://a.example'] });
    expect(bindingOf({ ...stored, tokenOrigin: null }, { tokenUrl: 'https://a.example/token' })).toEqual({ origins: ['https://a.example'] });
    expect(bindingOf({ ...stored, tokenOrigin: 'https://a.example', binding: { origins: ['https://c.example'] } }, { tokenUrl: 'https://a.example/token' })).toEqual({ origins: ['https://c.example'] });
  });
  test('origins compare exactly: scheme, host and port', () => {
    const binding = { origins: ['https://a.example'] };
    expect(outsideBinding(binding, 'https://a.example/other/path', 'token')).toBeNull();
    for (const url of ['http://a.example/token', 'https://a.example:8443/token', 'https://a.example.evil/token', 'https://sub.a.example/token']) {
      expect(outsideBinding(binding, url, 'token')).toContain('nothing was sent');
    }
  });
});
