import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { summarizeCard } from './card.js';
import type {
  ChargeLookup,
  ChargeOutcome,
  ChargeRequest,
  PaymentGateway,
  RefundOutcome,
  RefundRequest,
} from './gateway.js';

/** Card numbers with a fixed outcome, like a provider's sandbox. Any other valid number succeeds. */
export const TEST_CARDS = {
  succeeds: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  failsAfterDelay: '4000000000000119',
} as const;

/**
 * Charges remembered for idempotency and lookups. A real provider keeps idempotency keys for a day
 * or so; this one keeps the newest ones, so a long load run's memory stays flat.
 */
const REMEMBERED_CHARGES = 50_000;

interface RememberedCharge {
  outcome: ChargeOutcome;
  amountMinor: number;
  refundedMinor: number;
}

/**
 * The test-mode gateway: no network, no money, deterministic outcomes by card number. The delayed
 * failure stands for a provider that times out, so the flow's undo path runs for real. Like a real
 * provider it answers a repeated idempotency key with the first outcome, and can say what became
 * of a key; it remembers only this process's charges, so after a restart a pending test-mode
 * payment is settled as never charged (test mode moves no money).
 */
export class TestGateway implements PaymentGateway {
  readonly name = 'test';
  private readonly charges = new Map<string, RememberedCharge>();
  private readonly keyByReference = new Map<string, string>();

  constructor(private readonly failureDelayMs: number) {}

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const known = this.charges.get(request.idempotencyKey);
    if (known) return known.outcome;
    const outcome = await this.decide(request);
    this.remember(request.idempotencyKey, { outcome, amountMinor: request.amount.amount, refundedMinor: 0 });
    return outcome;
  }

  async refund(request: RefundRequest): Promise<RefundOutcome> {
    const key = this.keyByReference.get(request.chargeReference);
    const charge = key === undefined ? undefined : this.charges.get(key);
    if (charge) charge.refundedMinor += request.amount.amount;
    return { outcome: 'succeeded', reference: `test_re_${crypto.randomBytes(12).toString('hex')}` };
  }

  async findCharge(idempotencyKey: string): Promise<ChargeLookup> {
    const charge = this.charges.get(idempotencyKey);
    if (!charge || charge.outcome.outcome !== 'succeeded') return { status: 'not_charged' };
    const { reference } = charge.outcome;
    return charge.refundedMinor >= charge.amountMinor
      ? { status: 'refunded', reference }
      : { status: 'succeeded', reference };
  }

  private remember(key: string, charge: RememberedCharge): void {
    this.charges.set(key, charge);
    if (charge.outcome.reference !== null) this.keyByReference.set(charge.outcome.reference, key);
    if (this.charges.size > REMEMBERED_CHARGES) {
      const [oldestKey, oldest] = this.charges.entries().next().value as [string, RememberedCharge];
      this.charges.delete(oldestKey);
      if (oldest.outcome.reference !== null) this.keyByReference.delete(oldest.outcome.reference);
    }
  }

  private async decide(request: ChargeRequest): Promise<ChargeOutcome> {
    const card = summarizeCard(request.card.number);
    const reference = `test_ch_${crypto.randomBytes(12).toString('hex')}`;
    switch (request.card.number) {
      case TEST_CARDS.declined:
        return { outcome: 'declined', reference, code: 'card_declined', message: 'The card was declined', card };
      case TEST_CARDS.insufficientFunds:
        return {
          outcome: 'declined',
          reference,
          code: 'insufficient_funds',
          message: 'The card has insufficient funds',
          card,
        };
      case TEST_CARDS.failsAfterDelay:
        await sleep(this.failureDelayMs);
        return {
          outcome: 'failed',
          reference: null,
          code: 'processing_error',
          message: 'The payment provider did not answer in time; nothing was charged',
          card,
        };
      default:
        return { outcome: 'succeeded', reference, card };
    }
  }
}
