// Connector presets: the schema every catalog entry must satisfy, and the expansion of tenant-specific URL templates.
import { z } from 'zod';
import { GRANT_TYPES, TOKEN_AUTH_METHODS } from '../workflows/model';
import { CATALOG } from './connectorCatalog';

// A URL with {placeholders}; the placeholders must be declared in `templates`.
const templatedUrl = z.string().regex(/^https:\/\/[^\s]+$/, 'must be an https URL (placeholders allowed)');

const template = z.strictObject({
  label: z.string().min(1),
  description: z.string().min(1),
  /** Full-match pattern: template values land in host names, so they are narrow on purpose. */
  pattern: z.string().min(1),
  example: z.string().min(1),
  default: z.string().optional(),
  /** Fixed choices (e.g. regions) and what each expands to, when the value is not pasted verbatim. */
  choices: z.record(z.string(), z.record(z.string(), z.string())).optional(),
});

export const presetSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  docsUrl: z.url(),
  grantTypes: z.array(z.enum(GRANT_TYPES)).min(1),
  authorizationUrl: templatedUrl.nullable(),
  tokenUrl: templatedUrl,
  revocationUrl: templatedUrl.nullable(),
  /**
   * Revoking any one token ends the user's whole authorization of the app (all its grants). Then a grant replaced by
   * re-consent is not revoked: the new grant would go with it.
   */
  revocationEndsAuthorization: z.boolean().optional(),
  apiBaseUrl: templatedUrl,
  /** Issuer for RFC 9207 `iss` checks and discovery, when the provider publishes one. */
  issuer: templatedUrl.nullable(),
  templates: z.record(z.string().regex(/^[a-zA-Z]+$/), template),
  tokenAuthMethod: z.enum(TOKEN_AUTH_METHODS),
  authorizationParams: z.record(z.string(), z.string()),
  defaultScope: z.string().nullable(),
  pkce: z.enum(['required', 'supported', 'unsupported']),
  refreshToken: z.strictObject({
    issued: z.boolean(),
    rotates: z.enum(['always', 'sometimes', 'never']),
    lifetimeSeconds: z.number().int().positive().nullable(),
    /** Expires when unused this long: Steward refreshes before, even when nobody asks for a token. */
    idleSeconds: z.number().int().positive().nullable(),
  }),
  /** The JWT bearer grant's `aud` when the provider wants other than its token URL (Salesforce: its login host). */
  jwtBearerAudience: z.string().min(1).optional(),
  /** Used when the token response has no expires_in. */
  defaultTokenLifetimeSeconds: z.number().int().positive(),
  tokenRequestHeaders: z.record(z.string(), z.string()),
  quirks: z.array(z.string()),
});

export type Preset = z.infer<typeof presetSchema>;

