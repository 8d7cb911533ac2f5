import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { DomainError } from '../../errors.js';
import { expireCheckoutSession, findCheckoutSession, lockCheckoutSession } from './checkout-session.repository.js';
import type { CheckoutSessionView } from './checkout-session.schemas.js';
import { insertNewCheckoutSession, toCheckoutSessionView } from './checkout-session.service.js';

/*
 * Checkout sessions made for an order (the orders module calls these under the order's row lock).
 * An order has one current session at a time, kept on the order: a new one is made only when the
 * current one can no longer be paid and no payment is in flight on it, so an order can never be
 * paid through two sessions. Permissions are the caller's to check (orders.write).
 */

const ORDER_CHECKOUT_MINUTES = 60;
// A session about to expire is not handed out again: the client needs time to type a card.
const REUSE_MARGIN_MS = 5 * 60_000;

function paymentInProgress(): DomainError {
  return new DomainError('payment_in_progress', 'A card payment for this order is in progress');
}

/** The order's open session if it has a while left, otherwise a new one; created says which. */
export async function orderCheckoutSession(
  trx: Transaction<DB>,
  o: {
    merchantId: string;
    orderId: string;
    currentSessionId: string | null;
    amountMinor: number;
    currency: string;
    description: string;
    now: Date;
  },
): Promise<{ session: CheckoutSessionView; created: boolean }> {
  if (o.currentSessionId) {
    const current = await lockCheckoutSession(trx, o.merchantId, o.currentSessionId);
    if (current?.status === 'open') {
      if (current.pending_transaction_id) throw paymentInProgress();
      if (current.expires_at.getTime() - o.now.getTime() > REUSE_MARGIN_MS) {
        const row = await findCheckoutSession(trx, o.merchantId, o.currentSessionId);
        if (row) return { session: toCheckoutSessionView(row, o.now), created: false };
      }
    }
  }
  const row = await insertNewCheckoutSession(trx, {
    merchantId: o.merchantId,
    amountMinor: o.amountMinor,
    currency: o.currency,
    description: o.description,
    expiresInMinutes: ORDER_CHECKOUT_MINUTES,
    orderId: o.orderId,
    now: o.now,
  });
  return { session: toCheckoutSessionView(row, o.now), created: true };
}

/**
 * Before an order is paid offline or cancelled: its session stops taking payments (it expires),
 * or, when a card payment is already with the gateway, 409 payment_in_progress. The row lock orders
 * this against the payment's claim: whichever comes second sees the other's result.
 */
export async function closeOrderCheckout(
  trx: Transaction<DB>,
  merchantId: string,
  sessionId: string | null,
): Promise<void> {
  if (!sessionId) return;
  const session = await lockCheckoutSession(trx, merchantId, sessionId);
  if (session?.status !== 'open') return;
  if (session.pending_transaction_id) throw paymentInProgress();
  await expireCheckoutSession(trx, merchantId, sessionId);
}
