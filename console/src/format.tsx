// How times read in the console: relative ("in 52 min") with the exact local time on hover and for screen readers.
import { useNow } from './hooks';

const exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function exactTime(iso: string): string {
  return exact.format(new Date(iso));
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function relativeTime(iso: string, now: number, opts: { future: boolean }): string {
  let diff = Date.parse(iso) - now;
  // A past event stamped by a server clock a little ahead of this browser's happened "just now", not "in 3 seconds".
  if (!opts.future && diff > 0) diff = 0;
  const abs = Math.abs(diff);
  if (abs < 45_000) return diff > 0 ? 'in a few seconds' : 'just now';
  const [size, unit] = abs >= 2 * DAY ? [DAY, 'd'] : abs >= 2 * HOUR ? [HOUR, 'h'] : [MINUTE, 'min'];
  const n = Math.round(abs / size);
  return diff > 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`;
}

/**
 * A timestamp; `expiry` reads a past time as "expired … ago" and may be in the future; other times are past events.
 * `withExact` adds the local time after the relative one.
 */
export function When({ iso, expiry = false, withExact = false }: { iso: string | null | undefined; expiry?: boolean; withExact?: boolean }) {
  useNow(); // re-render now and then so relative times stay true between polls
  if (!iso) return <span className="muted">—</span>;
  const now = Date.now();
  const rel = relativeTime(iso, now, { future: expiry });
  const past = Date.parse(iso) <= now;
  const text = expiry && past ? `expired ${rel}` : rel;
  return (
    <time dateTime={iso} title={exactTime(iso)} className={expiry && past ? 'text-warn' : undefined}>
      {text}
      {withExact && <span className="muted"> · {exactTime(iso)}</span>}
    </time>
  );
}
