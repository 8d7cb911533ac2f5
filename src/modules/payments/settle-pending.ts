import type { AppContext } from '../../context.js';
import type { ChargeLookup } from '../../gateways/gateway.js';
import { convertMinorExact } from '../../money/exchange.js';
import {
  findStalePendingPayments,
  lockPendingPayment,
  type LockedPendingPayment,
  type StalePayment,
} from './pending-payment.repository.js';
import { recordPaymentFailure, recordPaymentSuccess, type PaymentClaim } from './payment-record.repository.js';

/**
 * How old a pending payment must be before it is settled: far longer than any charge can take
 * (the gateway call, its timeout and the record), so a payment still in flight is never touched.
 */
export const SETTLE_AFTER_MS = 15 * 60_000;
/** How often a server looks for payments to settle. */
export const SETTLE_EVERY_MS = 5 * 60_000;
const PAGE = 100;

export interface SettleReport {
  /** Pending payments old enough to settle. */
  checked: number;
  /** Charged at the gateway: recorded as succeeded, with their customer's aggregates. */
  completed: string[];
  /** Never charged, or refunded already: recorded as failed, their checkout or invoice free again. */
  voided: string[];
  /** Could not be settled now (the gateway did not answer, no exchange rate): tried again next time. */
  left: string[];
}

/**
 * Settles the payments a crash left pending between step 3 (the charge) and step 4 (its record)
 * of pay.service.ts: the gateway is asked what became of the charge made with the transaction id
 * as idempotency key, and the payment is recorded the way takePayment would have — succeeded with
 * the same aggregate, rank and timeline updates in one statement, or failed with its claim on the
 * checkout session or invoice released. Each payment is settled under its row lock, so servers
 * running this at once never settle one twice.
 *
 * The payer's name and email lived only in the crashed request: a payment billed to a customer
 * (an invoice's, an order's) is theirs, any other is recorded without a customer.
 */
export async function settlePendingPayments(
  ctx: AppContext,
  options: { olderThanMs?: number | undefined } = {},
): Promise<SettleReport> {
  const before = new Date(ctx.clock().getTime() - (options.olderThanMs ?? SETTLE_AFTER_MS));
  const report: SettleReport = { checked: 0, completed: [], voided: [], left: [] };
  let after: StalePayment | null = null;
  for (;;) {
    const page = await findStalePendingPayments(ctx.db, { gateway: ctx.gateway.name, before, after, limit: PAGE });
    for (const stale of page) {
      report.checked++;
      const settled = await settleOne(ctx, stale).catch((error: unknown) => {
        ctx.logger.error(
          { err: error, transactionId: stale.id, merchantId: stale.merchant_id },
          'Could not settle a pending payment',
        );
        return 'left' as const;
      });
      if (settled !== 'skipped') report[settled].push(stale.id);
    }
    if (page.length < PAGE) return report;
    after = page[page.length - 1] ?? null;
  }
}

async function settleOne(ctx: AppContext, stale: StalePayment): Promise<'completed' | 'voided' | 'left' | 'skipped'> {
  // Asked before the lock: a gateway call never holds a database connection.
  const charge = await ctx.gateway.findCharge(stale.id);
  return ctx.db.transaction().execute(async (trx) => {
    const payment = await lockPendingPayment(trx, stale.merchant_id, stale.id);
    if (!payment) return 'skipped';
    const claim = claimOf(payment);
    const now = ctx.clock();
    const log = { transactionId: payment.id, merchantId: payment.merchant_id };
    if (charge.status !== 'succeeded') {
      const { code, message } = voidReason(charge);
      await recordPaymentFailure(trx, {
        merchantId: payment.merchant_id,
        transactionId: payment.id,
        code,
        message,
        gatewayReference: charge.status === 'refunded' ? charge.reference : null,
        claim,
        now,
        customer: { kind: 'none' },
        source: payment.source,
        amountMinor: payment.amount_minor,
        currency: payment.currency,
      });
      ctx.logger.warn({ ...log, code }, 'Voided a pending payment the gateway holds no charge for');
      return 'voided';
    }
    const baseAmountMinor = inBase(payment);
    if (baseAmountMinor === null) {
      ctx.logger.error(
        { ...log, currency: payment.currency },
        'A charged pending payment cannot be recorded: the brand has no exchange rate for its currency',
      );
      return 'left';
    }
    await recordPaymentSuccess(trx, {
      merchantId: payment.merchant_id,
      transactionId: payment.id,
      baseAmountMinor,
      exchangeRate: payment.currency === payment.base_currency ? null : payment.rate,
      gatewayReference: charge.reference,
      claim,
      source: payment.source,
      amountMinor: payment.amount_minor,
      currency: payment.currency,
      customer: payment.billed_customer_id ? { kind: 'known', id: payment.billed_customer_id } : { kind: 'none' },
      orderId: payment.order_id,
      now,
    });
    ctx.logger.warn(log, 'Recorded a pending payment the gateway had charged');
    return 'completed';
  });
}

function claimOf(payment: LockedPendingPayment): PaymentClaim {
  if (payment.checkout_session_id) return { table: 'checkout_sessions', id: payment.checkout_session_id };
  if (payment.invoice_id) return { table: 'invoices', id: payment.invoice_id };
  return null;
}

function voidReason(charge: Exclude<ChargeLookup, { status: 'succeeded' }>): { code: string; message: string } {
  return charge.status === 'refunded'
    ? { code: 'recording_failed', message: 'The payment could not be recorded, and the charge was refunded' }
    : { code: 'not_charged', message: 'The payment was interrupted before the card was charged; nothing was charged' };
}

/** The amount in the base currency at the brand's rate now (the rate at the charge was not kept). */
function inBase(payment: LockedPendingPayment): number | null {
  if (payment.currency === payment.base_currency) return payment.amount_minor;
  if (payment.rate === null) return null;
  return Number(convertMinorExact(payment.amount_minor, payment.rate, payment.currency, payment.base_currency));
}

/**
 * The server's settle job: once at start, then every SETTLE_EVERY_MS on an unref'd timer (it never
 * keeps the process alive); close() stops the timer and waits for a run in progress.
 */
export class PendingPaymentSettler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: { everyMs?: number; olderThanMs?: number } = {},
  ) {}

  start(): this {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.everyMs ?? SETTLE_EVERY_MS);
    this.timer.unref();
    return this;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One run at a time: a tick while one is running is skipped. */
  private tick(): void {
    if (this.running) return;
    this.running = settlePendingPayments(this.ctx, { olderThanMs: this.options.olderThanMs })
      .then((report) => {
        if (report.checked > 0) {
          this.ctx.logger.info(
            {
              checked: report.checked,
              completed: report.completed.length,
              voided: report.voided.length,
              left: report.left.length,
            },
            'Settled pending payments',
          );
        }
      })
      .catch((error: unknown) => this.ctx.logger.error({ err: error }, 'Settling pending payments failed'))
      .finally(() => {
        this.running = undefined;
      });
  }
}
