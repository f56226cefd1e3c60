// The Secrets Manager write budget: a pure rule for when a secret may receive a new version (AWS keeps ~100 per 24 h).

export interface WriteBudget {
  /** Non-urgent writes at least this far apart: ≤ 1 version per secret per 15 min on average. */
  minSpacingMs: number;
  /** Hard cap in any 24 h, urgent writes included (AWS refuses beyond ~100). */
  maxPerDay: number;
}

export const DAY_MS = 24 * 3600_000;
export const DEFAULT_WRITE_BUDGET: WriteBudget = { minSpacingMs: 15 * 60_000, maxPerDay: 96 };

/**
 * May a new version be written at `now`, given when earlier versions were written?
 * Urgent writes (material an admin or a consent just supplied, or a secret that does not exist yet) skip the spacing,
 * never the cap; everything else (a rotated refresh token, a fresh access token) waits for the spacing.
 */
export function mayWriteVersion(writes: readonly number[], now: number, urgent: boolean, budget: WriteBudget = DEFAULT_WRITE_BUDGET): boolean {
  const recent = writes.filter((t) => now - t < DAY_MS);
  if (recent.length >= budget.maxPerDay) return false;
  if (urgent) return true;
  const last = recent.length ? Math.max(...recent) : -Infinity;
  return now - last >= budget.minSpacingMs;
}
