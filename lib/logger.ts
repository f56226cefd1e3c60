// Structured logging with redaction at the logger, so no call site can leak a secret by accident.
import { pino, type Logger } from 'pino';

export const REDACTED_KEYS = [
  'clientSecret',
  'client_secret',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'authorization',
  'code_verifier',
  'secrets',
  'SecretString',
];

export function createLogger(name: string, level: string): Logger {
  const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers.${k}`]);
  return pino({ name, level, redact: { paths, censor: '[redacted]' } });
}
