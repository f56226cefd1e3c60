// The console's pictures, drawn with visx (scales, stack, axes) in the console's colours. Every chart is a <figure>
// whose SVG has a one-sentence text alternative and whose numbers are also a table under "Show the numbers".
import { useId, type ReactNode } from 'react';
import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleLinear, scaleTime } from '@visx/scale';
import { AreaStack } from '@visx/shape';
import type { LifecycleEvent } from '../api';
import { tokenEventKind } from '../../../lib/eventKinds';
import { exactTime } from '../format';
import { STATUS_LABEL, STATUSES, type Status } from '../words';

/** Fills that carry the status badges' hues (the badge text colours, for contrast against white). */
export const STATUS_FILL: Record<Status, string> = {
  active: '#2f9e62',
  degraded: '#d08a1a',
  awaiting_consent: '#7a55d1',
  disconnected: '#c9372c',
  revoked: '#9aa3b2',
  validating: '#2b59c3',
};

const AXIS = { stroke: '#c3c9d4', tickStroke: '#c3c9d4' };
const tickLabel = () => ({ fill: '#5b6476', fontSize: 11, fontFamily: 'system-ui, sans-serif' });
const shortTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayTime = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const secondTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
/** Tick labels as precise as the span needs: seconds for minutes, the day for days. */
const timeTick = (spanMs: number) => (d: Date | { valueOf(): number }) =>
  (spanMs > 36 * 3_600_000 ? dayTime : spanMs < 10 * 60_000 ? secondTime : shortTime).format(new Date(d.valueOf()));

/** A chart with its title, its one-line text alternative, a legend, and its numbers as a table. */
export function ChartFigure(props: { title: string; summary: string; legend?: ReactNode; table: ReactNode; children: ReactNode; testId?: string; actions?: ReactNode }) {
  const id = useId();
  return (
    <figure className="chart card" aria-labelledby={`${id}-title`} data-testid={props.testId}>
      <div className="chart-head">
        <h2 id={`${id}-title`}>{props.title}</h2>
        {props.actions}
      </div>
      <div role="img" aria-label={props.summary} className="chart-plot">
        {props.children}
      </div>
      {props.legend && <div className="chart-legend">{props.legend}</div>}
      <figcaption className="chart-summary muted">{props.summary}</figcaption>
      <details className="chart-table">
        <summary>Show the numbers</summary>
        <div className="table-scroll">{props.table}</div>
      </details>
    </figure>
  );
}

export function LegendItem({ color, label, shape = 'square' }: { color: string; label: string; shape?: 'square' | 'diamond' | 'line' | 'circle' }) {
  return (
    <span className="legend-item">
      <span className={`legend-swatch legend-${shape}`} style={{ background: shape === 'line' ? undefined : color, borderColor: color }} aria-hidden="true" />
      {label}
    </span>
  );
}

// ── integrations by status over time ────────────────────────────────────────────────────────────

type Point = { at: string; counts: Record<Status, number> };

