// Fleet health read from the registry's integrations: counts by status and tenant, the soonest expiry, the oldest unresolved failure.
import type { Connection, Model } from 'mongoose';
import { STATUSES, type LastError, type Status } from '../workflows/model';
import type { HealthSource } from './metrics';

export interface TenantCounts {
  tenantId: string | null;
  total: number;
  byStatus: Record<Status, number>;
}

export interface UnresolvedFailure {
  id: string;
  label: string;
  tenantId: string | null;
  status: Status;
  lastError: LastError;
  failingSince: string | null;
  consecutiveFailures: number;
}

// A failure is unresolved while the status says so, or while an active integration is still retrying.
const UNRESOLVED = {
  'state.lastError': { $ne: null },
  $or: [{ 'state.status': { $in: ['degraded', 'awaiting_consent', 'disconnected'] } }, { 'state.status': 'active', 'state.consecutiveFailures': { $gt: 0 } }],
};

const zeroCounts = (): Record<Status, number> => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;

export function sumByStatus(rows: TenantCounts[]): Record<Status, number> {
  const counts = zeroCounts();
  for (const row of rows) for (const s of STATUSES) counts[s] += row.byStatus[s];
  return counts;
}

/** The fields of an integration the summary reads (a registry document or an api mirror entry). */
export interface HealthRow {
  id: string;
  label: string;
  tenantId: string | null;
  state: { status: Status; lastError: LastError | null; failingSince?: string | null; consecutiveFailures: number };
}

const isUnresolved = (s: HealthRow['state']) =>
  s.lastError !== null && (s.status === 'degraded' || s.status === 'awaiting_consent' || s.status === 'disconnected' || (s.status === 'active' && s.consecutiveFailures > 0));

/**
 * countsByTenant() and oldestUnresolvedFailure() computed from rows in memory (the api's token mirror), by the same
 * rules as the queries below: one pass over the rows, no database read per request.
 */
export function healthOf(rows: Iterable<HealthRow>, tenants: string[] | null): { byTenant: TenantCounts[]; oldest: UnresolvedFailure | null } {
  const allowed = tenants ? new Set(tenants) : null;
  const byTenant = new Map<string | null, TenantCounts>();
  let oldest: HealthRow | null = null;
  // MongoDB sorts a missing failingSince first, as '' does.
  const key = (r: HealthRow) => [r.state.failingSince ?? '', r.state.lastError?.at ?? ''] as const;
  for (const row of rows) {
    if (allowed && !(row.tenantId !== null && allowed.has(row.tenantId))) continue;
    const entry = byTenant.get(row.tenantId) ?? { tenantId: row.tenantId, total: 0, byStatus: zeroCounts() };
    entry.byStatus[row.state.status] += 1;
    entry.total += 1;
    byTenant.set(row.tenantId, entry);
    if (!isUnresolved(row.state)) continue;
    if (oldest === null) oldest = row;
    else {
      const [a, b] = [key(row), key(oldest)];
      if (a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])) oldest = row;
    }
  }
  return {
    byTenant: [...byTenant.values()].sort((a, b) => (a.tenantId ?? '').localeCompare(b.tenantId ?? '')),
    oldest: oldest && {
      id: oldest.id,
      label: oldest.label,
      tenantId: oldest.tenantId,
      status: oldest.state.status,
      lastError: oldest.state.lastError!,
      failingSince: oldest.state.failingSince ?? oldest.state.lastError!.at,
      consecutiveFailures: oldest.state.consecutiveFailures,
    },
  };
}

export class HealthReader implements HealthSource {
  private readonly integrations: Model<Record<string, unknown>>;

  /** Uses the registry's Integration model on the same connection (the Registry must be connected first). */
  constructor(conn: Connection) {
    this.integrations = conn.model('Integration') as unknown as Model<Record<string, unknown>>;
  }

  /** Counts per tenant and status; `tenants` confines them (null = every tenant). */
  async countsByTenant(tenants: string[] | null = null): Promise<TenantCounts[]> {
    const match = tenants ? { tenantId: { $in: tenants } } : {};
    const rows = (await this.integrations.aggregate([
      { $match: match },
      { $group: { _id: { tenantId: '$tenantId', status: '$state.status' }, count: { $sum: 1 } } },
    ])) as { _id: { tenantId?: string | null; status: Status }; count: number }[];
    const byTenant = new Map<string | null, TenantCounts>();
    for (const row of rows) {
      const tenantId = row._id.tenantId ?? null;
      const entry = byTenant.get(tenantId) ?? { tenantId, total: 0, byStatus: zeroCounts() };
      entry.byStatus[row._id.status] = (entry.byStatus[row._id.status] ?? 0) + row.count;
      entry.total += row.count;
      byTenant.set(tenantId, entry);
    }
    return [...byTenant.values()].sort((a, b) => (a.tenantId ?? '').localeCompare(b.tenantId ?? ''));
  }

  async countsByStatus(tenants: string[] | null = null): Promise<Record<Status, number>> {
    return sumByStatus(await this.countsByTenant(tenants));
  }

  /** expiresAt is an ISO-8601 UTC string, so string order is time order. */
  async soonestActiveExpiry(): Promise<string | null> {
    const doc = (await this.integrations
      .findOne({ 'state.status': 'active', 'state.expiresAt': { $ne: null } }, { state: 1 })
      .sort({ 'state.expiresAt': 1 })
      .lean()) as { state?: { expiresAt?: string | null } } | null;
    return doc?.state?.expiresAt ?? null;
  }

  /** The integration that has been failing longest (its failure began earliest, not its latest retry). */
  async oldestUnresolvedFailure(tenants: string[] | null = null): Promise<UnresolvedFailure | null> {
    const filter = tenants ? { ...UNRESOLVED, tenantId: { $in: tenants } } : UNRESOLVED;
    const doc = (await this.integrations
      .findOne(filter, { label: 1, tenantId: 1, state: 1 })
      .sort({ 'state.failingSince': 1, 'state.lastError.at': 1 })
      .lean()) as { _id: string; label: string; tenantId?: string | null; state: { status: Status; lastError: LastError; failingSince?: string | null; consecutiveFailures: number } } | null;
    if (!doc) return null;
    return {
      id: doc._id,
      label: doc.label,
      tenantId: doc.tenantId ?? null,
      status: doc.state.status,
      lastError: doc.state.lastError,
      failingSince: doc.state.failingSince ?? doc.state.lastError.at,
      consecutiveFailures: doc.state.consecutiveFailures,
    };
  }
}
