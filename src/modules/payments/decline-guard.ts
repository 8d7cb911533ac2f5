import { DomainError, type ErrorCode } from '../../errors.js';
import type { FailureLimits } from '../rate-limits/index.js';

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
 * Counted on the database, so every server process shares the limit; the address is the client's
 * as PAYDESK_TRUST_PROXY lets Fastify see it (behind a proxy, without it, every client is one).
 */
export class DeclineGuard {
  constructor(private readonly failures: FailureLimits) {}

  async attempt<T>(address: string, pay: () => Promise<T>): Promise<T> {
    // Counted once declined, not reserved before: honest payers behind one address (a carrier's NAT)
    // may have many payments in flight, and none of them may be refused for the others.
    const rules = [
      { key: `declines:address:${address}`, limit: DECLINE_LIMITS.perAddress, windowMs: DECLINE_LIMITS.windowMs },
    ];
    await this.failures.check(rules, 'Too many declined payments from this address');
    try {
      return await pay();
    } catch (error) {
      if (error instanceof DomainError && COUNTED.has(error.code)) await this.failures.record(rules);
      throw error;
    }
  }
}
