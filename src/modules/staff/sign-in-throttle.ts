import { FailureWindow } from '../../http/failure-window.js';

/** Failed sign-ins per email and per client address (see FailureWindow for why in-process). */
export interface ThrottleLimits {
  windowMs: number;
  perEmail: number;
  perAddress: number;
}

export const SIGN_IN_LIMITS: ThrottleLimits = { windowMs: 15 * 60_000, perEmail: 5, perAddress: 20 };

export class SignInThrottle {
  private readonly window: FailureWindow;

  constructor(
    now: () => Date,
    private readonly limits: ThrottleLimits = SIGN_IN_LIMITS,
  ) {
    this.window = new FailureWindow(now, limits.windowMs);
  }

  /** Seconds until another attempt is allowed, or 0 when it is allowed now. */
  retryAfterSeconds(email: string, address: string): number {
    return this.window.retryAfterSeconds([
      { key: `email:${email}`, limit: this.limits.perEmail },
      { key: `address:${address}`, limit: this.limits.perAddress },
    ]);
  }

  recordFailure(email: string, address: string): void {
    this.window.recordFailure([`email:${email}`, `address:${address}`]);
  }

  /** A correct password clears the email's count, not the address's: one good account must not reset a guesser. */
  recordSuccess(email: string): void {
    this.window.clear(`email:${email}`);
  }
}
