// Jest runs TypeScript as native ESM (oidc-provider and oauth4webapi are ESM-only); each suite boots its own real stack.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 120_000,
  verbose: true,
};
