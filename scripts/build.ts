// Compiles the services to plain JavaScript in dist/ for production (`node dist/api/main.js`, no tsx at run time).
//   dist/<same path>.js          every .ts of api, lib, worker, workflows, activities, demo and scripts/healthcheck.ts,
//                                one file each (the source layout is kept, so import.meta.url-relative assets resolve),
//                                relative imports rewritten to the emitted .js files (Node's ESM loader needs extensions)
//   dist/lib/failureConverter.cjs  the worker require()s its failure converter (Temporal's loadDataConverter)
//   dist/workflows.bundle.js     the workflow bundle, built once here instead of at every worker start
//   dist/api/contract/docs-assets, dist/console/dist   the assets the api serves
// Types are checked by `tsc --noEmit` (npm run typecheck); esbuild (the compiler tsx uses) only strips them.
import { chmodSync, cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { writeWorkflowBundle } from '../worker/bundle';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// `--out DIR` builds elsewhere (the compiled-stack test); it must be inside the repo so node_modules and package.json resolve.
const outArg = process.argv.indexOf('--out');
const DIST = outArg > 0 ? resolve(process.argv[outArg + 1] ?? '') : join(ROOT, 'dist');
const SOURCE_DIRS = ['api', 'lib', 'worker', 'workflows', 'activities', 'demo'];
const EXTRA_ENTRIES = ['scripts/healthcheck.ts'];
// Node 20.19 is the oldest runtime `engines` allows.
const TARGET = 'node20.19';

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The source file a relative import names: `./x` is x.ts or x/index.ts (moduleResolution Bundler). */
function sourceOf(fromDir: string, specifier: string): string {
  const base = resolve(fromDir, specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`build: cannot resolve ${specifier} from ${relative(ROOT, fromDir)}`);
}

/** Keeps every relative import a separate module and points it at the emitted .js file. */
const relativeImportsAsJs: Plugin = {
  name: 'relative-imports-as-js',
  setup(b) {
    b.onResolve({ filter: /^\.\.?(\/|$)/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const target = sourceOf(args.resolveDir, args.path).replace(/\.ts$/, '.js');
      let specifier = relative(args.resolveDir, target).split(sep).join('/');
      if (!specifier.startsWith('.')) specifier = `./${specifier}`;
      return { path: specifier, external: true };
    });
  },
};

async function main(): Promise<void> {
  const outRel = relative(ROOT, DIST);
  // The folder is emptied first: never the repo itself, a folder outside it, or a source folder.
  if (!outRel || outRel.startsWith('..') || [...SOURCE_DIRS, 'scripts', 'test', 'console', 'client', 'node_modules'].includes(outRel.split(sep)[0])) {
    throw new Error(`build: --out must be a new folder inside the repository (got ${DIST})`);
  }
  rmSync(DIST, { recursive: true, force: true });
  const entryPoints = [...SOURCE_DIRS.flatMap(sources), ...EXTRA_ENTRIES];
  await build({
    absWorkingDir: ROOT,
    entryPoints,
    outdir: DIST,
    outbase: ROOT,
    bundle: true, // only so the plugin sees every import; the plugin and `packages` keep each module its own file
    packages: 'external',
    plugins: [relativeImportsAsJs],
    format: 'esm',
    platform: 'node',
    target: TARGET,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['lib/failureConverter.ts'],
    outfile: join(DIST, 'lib', 'failureConverter.cjs'),
    bundle: true,
    packages: 'external',
    format: 'cjs',
    platform: 'node',
    target: TARGET,
    logLevel: 'warning',
  });
  const bundle = await writeWorkflowBundle(join(DIST, 'workflows.bundle.js'));
  chmodSync(bundle, 0o644); // read by the image's non-root user; it holds code, no secrets
  cpSync(join(ROOT, 'api/contract/docs-assets'), join(DIST, 'api/contract/docs-assets'), { recursive: true });
  if (existsSync(join(ROOT, 'console/dist/index.html'))) {
    cpSync(join(ROOT, 'console/dist'), join(DIST, 'console/dist'), { recursive: true });
  } else {
    console.warn('build: console/dist is missing (npm run build:console); the api will serve no console');
  }
  console.log(`build: ${entryPoints.length} modules, the workflow bundle and assets in ${relative(ROOT, DIST)}/`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
