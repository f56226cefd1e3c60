// GET /openapi.json (the document, built once) and GET /docs (Swagger UI from our own node_modules: no CDN).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { methodNotAllowed } from '../httpErrors';
import { openApiDocument } from './document';

const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const OWN_ASSETS_DIR = fileURLToPath(new URL('./docs-assets', import.meta.url));

/** The docs page loads only its own scripts and styles; Swagger UI sets inline styles, and fetches /openapi.json. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Steward API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div><script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/assets/init.js"></script></body></html>`;

export function docsRoutes(opts: { publicUrl?: string } = {}): Router {
  const document = JSON.stringify(openApiDocument(opts));
  const router = Router();
  router
    .route('/openapi.json')
    .get((_req, res) => void res.type('application/json').set('Cache-Control', 'no-cache').send(document))
    .all(methodNotAllowed);
  router
    .route('/docs')
    .get((_req, res) => void res.type('html').set({ 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' }).send(PAGE))
    .all(methodNotAllowed);
  router.use('/docs/assets', express.static(OWN_ASSETS_DIR, { index: false }), express.static(SWAGGER_UI_DIR, { index: false, maxAge: '1d' }));
  return router;
}