/** The catalog, validated once at load: a bad entry stops start-up and names itself. */
export const PRESETS: ReadonlyMap<string, Preset> = new Map(
  CATALOG.map((entry) => {
    const result = presetSchema.safeParse(entry);
    if (!result.success) throw new Error(`connector preset ${(entry as { id?: string }).id}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const preset = result.data;
    const urls = [preset.authorizationUrl, preset.tokenUrl, preset.revocationUrl, preset.apiBaseUrl, preset.issuer].filter(Boolean).join(' ');
    for (const [, name, part] of urls.matchAll(/\{(\w+)(?:\.(\w+))?\}/g)) {
      const t = preset.templates[name];
      const ok = t && (part ? t.choices && Object.values(t.choices).every((c) => part in c) : !t.choices);
      if (!ok) throw new Error(`connector preset ${preset.id}: {${name}${part ? `.${part}` : ''}} does not match a declared template`);
    }
    return [preset.id, preset];
  }),
);

export interface ExpandedPreset {
  tokenUrl: string;
  authorizationUrl: string | null;
  revocationUrl: string | null;
  apiBaseUrl: string;
  issuer: string | null;
}

/** Fills the preset's URL templates; problems come back per template name, for field-level errors. */
export function expandPreset(preset: Preset, values: Record<string, string>): { ok: true; urls: ExpandedPreset } | { ok: false; problems: { name: string; message: string }[] } {
  const problems: { name: string; message: string }[] = [];
  const resolved: Record<string, Record<string, string>> = {};
  for (const [name, t] of Object.entries(preset.templates)) {
    const value = values[name] ?? t.default;
    if (value === undefined) {
      problems.push({ name, message: `is required for ${preset.name} (${t.description}, e.g. ${t.example})` });
      continue;
    }
    if (!new RegExp(`^(?:${t.pattern})$`).test(value)) {
      problems.push({ name, message: `is not a valid ${t.label} (e.g. ${t.example})` });
      continue;
    }
    resolved[name] = t.choices ? t.choices[value] : { '': value };
  }
  for (const name of Object.keys(values)) if (!preset.templates[name]) problems.push({ name, message: `is not used by ${preset.name}` });
  if (problems.length) return { ok: false, problems };
  // {name} takes the value itself; {name.part} takes one part of a choice (e.g. {region.tokenHost}).
  const fill = (url: string | null) => (url === null ? null : url.replace(/\{(\w+)(?:\.(\w+))?\}/g, (_m, name: string, part?: string) => resolved[name][part ?? '']));
  return {
    ok: true,
    urls: {
      tokenUrl: fill(preset.tokenUrl)!,
      authorizationUrl: fill(preset.authorizationUrl),
      revocationUrl: fill(preset.revocationUrl),
      apiBaseUrl: fill(preset.apiBaseUrl)!,
      issuer: fill(preset.issuer),
    },
  };
}

/** Generic: any compliant provider, by explicit URLs or by an issuer URL (RFC 8414 / OpenID discovery). */
export const GENERIC_CONNECTOR = {
  id: 'generic',
  name: 'Generic OAuth 2.0',
  docsUrl: 'https://www.rfc-editor.org/rfc/rfc6749',
  grantTypes: ['client_credentials', 'refresh_token', 'authorization_code'],
  fields: [
    { name: 'issuer', label: 'Issuer URL', required: false, description: 'discovers the endpoints (RFC 8414 / OpenID Connect Discovery)' },
    { name: 'tokenUrl', label: 'Token URL', required: true, description: 'unless discovered from the issuer' },
    { name: 'authorizationUrl', label: 'Authorization URL', required: false, description: 'authorization code only; unless discovered' },
    { name: 'revocationUrl', label: 'Revocation URL', required: false },
    { name: 'apiBaseUrl', label: 'API Base URL', required: true },
    { name: 'clientId', label: 'Client ID', required: true },
    { name: 'clientSecret', label: 'Client Secret', required: true },
    { name: 'scope', label: 'Scope', required: false },
  ],
  quirks: [],
};

/** The public description of a preset: what an admin must provide, and how the provider behaves. */
export function describePreset(p: Preset) {
  return {
    id: p.id,
    name: p.name,
    docsUrl: p.docsUrl,
    grantTypes: p.grantTypes,
    fields: [
      { name: 'clientId', label: 'Client ID', required: true },
      { name: 'clientSecret', label: 'Client Secret', required: true },
      ...Object.entries(p.templates).map(([name, t]) => ({ name: `presetValues.${name}`, label: t.label, description: t.description, example: t.example, required: t.default === undefined, choices: t.choices ? Object.keys(t.choices) : undefined })),
      { name: 'scope', label: 'Scope', required: false, default: p.defaultScope },
    ],
    urls: { authorizationUrl: p.authorizationUrl, tokenUrl: p.tokenUrl, revocationUrl: p.revocationUrl, apiBaseUrl: p.apiBaseUrl },
    tokenAuthMethod: p.tokenAuthMethod,
    pkce: p.pkce,
    refreshToken: p.refreshToken,
    defaultTokenLifetimeSeconds: p.defaultTokenLifetimeSeconds,
    quirks: p.quirks,
  };
}
