// Per api instance, in memory: what the token endpoint and the summary need of every integration, kept current from the change log.
import type { Logger } from 'pino';
import { GAP_WAIT_MS, LogCursor, RESCAN_MS, type ChangeLog } from '../lib/changeLog';
import type { MirrorRow, Registry } from '../lib/registry';
import type { TokenStore } from '../lib/tokenStore';

export interface MirrorEntry extends MirrorRow {
  /** The newest generation whose grant the provider refused (0: none): that token and older ones are not served. */
  deadGeneration: number;
}

/** How much of the log one query reads; a longer backlog is read in several. */
const BATCH = 5000;

/**
 * Loaded whole at start, then every pollMs: one read of the log's head when nothing changed, else the entries since the
 * last revision applied and one registry query for the ids they name. Another instance's change is seen within
 * pollMs + one poll's duration (up to GAP_WAIT_MS more while an earlier revision is still being written); this
 * instance's own changes are applied at once (reload, markRevoked).
 */
export class TokenMirror {
  private entries = new Map<string, MirrorEntry>();
  // Revocation is terminal: once this instance has sent one, no reload of an older projection makes it serve again.
  private readonly revokedHere = new Set<string>();
  private readonly cursor = new LogCursor();
  private readonly changes: ChangeLog;
  /** The start of the last poll that succeeded: the mirror holds at least everything written before it. */
  private syncedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly registry: Registry,
    private readonly store: Pick<TokenStore, 'deadGenerations'>,
    private readonly opts: { pollMs: number; logger?: Logger; /** Tests step time with their own clock. */ clock?: () => number },
  ) {
    this.changes = registry.changes;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.reloadAll();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** How old the mirror's view may be (ms): older than the state cache allows, the token service asks the registry. */
  ageMs(now = this.now()): number {
    return now - this.syncedAt;
  }

  private now(): number {
    return this.opts.clock ? this.opts.clock() : Date.now();
  }

  get(id: string): MirrorEntry | undefined {
    return this.entries.get(id);
  }

  isRevokedHere(id: string): boolean {
    return this.revokedHere.has(id);
  }

  all(): IterableIterator<MirrorEntry> {
    return this.entries.values();
  }

  get size(): number {
    return this.entries.size;
  }

  /** This instance is revoking `id`: it stops serving it now, whatever the workflow has projected yet. */
  markRevoked(id: string): void {
    this.revokedHere.add(id);
    const entry = this.entries.get(id);
    if (entry) this.entries.set(id, { ...entry, state: { ...entry.state, status: 'revoked' } });
  }

  /** A write through this instance: reload these ids now rather than at the next poll. */
  async reload(...ids: string[]): Promise<void> {
    await this.apply(ids);
  }

  /** One poll (public for tests that step time themselves). */
  async poll(): Promise<void> {
    const started = this.now();
    if (this.cursor.stale(started)) {
      // Not polled for longer than the log keeps a safe margin of entries: start over.
      this.opts.logger?.warn({ idleMs: started - this.cursor.lastPollAt }, 'token mirror reloads everything after a long pause');
      return this.reloadAll();
    }
    const ids = new Set<string>();
    const head = await this.changes.headRevision();
    while (head > this.cursor.confirmed) {
      const batch = await this.changes.since(this.cursor.confirmed, BATCH);
      const before = this.cursor.confirmed;
      for (const id of this.cursor.take(batch, this.now())) ids.add(id);
      // Stop at a gap still within GAP_WAIT_MS, or when the log has nothing more yet.
      if (batch.length < BATCH || this.cursor.confirmed === before) break;
    }
    if (started - this.cursor.lastRescanAt >= RESCAN_MS) {
      this.cursor.lastRescanAt = started;
      const late = this.cursor.givenUp(started);
      if (late.length) for (const e of await this.changes.byRevision(late)) ids.add(this.cursor.filled(e));
    }
    await this.apply([...ids]);
    this.cursor.lastPollAt = started;
    this.syncedAt = started;
  }

  private async reloadAll(): Promise<void> {
    const started = this.now();
    // The head first: whatever is written after it is read again from the log (a reload is idempotent).
    const head = await this.changes.headRevision();
    const [rows, dead] = await Promise.all([this.registry.mirrorRows(null), this.store.deadGenerations(null)]);
    // Built aside and swapped in: reads meanwhile keep the old view rather than an empty one.
    const fresh = new Map<string, MirrorEntry>();
    for (const row of rows) fresh.set(row.id, this.entryOf(row, dead.get(row.id) ?? 0));
    this.entries = fresh;
    this.cursor.reset(head, started);
    this.syncedAt = started;
  }

  private async apply(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const [rows, dead] = await Promise.all([this.registry.mirrorRows(ids), this.store.deadGenerations(ids)]);
    const found = new Set<string>();
    for (const row of rows) {
      found.add(row.id);
      const held = this.entries.get(row.id);
      // Two reloads of one id may answer out of order: the older projection never replaces the newer.
      if (held && held.state.revision > row.state.revision) continue;
      this.put(row, dead.get(row.id) ?? 0);
    }
    for (const id of ids) if (!found.has(id)) this.entries.delete(id);
  }

  private put(row: MirrorRow, deadGeneration: number): void {
    this.entries.set(row.id, this.entryOf(row, deadGeneration));
  }

  private entryOf(row: MirrorRow, deadGeneration: number): MirrorEntry {
    const state = this.revokedHere.has(row.id) ? { ...row.state, status: 'revoked' as const } : row.state;
    return { ...row, state, deadGeneration };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.poll()
        .catch((err: Error) => this.opts.logger?.error({ err: { message: err.message } }, 'token mirror poll failed'))
        .finally(() => this.schedule());
    }, this.opts.pollMs);
    this.timer.unref();
  }
}

/** The documented bound (README): how long another instance's change may take to reach this one's token reads. */
export const propagationBoundMs = (pollMs: number) => pollMs + GAP_WAIT_MS;
