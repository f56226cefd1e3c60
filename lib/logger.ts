// Structured logging with redaction at the logger, so no call site can leak a secret by accident.
import { pino, type Logger } from 'pino';
import { REDACTED, SECRET_KEYS } from './redact';

export function createLogger(name: string, level: string): Logger {
  const paths = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers.${k}`]);
  return pino({ name, level, redact: { paths, censor: REDACTED } });
}
