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
