// Worker entrypoint: runs the integration workflows and their activities against Temporal, MongoDB and the vault.
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities } from '../activities';
import { deliveryActivities } from '../activities/notify';
import { DeliveryLog } from '../lib/webhookDeliveries';
import { EncryptionCodec } from '../lib/codec';
import { loadWorkerConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { instrumentSecretsManager, serveMetrics, workerMetrics } from '../lib/metrics';
import { Registry } from '../lib/registry';
import { dataConverter } from '../lib/temporal';
import { createSecretsManager, Vault } from '../lib/vault';
import { Credentials } from '../lib/credentials';
import { LocalKeyRing } from '../lib/envelope';
import { TokenStore } from '../lib/tokenStore';
import { SigningSecrets, WebhookStore } from '../lib/webhooks';
import { webhookTaskQueue } from '../workflows/messages';
import { bundleWorkflows, failureConverterPath, prebuiltWorkflowBundlePath } from './bundle';


const TEMPORAL_LEVELS: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR' };

async function run(): Promise<void> {
  const config = loadWorkerConfig();
  const logger = createLogger('steward-worker', config.logLevel);
  // Route the SDK's own logs (workflow and activity loggers included) through the redacting logger.
  Runtime.install({
    logger: new DefaultLogger(TEMPORAL_LEVELS[config.logLevel] ?? 'WARN', ({ level, message, meta }) => {
      const method = level.toLowerCase() === 'trace' ? 'trace' : (level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
      logger[method](meta ?? {}, message);
    }),
  });

  // Ready once both workers poll (set below): the http server starts first so metrics cover the whole start.
  let running: () => boolean = () => false;
  const metrics =
    config.workerHttpPort === undefined
      ? null
      : await serveMetrics(workerMetrics(), { host: config.workerHttpHost, port: config.workerHttpPort, logger, ready: () => running() });
  const registry = await Registry.connect(config.mongodbUri);
  const sm = createSecretsManager(config.aws);
  instrumentSecretsManager(sm);
  const vault = new Vault(sm, config.secretPrefix);
  const tokenStore = new TokenStore(registry.conn, new LocalKeyRing(config.tokenStoreKeys));
  await tokenStore.init();
  const credentials = new Credentials(vault, tokenStore, config.writeBudget);
  const webhooks = new WebhookStore(registry.conn);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  // Activities publish webhook notices by signalling delivery workflows: a client on the worker's own connection.
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverter(config.codecKeys) });
  const converter = { payloadCodecs: [new EncryptionCodec(config.codecKeys)], failureConverterPath };
  const bundlePath = config.workflowBundlePath ?? prebuiltWorkflowBundlePath;
  const workflowBundle = bundlePath ? { codePath: bundlePath } : await bundleWorkflows(Runtime.instance().logger);
  const deliveryQueue = webhookTaskQueue(config.temporal.taskQueue);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle,
    activities: createActivities({
      credentials,
      registry,
      http: { allowInsecure: config.allowInsecureProviders, timeoutMs: config.providerTimeoutMs, refreshAnswerTimeoutMs: config.refreshAnswerTimeoutMs },
      publish: { webhooks, client, taskQueue: deliveryQueue, policy: config.webhooks.delivery },
    }),
    dataConverter: converter,
    ...config.tuning,
    // The token activities' heartbeat timeout is 5 s; at the SDK's default throttle (up to 4 s between heartbeats sent
    // to the server) a busy worker's live attempt could be declared dead and retried while its request is in flight.
    maxHeartbeatThrottleInterval: '1 second',
  });
  // Webhook deliveries on their own queue and slots: a slow subscriber never holds up a refresh.
  const deliveryWorker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: deliveryQueue,
    workflowBundle,
    activities: deliveryActivities({
      webhooks,
      secrets: new SigningSecrets(sm, config.webhookSecretPrefix),
      allowInsecure: config.allowInsecureProviders,
      timeoutMs: config.webhooks.timeoutMs,
      log: { deliveries: new DeliveryLog(registry.conn), policy: config.webhooks.delivery },
    }),
    dataConverter: converter,
  });
  running = () => worker.getState() === 'RUNNING' && deliveryWorker.getState() === 'RUNNING';
  logger.info({ taskQueue: config.temporal.taskQueue, temporal: config.temporal.address }, 'worker started');
  try {
    await Promise.all([worker.run(), deliveryWorker.run()]); // return after SIGINT/SIGTERM once in-flight work has drained
  } finally {
    metrics?.close();
    await connection.close();
    await registry.close();
    logger.info('worker stopped');
  }
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
