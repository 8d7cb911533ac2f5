import { DomainError, type ErrorCode } from '../../errors.js';
import { FailureWindow } from '../../http/failure-window.js';

/** Declined or failed card payments allowed per client address in the window, before 429. */
export const DECLINE_LIMITS = { windowMs: 15 * 60_000, perAddress: 20 } as const;

/**
 * What counts against an address. A refusal (a suspended customer's email) counts too: otherwise
 * the public pages would answer, without limit, which emails a brand has suspended.
 */
const COUNTED = new Set<ErrorCode>(['card_declined', 'payment_failed', 'payment_refused']);

/**
 * Card testing: someone with a list of stolen numbers tries them one by one on a public page.
 * Public pay endpoints need no sign-in, so after too many declines from one address its payments
 * are refused (429 with Retry-After) before anything reaches the gateway. Successes never count.
 */
export class DeclineGuard {
  private readonly window: FailureWindow;

  constructor(now: () => Date) {
    this.window = new FailureWindow(now, DECLINE_LIMITS.windowMs);
  }

  async attempt<T>(address: string, pay: () => Promise<T>): Promise<T> {
    const key = `address:${address}`;
    const wait = this.window.retryAfterSeconds([{ key, limit: DECLINE_LIMITS.perAddress }]);
    if (wait > 0) {
      throw new DomainError(
        'rate_limited',
        `Too many declined payments from this address; try again in ${wait} seconds`,
        {
          retry_after: wait,
        },
      );
    }
    try {
      return await pay();
    } catch (error) {
      if (error instanceof DomainError && COUNTED.has(error.code)) {
        this.window.recordFailure([key]);
      }
      throw error;
    }
  }
}
