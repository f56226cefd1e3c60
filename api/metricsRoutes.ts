// GET /metrics for Prometheus (no credentials, no tenant labels), and the token endpoint's request metrics.
import type { RequestHandler } from 'express';
import type { Registry as MetricsRegistry } from 'prom-client';
import { tokenOutcome, tokenRequestDuration, tokenRequests } from '../lib/metrics';

export function metricsEndpoint(metrics: MetricsRegistry): RequestHandler {
  return async (_req, res) => {
    const text = await metrics.metrics();
    res.set('Content-Type', metrics.contentType).set('Cache-Control', 'no-store').send(text);
  };
}

/** The first handler of the token route (api/tokenRoute.ts), ahead of authentication, so refused callers are counted too. */
export const observeTokenEndpoint: RequestHandler = (_req, res, next) => {
  const end = tokenRequestDuration.startTimer();
  res.on('finish', () => {
    const outcome = tokenOutcome(res.statusCode);
    end({ outcome });
    tokenRequests.inc({ outcome });
  });
  next();
};
