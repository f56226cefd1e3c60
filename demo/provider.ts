/**
 * Demo / test authorization server: panva's `oidc-provider` (v9) on loopback.
 *
 * Used by the dev stack (`npm run provider`) and by the test suite
 * (`startDemoProvider({ port: 0, ... })`).
 *
 * Design notes:
 * - All clients live in the adapter's `Client` model (NOT the static `clients`
 *   config, which oidc-provider caches forever), so they can be added, removed
 *   and have their secret changed at runtime. oidc-provider looks dynamic
 *   clients up in the adapter on every request (its in-process cache is keyed by
 *   a hash of the stored metadata), so removal yields a real `invalid_client`.
 * - A small per-instance in-memory adapter (no module-global state, so several
 *   providers can run in one process / jest worker).
 * - Signing key: one EC P-256 key generated per process (sub-millisecond; RSA
 *   generation takes ~250 ms) and clients default to ES256 ID tokens.
 * - Nothing here logs tokens. oidc-provider's own "you SHOULD change this"
 *   notices go to stdout via console.info, so every default that would emit one
 *   at runtime is overridden, keeping the CLI's stdout to the ready line.
 */
import { randomBytes, generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

import Provider, { errors } from 'oidc-provider';
import type { Adapter, AdapterPayload, Configuration, KoaContextWithOIDC } from 'oidc-provider';

export interface DemoClient {
  clientId: string;
  /** Required unless the client authenticates with private_key_jwt. */
  clientSecret?: string;
  redirectUris?: string[];
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  /** private_key_jwt: the client's public keys (JWKs). */
  jwks?: { keys: Record<string, unknown>[] };
  /** RFC 9449: every token request must carry a DPoP proof (with a server nonce); access tokens are bound to its key. */
  dpop?: boolean;
}

export interface DemoProviderOptions {
  port: number; // 0 => pick a free port
  clients: DemoClient[];
  accessTokenTtlSeconds?: number; // default 3600
  refreshTokenTtlSeconds?: number; // default 14 days
  rotateRefreshTokens?: boolean; // default true
  enableTestControls?: boolean; // mounts /__control routes; default false
  /** Require PKCE (S256) on every authorization request. Default true. */
  requirePkce?: boolean;
  /**
   * Enforce each client's registered tokenEndpointAuthMethod (basic vs post) at the
   * token, revocation and introspection endpoints. oidc-provider itself accepts either
   * for both. Default true.
   */
  strictClientAuthMethod?: boolean;
  /** Address to listen on. Default 127.0.0.1; a container sets 0.0.0.0. */
  host?: string;
  /** Issuer URL as clients reach it (default http://127.0.0.1:<port>), e.g. http://provider:4000 in docker compose. */
  publicUrl?: string;
}

export interface MintedRefreshToken {
  refresh_token: string;
  scope: string;
}

export interface DemoProvider {
  issuer: string;
  url: string;
  tokenUrl: string;
  authorizationUrl: string;
  revocationUrl: string;
  introspectionUrl: string;
  close(): Promise<void>;
  // In-process equivalents of the /__control routes (always available, even
  // when enableTestControls is false).
  mintRefreshToken(clientId: string, scope?: string): Promise<MintedRefreshToken>;
  addClient(client: DemoClient): Promise<void>;
  removeClient(clientId: string): Promise<boolean>;
  setClientSecret(clientId: string, clientSecret: string): Promise<boolean>;
}

export const DEFAULT_REDIRECT_URI = 'http://127.0.0.1:3000/v1/oauth/callback';
export const DEMO_ACCOUNT_ID = 'demo-user';
const SUPPORTED_SCOPES = ['openid', 'offline_access', 'profile', 'email', 'read', 'write', 'api_access'];

const ROUTES = {
  authorization: '/auth',
  token: '/token',
  revocation: '/token/revocation',
  introspection: '/token/introspection',
  jwks: '/jwks',
  userinfo: '/me',
  end_session: '/session/end',
} as const;

// ---------------------------------------------------------------------------
// In-memory adapter (per provider instance)
// ---------------------------------------------------------------------------

const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

interface Entry {
  payload: AdapterPayload;
  expiresAt: number; // ms epoch, Infinity = never
}

class MemoryStore {
  readonly entries = new Map<string, Entry>();
  readonly grants = new Map<string, Set<string>>();
  readonly uids = new Map<string, string>();
  readonly userCodes = new Map<string, string>();
  private writes = 0;

  get(key: string): AdapterPayload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, payload: AdapterPayload, expiresInSeconds?: number): void {
    // Keep entries a little past their expiry; oidc-provider enforces `exp` itself
    // (and reports "expired" rather than "not found").
    const expiresAt = typeof expiresInSeconds === 'number' ? Date.now() + (expiresInSeconds + 60) * 1000 : Infinity;
    this.entries.set(key, { payload, expiresAt });
    if (++this.writes % 500 === 0) this.sweep();
  }

  sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    for (const [grantId, keys] of this.grants) {
      for (const key of keys) if (!this.entries.has(key)) keys.delete(key);
      if (keys.size === 0) this.grants.delete(grantId);
    }
  }

  adapterFor(model: string): Adapter {
    const store = this;
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        store.set(key(id), payload, expiresIn);
        if (model === 'Session' && payload.uid) store.uids.set(payload.uid, id);
        if (payload.userCode) store.userCodes.set(payload.userCode, id);
        if (GRANTABLE.has(model) && payload.grantId) {
          let members = store.grants.get(payload.grantId);
          if (!members) store.grants.set(payload.grantId, (members = new Set()));
          members.add(key(id));
        }
      },
      async find(id) {
        return store.get(key(id));
      },
      async findByUid(uid) {
        const id = store.uids.get(uid);
        return id === undefined ? undefined : store.get(key(id));
      },
      async findByUserCode(userCode) {
        const id = store.userCodes.get(userCode);
        return id === undefined ? undefined : store.get(key(id));
      },
      async consume(id) {
        const payload = store.get(key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        store.entries.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        const members = store.grants.get(grantId);
        if (members) for (const member of members) store.entries.delete(member);
        store.grants.delete(grantId);
      },
    };
  }
}

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

