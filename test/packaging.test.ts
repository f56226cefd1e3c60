// Packaging rules that fail quietly elsewhere: a lock `npm ci` accepts on a fresh clone, install scripts decided,
// the runtimes we test within `engines`, the image on a pinned LTS running compiled code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../scripts/stack';

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  hasInstallScript?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, LockEntry> };
const packages = lock.packages;

/** Node's lookup: node_modules/<name> beside `from`, then in each folder up. */
function locate(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const key = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[key]) return key;
    if (!dir) return undefined;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up < 0 ? '' : dir.slice(0, up);
  }
}

test("the lock records every package's optional dependencies, for all platforms (npm ci refuses a lock without them)", () => {
  const missing: string[] = [];
  for (const [path, entry] of Object.entries(packages)) {
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      if (!locate(path, name)) missing.push(`${path || '(root)'} -> ${name}`);
    }
  }
  expect(missing).toEqual([]);
  expect(Object.keys(packages).filter((p) => p.startsWith('node_modules/@swc/core-')).length).toBeGreaterThanOrEqual(10);
});

test('the lock matches package.json', () => {
  const root = packages[''];
  expect(root.dependencies).toEqual(pkg.dependencies);
  expect(root.devDependencies).toEqual(pkg.devDependencies);
  expect(lock.lockfileVersion).toBe(3);
});

test('every dependency with an install script is decided in allowScripts', () => {
  const withScripts = [...new Set(Object.entries(packages).filter(([, e]) => e.hasInstallScript).map(([p]) => p.slice(p.lastIndexOf('node_modules/') + 13)))].sort();
  expect(Object.keys(pkg.allowScripts ?? {}).sort()).toEqual(withScripts);
});

test('the runtimes the project tests on are within engines, and the image is on a pinned one of them', () => {
  const setupRuntimes = readFileSync(join(ROOT, 'scripts/setup-runtimes.sh'), 'utf8');
  const pinned = [...setupRuntimes.matchAll(/\[(\d+)\]="(\d+\.\d+\.\d+) sha512-/g)].map((m) => m[2]);
  expect(pinned.map((v) => v.split('.')[0]).sort()).toEqual(['22', '24']);
  expect(pkg.engines.node).toBe('>=20.19 <25');
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const image = /^ARG NODE_IMAGE=node:(\S+)$/m.exec(dockerfile)?.[1];
  expect(image).toBe(`${pinned.find((v) => v.startsWith('24.'))}-bookworm-slim`);
  // Compiled code, no tsx, not root, a health check per target.
  expect([...dockerfile.matchAll(/^CMD (.*)$/gm)].map((m) => m[1]).filter((cmd) => !/^\["node", "--enable-source-maps", "dist\/[\w/]+\.js"\]$/.test(cmd))).toEqual([]);
  expect(dockerfile).toMatch(/^USER node$/m);
  expect([...dockerfile.matchAll(/^HEALTHCHECK .*healthcheck\.js", "(\w+)"\]$/gm)].map((m) => m[1]).sort()).toEqual(['api', 'provider', 'worker']);
  expect(pkg.dependencies.tsx).toBeUndefined();
});
