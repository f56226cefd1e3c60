// Fuzzes the running stack from its own OpenAPI document with schemathesis, as an admin and as every other role.
// `npm test` runs a bounded number of examples; `npm run fuzz` sets STEWARD_FUZZ_EXAMPLES for a longer run.
import { join } from 'node:path';
import { ROOT } from '../scripts/stack';
import { ROLES } from '../lib/principals';
import { runSchemathesis, type FuzzReport, type Phase } from './support/fuzz';
import { apiClient, bootStack, clientCredentialsBody, type Stack } from './support/harness';

const EXAMPLES = Number(process.env.STEWARD_FUZZ_EXAMPLES ?? 0) || null;
const LONG = EXAMPLES !== null;
const ALL_PHASES: Phase[] = ['examples', 'coverage', 'fuzzing', 'stateful'];
/** Bounded runs use one seed, so npm test generates the same cases every time; long runs draw a new one. */
const SEED = LONG ? undefined : 14;

let stack: Stack;
const keys: Record<string, string> = {};
const reports: FuzzReport[] = [];

beforeAll(async () => {
  // Schemathesis sends thousands of requests: the per-principal and anonymous limits would answer most of them 429.
  stack = await bootStack('fuzz', { env: { STEWARD_RATE_LIMIT_PER_MINUTE: '1000000', STEWARD_ANONYMOUS_RATE_LIMIT_PER_MINUTE: '1000000' } });
  const admin = apiClient(stack);
  const seeded = await admin.post('/v1/integrations', clientCredentialsBody(stack, { tenantId: 'acme' }));
  expect(seeded.status).toBe(201);
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    const confined = role === 'agency' || role === 'service' ? { tenants: ['acme'] } : {};
    const res = await admin.post('/v1/keys', { name: `fuzz ${role}`, role, ...confined, ...(role === 'agency' ? { canReadTokens: true } : {}) });
    expect(res.status).toBe(201);
    keys[role] = res.body.key;
  }
  keys.admin = stack.adminKey;
}, 180_000);

afterAll(async () => {
  // The closing note's figures: operations tested, cases generated, failures.
  for (const r of reports) console.info(`schemathesis as ${r.as}: ${r.operationsTested} operations, ${r.casesGenerated} cases, ${r.uniqueFailures} unique failures, ${r.errors.length} errors`);
  await stack?.stop();
});

const reportDir = join(ROOT, 'test-artifacts', 'fuzz');

function expectClean(report: FuzzReport): void {
  reports.push(report);
  // On failure the output names each failed check with a curl line to reproduce it.
  expect({ exitCode: report.exitCode, failures: report.failures, errors: report.errors, output: report.exitCode === 0 ? '' : report.output }).toEqual({ exitCode: 0, failures: [], errors: [], output: '' });
  expect(report.operationsTested).toBeGreaterThan(30);
}

describe('schemathesis against the running stack', () => {
  // Bounded in npm test (the coverage phase's boundary values alone take a minute): fuzzing and stateful links. npm run
  // fuzz runs every phase for every role.
  const phases: Phase[] = LONG ? ALL_PHASES : ['fuzzing', 'stateful'];

  test('as admin: no server error, no schema violation, no stack trace or secret, auth never ignored', async () => {
    expectClean(await runSchemathesis(stack, { as: 'admin', key: keys.admin, phases, maxExamples: EXAMPLES ?? 5, seed: SEED }, reportDir));
  }, 900_000);

  test.each(ROLES.filter((r) => r !== 'admin'))('as %s', async (role) => {
    // The role changes which answers are 403 and 404; the checks are the same. Bounded: one fuzzed case per operation.
    expectClean(await runSchemathesis(stack, { as: role, key: keys[role], phases: LONG ? ALL_PHASES : ['fuzzing'], maxExamples: EXAMPLES ?? 1, seed: SEED }, reportDir));
  }, 900_000);

  test('the only provider any fuzzed create reached is the demo provider', async () => {
    const { body } = await apiClient(stack).get('/v1/integrations?limit=500');
    type Urls = { tokenUrl: string; revocationUrl: string | null; authorizationUrl: string | null; issuer: string | null };
    const origins = new Set((body.items as Urls[]).flatMap((i) => [i.tokenUrl, i.revocationUrl, i.authorizationUrl, i.issuer].filter(Boolean).map((u) => new URL(u!).origin)));
    expect(body.items.length).toBeGreaterThan(1); // the seeded one and the fuzzer's
    expect([...origins]).toEqual([new URL(stack.provider.tokenUrl).origin]);
  });
});

describe('HTTP semantics the document promises', () => {
  test('a wrong method answers 405 with Allow, as JSON', async () => {
    const res = await apiClient(stack).call('DELETE', '/v1/integrations');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, GET, HEAD');
    expect(res.body).toEqual({ error: 'method_not_allowed', message: 'DELETE is not allowed here.' });
  });

  test('a path that is not valid percent-encoding is a 400 in the error shape, not a 500', async () => {
    const res = await apiClient(stack).get('/v1/integrations/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_request', details: [{ path: '(path)', message: 'is not valid percent-encoding' }] });
  });

  test('the document and the docs page are served from our own assets', async () => {
    const doc = await fetch(`${stack.apiUrl}/openapi.json`).then((r) => r.json());
    expect(doc.openapi).toBe('3.1.0');
    const page = await fetch(`${stack.apiUrl}/docs`);
    const html = await page.text();
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const scripts = [...html.matchAll(/src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.every((s) => s.startsWith('/docs/assets/'))).toBe(true);
    for (const s of scripts) expect((await fetch(`${stack.apiUrl}${s}`)).status).toBe(200);
  });
});
