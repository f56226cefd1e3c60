// Secrets Manager's real limits as a pure ledger (version quota, write rates, value size), shared by the emulator proxy and the benchmark.

/** AWS's published numbers for one region. */
export const SM_LIMITS = {
  versionsPer24h: 100,
  dayMs: 24 * 3600_000,
  /** Requests per second per API group; PutSecretValue, UpdateSecret, TagResource… share one group. */
  writesPerSecond: 50,
  maxValueBytes: 65_536,
} as const;

/** The API groups AWS rate-limits separately (Secrets Manager quotas page). */
const RATE_GROUP: Record<string, string> = {
  CreateSecret: 'create',
  DeleteSecret: 'delete',
  PutSecretValue: 'write',
  UpdateSecret: 'write',
  UpdateSecretVersionStage: 'write',
  RestoreSecret: 'write',
  RotateSecret: 'write',
  TagResource: 'write',
  UntagResource: 'write',
  PutResourcePolicy: 'write',
  DeleteResourcePolicy: 'write',
};

/** Operations that add a version when they carry a value. */
const VERSIONING = new Set(['CreateSecret', 'PutSecretValue', 'UpdateSecret']);

export interface SmError {
  type: 'LimitExceededException' | 'ThrottlingException' | 'ValidationException';
  message: string;
}

export interface SmWrite {
  operation: string;
  /** Secret name (an ARN is reduced to its name). */
  secret: string | null;
  clientRequestToken: string | null;
  valueBytes: number | null;
}

export class SmQuotaLedger {
  /** Per secret: creation time of each version (by its idempotency token) still inside the 24 h window. */
  private readonly versions = new Map<string, Map<string, number>>();
  /** Per rate group: request times within the last second. */
  private readonly recent = new Map<string, number[]>();
  /** Per second (the last 24 h): accepted versioning writes, for the peak-rate figure. */
  readonly writesPerSecond = new Map<number, number>();
  readonly refused: Record<SmError['type'], number> = { LimitExceededException: 0, ThrottlingException: 0, ValidationException: 0 };
  /** Refusals per secret name, so a test can tell its writes apart from a storm's. */
  readonly refusedBySecret = new Map<string, number>();
  acceptedVersions = 0;
  /** Writes per second that other tenants of the region take (tests saturate the region with it). */
  backgroundWritesPerSecond = 0;

  constructor(readonly clock: () => number = Date.now) {}

  /** Decides one request; null means AWS would accept it (and it has been counted). */
  admit(req: SmWrite): SmError | null {
    const now = this.clock();
    const group = RATE_GROUP[req.operation];
    if (!group) return null; // reads: 10,000/s, never reached here
    if (req.valueBytes !== null && req.valueBytes > SM_LIMITS.maxValueBytes) {
      return this.refuse({
        type: 'ValidationException',
        message: `1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to ${SM_LIMITS.maxValueBytes}`,
      });
    }
    const times = (this.recent.get(group) ?? []).filter((t) => now - t < 1000);
    this.recent.set(group, times);
    if (times.length + this.backgroundWritesPerSecond >= SM_LIMITS.writesPerSecond) return this.refuse({ type: 'ThrottlingException', message: 'Rate exceeded' }, req.secret);
    times.push(now);
    if (req.operation === 'DeleteSecret' && req.secret) {
      this.versions.delete(req.secret);
      return null;
    }
    if (!VERSIONING.has(req.operation) || !req.secret || req.valueBytes === null) return null;
    const versions = this.youngVersions(req.secret, now);
    // A retried request with the same ClientRequestToken is idempotent: no new version.
    if (req.clientRequestToken && versions.has(req.clientRequestToken)) return null;
    if (versions.size >= SM_LIMITS.versionsPer24h) {
      return this.refuse(
        {
          type: 'LimitExceededException',
          message: `You have exceeded the maximum number of versions (${SM_LIMITS.versionsPer24h}) created for the secret in the last 24 hours.`,
        },
        req.secret,
      );
    }
    versions.set(req.clientRequestToken ?? `anonymous-${now}-${versions.size}`, now);
    const second = Math.floor(now / 1000);
    this.writesPerSecond.set(second, (this.writesPerSecond.get(second) ?? 0) + 1);
    // Keep a day of seconds: a long dev run must not grow this without bound.
    for (const old of this.writesPerSecond.keys()) {
      if (old > second - SM_LIMITS.dayMs / 1000) break;
      this.writesPerSecond.delete(old);
    }
    this.acceptedVersions += 1;
    return null;
  }

  /** Versions of `secret` created in the last 24 h. */
  versionCount(secret: string): number {
    return this.youngVersions(secret, this.clock()).size;
  }

  peakWritesPerSecond(): number {
    return Math.max(0, ...this.writesPerSecond.values());
  }

  private youngVersions(secret: string, now: number): Map<string, number> {
    const versions = this.versions.get(secret) ?? new Map<string, number>();
    for (const [token, at] of versions) if (now - at >= SM_LIMITS.dayMs) versions.delete(token);
    this.versions.set(secret, versions);
    return versions;
  }

  private refuse(err: SmError, secret: string | null = null): SmError {
    this.refused[err.type] += 1;
    if (secret) this.refusedBySecret.set(secret, (this.refusedBySecret.get(secret) ?? 0) + 1);
    return err;
  }
}
