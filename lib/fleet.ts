// Fleet health over time, read from the registry: status counts at past instants (replaying transitions backwards),
// upcoming expiries with their refresh plan, refresh outcomes per provider host. Every read is confined to tenants.
import type { Connection, Model } from 'mongoose';
import { STATUSES, type Status, type TransitionEvent } from '../workflows/model';
import { refreshOutcome } from './eventKinds';
import type { HealthReader } from './health';

export interface StatusPoint {
  at: string;
  counts: Record<Status, number>;
}

export interface UpcomingExpiry {
  id: string;
  label: string;
  tenantId: string | null;
  status: Status;
  expiresAt: string;
  /** When the lifecycle plans to renew the token (workflows/schedule.ts decided it). */
  refreshDueAt: string | null;
  /** When it next calls the provider on its own (the due time, or the retry while failing). */
  nextAttemptAt: string | null;
}

export interface ProviderOutcomes {
  /** The provider's token host; the connector preset when there is one. */
  host: string;
  preset: string | null;
  /** 'success' and each failure code, with their counts. */
  outcomes: Record<string, number>;
  total: number;
}

interface IntegrationDoc {
  _id: string;
  label: string;
  tenantId?: string | null;
  tokenUrl: string;
  preset?: string | null;
  state: { status: Status; expiresAt: string | null; refreshDueAt?: string | null; nextAttemptAt?: string | null };
}

/** Events that change the status (most events are routine refreshes, active → active, which change no count). */
const STATUS_CHANGES = { $or: STATUSES.map((s) => ({ to: s, from: { $ne: s } })) };

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return 'unknown';
  }
};

export class FleetReader {
  private readonly integrations: Model<IntegrationDoc>;
  private readonly events: Model<TransitionEvent>;

  /** Uses the registry's models on the same connection (the Registry must be connected first). */
  constructor(
    conn: Connection,
    private readonly health: HealthReader,
  ) {
    this.integrations = conn.model('Integration') as unknown as Model<IntegrationDoc>;
    this.events = conn.model('IntegrationEvent') as unknown as Model<TransitionEvent>;
  }

  /** Integration ids within the tenants, for filtering events (which carry no tenant); null = no confinement. */
  private async idsIn(tenants: string[] | null): Promise<string[] | null> {
    if (tenants === null) return null;
    const docs = await this.integrations.find({ tenantId: { $in: tenants } }, { _id: 1 }).lean();
    return docs.map((d) => String(d._id));
  }

  /**
   * Counts by status at `points` instants from `fromMs` to `toMs` (the last is now): today's counts, with each status
   * change since undone in reverse order. An integration created later did not exist before its first event.
   */
  async statusHistory(tenants: string[] | null, fromMs: number, toMs: number, points: number): Promise<StatusPoint[]> {
    const [current, ids] = await Promise.all([this.health.countsByStatus(tenants), this.idsIn(tenants)]);
    const filter: Record<string, unknown> = { ...STATUS_CHANGES, at: { $gt: new Date(fromMs).toISOString() } };
    if (ids) filter.integrationId = { $in: ids };
    // seq breaks ties: an integration's "created" and "validated" events can share a millisecond, and must be undone in order.
    const changes = await this.events.find(filter, { _id: 0, from: 1, to: 1, at: 1, seq: 1 }).sort({ at: -1, seq: -1 }).lean();
    const counts = { ...current };
    const step = (toMs - fromMs) / (points - 1);
    const out: StatusPoint[] = [];
    let next = 0;
    for (let i = points - 1; i >= 0; i--) {
      const at = new Date(fromMs + step * i).toISOString();
      // Undo every change that happened after this instant.
      while (next < changes.length && changes[next].at > at) {
        const e = changes[next++];
        counts[e.to] = Math.max(0, counts[e.to] - 1);
        if (e.from) counts[e.from] += 1;
      }
      out.push({ at, counts: { ...counts } });
    }
    return out.reverse();
  }

  async upcomingExpiries(tenants: string[] | null, untilMs: number, limit: number): Promise<UpcomingExpiry[]> {
    const filter: Record<string, unknown> = {
      'state.status': { $in: ['active', 'degraded'] },
      'state.expiresAt': { $ne: null, $lte: new Date(untilMs).toISOString() },
    };
    if (tenants) filter.tenantId = { $in: tenants };
    const docs = await this.integrations.find(filter, { label: 1, tenantId: 1, state: 1 }).sort({ 'state.expiresAt': 1 }).limit(limit).lean();
    return docs.map((d) => ({
      id: String(d._id),
      label: d.label,
      tenantId: d.tenantId ?? null,
      status: d.state.status,
      expiresAt: d.state.expiresAt!,
      refreshDueAt: d.state.refreshDueAt ?? null,
      nextAttemptAt: d.state.nextAttemptAt ?? null,
    }));
  }

  /** Refresh successes and failures (by code) since `fromMs`, per provider token host. */
  async refreshOutcomes(tenants: string[] | null, fromMs: number): Promise<ProviderOutcomes[]> {
    const ids = await this.idsIn(tenants);
    const match: Record<string, unknown> = { at: { $gt: new Date(fromMs).toISOString() } };
    if (ids) match.integrationId = { $in: ids };
    const rows = (await this.events.aggregate([
      { $match: match },
      { $group: { _id: { integrationId: '$integrationId', from: '$from', to: '$to', reason: '$reason' }, count: { $sum: 1 } } },
    ])) as { _id: Pick<TransitionEvent, 'integrationId' | 'from' | 'to' | 'reason'>; count: number }[];
    const counted = rows.map((r) => ({ integrationId: r._id.integrationId, outcome: refreshOutcome(r._id), count: r.count })).filter((r) => r.outcome !== null);
    const involved = [...new Set(counted.map((r) => r.integrationId))];
    const docs = involved.length ? await this.integrations.find({ _id: { $in: involved } }, { tokenUrl: 1, preset: 1 }).lean() : [];
    const where = new Map(docs.map((d) => [String(d._id), { host: hostOf(d.tokenUrl), preset: d.preset ?? null }]));
    const byHost = new Map<string, ProviderOutcomes>();
    for (const r of counted) {
      const place = where.get(r.integrationId);
      if (!place) continue;
      const key = `${place.preset ?? ''}|${place.host}`;
      const entry = byHost.get(key) ?? { ...place, outcomes: {}, total: 0 };
      entry.outcomes[r.outcome!] = (entry.outcomes[r.outcome!] ?? 0) + r.count;
      entry.total += r.count;
      byHost.set(key, entry);
    }
    return [...byHost.values()].sort((a, b) => b.total - a.total);
  }
}