export function StatusOverTime({ points }: { points: Point[] }) {
  const width = 760;
  const height = 240;
  const m = { top: 10, right: 12, bottom: 28, left: 40 };
  const keys = STATUSES.filter((s) => points.some((p) => p.counts[s] > 0));
  const first = Date.parse(points[0]?.at ?? new Date().toISOString());
  const last = Date.parse(points[points.length - 1]?.at ?? new Date().toISOString());
  const x = scaleTime({ domain: [new Date(first), new Date(last)], range: [0, width - m.left - m.right] });
  const maxTotal = Math.max(1, ...points.map((p) => keys.reduce((n, k) => n + p.counts[k], 0)));
  const y = scaleLinear({ domain: [0, maxTotal], range: [height - m.top - m.bottom, 0], nice: true });
  const now = points[points.length - 1]?.counts;
  const summary = now
    ? `Integrations by status from ${exactTime(points[0].at)} to now. Now: ${keys.map((k) => `${now[k]} ${STATUS_LABEL[k]}`).join(', ') || 'none'}.`
    : 'No integrations.';
  // The table shows at most a dozen rows: every few points, and the last.
  const every = Math.max(1, Math.ceil(points.length / 12));
  const rows = points.filter((_, i) => i % every === 0 || i === points.length - 1);
  return (
    <ChartFigure
      title="Integrations by status over time"
      summary={summary}
      testId="chart-status"
      legend={keys.map((k) => <LegendItem key={k} color={STATUS_FILL[k]} label={STATUS_LABEL[k]} />)}
      table={
        <table className="table table-compact">
          <thead>
            <tr>
              <th scope="col">Time</th>
              {keys.map((k) => (
                <th key={k} scope="col">
                  {STATUS_LABEL[k]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.at}>
                <td>{exactTime(p.at)}</td>
                {keys.map((k) => (
                  <td key={k}>{p.counts[k]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <svg viewBox={`0 0 ${width} ${height}`} className="chart-svg" aria-hidden="true">
        <Group left={m.left} top={m.top}>
          <AreaStack<Point, Status>
            keys={keys}
            data={points}
            value={(d, k) => d.counts[k]}
            x={(d) => x(new Date(d.data.at)) ?? 0}
            y0={(d) => y(d[0]) ?? 0}
            y1={(d) => y(d[1]) ?? 0}
          >
            {({ stacks, path }) =>
              stacks.map((stack) => <path key={stack.key} d={path(stack) ?? ''} fill={STATUS_FILL[stack.key]} fillOpacity={0.85} stroke="#fff" strokeWidth={0.5} data-series={stack.key} />)
            }
          </AreaStack>
          <AxisLeft scale={y} numTicks={4} tickFormat={(v) => String(v)} {...AXIS} tickLabelProps={tickLabel} />
          <AxisBottom top={height - m.top - m.bottom} scale={x} numTicks={6} tickFormat={timeTick(last - first)} {...AXIS} tickLabelProps={tickLabel} />
        </Group>
      </svg>
    </ChartFigure>
  );
}

// ── upcoming expiries with the refresh plan ──────────────────────────────────────────────────────

type Expiry = { id: string; label: string; status: Status; expiresAt: string; refreshDueAt: string | null; nextAttemptAt: string | null };

export function ExpiryTimeline({ items, fromMs, toMs, onOpen }: { items: Expiry[]; fromMs: number; toMs: number; onOpen?: (id: string) => void }) {
  const shown = items.slice(0, 12);
  const width = 760;
  const labelW = 190;
  const row = 26;
  const m = { top: 6, bottom: 28 };
  const height = m.top + m.bottom + Math.max(1, shown.length) * row;
  // The axis ends a little after the last expiry shown (at most the window): short-lived tokens are not squeezed to a point.
  const lastExpiry = Math.max(fromMs + 10_000, ...shown.map((i) => Date.parse(i.expiresAt)));
  const end = Math.min(toMs, fromMs + (lastExpiry - fromMs) * 1.08);
  const x = scaleTime({ domain: [new Date(fromMs), new Date(end)], range: [labelW, width - 14], clamp: true });
  const summary = shown.length
    ? `${items.length} token${items.length === 1 ? '' : 's'} expire in this window; the first, ${shown[0].label}, at ${exactTime(shown[0].expiresAt)}${
        shown[0].refreshDueAt ? `, with its renewal planned at ${exactTime(shown[0].refreshDueAt)}` : ''
      }.`
    : 'No token expires in this window.';
  return (
    <ChartFigure
      title="Upcoming token expiries and the refresh plan"
      summary={summary}
      testId="chart-expiries"
      legend={
        <>
          <LegendItem color="#2b59c3" label="renewal planned" shape="diamond" />
          <LegendItem color="#c9372c" label="token expires" shape="line" />
          <LegendItem color="#d08a1a" label="next retry (failing)" shape="circle" />
        </>
      }
      table={
        <table className="table table-compact">
          <thead>
            <tr>
              <th scope="col">Integration</th>
              <th scope="col">Status</th>
              <th scope="col">Renewal planned</th>
              <th scope="col">Token expires</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id}>
                <td>{i.label}</td>
                <td>{STATUS_LABEL[i.status]}</td>
                <td>{i.refreshDueAt ? exactTime(i.refreshDueAt) : '—'}</td>
                <td>{exactTime(i.expiresAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <svg viewBox={`0 0 ${width} ${height}`} className="chart-svg" aria-hidden="true">
        {shown.map((i, n) => {
          const cy = m.top + n * row + row / 2;
          const xe = x(new Date(i.expiresAt)) ?? 0;
          const due = i.refreshDueAt ? (x(new Date(i.refreshDueAt)) ?? null) : null;
          const retry = i.status === 'degraded' && i.nextAttemptAt ? (x(new Date(i.nextAttemptAt)) ?? null) : null;
          return (
            <g key={i.id} data-integration-id={i.id} className={onOpen ? 'chart-row-link' : undefined} onClick={() => onOpen?.(i.id)}>
              <text x={labelW - 10} y={cy + 4} textAnchor="end" fontSize={12} fill="#1c2230">
                {i.label.length > 26 ? `${i.label.slice(0, 25)}…` : i.label}
              </text>
              <line x1={labelW} x2={xe} y1={cy} y2={cy} stroke={STATUS_FILL[i.status]} strokeWidth={6} strokeLinecap="round" strokeOpacity={0.35} />
              <line x1={xe} x2={xe} y1={cy - 9} y2={cy + 9} stroke="#c9372c" strokeWidth={2} />
              {due !== null && <rect x={due - 5} y={cy - 5} width={10} height={10} transform={`rotate(45 ${due} ${cy})`} fill="#2b59c3" />}
              {retry !== null && <circle cx={retry} cy={cy} r={5} fill="#d08a1a" />}
            </g>
          );
        })}
        <AxisBottom top={height - m.bottom} scale={x} numTicks={4} tickFormat={timeTick(end - fromMs)} {...AXIS} tickLabelProps={tickLabel} />
      </svg>
    </ChartFigure>
  );
}

// ── refresh outcomes per provider ───────────────────────────────────────────────────────────────

const FAILURE_FILLS = ['#c9372c', '#d08a1a', '#7a55d1', '#8f2c5a', '#5b6476', '#b35c00'];

type Outcomes = { host: string; preset: string | null; outcomes: Record<string, number>; total: number };

export function RefreshOutcomes({ rows, hours }: { rows: Outcomes[]; hours: number }) {
  const codes = [...new Set(rows.flatMap((r) => Object.keys(r.outcomes)).filter((c) => c !== 'success'))].sort();
  const fill = (code: string) => (code === 'success' ? STATUS_FILL.active : FAILURE_FILLS[codes.indexOf(code) % FAILURE_FILLS.length]);
  const order = ['success', ...codes];
  const width = 760;
  const labelW = 220;
  const row = 30;
  const m = { top: 4, bottom: 28 };
  const height = m.top + m.bottom + Math.max(1, rows.length) * row;
  const x = scaleLinear({ domain: [0, Math.max(1, ...rows.map((r) => r.total))], range: [labelW, width - 40], nice: true });
  const name = (r: Outcomes) => (r.preset ? `${r.preset} · ${r.host}` : r.host);
  const within = hours >= 1 ? `${hours} h` : `${Math.round(hours * 60)} min`;
  const summary = rows.length
    ? rows.map((r) => `${name(r)}: ${r.outcomes.success ?? 0} succeeded${codes.filter((c) => r.outcomes[c]).map((c) => `, ${r.outcomes[c]} ${c}`).join('')}`).join('; ') + '.'
    : `No refreshes in the last ${within}.`;
  return (
    <ChartFigure
      title={`Refresh outcomes per provider, last ${within}`}
      summary={summary}
      testId="chart-outcomes"
      legend={order.filter((c) => c === 'success' || codes.includes(c)).map((c) => <LegendItem key={c} color={fill(c)} label={c === 'success' ? 'succeeded' : c} />)}
      table={
        <table className="table table-compact">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              {order.map((c) => (
                <th key={c} scope="col">
                  {c === 'success' ? 'succeeded' : c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={name(r)}>
                <td>{name(r)}</td>
                {order.map((c) => (
                  <td key={c}>{r.outcomes[c] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <svg viewBox={`0 0 ${width} ${height}`} className="chart-svg" aria-hidden="true">
        {rows.map((r, n) => {
          const y0 = m.top + n * row + 6;
          let at = labelW;
          return (
            <g key={name(r)} data-host={r.host}>
              <text x={labelW - 10} y={y0 + 13} textAnchor="end" fontSize={12} fill="#1c2230">
                {name(r).length > 30 ? `${name(r).slice(0, 29)}…` : name(r)}
              </text>
              {order.map((c) => {
                const v = r.outcomes[c] ?? 0;
                if (!v) return null;
                const w = (x(v) ?? labelW) - labelW;
                const rect = <rect key={c} x={at} y={y0} width={Math.max(1, w)} height={row - 12} fill={fill(c)} data-outcome={c} />;
                at += w;
                return rect;
              })}
              <text x={at + 6} y={y0 + 13} fontSize={11} fill="#5b6476">
                {r.total}
              </text>
            </g>
          );
        })}
        <AxisBottom top={height - m.bottom} scale={x} numTicks={5} tickFormat={(v) => String(v)} {...AXIS} tickLabelProps={tickLabel} />
      </svg>
    </ChartFigure>
  );
}

// ── one integration's tokens ────────────────────────────────────────────────────────────────────

export interface TokenSpan {
  from: string;
  to: string | null;
  how: 'issued' | 'refreshed';
  /** Failures while this token was current. */
  failures: { at: string; code: string }[];
  expiredAt: string | null;
}

/** The last `n` tokens, oldest first, from lifecycle events (any order): each lasts until the next one is obtained. */
export function tokenSpans(events: LifecycleEvent[], n: number): TokenSpan[] {
  const spans: TokenSpan[] = [];
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    const k = tokenEventKind(e);
    const current = spans[spans.length - 1];
    if (k.kind === 'issued' || k.kind === 'refreshed') {
      if (current && current.to === null) current.to = e.at;
      spans.push({ from: e.at, to: null, how: k.kind, failures: [], expiredAt: null });
    } else if (k.kind === 'failed' && current) {
      current.failures.push({ at: e.at, code: k.code });
    } else if (k.kind === 'expired' && current) {
      current.expiredAt = e.at;
    } else if (e.to === 'revoked' && current && current.to === null) {
      current.to = e.at;
    }
  }
  return spans.slice(-n);
}

export function LifetimeStrip({ events, n = 20, expiresAt }: { events: LifecycleEvent[]; n?: number; expiresAt: string | null }) {
  const spans = tokenSpans(events, n);
  if (spans.length === 0) return <p className="muted">No token has been issued yet.</p>;
  const width = 760;
  const height = 64;
  const nowMs = Date.now();
  const start = Date.parse(spans[0].from);
  const endOf = (s: TokenSpan) => Date.parse(s.to ?? s.expiredAt ?? (expiresAt && Date.parse(expiresAt) > nowMs ? expiresAt : new Date(nowMs).toISOString()));
  const current = spans[spans.length - 1].to === null;
  const end = Math.max(...spans.map(endOf));
  const x = scaleTime({ domain: [new Date(start), new Date(end)], range: [4, width - 4] });
  const failures = spans.reduce((k, s) => k + s.failures.length, 0);
  const lifetimes = spans.filter((s) => s.to).map((s) => Date.parse(s.to!) - Date.parse(s.from));
  const typical = lifetimes.length ? lifetimes.sort((a, b) => a - b)[Math.floor(lifetimes.length / 2)] : null;
  const summary = `The last ${spans.length} token${spans.length === 1 ? '' : 's'}: ${spans.filter((s) => s.how === 'refreshed').length} obtained by refresh${
    typical !== null ? `, each current for about ${humanSpan(typical)}` : ''
  }; ${failures === 0 ? 'no refresh failed' : `${failures} failed refresh${failures === 1 ? '' : 'es'}`}${spans.some((s) => s.expiredAt) ? '; a token expired before its renewal' : ''}.`;
  return (
    <ChartFigure
      title={`Last ${spans.length} tokens`}
      summary={summary}
      testId="lifetime-strip"
      legend={
        <>
          <LegendItem color={STATUS_FILL.active} label="token current" />
          <LegendItem color="#c9372c" label="failed refresh" shape="line" />
          <LegendItem color="#d08a1a" label="expired before renewal" shape="circle" />
        </>
      }
      table={
        <table className="table table-compact">
          <thead>
            <tr>
              <th scope="col">Obtained</th>
              <th scope="col">How</th>
              <th scope="col">Replaced</th>
              <th scope="col">Failures while current</th>
            </tr>
          </thead>
          <tbody>
            {[...spans].reverse().map((s) => (
              <tr key={s.from}>
                <td>{exactTime(s.from)}</td>
                <td>{s.how}</td>
                <td>{s.to ? exactTime(s.to) : 'current'}</td>
                <td>{s.failures.length ? s.failures.map((f) => f.code).join(', ') : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <svg viewBox={`0 0 ${width} ${height}`} className="chart-svg" aria-hidden="true">
        {spans.map((s) => {
          const x0 = x(new Date(s.from)) ?? 0;
          const x1 = x(new Date(endOf(s))) ?? 0;
          return (
            <g key={s.from} className="token-span" data-how={s.how}>
              <rect x={x0} y={14} width={Math.max(2, x1 - x0 - 1.5)} height={22} rx={3} fill={STATUS_FILL.active} fillOpacity={s.to ? 0.55 : 0.9} />
              {s.failures.map((f) => (
                <line key={f.at} x1={x(new Date(f.at))} x2={x(new Date(f.at))} y1={8} y2={42} stroke="#c9372c" strokeWidth={2} data-failure={f.code} />
              ))}
              {s.expiredAt && <circle cx={x(new Date(s.expiredAt))} cy={25} r={5} fill="#d08a1a" />}
            </g>
          );
        })}
        <text x={4} y={58} fontSize={11} fill="#5b6476">
          {exactTime(new Date(start).toISOString())}
        </text>
        <text x={width - 4} y={58} fontSize={11} fill="#5b6476" textAnchor="end">
          {current ? 'now' : exactTime(new Date(end).toISOString())}
        </text>
      </svg>
    </ChartFigure>
  );
}

function humanSpan(ms: number): string {
  if (ms < 90_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 90 * 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}
