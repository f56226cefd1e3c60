// The worker's workflow bundle: built at start by the worker, or once ahead by a caller that restarts workers often.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, type BundleOptions } from '@temporalio/worker';

// Compiled (dist/, scripts/build.ts) this module is a .js file: the failure converter is the CommonJS build the SDK can
// require(), and the workflows come prebuilt. From source (tsx, jest) both are the TypeScript files.
const compiled = import.meta.url.endsWith('.js');
export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
export const failureConverterPath = fileURLToPath(new URL(compiled ? '../lib/failureConverter.cjs' : '../lib/failureConverter.ts', import.meta.url));
/** dist/workflows.bundle.js when running compiled (STEWARD_WORKFLOW_BUNDLE_PATH still wins), else undefined. */
export const prebuiltWorkflowBundlePath: string | undefined = compiled ? fileURLToPath(new URL('../workflows.bundle.js', import.meta.url)) : undefined;

export function bundleWorkflows(logger?: BundleOptions['logger']) {
  return bundleWorkflowCode({ workflowsPath, failureConverterPath, logger });
}

/** Builds the bundle into `file` (owner-only) for STEWARD_WORKFLOW_BUNDLE_PATH. */
export async function writeWorkflowBundle(file: string, logger: BundleOptions['logger'] = new DefaultLogger('WARN')): Promise<string> {
  const { code } = await bundleWorkflows(logger);
  writeFileSync(file, code, { mode: 0o600 });
  return file;
}
