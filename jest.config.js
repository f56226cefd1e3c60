// Jest runs TypeScript as native ESM (oidc-provider and oauth4webapi are ESM-only). Temporal, FerretDB and moto start
// once per run (test/support/sharedRunHooks.ts); each suite boots its own worker, api and provider on them.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  globalSetup: '<rootDir>/test/support/globalSetup.js',
  globalTeardown: '<rootDir>/test/support/globalTeardown.js',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 120_000,
  verbose: true,
};
