#!/usr/bin/env bash
# Runs Steward's checks under another Node.js major (installed by scripts/setup-runtimes.sh into .tools/node<MAJOR>).
#   scripts/test-runtime.sh 24                      tsc, lint, the client build and the whole jest suite on Node 24
#   scripts/test-runtime.sh 24 test/create.test.ts  only those jest suites (no tsc/lint)
# Everything the tests spawn with process.execPath (api, worker, tsx) runs on that node too; the tools in .tools/bin
# (Temporal, FerretDB, moto) are not Node programs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

major="${1:?usage: scripts/test-runtime.sh MAJOR [jest test paths...]}"
shift

bash scripts/setup.sh
bash scripts/setup-runtimes.sh "$major"
export PATH="$ROOT/.tools/node$major/bin:$PATH"
printf 'test-runtime: node %s (%s)\n' "$(node --version)" "$(command -v node)" >&2

jest() { NODE_OPTIONS="--experimental-vm-modules ${NODE_OPTIONS:-}" node node_modules/jest/bin/jest.js --runInBand "$@"; }

if [[ $# -gt 0 ]]; then
  jest "$@"
else
  node node_modules/typescript/bin/tsc --noEmit
  npm run --silent lint
  npm run --silent build:client
  jest
fi
