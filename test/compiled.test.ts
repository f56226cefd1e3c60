// The production build (scripts/build.ts, what the Docker images run): api and worker start from compiled JavaScript on
// plain node (no tsx), the worker on its prebuilt workflow bundle; a token is issued and refreshed; the images' health
// checks pass. `npm test` runs this suite on Node 20 and again on Node 24 (scripts/test-runtime.sh).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort, ROOT } from '../scripts/stack';
import { FAST_LIFECYCLE, apiClient, bootStack, clientCredentialsBody, eventually, introspect, type Stack } from './support/harness';

const run = promisify(execFile);
const OUT = join(ROOT, 'test-artifacts', 'compiled', `dist-${process.pid}`);
let stack: Stack;
let api: ReturnType<typeof apiClient>;
let workerHttpPort: number;

beforeAll(async () => {
  await run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/build.ts'), '--out', OUT], { cwd: ROOT });
  workerHttpPort = await freePort();
  stack = await bootStack('compiled', { ...FAST_LIFECYCLE, compiledDir: OUT, env: { ...FAST_LIFECYCLE.env, STEWARD_WORKER_HTTP_PORT: String(workerHttpPort) } });
  api = apiClient(stack);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(OUT, { recursive: true, force: true });
});

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

const healthcheck = (role: string, env: Record<string, string>) =>
  run(process.execPath, [join(OUT, 'scripts/healthcheck.js'), role], { env: { PATH: process.env.PATH ?? '', ...env } }).then(
    () => 0,
    (err: { code?: number }) => err.code ?? -1,
  );

test('the build is JavaScript whose relative imports name emitted .js files', () => {
  const all = files(OUT).filter((f) => !f.startsWith(join(OUT, 'console')));
  expect(all.filter((f) => f.endsWith('.ts'))).toEqual([]);
  expect(existsSync(join(OUT, 'workflows.bundle.js'))).toBe(true);
  expect(existsSync(join(OUT, 'lib/failureConverter.cjs'))).toBe(true);
  const modules = all.filter((f) => f.endsWith('.js') && f !== join(OUT, 'workflows.bundle.js'));
  expect(modules.length).toBeGreaterThan(50);
  const broken: string[] = [];
  for (const file of modules) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]*)"/g)) {
      if (!spec.endsWith('.js') || !existsSync(resolve(dirname(file), spec))) broken.push(`${relative(OUT, file)} -> ${spec}`);
    }
  }
  expect(broken).toEqual([]);
});

test('api and worker run the compiled code: a token is issued, then refreshed by the worker', async () => {
  for (const proc of [stack.api!, stack.worker!]) {
    const cmdline = readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toContain(join(OUT, `${proc.name}/main.js`));
    expect(cmdline.join(' ')).not.toContain('tsx');
  }
  const created = await api.post('/v1/integrations', clientCredentialsBody(stack));
  expect(created.status).toBe(201);
  const first = (await api.get(`/v1/integrations/${created.body.id}/token`)).body;
  expect((await introspect(stack, first.access_token)).active).toBe(true);
  const second = await eventually(async () => {
    const t = (await api.get(`/v1/integrations/${created.body.id}/token`)).body;
    return t.access_token && t.access_token !== first.access_token && t;
  }, 'a refreshed token');
  expect((await introspect(stack, second.access_token)).active).toBe(true);
});

test('the health checks the images run pass, and fail on a port nothing answers', async () => {
  expect((await fetch(`http://127.0.0.1:${workerHttpPort}/readyz`)).status).toBe(200);
  expect(await healthcheck('api', { STEWARD_PORT: String(stack.ports.api) })).toBe(0);
  expect(await healthcheck('worker', { STEWARD_WORKER_HTTP_PORT: String(workerHttpPort) })).toBe(0);
  expect(await healthcheck('provider', { DEMO_PROVIDER_PORT: new URL(stack.provider.url).port })).toBe(0);
  const nothing = String(await freePort());
  expect(await healthcheck('api', { STEWARD_PORT: nothing })).toBe(1);
  expect(await healthcheck('worker', {})).toBe(1);
});
