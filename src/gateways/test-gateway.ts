import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { summarizeCard } from './card.js';
import type { ChargeOutcome, ChargeRequest, PaymentGateway, RefundOutcome, RefundRequest } from './gateway.js';

/** Card numbers with a fixed outcome, like a provider's sandbox. Any other valid number succeeds. */
export const TEST_CARDS = {
  succeeds: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  failsAfterDelay: '4000000000000119',
} as const;

/**
 * The test-mode gateway: no network, no money, deterministic outcomes by card number. The delayed
 * failure stands for a provider that times out, so the flow's undo path runs for real.
 */
export class TestGateway implements PaymentGateway {
  readonly name = 'test';

  constructor(private readonly failureDelayMs: number) {}

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
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

  async refund(_request: RefundRequest): Promise<RefundOutcome> {
    return { outcome: 'succeeded', reference: `test_re_${crypto.randomBytes(12).toString('hex')}` };
  }
}
