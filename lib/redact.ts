// The one list of field names that hold secrets, and a deep redaction over it (the logger and the codec server use both).

export const SECRET_KEYS = [
  'clientSecret',
  'privateKey',
  'client_secret',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'authorization',
  'codeVerifier',
  'code_verifier',
  'secrets',
  'SecretString',
];

export const REDACTED = '[redacted]';
const secretKeys = new Set(SECRET_KEYS);

/** A copy of `value` with every secret-named field, at any depth, replaced by "[redacted]". */
export function redactDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactDeep);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretKeys.has(k) ? REDACTED : redactDeep(v)]));
}

const BASE64_RUN = /[A-Za-z0-9+/_-]{6,}={0,2}/g;

/** The forms a secret takes on the wire when a provider echoes a request: raw, URL- or form-encoded. */
function textForms(secret: string): string[] {
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  return [...new Set([secret, encodeURIComponent(secret), form, encodeURIComponent(encodeURIComponent(secret))])];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a base64 (standard or url-safe, any alignment) run decodes to something holding one of the forms. */
function base64Holds(run: string, forms: string[]): boolean {
  const normalized = run.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  for (let skip = 0; skip < 4; skip++) {
    const decoded = Buffer.from(normalized.slice(skip), 'base64').toString('latin1');
    if (forms.some((f) => decoded.includes(f))) return true;
  }
  return false;
}

/**
 * `text` with every echo of the given secrets removed, in any encoding a provider might send back: raw, URL-encoded
 * (either case of hex digits), form-encoded, and base64 standard or url-safe at any alignment (a Basic header holds
 * `id:secret` encoded together). A whole base64 run holding a secret is replaced, not just the aligned middle.
 */
export function scrubSecrets(text: string, secrets: string[]): string {
  const usable = secrets.filter((s) => s && s.length >= 4);
  if (!usable.length) return text;
  const forms = [...new Set(usable.flatMap(textForms))];
  let out = text;
  for (const form of forms.sort((a, b) => b.length - a.length)) out = out.replace(new RegExp(escapeRegExp(form), 'gi'), REDACTED);
  return out.replace(BASE64_RUN, (run) => (base64Holds(run, forms) ? REDACTED : run));
}
