import type { FailureAttempt, FailureLimits } from '../rate-limits/index.js';

/**
 * Failed sign-ins, counted on the database (shared by every server process) per email and address,
 * per address, and per email over all addresses.
 *
 * The pair limit is what stops one guesser without locking the owner out: someone guessing from
 * another address uses up their own pair and address, never the owner's. The per-email limit, ten
 * times higher, is the net against guessing spread over many addresses; reaching it does lock the
 * account for everyone until the window ends, the price of not letting a botnet guess without end.
 */
export interface ThrottleLimits {
  windowMs: number;
  perEmailAndAddress: number;
  perAddress: number;
  perEmail: number;
}

export const SIGN_IN_LIMITS: ThrottleLimits = {
  windowMs: 15 * 60_000,
  perEmailAndAddress: 5,
  perAddress: 20,
  perEmail: 50,
};

export class SignInThrottle {
  constructor(
    private readonly failures: FailureLimits,
    private readonly limits: ThrottleLimits = SIGN_IN_LIMITS,
  ) {}

  /**
   * Reserves this attempt as a failure (throws rate_limited with retry_after when a limit is
   * reached). A wrong password needs nothing more; call `succeeded` on the returned attempt when the
   * password was right.
   */
  async begin(email: string, address: string): Promise<SignInAttempt> {
    const { windowMs } = this.limits;
    const pair = pairKey(email, address);
    const attempt = await this.failures.begin(
      [
        { key: pair, limit: this.limits.perEmailAndAddress, windowMs },
        { key: `sign-in:address:${address}`, limit: this.limits.perAddress, windowMs },
        { key: `sign-in:email:${email}`, limit: this.limits.perEmail, windowMs },
      ],
      'Too many failed sign-ins',
    );
    return new SignInAttempt(attempt, pair);
  }
}

export class SignInAttempt {
  constructor(
    private readonly attempt: FailureAttempt,
    private readonly pair: string,
  ) {}

  /**
   * The right password: nothing counts, and the pair's earlier typos are forgotten. The address's
   * and the email's counts stay: one good account must not reset a guesser.
   */
  succeeded(): Promise<void> {
    return this.attempt.succeeded([this.pair]);
  }
}

function pairKey(email: string, address: string): string {
  return `sign-in:pair:${JSON.stringify([email, address])}`;
}
