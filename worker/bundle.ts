// The worker's workflow bundle: built at start by the worker, or once ahead by a caller that restarts workers often.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, type BundleOptions } from '@temporalio/worker';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
export const failureConverterPath = fileURLToPath(new URL('../lib/failureConverter.ts', import.meta.url));

export function bundleWorkflows(logger?: BundleOptions['logger']) {
  return bundleWorkflowCode({ workflowsPath, failureConverterPath, logger });
}

/** Builds the bundle into `file` (owner-only) for STEWARD_WORKFLOW_BUNDLE_PATH. */
export async function writeWorkflowBundle(file: string, logger: BundleOptions['logger'] = new DefaultLogger('WARN')): Promise<string> {
  const { code } = await bundleWorkflows(logger);
  writeFileSync(file, code, { mode: 0o600 });
  return file;
}
