// The images' HEALTHCHECK: `node dist/scripts/healthcheck.js api|worker|provider` exits 0 when the service answers 200.
//   api       GET /healthz on STEWARD_PORT (the process serves; /readyz also checks Temporal and MongoDB)
//   worker    GET /readyz on STEWARD_WORKER_HTTP_PORT (both of its Temporal workers are running)
//   provider  the demo provider's discovery document on DEMO_PROVIDER_PORT
export {}; // a module, for the top-level await
const role = process.argv[2];
const env = process.env;
const local = (host: string | undefined) => (!host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);

function target(): string {
  if (role === 'api') return `http://${local(env.STEWARD_HOST)}:${env.STEWARD_PORT ?? '3000'}/healthz`;
  if (role === 'worker') {
    if (!env.STEWARD_WORKER_HTTP_PORT) throw new Error('STEWARD_WORKER_HTTP_PORT is not set: the worker serves no health route');
    return `http://${local(env.STEWARD_WORKER_HTTP_HOST)}:${env.STEWARD_WORKER_HTTP_PORT}/readyz`;
  }
  if (role === 'provider') return `http://${local(env.DEMO_PROVIDER_HOST)}:${env.DEMO_PROVIDER_PORT ?? '4000'}/.well-known/openid-configuration`;
  throw new Error(`usage: healthcheck.js api|worker|provider (got ${role ?? 'nothing'})`);
}

try {
  const res = await fetch(target(), { signal: AbortSignal.timeout(4000) });
  if (!res.ok) throw new Error(`answered ${res.status}`);
} catch (err) {
  console.error(`healthcheck ${role}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
