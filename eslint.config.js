// Lint that protects what matters here: no forgotten promises anywhere, and deterministic workflow code.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/** Every Node built-in, bare and with the node: prefix (builtinModules lists some, like node:test, only prefixed). */
const NODE_BUILTINS = [...new Set(builtinModules.flatMap((m) => (m.startsWith('node:') ? [m] : [m, `node:${m}`])))];

export default tseslint.config(
  { ignores: ['node_modules/', 'console/dist/', '.tools/', '.data/', 'test-artifacts/'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['*.js'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    // Workflow code is replayed: no Node built-ins, no environment, no wall-clock timers outside the SDK.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({ name, message: 'Workflows must stay deterministic: do this in an activity.' })),
          // Types only from activities/ and lib/: their code (network, vault, MongoDB, Node) must never enter the workflow bundle.
          patterns: [
            // Prefix-only built-ins (node:test, node:sqlite) are missing from builtinModules on Node 20.
            { group: ['node:*'], message: 'Workflows must stay deterministic: do this in an activity.' },
            {
              group: ['**/activities', '**/activities/**', '**/lib/**'],
              allowTypeImports: true,
              message: 'Workflows import activities and lib as types only (import type …); shared values belong in workflows/.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'Workflows cannot read the environment; pass it in the input.' }, { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' }],
    },
  },
);
