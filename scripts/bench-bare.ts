// The bench's yardstick: a bare Express server answering the token path with the same bytes the api answered (scripts/bench-token.ts).
import { readFileSync } from 'node:fs';
import express from 'express';

// argv: the file holding the body to answer; the port to listen on (0: any, printed once listening).
const [bodyFile, port = '0'] = process.argv.slice(2);
const body = readFileSync(bodyFile, 'utf8');
const app = express();
app.get('/v1/integrations/:id/token', (_req, res) => void res.set('Cache-Control', 'no-store').type('application/json').send(body));
const server = app.listen(Number(port), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
