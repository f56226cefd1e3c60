// The one list of field names that hold secrets, and a deep redaction over it (the logger and the codec server use both).

export const SECRET_KEYS = [
  'clientSecret',
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