let devInteractionsWarned = false;

let cachedJwks: { keys: Record<string, unknown>[] } | undefined;
function signingKeys(): { keys: Record<string, unknown>[] } {
  if (!cachedJwks) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
    cachedJwks = { keys: [{ ...jwk, use: 'sig', alg: 'ES256', kid: `demo-${randomBytes(6).toString('hex')}` }] };
  }
  return structuredClone(cachedJwks);
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function clientMetadata(c: DemoClient): AdapterPayload {
  if (!c || typeof c.clientId !== 'string' || !c.clientId) throw new ControlError(400, 'invalid_request', 'clientId is required');
  const method = c.tokenEndpointAuthMethod ?? 'client_secret_basic';
  if (method !== 'client_secret_basic' && method !== 'client_secret_post' && method !== 'private_key_jwt') {
    throw new ControlError(400, 'invalid_request', 'tokenEndpointAuthMethod must be client_secret_basic, client_secret_post or private_key_jwt');
  }
  const keyAuth = method === 'private_key_jwt';
  if (keyAuth ? !Array.isArray(c.jwks?.keys) || c.jwks.keys.length === 0 : typeof c.clientSecret !== 'string' || !c.clientSecret) {
    throw new ControlError(400, 'invalid_request', keyAuth ? 'jwks with at least one public key is required for private_key_jwt' : 'clientSecret is required');
  }
  const redirectUris = c.redirectUris ?? [];
  const codeFlow = redirectUris.length > 0;
  return {
    client_id: c.clientId,
    ...(keyAuth ? { jwks: c.jwks } : { client_secret: c.clientSecret }),
    token_endpoint_auth_method: method,
    grant_types: codeFlow
      ? ['authorization_code', 'refresh_token', 'client_credentials']
      : ['client_credentials', 'refresh_token'],
    response_types: codeFlow ? ['code'] : [],
    redirect_uris: redirectUris,
    id_token_signed_response_alg: 'ES256',
    ...(c.dpop ? { dpop_bound_access_tokens: true } : {}),
  };
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    description: string,
  ) {
    super(description);
  }
}

