// `npm run dev`: starts the whole stack on fixed local ports with data kept in .data/, prints how to use it, stops on Ctrl-C.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { devStackOptions } from './devOptions';
import { ROOT } from './stack';
import { startStack } from './steward';
import { runForeground, stopOnSignal } from './foreground';

async function run(): Promise<void> {
  const startedAt = Date.now();
  const options = devStackOptions(); // fails fast naming a bad variable, before anything starts
  // Keys, the emulator's recording (every secret value) and the databases live here: the owner's eyes only.
  mkdirSync(join(ROOT, '.data'), { recursive: true, mode: 0o700 });
  chmodSync(join(ROOT, '.data'), 0o700);
  console.log('Starting Steward: Temporal, FerretDB, Secrets Manager (moto behind AWS limits), demo OAuth provider, worker, api…');
  const stack = await startStack(options);
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  console.log(`
Steward is up (${seconds}s).

  Console          ${stack.apiUrl}/console   (sign in with the admin key below)
  API              ${stack.apiUrl}
  Temporal UI      ${stack.temporalUiUrl}   (read-only; decodes payloads through ${stack.apiUrl}/codec)
  Temporal         ${stack.temporalAddress}
  MongoDB          ${stack.mongoUri}   (FerretDB)
  Secrets Manager  ${stack.motoUrl}   (moto behind AWS's limits; GET ${stack.motoUrl}/__quota/stats)
  Demo provider    ${stack.provider.issuer}   token URL ${stack.provider.tokenUrl}   access tokens live ${options.providerTokenTtlSeconds}s${options.providerTestControls ? '   test controls on (/__control)' : ''}
  Logs             .data/dev/logs/

  Admin key            ${stack.adminKey}
  Demo client id       ${stack.demoClient.clientId}
  Demo client secret   ${stack.demoClient.clientSecret}

Try it (README has the full walkthrough):
  export STEWARD_KEY=${stack.adminKey}
  curl -s -X POST ${stack.apiUrl}/v1/integrations -H "Authorization: Bearer $STEWARD_KEY" -H 'Content-Type: application/json' \\
    -d '{"label":"Demo","grantType":"client_credentials","tokenUrl":"${stack.provider.tokenUrl}","clientId":"${stack.demoClient.clientId}","clientSecret":"${stack.demoClient.clientSecret}","scope":"read write","apiBaseUrl":"https://api.example.com","revocationUrl":"${stack.provider.revocationUrl}"}'

Press Ctrl-C to stop everything.`);

  stopOnSignal(() => stack.stop(), '.data/dev');
}

runForeground(run);
