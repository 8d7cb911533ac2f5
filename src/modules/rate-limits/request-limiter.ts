import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/database.js';
import type { CounterKeyHash } from './counter-key.js';
import { addToCounters, deleteEndedCounters } from './rate-counter.repository.js';

export interface RequestDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends (Retry-After when refused). */
  resetSeconds: number;
}

interface Entry {
  windowStart: number;
  /** Counted here and not yet added to the database. */
  pending: number;
  /** The window's total on the database (every process's) when last added to. */
  shared: number;
}

// Bounds memory under a spray of made-up keys; the oldest keys go first (a lost count only lets a little more through).
const MAX_KEYS = 100_000;
const CLEANUP_EVERY_MS = 60_000;
const CLEANUP_BATCH = 1_000;

/**
 * Requests per key in fixed one-minute windows, shared between server processes without a database
 * round trip per request: each process counts in memory and, every `syncMs`, adds its counts to
 * the database in one upsert, which answers every process's total for the window. A process
 * decides with the total it last heard plus its own counts since, so N processes can let through
 * at most about N × (rate × syncMs) more than the limit before they hear of each other. Failures
 * (sign-ins, declines) need exact counts and use FailureLimits instead.
 */
export class RequestLimiter {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private flushAfter: Promise<void> | undefined;
  private lastCleanup = 0;

  constructor(
    private readonly deps: { db: Database; clock: () => Date; hash: CounterKeyHash; logger: FastifyBaseLogger },
    readonly windowMs = 60_000,
  ) {}

  /** Counts one request for `key` unless it would pass `limit`; a refused request is not counted. */
  hit(key: string, limit: number): RequestDecision {
    const now = this.deps.clock().getTime();
    const entry = this.entry(key, now);
    const resetSeconds = Math.max(1, Math.ceil((entry.windowStart + this.windowMs - now) / 1000));
    const used = entry.shared + entry.pending;
    if (used >= limit) return { allowed: false, limit, remaining: 0, resetSeconds };
    entry.pending++;
    return { allowed: true, limit, remaining: limit - used - 1, resetSeconds };
  }

  /** Counts a request already answered (a wrong API key) without deciding anything. */
  count(key: string): void {
    this.entry(key, this.deps.clock().getTime()).pending++;
  }

  /**
   * Adds this process's counts to the database and learns the totals (every syncMs; close and
   * tests call it). Once it resolves, every count made before the call is on the database: a flush
   * already under way took its counts when it began, so the call waits for one more after it.
   */
  flush(): Promise<void> {
    if (this.flushing) {
      this.flushAfter ??= this.flushing
        .catch(() => {})
        .then(() => {
          this.flushAfter = undefined;
          return this.flush();
        });
      return this.flushAfter;
    }
    this.flushing = this.addCounts().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  start(syncMs: number): void {
    this.timer = setInterval(() => void this.flush(), syncMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private entry(key: string, now: number): Entry {
    const windowStart = now - (now % this.windowMs);
    let entry = this.entries.get(key);
    if (entry === undefined || entry.windowStart !== windowStart) {
      entry = { windowStart, pending: 0, shared: 0 };
      this.entries.delete(key);
      this.entries.set(key, entry);
      if (this.entries.size > MAX_KEYS) this.entries.delete(this.entries.keys().next().value!);
    }
    return entry;
  }

  private async addCounts(): Promise<void> {
    const now = this.deps.clock().getTime();
    const windowStart = now - (now % this.windowMs);
    const sent: { key: string; entry: Entry; add: number; keyHash: Buffer }[] = [];
    for (const [key, entry] of this.entries) {
      if (entry.windowStart < windowStart) this.entries.delete(key);
      else if (entry.pending > 0) sent.push({ key, entry, add: entry.pending, keyHash: this.deps.hash(key) });
    }
    try {
      if (sent.length > 0) {
        const totals = await addToCounters(
          this.deps.db,
          sent.map(({ entry, add, keyHash }) => ({
            keyHash,
            windowStart: new Date(entry.windowStart),
            expiresAt: new Date(entry.windowStart + this.windowMs),
            add,
          })),
        );
        const byKey = new Map(totals.map((t) => [t.keyHash.toString('hex'), t.count]));
        for (const { entry, add, keyHash } of sent) {
          entry.pending -= add;
          entry.shared = byKey.get(keyHash.toString('hex')) ?? entry.shared + add;
        }
      }
      if (now - this.lastCleanup >= CLEANUP_EVERY_MS) {
        this.lastCleanup = now;
        await deleteEndedCounters(this.deps.db, new Date(now), CLEANUP_BATCH);
      }
    } catch (error) {
      // Counts stay pending and go with the next flush; meanwhile this process limits on its own counts.
      this.deps.logger.warn({ reason: (error as Error).message }, 'Could not share request counts');
    }
  }
}
