// The workflow code as the worker runs it: bundled at start, or read from a bundle built once beforehand (tests, images).
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type Logger, type WorkflowBundleOption } from '@temporalio/worker';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
export const failureConverterPath = fileURLToPath(new URL('../lib/failureConverter.ts', import.meta.url));

/** Bundles the workflows with the failure converter the worker's data converter names. */
export async function bundleWorkflows(logger?: Logger): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger });
  return code;
}

/** The prebuilt bundle at `prebuiltPath` when given, else a fresh one. */
export async function workflowBundle(prebuiltPath: string | undefined, logger?: Logger): Promise<WorkflowBundleOption> {
  return prebuiltPath ? { codePath: prebuiltPath } : { code: await bundleWorkflows(logger) };
}
