// What `npm run dev` starts: the stack's options, from the environment as lib/config parses it (ports, demo provider).
import { join } from 'node:path';
import { loadDevConfig } from '../lib/config';
import { ROOT } from './stack';
import type { StackOptions } from './steward';

export function devStackOptions(env: NodeJS.ProcessEnv = process.env): StackOptions {
  const dev = loadDevConfig(env);
  return {
    dataDir: join(ROOT, '.data', 'dev'),
    logDir: join(ROOT, '.data', 'dev', 'logs'),
    persistent: true,
    withUi: true,
    ports: dev.ports,
    providerTokenTtlSeconds: dev.provider.accessTokenTtlSeconds,
    providerRefreshTokenTtlSeconds: dev.provider.refreshTokenTtlSeconds,
    providerTestControls: dev.provider.testControls,
  };
}
