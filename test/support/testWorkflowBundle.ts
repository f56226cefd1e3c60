// The workflow bundle for suites that run workflows in-process (replay, time-skipping): the one the run's global setup
// built for every worker, or one built here when the run has none (a lone `npm run test:replay`).
import { DefaultLogger, type WorkflowBundleOption } from '@temporalio/worker';
import { bundleWorkflows } from '../../worker/bundle';
import { sharedRun } from './sharedStack';

export async function testWorkflowBundle(): Promise<WorkflowBundleOption> {
  const prebuilt = sharedRun()?.workflowBundlePath;
  return prebuilt ? { codePath: prebuilt } : await bundleWorkflows(new DefaultLogger('WARN'));
}
