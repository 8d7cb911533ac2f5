import type { AppContext } from '../../context.js';
import { DomainError, fieldError } from '../../errors.js';
import { isId, newId } from '../../ids.js';
import { MAX_AMOUNT_MINOR } from '../../money/currency.js';
import { convertMinorExact } from '../../money/exchange.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { closeOrderCheckout, orderCheckoutSession, type CheckoutSessionView } from '../checkout/index.js';
import { customerPaymentUpsert } from '../customers/index.js';
import { insertOfflinePayment } from '../transactions/index.js';
import { loadOrderView } from './order.queries.js';
import { findOrder, lockOrderForPayment, updateOrder } from './order.repository.js';
import type { OrderPaymentBody, OrderView } from './order.schemas.js';
import { recordOrderEvent } from './order.service.js';
import { orderNotFound, orderNumber, orderState } from './order.view.js';
import { NOT_SINGLE_LINE_TEXT as NOT_TEXT } from '../../http/text-rule.js';

/**
 * POST /orders/{id}/payments: money taken outside the gateway (cash on delivery, bank transfer,
 * mobile money), recorded in one transaction under the order's row lock: the order's checkout stops
 * taking payments (409 when a card payment is already in flight), a succeeded transaction is written
 * for the order's customer, the customer's aggregates move, the order is paid, and the timeline and
 * audit log say so. A second payment of the same order finds it paid: 409 order_state.
 */
export async function recordOfflinePayment(
  ctx: AppContext,
  principal: Principal,
  id: string,
  body: OrderPaymentBody,
  ip?: string,
): Promise<OrderView> {
  requirePermission(principal, 'orders.record_payment');
  const { merchantId } = principal;
  if (!isId('ord', id)) throw orderNotFound(id);
  const reference = body.reference?.trim() || null;
  if (reference !== null && NOT_TEXT.test(reference)) {
    throw fieldError('reference', 'contains a control character or invalid Unicode');
  }
  const transactionId = newId('txn');

  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock();
    const order = await lockOrderForPayment(trx, merchantId, id);
    if (!order) throw orderNotFound(id);
    if (order.status !== 'open') throw orderState(id, order.status, 'only an open order can be paid');
    const amountMinor = Number(order.total_minor);
    const baseAmountMinor = priceInBase(amountMinor, order.currency, order.base_currency, order.rate);
    await closeOrderCheckout(trx, merchantId, order.checkout_session_id);
    await insertOfflinePayment(trx, {
      merchantId,
      id: transactionId,
      orderId: id,
      method: body.method,
      reference,
      amountMinor,
      currency: order.currency,
      baseAmountMinor,
      baseCurrency: order.base_currency,
      exchangeRate: order.currency === order.base_currency ? null : order.rate,
      customerId: order.customer_id,
      now,
    });
    if (order.customer_id) {
      // The same aggregate move as a card payment's, so reconcile reads the ledger the same way.
      await customerPaymentUpsert({
        merchantId,
        customer: { kind: 'known', id: order.customer_id },
        baseAmountMinor,
        now,
      }).execute(trx);
    }
    await updateOrder(trx, merchantId, id, {
      status: 'paid',
      transaction_id: transactionId,
      payment_method: body.method,
      payment_reference: reference,
      paid_at: now,
      updated_at: now,
    });
    await recordOrderEvent(trx, order, 'order.paid', actorOf(principal), now, { transaction: transactionId });
    await recordAudit(trx, {
      merchantId,
      actor: actorOf(principal),
      action: 'order.offline_payment',
      target: { type: 'order', id },
      details: { transaction_id: transactionId, method: body.method, amount: amountMinor, currency: order.currency },
      ip,
    });
  });
  return loadOrderView(ctx, principal, id);
}

/**
 * The amount in the brand's base currency at the brand's current rate; refused without one (like a
 * card payment, payments/pay.service.ts priceInBase: the ledger's base amounts are never guessed).
 */
function priceInBase(amountMinor: number, currency: string, baseCurrency: string, rate: string | null): number {
  if (currency === baseCurrency) return amountMinor;
  if (rate === null) {
    throw new DomainError(
      'exchange_rate_missing',
      `This brand has no exchange rate from ${currency} to ${baseCurrency}; the payment was not recorded`,
      { currency, base_currency: baseCurrency },
    );
  }
  const inBase = convertMinorExact(amountMinor, rate, currency, baseCurrency);
  if (inBase > BigInt(MAX_AMOUNT_MINOR)) {
    throw fieldError('total', `is too large: it would be ${inBase} minor units of ${baseCurrency}`);
  }
  return Number(inBase);
}

/**
 * POST /orders/{id}/checkout-session: a checkout for the order's total, paid once on its public
 * page (payments marks the order paid in the payment's own statement). An open session with time
 * left is handed out again rather than a second one made.
 */
export async function createOrderCheckout(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<{ session: CheckoutSessionView; created: boolean }> {
  requirePermission(principal, 'orders.write');
  const { merchantId } = principal;
  if (!isId('ord', id)) throw orderNotFound(id);
  return ctx.db.transaction().execute(async (trx) => {
    const order = await findOrder(trx, merchantId, id, { forUpdate: true });
    if (!order) throw orderNotFound(id);
    if (order.status !== 'open') throw orderState(id, order.status, 'only an open order can be paid');
    const result = await orderCheckoutSession(trx, {
      merchantId,
      orderId: id,
      currentSessionId: order.checkout_session_id,
      amountMinor: Number(order.total_minor),
      currency: order.currency,
      description: `Order ${orderNumber(Number(order.number))}`,
      now: ctx.clock(),
    });
    if (result.created) {
      await updateOrder(trx, merchantId, id, { checkout_session_id: result.session.id, updated_at: ctx.clock() });
    }
    return result;
  });
}
