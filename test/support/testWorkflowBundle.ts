// The workflow bundle for suites that run workflows in-process (replay, time-skipping): the one the run's global setup
// built for every worker, or one built here when the run has none (a lone `npm run test:replay`).
import { DefaultLogger, type WorkflowBundleOption } from '@temporalio/worker';
import { workflowBundle } from '../../worker/workflowBundle';
import { sharedRun } from './sharedStack';

export function testWorkflowBundle(): Promise<WorkflowBundleOption> {
  return workflowBundle(sharedRun()?.workflowBundlePath, new DefaultLogger('WARN'));
}
