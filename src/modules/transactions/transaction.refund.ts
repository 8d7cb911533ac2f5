import type { AppContext } from '../../context.js';
import { DomainError, fieldError } from '../../errors.js';
import { isId, newId } from '../../ids.js';
import { proportionalMinor } from '../../money/exchange.js';
import { type Principal, requirePermission } from '../access/index.js';
import { actorOf, recordAudit, type AuditEvent } from '../audit/index.js';
import { recordCustomerEvent } from '../timeline/index.js';
import type { Executor } from '../../db/database.js';
import type { TransactionRow } from './transaction.table.js';
import {
  findTransaction,
  insertTransaction,
  reserveRefund,
  setRefundStatus,
  settleRefund,
  updateTransaction,
} from './transaction.repository.js';
import { getTransaction, transactionNotFound } from './transaction.queries.js';
import type { RefundBody, TransactionView } from './transaction.schemas.js';

/**
 * POST /transactions/{id}/refunds, in three steps like a payment:
 *   1. under the payment's row lock, reserve the amount and record the pending refund (so two
 *      refunds at once can never take back more than was paid);
 *   2. refund at the gateway;
 *   3. settle (refund succeeded, payment refunded or partially refunded, customer's total spent
 *      lowered, in one transaction) or undo the reservation.
 * A payment staff recorded offline (cash, bank transfer, mobile money) never went through the
 * gateway, so there is nothing to ask it: staff hand the money back the same way, and the refund
 * settles in step 1's transaction, with the payment's method.
 * The refund's base-currency amount is the payment's, in proportion: history never moves with rates.
 */
export async function refundPayment(
  ctx: AppContext,
  principal: Principal,
  paymentId: string,
  body: RefundBody,
  ip?: string,
): Promise<TransactionView> {
  requirePermission(principal, 'payments.refund');
  const { merchantId } = principal;
  if (!isId('txn', paymentId)) throw transactionNotFound(paymentId);
  const refundId = newId('txn');
  const refundAudit = (id: string, amount: number, currency: string): AuditEvent => ({
    merchantId,
    actor: actorOf(principal),
    action: 'transaction.refund',
    target: { type: 'transaction', id: paymentId },
    details: { refund_id: id, amount, currency },
    ip,
  });

  const reserved = await ctx.db.transaction().execute(async (trx) => {
    const payment = await findTransaction(trx, merchantId, paymentId, { forUpdate: true });
    if (!payment) throw transactionNotFound(paymentId);
    if (payment.type !== 'payment' || (payment.status !== 'succeeded' && payment.status !== 'partially_refunded')) {
      throw new DomainError(
        'not_refundable',
        `Transaction ${paymentId} is a ${payment.status} ${payment.type}; only succeeded payments can be refunded`,
      );
    }
    const left = Number(payment.amount_minor) - Number(payment.amount_refunded_minor);
    if (left <= 0)
      throw new DomainError(
        'not_refundable',
        `Transaction ${paymentId} is already fully refunded (or a refund is in progress)`,
      );
    const amount = body.amount ?? left;
    if (amount > left) throw fieldError('amount', `at most ${left} can still be refunded`);
    const paidInBase = Number(payment.base_amount_minor ?? 0);
    const baseLeft = paidInBase - Number(payment.base_amount_refunded_minor);
    // The last refund takes exactly what is left, so the shares always add up to the payment.
    const baseMinor =
      amount === left
        ? baseLeft
        : Math.min(baseLeft, proportionalMinor(amount, Number(payment.amount_minor), paidInBase));
    const now = ctx.clock();
    await insertTransaction(trx, {
      merchant_id: merchantId,
      id: refundId,
      type: 'refund',
      status: 'pending',
      source: payment.source,
      amount_minor: amount,
      currency: payment.currency,
      base_amount_minor: baseMinor,
      base_currency: payment.base_currency,
      exchange_rate: payment.exchange_rate,
      customer_id: payment.customer_id,
      invoice_id: payment.invoice_id,
      payment_link_id: payment.payment_link_id,
      checkout_session_id: payment.checkout_session_id,
      order_id: payment.order_id,
      method: payment.method,
      refunded_transaction_id: payment.id,
      gateway: payment.gateway,
      gateway_reference: null,
      card_brand: payment.card_brand,
      card_last4: payment.card_last4,
      failure_code: null,
      failure_message: null,
      created_at: now,
      succeeded_at: null,
      updated_at: now,
    });
    await reserveRefund(trx, merchantId, paymentId, amount, baseMinor);
    if (payment.method !== 'card') {
      await settleRefund(trx, {
        merchantId,
        refundId,
        paymentId,
        customerId: payment.customer_id,
        baseMinor,
        reference: null,
        now,
      });
      await recordAudit(trx, refundAudit(refundId, amount, payment.currency));
      await refundEvent(trx, payment, refundId, amount, actorOf(principal), now);
    }
    return { amount, baseMinor, payment };
  });
  if (reserved.payment.method !== 'card') return getTransaction(ctx, principal, refundId);

  const outcome = await ctx.gateway
    .refund({
      idempotencyKey: refundId,
      chargeReference: reserved.payment.gateway_reference ?? '',
      amount: { amount: reserved.amount, currency: reserved.payment.currency },
    })
    .catch((error: unknown) => {
      ctx.logger.error({ refundId, err: error }, 'Payment gateway error on refund');
      return {
        outcome: 'failed' as const,
        code: 'gateway_error',
        message: 'The payment provider failed; nothing was refunded',
      };
    });

  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock();
    if (outcome.outcome === 'succeeded') {
      await settleRefund(trx, {
        merchantId,
        refundId,
        paymentId,
        customerId: reserved.payment.customer_id,
        baseMinor: reserved.baseMinor,
        reference: outcome.reference,
        now,
      });
      await recordAudit(trx, refundAudit(refundId, reserved.amount, reserved.payment.currency));
      await refundEvent(trx, reserved.payment, refundId, reserved.amount, actorOf(principal), now);
    } else {
      await updateTransaction(trx, merchantId, refundId, {
        status: 'failed',
        failure_code: outcome.code,
        failure_message: outcome.message,
        updated_at: now,
      });
      await reserveRefund(trx, merchantId, paymentId, -reserved.amount, -reserved.baseMinor);
      await setRefundStatus(trx, merchantId, paymentId, now, { afterFailure: true });
    }
  });
  if (outcome.outcome !== 'succeeded') {
    throw new DomainError('payment_failed', outcome.message, { transaction_id: refundId, decline_code: outcome.code });
  }
  return getTransaction(ctx, principal, refundId);
}

/** The refund on the customer's timeline, in the transaction that settles it. */
async function refundEvent(
  trx: Executor,
  payment: Pick<TransactionRow, 'merchant_id' | 'id' | 'customer_id' | 'currency'>,
  refundId: string,
  amount: number,
  actor: { type: string; id: string },
  at: Date,
): Promise<void> {
  if (!payment.customer_id) return;
  await recordCustomerEvent(trx, {
    merchantId: payment.merchant_id,
    customerId: payment.customer_id,
    type: 'refund.created',
    actor,
    refs: { transaction: refundId, payment: payment.id, amount: String(amount), currency: payment.currency },
    at,
  });
}
