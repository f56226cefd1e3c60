// jest loads globalSetup as CommonJS-transformed code, which this ESM package cannot run: tsx loads the TypeScript.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup(config) {
  const hooks = await tsImport('./sharedRunHooks.ts', import.meta.url);
  await hooks.globalSetup(config);
}
