// Temporal's time-skipping test server beside a real stack, with the real worker process pointed at it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** The Java time-skipping server with the codec and the search attributes the dev server registers at start. */
export async function startTestServer(codecKeys: CodecKey[]): Promise<{ env: TestWorkflowEnvironment; port: number }> {
  // The SDK gives the Java server 5 s to start; on a loaded machine the JVM can take longer, so try again.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      const env = await TestWorkflowEnvironment.createTimeSkipping({
        server: { port, executable: { type: 'existing-path', path: join(ROOT, '.tools/bin/temporal-test-server') } },
        client: { dataConverter: dataConverter(codecKeys) },
      });
      const { temporal } = (await import('@temporalio/proto')).default;
      const { INDEXED_VALUE_TYPE_KEYWORD: KEYWORD, INDEXED_VALUE_TYPE_DATETIME: DATETIME } = temporal.api.enums.v1.IndexedValueType;
      await env.connection.operatorService.addSearchAttributes({
        namespace: 'default',
        searchAttributes: { IntegrationStatus: KEYWORD, TenantId: KEYWORD, TokenExpiresAt: DATETIME },
      });
      return { env, port };
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

export async function startTimeSkipping(stack: Stack, suite: string): Promise<TimeSkipping> {
  const { env, port } = await startTestServer(loadApiConfig(stack.env).codecKeys);
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
      await env.teardown();
    },
  };
}
