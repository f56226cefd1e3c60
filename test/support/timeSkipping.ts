// Temporal's time-skipping test server beside a real stack, with the real worker process pointed at it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort, ROOT, startProcess, type RunningProcess } from '../../scripts/stack';
import { dataConverter } from '../../lib/temporal';
import { loadApiConfig } from '../../lib/config';
import type { IntegrationWorkflowInput } from '../../workflows/integration';
import type { GrantType, SuppliedSecrets } from '../../workflows/model';
import type { CodecKey } from '../../lib/codec';
import type { Stack } from './harness';

/** A create input for the demo provider's client, as the api would build it, with production lifecycle defaults. */
export function createInput(stack: Stack, opts: { id: string; label: string; grantType: GrantType; secrets: SuppliedSecrets; tokenUrl?: string }): IntegrationWorkflowInput {
  return {
    kind: 'create',
    actor: 'test',
    secrets: opts.secrets,
    policy: loadApiConfig(stack.env).lifecycle,
    config: {
      id: opts.id,
      label: opts.label,
      grantType: opts.grantType,
      tokenUrl: opts.tokenUrl ?? stack.provider.tokenUrl,
      clientId: stack.demoClient.clientId,
      scope: 'read',
      apiBaseUrl: 'https://api.example.com',
      tenantId: null,
      revocationUrl: null,
      tokenAuthMethod: 'client_secret_basic',
      authorizationUrl: null,
      redirectUri: null,
      owner: 'test',
      preset: null,
      issuer: null,
      authorizationParams: {},
      tokenRequestHeaders: [],
    },
  };
}

export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  worker: RunningProcess;
  taskQueue: string;
  stop(): Promise<void>;
}

/** How TestWorkflowEnvironment attaches to a server: public only for the servers the SDK starts itself. */
type EnvironmentFactory = {
  create(opts: { server: { type: 'existing' }; address: string; supportsTimeSkipping: true; client: { dataConverter: ReturnType<typeof dataConverter> } }): Promise<TestWorkflowEnvironment>;
};

export interface TestServer {
  env: TestWorkflowEnvironment;
  port: number;
  stop(): Promise<void>;
}

/**
 * The Java time-skipping server with the codec and the search attributes the dev server registers at start. Started
 * here, not by the SDK: the SDK gives the JVM 5 s, which suites starting side by side on a loaded machine exceed.
 */
export async function startTestServer(codecKeys: CodecKey[], suite: string): Promise<TestServer> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const server = await startProcess({
    name: 'temporal-test-server',
    command: join(ROOT, '.tools/bin/temporal-test-server'),
    args: [String(port)],
    logFile: join(ROOT, 'test-artifacts', suite, `temporal-test-server-${Date.now()}.log`),
    readyTimeoutMs: 120_000,
    ready: async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return true;
      } finally {
        await connection.close();
      }
    },
  });
  try {
    const env = await (TestWorkflowEnvironment as unknown as EnvironmentFactory).create({
      server: { type: 'existing' },
      address,
      supportsTimeSkipping: true,
      client: { dataConverter: dataConverter(codecKeys) },
    });
    const { temporal } = (await import('@temporalio/proto')).default;
    const { INDEXED_VALUE_TYPE_KEYWORD: KEYWORD, INDEXED_VALUE_TYPE_DATETIME: DATETIME } = temporal.api.enums.v1.IndexedValueType;
    await env.connection.operatorService.addSearchAttributes({
      namespace: 'default',
      searchAttributes: { IntegrationStatus: KEYWORD, TenantId: KEYWORD, TokenExpiresAt: DATETIME },
    });
    return {
      env,
      port,
      async stop() {
        await env.teardown(); // closes the connections; the server is ours to stop
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

export async function startTimeSkipping(stack: Stack, suite: string): Promise<TimeSkipping> {
  const server = await startTestServer(loadApiConfig(stack.env).codecKeys, suite);
  const { env, port } = server;
  // The real worker process, pointed at the test server instead of the dev server.
  const logFile = join(ROOT, 'test-artifacts', suite, `${suite}-worker-${Date.now()}.log`);
  const taskQueue = suite;
  const worker = await startProcess({
    name: `${suite}-worker`,
    command: process.execPath,
    args: ['--import', 'tsx', join(ROOT, 'worker/main.ts')],
    env: { ...stack.env, TEMPORAL_ADDRESS: `127.0.0.1:${port}`, STEWARD_TASK_QUEUE: taskQueue },
    logFile,
    // The test server lacks DescribeTaskQueue, so readiness comes from the worker's own (info-level) log line.
    ready: async () => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('"worker started"'),
  });
  return {
    env,
    worker,
    taskQueue,
    async stop() {
      await worker.stop();
      await server.stop();
    },
  };
}
