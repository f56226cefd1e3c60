// Requests that present no valid key, limited per client address and minute: guessing keys costs a 429, not a row each.
import type { Request } from 'express';

export class AnonymousLimit {
  private minute = 0;
  private counts = new Map<string, number>();

  constructor(private readonly perMinute: number) {}

  /** Counts one unauthenticated request from `req`'s address; true once that address is over the limit this minute. */
  over(req: Request): boolean {
    const minute = Math.floor(Date.now() / 60_000);
    // One fixed window per minute for every address: the map never outgrows one minute's callers.
    if (minute !== this.minute) {
      this.minute = minute;
      this.counts = new Map();
    }
    const address = req.socket.remoteAddress ?? 'unknown';
    const count = (this.counts.get(address) ?? 0) + 1;
    this.counts.set(address, count);
    return count > this.perMinute;
  }

  /** Seconds until the window resets (Retry-After). */
  retryAfterSeconds(): number {
    return Math.max(1, 60 - Math.floor((Date.now() % 60_000) / 1000));
  }
}
