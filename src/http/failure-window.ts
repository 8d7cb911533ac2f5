/**
 * Counts failures per key in a sliding window, in this process: sign-ins that failed (per email and
 * per address), card payments that were declined (per address).
 *
 * In-process rather than @fastify/rate-limit: that plugin counts requests, and what must be limited
 * here is failures (a person who succeeds is never slowed down), keyed by something in the body, on
 * the app's own clock so tests can move time. One process serves PGlite; with several servers on
 * PostgreSQL each keeps its own counts, so the effective limit is N times the figure.
 */
export interface WindowLimit {
  key: string;
  limit: number;
}

// Bounds memory under a spray of made-up keys; the oldest keys go first.
const MAX_KEYS = 50_000;

export class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => Date,
    readonly windowMs: number,
  ) {}

  /** Seconds until another attempt is allowed under every limit, or 0 when it is allowed now. */
  retryAfterSeconds(limits: WindowLimit[]): number {
    const now = this.now().getTime();
    let wait = 0;
    for (const { key, limit } of limits) {
      const times = this.recent(key, now);
      if (times.length >= limit)
        wait = Math.max(wait, Math.ceil((times[times.length - limit]! + this.windowMs - now) / 1000));
    }
    return wait;
  }

  recordFailure(keys: string[]): void {
    const now = this.now().getTime();
    for (const key of keys) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.delete(key);
      this.failures.set(key, times);
    }
    while (this.failures.size > MAX_KEYS) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (times.length === 0) this.failures.delete(key);
    return times;
  }
}
