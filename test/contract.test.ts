// The published contract matches the router: every Express route is in the OpenAPI document and every documented operation exists.
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { createApp, type AppDeps } from '../api/app';
import { documentedOperations, openApiDocument } from '../api/contract/document';
import { loadApiConfig } from '../lib/config';
import { ERROR_CODES } from '../lib/errors';
import { ERROR_STATUS } from '../api/httpErrors';
import { expressRoutes } from './support/expressRoutes';

/** An app built only to read its routes: no handler runs, so its stores are never touched. */
function routesOnlyApp() {
  const config = loadApiConfig({
    STEWARD_CODEC_KEY: `k1:${randomBytes(32).toString('base64')}`,
    STEWARD_ADMIN_KEY: 'x'.repeat(32),
    STEWARD_TOKEN_STORE_KEYS: `t1:${randomBytes(32).toString('base64')}`,
  });
  const untouched = {} as never;
  const deps: AppDeps = {
    config,
    logger: pino({ level: 'silent' }),
    registry: { conn: { models: {}, model: () => untouched } } as never,
    vault: untouched,
    lifecycle: untouched,
    tokens: untouched,
    consent: untouched,
    idempotency: untouched,
    keys: untouched,
    audit: untouched,
    webhooks: untouched,
    codecSessions: untouched,
    temporalReady: async () => undefined,
  };
  return createApp(deps);
}

/** The admin console is a browser app (static files and client-side routes), not part of the HTTP API. */
const NOT_API = /^GET \/console\//;

describe('OpenAPI document', () => {
  test('describes exactly the routes Express answers', () => {
    const routed = expressRoutes(routesOnlyApp()).filter((r) => !NOT_API.test(r));
    const documented = [...documentedOperations()].sort();
    expect(routed.length).toBeGreaterThan(30);
    expect({ undocumented: routed.filter((r) => !documented.includes(r)), missing: documented.filter((r) => !routed.includes(r)) }).toEqual({ undocumented: [], missing: [] });
  });

  test('is OpenAPI 3.1 with a bearer scheme, an operation id on every operation, and every error status carrying the closed code set', () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components?.securitySchemes?.bearerKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const seen = new Set<string>();
    for (const item of Object.values(doc.paths ?? {})) {
      for (const op of Object.values(item as Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>)) {
        expect(seen.has(op.operationId)).toBe(false);
        seen.add(op.operationId);
        for (const [status, answer] of Object.entries(op.responses)) {
          const ref = answer.content?.['application/json']?.schema.$ref;
          if (Number(status) >= 400 && ref) expect(ref).toBe(`#/components/schemas/Error${status}`);
        }
      }
    }
    // Each code is listed under the status the single map gives it.
    for (const code of ERROR_CODES) {
      const schema = doc.components!.schemas![`Error${ERROR_STATUS[code]}`] as { properties: { error: { enum: string[] } } } | undefined;
      if (schema) expect(schema.properties.error.enum).toContain(code);
    }
  });
});
