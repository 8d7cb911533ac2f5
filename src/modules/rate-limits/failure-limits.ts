import type { Database } from '../../db/database.js';
import { DomainError } from '../../errors.js';
import type { CounterKeyHash } from './counter-key.js';
import {
  addToCounters,
  deleteCounters,
  findRunningCounters,
  takeBackFromCounters,
  type CounterWindow,
} from './rate-counter.repository.js';

/** At most `limit` failures per `windowMs`, counted from the key's first failure. */
export interface FailureRule {
  key: string;
  limit: number;
  windowMs: number;
}

/**
 * Failures counted on the database, exactly, for every server process: failed sign-ins and declined
 * payments. Only failures are limited (a person who succeeds is never slowed down). Two ways:
 *
 * - `begin` reserves the attempt's place in every window before it runs (one upsert, which also
 *   tells the totals) and gives it back when it turns out not to be a failure. A burst of
 *   concurrent guesses then passes the limit by none, but attempts in flight hold places, so it
 *   suits keys with little honest concurrency (sign-ins). A refused attempt gives its places back:
 *   hammering a locked key must not use up the limits it shares (the email's, over all addresses).
 * - `check` then `record` counts a failure once it has happened. Honest attempts in flight never
 *   hold a place (many payers behind one address), but a concurrent burst can pass the limit by as
 *   many attempts as it runs at once (declines; the per-address request limit bounds those).
 */
export class FailureLimits {
  constructor(
    private readonly db: Database,
    private readonly clock: () => Date,
    private readonly hash: CounterKeyHash,
  ) {}

  /** Reserves one failure under every rule, or throws rate_limited (with retry_after) naming `what`. */
  async begin(rules: FailureRule[], what: string): Promise<FailureAttempt> {
    const now = this.clock();
    const distinct = [...new Map(rules.map((rule) => [rule.key, rule])).values()];
    const hashed = distinct.map((rule) => ({ rule, keyHash: this.hash(rule.key) }));
    const windows = await addToCounters(
      this.db,
      hashed.map(({ rule, keyHash }) => ({
        keyHash,
        windowStart: now,
        expiresAt: new Date(now.getTime() + rule.windowMs),
        add: 1,
      })),
    );
    const byKey = new Map(windows.map((w) => [w.keyHash.toString('hex'), w]));
    const reserved = hashed.map(({ rule, keyHash }) => ({ rule, window: byKey.get(keyHash.toString('hex'))! }));
    const attempt = new FailureAttempt(
      this.db,
      this.hash,
      reserved.map((r) => r.window),
    );
    const over = reserved.filter(({ rule, window }) => window.count > rule.limit);
    if (over.length > 0) {
      await attempt.notCounted();
      throw rateLimited(
        what,
        over.map(({ window }) => window),
        now,
      );
    }
    return attempt;
  }

  /** Throws rate_limited (with retry_after) when a rule's failures already reached its limit. */
  async check(rules: FailureRule[], what: string): Promise<void> {
    const now = this.clock();
    const hashed = new Map(rules.map((rule) => [this.hash(rule.key).toString('hex'), rule]));
    const windows = await findRunningCounters(
      this.db,
      [...hashed.keys()].map((hex) => Buffer.from(hex, 'hex')),
      now,
    );
    const over = windows.filter((w) => w.count >= hashed.get(w.keyHash.toString('hex'))!.limit);
    if (over.length > 0) throw rateLimited(what, over, now);
  }

  /** Counts one failure under every rule. */
  async record(rules: FailureRule[]): Promise<void> {
    const now = this.clock();
    const distinct = [...new Map(rules.map((rule) => [rule.key, rule])).values()];
    await addToCounters(
      this.db,
      distinct.map((rule) => ({
        keyHash: this.hash(rule.key),
        windowStart: now,
        expiresAt: new Date(now.getTime() + rule.windowMs),
        add: 1,
      })),
    );
  }
}

function rateLimited(what: string, over: CounterWindow[], now: Date): DomainError {
  const wait = Math.max(1, ...over.map((w) => Math.ceil((w.expiresAt.getTime() - now.getTime()) / 1000)));
  return new DomainError('rate_limited', `${what}; try again in ${wait} seconds`, { retry_after: wait });
}

/** One reserved attempt: a failure keeps its places (nothing to call); anything else gives them back. */
export class FailureAttempt {
  private settled = false;

  constructor(
    private readonly db: Database,
    private readonly hash: CounterKeyHash,
    private readonly windows: CounterWindow[],
  ) {}

  /** Not a failure: gives back the places reserved. */
  async notCounted(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    await takeBackFromCounters(this.db, this.windows);
  }

  /** A success: gives back the places, and forgets the failures of `keys` (a typo by the owner). */
  async succeeded(forget: string[] = []): Promise<void> {
    await this.notCounted();
    await deleteCounters(
      this.db,
      forget.map((key) => this.hash(key)),
    );
  }
}
