// API entrypoint: wires config, Temporal, MongoDB and the vault into the Express app and serves it.
import { connectClient } from '../lib/temporal';
import { loadApiConfig } from '../lib/config';
import { ConsentStore } from '../lib/consent';
import { IdempotencyKeys } from '../lib/idempotency';
import { KeyStore } from '../lib/principals';
import { AuditLog } from '../lib/audit';
import { CodecSessions } from './codecServer';
import { createLogger } from '../lib/logger';
import { Registry } from '../lib/registry';
import { createSecretsManager, Vault } from '../lib/vault';
import { Credentials } from '../lib/credentials';
import { LocalKeyRing } from '../lib/envelope';
import { TokenStore } from '../lib/tokenStore';
import { instrumentSecretsManager } from '../lib/metrics';
import { SigningSecrets, WebhookStore } from '../lib/webhooks';
import { WebhookAdmin } from './webhookRoutes';
import { createApp } from './app';
import { Lifecycle } from './lifecycle';
import { TokenService } from './tokens';
import { TokenMirror } from './tokenMirror';

async function run(): Promise<void> {
  const config = loadApiConfig();
  const logger = createLogger('steward-api', config.logLevel);
  const { client, connection } = await connectClient({ ...config.temporal, codecKeys: config.codecKeys });
  const registry = await Registry.connect(config.mongodbUri);
  const sm = createSecretsManager(config.aws);
  instrumentSecretsManager(sm);
  const vault = new Vault(sm, config.secretPrefix);
  const lifecycle = new Lifecycle(client, config.temporal.taskQueue, config.lifecycle);
  // Reads only: the worker writes. Every api instance decrypts with the same key ring.
  const tokenStore = new TokenStore(registry.conn, new LocalKeyRing(config.tokenStoreKeys));
  const mirror = new TokenMirror(registry, tokenStore, { pollMs: config.mirrorPollMs, logger });
  await mirror.start();
  const tokens = new TokenService(
    registry,
    new Credentials(vault, tokenStore),
    lifecycle,
    {
      stateCacheMs: config.stateCacheMs,
      waitMs: config.tokenWaitMs,
      policy: config.lifecycle,
      // An attempt in flight answers within the provider timeout; twice that leaves room for the vault and registry writes.
      graceMs: 2 * config.providerTimeoutMs,
    },
    mirror,
  );
  const audit = new AuditLog(registry.conn);
  const keys = new KeyStore(registry.conn);
  // Switching the bootstrap key off with no other admin key would lock every admin out: refuse to start instead.
  if (!config.bootstrapAdmin && (await keys.countLive({ role: 'admin' })) === 0) {
    throw new Error('STEWARD_BOOTSTRAP_ADMIN=false needs another live admin key first (create one with POST /v1/keys while the bootstrap key is on).');
  }
  const consent = new ConsentStore(registry.conn, config.codecKeys, config.consentTtlMs);
  const app = createApp({
    config,
    consent,
    idempotency: new IdempotencyKeys(registry.conn, config.codecKeys),
    keys,
    webhooks: new WebhookAdmin(new WebhookStore(registry.conn), new SigningSecrets(sm, config.webhookSecretPrefix), client),
    audit,
    codecSessions: new CodecSessions(registry.conn),
    logger,
    registry,
    vault,
    lifecycle,
    tokens,
    temporalReady: async () => {
      await connection.healthService.check({});
    },
  });
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ url: `http://${config.host}:${port}` }, 'api listening');
  });
  const stop = () => {
    logger.info('api stopping');
    mirror.stop();
    server.close(async () => {
      await audit.close();
      await registry.close();
      await connection.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
