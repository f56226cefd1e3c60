// Generates client/src/api.ts, the client's types, from the OpenAPI document (openapi-typescript). `--check` fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { openApiDocument } from '../api/contract/document';

export const CLIENT_TYPES = fileURLToPath(new URL('../client/src/api.ts', import.meta.url));

const HEADER = '// Generated from the OpenAPI document by `npm run client:types` (scripts/client-types.ts): do not edit.\n';

export async function clientTypes(): Promise<string> {
  const ast = await openapiTS(JSON.parse(JSON.stringify(openApiDocument())), { alphabetize: true });
  return HEADER + astToString(ast);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await clientTypes();
  if (process.argv.includes('--check')) {
    if (readFileSync(CLIENT_TYPES, 'utf8') !== text) {
      console.error('client/src/api.ts is stale: run `npm run client:types`.');
      process.exit(1);
    }
  } else {
    writeFileSync(CLIENT_TYPES, text);
  }
}
