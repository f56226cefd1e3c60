// Worker entrypoint: runs the integration workflows and their activities against Temporal, MongoDB and the vault.
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities } from '../activities';
import { EncryptionCodec } from '../lib/codec';
import { loadWorkerConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { Registry } from '../lib/registry';
import { createSecretsManager, Vault } from '../lib/vault';

const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
const failureConverterPath = fileURLToPath(new URL('../lib/failureConverter.ts', import.meta.url));

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

  const registry = await Registry.connect(config.mongodbUri);
  const vault = new Vault(createSecretsManager(config.aws), config.secretPrefix);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath,
    activities: createActivities({
      vault,
      registry,
      http: { allowInsecure: config.allowInsecureProviders, timeoutMs: config.providerTimeoutMs },
    }),
    dataConverter: { payloadCodecs: [new EncryptionCodec(config.codecKeys)], failureConverterPath },
  });
  logger.info({ taskQueue: config.temporal.taskQueue, temporal: config.temporal.address }, 'worker started');
  try {
    await worker.run(); // returns after SIGINT/SIGTERM once in-flight work has drained
  } finally {
    await connection.close();
    await registry.close();
    logger.info('worker stopped');
  }
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
