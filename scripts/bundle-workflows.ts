// Writes the worker's workflow bundle to a file: `tsx scripts/bundle-workflows.ts <out.js>`; a worker started with
// STEWARD_WORKFLOW_BUNDLE_PATH=<out.js> uses it instead of bundling at start (the test run builds it once for every worker).
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeWorkflowBundle } from '../worker/bundle';

const out = process.argv[2];
if (!out) {
  console.error('usage: tsx scripts/bundle-workflows.ts <out.js>');
  process.exit(2);
}
const file = resolve(out);
mkdirSync(dirname(file), { recursive: true });
// Written whole, then renamed: a reader never sees half a bundle.
renameSync(await writeWorkflowBundle(`${file}.tmp`), file);
