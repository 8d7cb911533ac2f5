import type { AppContext } from '../../context.js';
import { DomainError, fieldError } from '../../errors.js';
import { checkoutStatus } from '../checkout/index.js';
import { invoiceNumber } from '../invoices/index.js';
import { paymentLinkNotFound } from '../payment-links/index.js';
import {
  findCheckoutPayable,
  findInvoicePayable,
  findLinkPayable,
  type CheckoutPayableRow,
  type InvoicePayableRow,
  type LinkPayableRow,
} from './payable.repository.js';
import type { Payable } from './pay.service.js';

/*
 * The three things a client can pay, each found by its public slug or token and checked: the
 * rules of what may be paid live here, the taking of the payment in pay.service.ts.
 */

export async function linkPayable(
  ctx: AppContext,
  slug: string,
  chosenAmount: number | null | undefined,
): Promise<Payable> {
  const row = await openLink(ctx, slug);
  return {
    source: 'payment_link',
    brand: row,
    amountMinor: linkAmount(row, chosenAmount),
    currency: row.currency,
    description: row.title,
    claim: null,
    paymentLinkId: row.id,
    checkoutSessionId: null,
    invoiceId: null,
    orderId: null,
    billedCustomerId: null,
    explainRefusedClaim: () => Promise.reject(new Error('payment links are not claimed')),
  };
}

export async function openLink(ctx: AppContext, slug: string): Promise<LinkPayableRow> {
  const row = await findLinkPayable(ctx.db, slug);
  // An inactive link is answered like a missing one: the client can do nothing with it.
  if (!row || !row.active) throw paymentLinkNotFound(slug);
  return row;
}

function linkAmount(row: LinkPayableRow, chosen: number | null | undefined): number {
  if (row.amount_minor !== null) {
    if (chosen != null && chosen !== Number(row.amount_minor))
      throw fieldError('amount', 'this link has a fixed amount');
    return Number(row.amount_minor);
  }
  if (chosen == null) throw fieldError('amount', 'enter the amount to pay');
  if (row.min_amount_minor !== null && chosen < Number(row.min_amount_minor)) {
    throw fieldError('amount', `must be at least ${row.min_amount_minor} (minor units of ${row.currency})`);
  }
  if (row.max_amount_minor !== null && chosen > Number(row.max_amount_minor)) {
    throw fieldError('amount', `must be at most ${row.max_amount_minor} (minor units of ${row.currency})`);
  }
  return chosen;
}

export async function checkoutPayable(ctx: AppContext, token: string): Promise<Payable> {
  const row = await payableCheckout(ctx, token);
  return {
    source: 'checkout',
    brand: row,
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    description: row.description ?? 'Checkout',
    claim: { table: 'checkout_sessions', id: row.id },
    paymentLinkId: null,
    checkoutSessionId: row.id,
    invoiceId: null,
    orderId: row.order_id,
    // A checkout made for an order of a customer is theirs, whoever types the card.
    billedCustomerId: row.order_customer_id,
    explainRefusedClaim: async () => {
      await payableCheckout(ctx, token);
      throw new DomainError('payment_in_progress', 'A payment for this checkout is in progress');
    },
  };
}

/** The session, if it can be paid now; otherwise the reason (404, 409 paid, 410 expired). */
export async function payableCheckout(ctx: AppContext, token: string): Promise<CheckoutPayableRow> {
  const row = await readCheckout(ctx, token);
  // Before the session's own state: cancelling or paying an order offline also expires its
  // checkout, and the client should read why.
  if (row.order_status !== null && row.order_status !== 'open') {
    throw new DomainError(
      'order_state',
      row.order_status === 'cancelled' ? 'This order was cancelled' : 'This order has already been paid',
    );
  }
  const status = checkoutStatus(row, ctx.clock());
  if (status === 'complete') throw new DomainError('checkout_completed', 'This checkout has already been paid');
  if (status === 'expired')
    throw new DomainError('checkout_expired', 'This checkout has expired; ask the merchant for a new link');
  if (row.pending_transaction_id)
    throw new DomainError('payment_in_progress', 'A payment for this checkout is in progress');
  return row;
}

export async function readCheckout(ctx: AppContext, token: string): Promise<CheckoutPayableRow> {
  const row = await findCheckoutPayable(ctx.db, token);
  if (!row) throw new DomainError('checkout_not_found', 'No such checkout');
  return row;
}

export async function invoicePayable(ctx: AppContext, token: string): Promise<Payable> {
  const row = await payableInvoice(ctx, token);
  return {
    source: 'invoice',
    brand: row,
    amountMinor: Number(row.total_minor),
    currency: row.currency,
    description: `Invoice ${invoiceNumber(Number(row.number))}`,
    claim: { table: 'invoices', id: row.id },
    paymentLinkId: null,
    checkoutSessionId: null,
    invoiceId: row.id,
    orderId: null,
    billedCustomerId: row.customer_id,
    explainRefusedClaim: async () => {
      await payableInvoice(ctx, token);
      throw new DomainError('payment_in_progress', 'A payment for this invoice is in progress');
    },
  };
}

export async function payableInvoice(ctx: AppContext, token: string): Promise<InvoicePayableRow> {
  const row = await readInvoice(ctx, token);
  if (row.status === 'paid') throw new DomainError('invoice_not_payable', 'This invoice has already been paid');
  if (row.status !== 'open')
    throw new DomainError('invoice_not_payable', `This invoice is ${row.status} and cannot be paid`);
  if (row.pending_transaction_id)
    throw new DomainError('payment_in_progress', 'A payment for this invoice is in progress');
  return row;
}

export async function readInvoice(ctx: AppContext, token: string): Promise<InvoicePayableRow> {
  const row = await findInvoicePayable(ctx.db, token);
  if (!row || row.status === 'draft') throw new DomainError('invoice_not_found', 'No such invoice');
  return row;
}