function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

async function readJson(req: http.IncomingMessage, limit = 64 * 1024): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ControlError(413, 'invalid_request', 'body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new ControlError(400, 'invalid_request', 'body must be a JSON object');
  }
}

function sendJson(res: http.ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status, { 'cache-control': 'no-store' });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

// ---------------------------------------------------------------------------
// startDemoProvider
// ---------------------------------------------------------------------------

export async function startDemoProvider(opts: DemoProviderOptions): Promise<DemoProvider> {
  const accessTtl = opts.accessTokenTtlSeconds ?? 3600;
  const refreshTtl = opts.refreshTokenTtlSeconds ?? 14 * 24 * 3600;
  const rotate = opts.rotateRefreshTokens ?? true;
  const requirePkce = opts.requirePkce ?? true;
  const strictAuthMethod = opts.strictClientAuthMethod ?? true;
  for (const [name, value] of [['accessTokenTtlSeconds', accessTtl], ['refreshTokenTtlSeconds', refreshTtl]] as const) {
    if (!Number.isInteger(value) || value <= 0) throw new TypeError(`${name} must be a positive integer`);
  }
  const initialClients = opts.clients.map(clientMetadata);

  const server = http.createServer();
  server.keepAliveTimeout = 5_000;
  const port = await listen(server, opts.port, opts.host ?? '127.0.0.1');
  const issuer = opts.publicUrl?.replace(/\/$/, '') ?? `http://127.0.0.1:${port}`;

  const store = new MemoryStore();

  const configuration: Configuration = {
    adapter: (model: string) => store.adapterFor(model),
    clients: [], // all clients live in the adapter (runtime add/remove)
    jwks: signingKeys() as Configuration['jwks'],
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: SUPPORTED_SCOPES,
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    responseTypes: ['code'],
    routes: ROUTES,
    pkce: { required: () => requirePkce },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      id_token_signed_response_alg: 'ES256',
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // Any authenticated confidential client may introspect (mirrors the default
        // policy, minus its stdout notice).
        allowedPolicy: async (_ctx, client) => client.clientAuthMethod !== 'none',
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      rpInitiatedLogout: { enabled: false },
      // DPoP proofs need a server nonce (RFC 9449 §8), so clients must handle use_dpop_nonce; only clients registered
      // with dpop must send proofs.
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
    },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, name: sub, email: `${sub}@example.test`, email_verified: true }),
    }),
    // Refresh tokens: issued for every authorization_code exchange by a client that is
    // allowed the refresh_token grant. (oidc-provider drops `offline_access` from an
    // authorization request unless it also carries prompt=consent, so gating on that
    // scope would silently withhold refresh tokens from a plain OAuth client.)
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Tokens outlive the browser session (the dev session store is in memory anyway).
    expiresWithSession: async () => false,
    rotateRefreshToken: rotate,
    ttl: {
      AccessToken: accessTtl,
      ClientCredentials: accessTtl,
      RefreshToken: refreshTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: Math.max(refreshTtl * 4, 30 * 24 * 3600),
      DeviceCode: 600,
      BackchannelAuthenticationRequest: 600,
    },
    clientBasedCORS: () => true,
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><html><head><title>oops! something went wrong</title></head><body><h1>oops! something went wrong</h1>${Object.entries(
        out,
      )
        .map(([key, value]) => `<pre><strong>${escapeHtml(key)}</strong>: ${escapeHtml(value)}</pre>`)
        .join('')}</body></html>`;
    },
  };

  let provider: Provider;
  // oidc-provider warns (console.warn) about devInteractions on every construction;
  // let that through once per process, then keep test output quiet.
  const originalWarn = console.warn;
  if (devInteractionsWarned) {
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('devInteractions is enabled')) return;
      originalWarn.apply(console, args);
    };
  }
  try {
    provider = new Provider(issuer, configuration);
  } catch (err) {
    server.close();
    throw err;
  } finally {
    console.warn = originalWarn;
    devInteractionsWarned = true;
  }
  provider.proxy = false;
  provider.on('server_error', (_ctx: KoaContextWithOIDC, err: Error) => {
    // err.message never contains token values.
    console.error(`[demo-provider] server_error: ${err.message}`);
  });

  if (strictAuthMethod) {
    // oidc-provider treats client_secret_basic and client_secret_post as interchangeable.
    // compareClientSecret is only called while authenticating a basic/post client, with
    // the request's koa context available through Provider.ctx (AsyncLocalStorage), so
    // rejecting here yields a real 401 invalid_client before any side effect.
    // provider.Client is a per-provider class, so this does not leak into other instances.
    const proto = (provider.Client as unknown as { prototype: { compareClientSecret(actual: string): boolean } }).prototype;
    const compare = proto.compareClientSecret;
    proto.compareClientSecret = function (this: { clientAuthMethod: string }, actual: string) {
      const ctx = Provider.ctx;
      if (ctx) {
        const used = /^basic\s/i.test(ctx.get('authorization')) ? 'client_secret_basic' : 'client_secret_post';
        if (used !== this.clientAuthMethod) {
          throw new errors.InvalidClientAuth(`client is registered for ${this.clientAuthMethod} but used ${used}`);
        }
      }
      return compare.call(this, actual);
    };
  }

  const clientAdapter = store.adapterFor('Client');

  async function addClient(c: DemoClient): Promise<void> {
    const metadata = clientMetadata(c);
    try {
      await provider.Client.validate(metadata as never);
    } catch (err) {
      throw new ControlError(400, 'invalid_client_metadata', (err as Error).message);
    }
    await clientAdapter.upsert(c.clientId, metadata);
  }

  async function removeClient(clientId: string): Promise<boolean> {
    const existed = (await clientAdapter.find(clientId)) !== undefined;
    await clientAdapter.destroy(clientId);
    return existed;
  }

  async function setClientSecret(clientId: string, clientSecret: string): Promise<boolean> {
    if (typeof clientSecret !== 'string' || !clientSecret) {
      throw new ControlError(400, 'invalid_request', 'clientSecret is required');
    }
    const existing = await clientAdapter.find(clientId);
    if (!existing) return false;
    await clientAdapter.upsert(clientId, { ...existing, client_secret: clientSecret });
    return true;
  }

  async function mintRefreshToken(clientId: string, scope?: string): Promise<MintedRefreshToken> {
    const client = await provider.Client.find(clientId);
    if (!client) throw new ControlError(404, 'invalid_client', `unknown client ${clientId}`);
    if (!client.grantTypeAllowed('refresh_token')) {
      throw new ControlError(400, 'unauthorized_client', 'client is not allowed the refresh_token grant');
    }
    const requested = (scope ?? 'openid').split(' ').filter(Boolean);
    const scopes = [...new Set([...requested, 'offline_access'])];
    const scopeString = scopes.join(' ');

    const grant = new provider.Grant({ accountId: DEMO_ACCOUNT_ID, clientId });
    grant.addOIDCScope(scopeString);
    const grantId = await grant.save();

    const RefreshToken = provider.RefreshToken as unknown as new (props: Record<string, unknown>) => {
      save(): Promise<string>;
    };
    const refreshToken = new RefreshToken({
      accountId: DEMO_ACCOUNT_ID,
      client,
      grantId,
      gty: 'authorization_code',
      scope: scopeString,
      authTime: Math.floor(Date.now() / 1000),
      expiresWithSession: false,
    });
    return { refresh_token: await refreshToken.save(), scope: scopeString };
  }

  async function handleControl(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!isLoopback(req.socket.remoteAddress)) throw new ControlError(403, 'access_denied', 'loopback only');
    const { pathname } = new URL(req.url ?? '/', issuer);
    const method = req.method ?? 'GET';
    let m: RegExpMatchArray | null;

    if (method === 'POST' && pathname === '/__control/refresh-tokens') {
      const body = await readJson(req);
      if (typeof body.clientId !== 'string') throw new ControlError(400, 'invalid_request', 'clientId is required');
      if (body.scope !== undefined && typeof body.scope !== 'string') {
        throw new ControlError(400, 'invalid_request', 'scope must be a string');
      }
      sendJson(res, 201, await mintRefreshToken(body.clientId, body.scope));
      return;
    }
    if (method === 'POST' && pathname === '/__control/clients') {
      const body = (await readJson(req)) as unknown as DemoClient;
      await addClient(body);
      sendJson(res, 201, { clientId: body.clientId });
      return;
    }
    if (method === 'DELETE' && (m = pathname.match(/^\/__control\/clients\/([^/]+)$/))) {
      const existed = await removeClient(decodeURIComponent(m[1]!));
      sendJson(res, existed ? 204 : 404, existed ? undefined : { error: 'not_found' });
      return;
    }
    if (method === 'POST' && (m = pathname.match(/^\/__control\/clients\/([^/]+)\/secret$/))) {
      const body = await readJson(req);
      const ok = await setClientSecret(decodeURIComponent(m[1]!), body.clientSecret as string);
      sendJson(res, ok ? 204 : 404, ok ? undefined : { error: 'not_found' });
      return;
    }
    throw new ControlError(404, 'not_found', `no control route ${method} ${pathname}`);
  }

  for (const metadata of initialClients) {
    await provider.Client.validate(metadata as never);
    await clientAdapter.upsert(metadata.client_id as string, metadata);
  }

  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (opts.enableTestControls && req.url?.startsWith('/__control')) {
      handleControl(req, res).catch((err: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (err instanceof ControlError) {
          sendJson(res, err.status, { error: err.code, error_description: err.message });
        } else {
          console.error(`[demo-provider] control route failed: ${(err as Error)?.message ?? err}`);
          sendJson(res, 500, { error: 'server_error' });
        }
      });
      return;
    }
    void callback(req, res); // koa handles its own errors
  });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));

  return {
    issuer,
    url: issuer,
    tokenUrl: `${issuer}${ROUTES.token}`,
    authorizationUrl: `${issuer}${ROUTES.authorization}`,
    revocationUrl: `${issuer}${ROUTES.revocation}`,
    introspectionUrl: `${issuer}${ROUTES.introspection}`,
    close,
    mintRefreshToken,
    addClient,
    removeClient,
    setClientSecret,
  };
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return value;
}

async function main(): Promise<void> {
  const port = intFromEnv('DEMO_PROVIDER_PORT', 4000);
  const clientId = process.env.DEMO_CLIENT_ID || 'steward-demo';
  const generated = !process.env.DEMO_CLIENT_SECRET;
  const clientSecret = process.env.DEMO_CLIENT_SECRET || randomBytes(24).toString('base64url');
  const accessTokenTtlSeconds = intFromEnv('DEMO_ACCESS_TOKEN_TTL', 3600);
  const redirectUris = (process.env.DEMO_REDIRECT_URIS ?? DEFAULT_REDIRECT_URI)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const enableTestControls = process.env.DEMO_TEST_CONTROLS === '1';

  const demo = await startDemoProvider({
    port,
    host: process.env.DEMO_PROVIDER_HOST || '127.0.0.1',
    publicUrl: process.env.DEMO_PROVIDER_PUBLIC_URL || undefined,
    clients: [{ clientId, clientSecret, redirectUris }],
    accessTokenTtlSeconds,
    enableTestControls,
  });

  process.stdout.write(
    `${JSON.stringify({
      ready: true,
      issuer: demo.issuer,
      tokenUrl: demo.tokenUrl,
      authorizationUrl: demo.authorizationUrl,
      revocationUrl: demo.revocationUrl,
      introspectionUrl: demo.introspectionUrl,
      clientId,
    })}\n`,
  );
  if (generated) process.stdout.write(`demo client secret: ${clientSecret}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.error(`[demo-provider] ${signal} received, shutting down`);
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(`[demo-provider] failed to start: ${(err as Error)?.stack ?? err}`);
    process.exit(1);
  });
}
