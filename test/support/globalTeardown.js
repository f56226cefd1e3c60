// See globalSetup.js: stops the shared dependencies whatever the suites' outcome.
import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  const hooks = await tsImport('./sharedRunHooks.ts', import.meta.url);
  await hooks.globalTeardown();
}
