// Failure converter that moves error messages and stack traces into (encrypted) payloads. Loaded inside the workflow sandbox too.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
