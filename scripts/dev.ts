// `npm run dev`: starts the whole stack on fixed local ports with data kept in .data/, prints how to use it, stops on Ctrl-C.
import { join } from 'node:path';
import { startStack } from './steward';
import { ROOT } from './stack';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function run(): Promise<void> {
  const startedAt = Date.now();
  console.log('Starting Steward: Temporal, FerretDB, Secrets Manager (moto behind AWS limits), demo OAuth provider, worker, api…');
  const stack = await startStack({
    dataDir: join(ROOT, '.data', 'dev'),
    logDir: join(ROOT, '.data', 'dev', 'logs'),
    persistent: true,
    withUi: true,
    ports: {
      api: port('STEWARD_PORT', 3000),
      temporal: port('DEV_TEMPORAL_PORT', 7233),
      temporalUi: port('DEV_TEMPORAL_UI_PORT', 8233),
      mongo: port('DEV_MONGO_PORT', 27017),
      moto: port('DEV_MOTO_PORT', 4566),
      provider: port('DEMO_PROVIDER_PORT', 4000),
    },
  });
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  console.log(`
Steward is up (${seconds}s).

  Console          ${stack.apiUrl}/console   (sign in with the admin key below)
  API              ${stack.apiUrl}
  Temporal UI      ${stack.temporalUiUrl}   (decodes payloads through ${stack.apiUrl}/codec)
  Temporal         ${stack.temporalAddress}
  MongoDB          ${stack.mongoUri}   (FerretDB)
  Secrets Manager  ${stack.motoUrl}   (moto behind AWS's limits; GET ${stack.motoUrl}/__quota/stats)
  Demo provider    ${stack.provider.issuer}   token URL ${stack.provider.tokenUrl}
  Logs             .data/dev/logs/

  Admin key            ${stack.adminKey}
  Demo client id       ${stack.demoClient.clientId}
  Demo client secret   ${stack.demoClient.clientSecret}

Try it (README has the full walkthrough):
  export STEWARD_KEY=${stack.adminKey}
  curl -s -X POST ${stack.apiUrl}/v1/integrations -H "Authorization: Bearer $STEWARD_KEY" -H 'Content-Type: application/json' \\
    -d '{"label":"Demo","grantType":"client_credentials","tokenUrl":"${stack.provider.tokenUrl}","clientId":"${stack.demoClient.clientId}","clientSecret":"${stack.demoClient.clientSecret}","scope":"read write","apiBaseUrl":"https://api.example.com","revocationUrl":"${stack.provider.revocationUrl}"}'

Press Ctrl-C to stop everything.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await stack.stop();
    console.log('Stopped. Data is kept in .data/dev.');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

run().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
