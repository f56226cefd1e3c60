// Lint that protects what matters here: no forgotten promises anywhere, and deterministic workflow code.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'net', 'http', 'https', 'crypto', 'child_process', 'os', 'dns', 'path', 'url', 'timers'];

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
      'no-restricted-imports': ['error', { paths: NODE_BUILTINS.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'Workflows must stay deterministic: do this in an activity.' })) }],
      'no-restricted-globals': ['error', { name: 'process', message: 'Workflows cannot read the environment; pass it in the input.' }, { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' }],
    },
  },
);
