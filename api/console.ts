// Serves the built admin console (console/dist, `npm run build:console`) at /console, with client-side routes falling back to index.html.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Response } from 'express';

const DEFAULT_DIST = fileURLToPath(new URL('../console/dist', import.meta.url));

/** The console talks only to this origin's /v1 API and runs no inline code. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

function secure(res: Response): void {
  res.set({
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  });
}

export function consoleRoutes(distDir: string = DEFAULT_DIST): Router {
  const router = Router();
  const index = join(distDir, 'index.html');

  router.use((req, res, next) => {
    secure(res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.status(405).set('Allow', 'GET, HEAD').json({ error: 'method_not_allowed', message: `${req.method} is not allowed here.` });
      return;
    }
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The console is not built. Run `npm run build:console` (npm run dev and npm test do it for you).\n');
      return;
    }
    next();
  });

  // File names under assets/ carry a content hash, so they never change.
  router.use('/assets', express.static(join(distDir, 'assets'), { immutable: true, maxAge: '1y', index: false }), (_req, res) => {
    res.status(404).type('text/plain').send('No such asset.\n');
  });
  router.use(express.static(distDir, { index: false, maxAge: 0 }));

  // Every other path is a client route (/console/integrations/<id> is where the OAuth callback page links).
  router.get('/{*path}', (_req, res) => {
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return router;
}
