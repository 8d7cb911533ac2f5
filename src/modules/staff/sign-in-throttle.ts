/**
 * Counts failed sign-ins per client address and per email in a sliding window, in this process.
 *
 * In-process rather than @fastify/rate-limit: that plugin counts requests, and what must be limited
 * here is failures (a person who signs in fine is never slowed down), keyed by something in the body
 * (the email), on the app's own clock so tests can move time. One process serves PGlite; with several
 * servers on PostgreSQL each keeps its own counts, so the effective limit is N times the figure.
 */
export interface ThrottleLimits {
  windowMs: number;
  perEmail: number;
  perAddress: number;
}

export const SIGN_IN_LIMITS: ThrottleLimits = { windowMs: 15 * 60_000, perEmail: 5, perAddress: 20 };

// Bounds memory under a spray of made-up emails; the oldest keys go first.
const MAX_KEYS = 50_000;

export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => Date,
    private readonly limits: ThrottleLimits = SIGN_IN_LIMITS,
  ) {}

  /** Seconds until another attempt is allowed, or 0 when it is allowed now. */
  retryAfterSeconds(email: string, address: string): number {
    const now = this.now().getTime();
    const wait = (key: string, limit: number) => {
      const times = this.recent(key, now);
      if (times.length < limit) return 0;
      return Math.ceil((times[times.length - limit]! + this.limits.windowMs - now) / 1000);
    };
    return Math.max(wait(`email:${email}`, this.limits.perEmail), wait(`address:${address}`, this.limits.perAddress));
  }

  recordFailure(email: string, address: string): void {
    const now = this.now().getTime();
    for (const key of [`email:${email}`, `address:${address}`]) {
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

  /** A correct password clears the email's count, not the address's: one good account must not reset a guesser. */
  recordSuccess(email: string): void {
    this.failures.delete(`email:${email}`);
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => now - t < this.limits.windowMs);
    if (times.length === 0) this.failures.delete(key);
    return times;
  }
}
