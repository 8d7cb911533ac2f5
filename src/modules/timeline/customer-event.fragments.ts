import { sql, type RawBuilder } from 'kysely';
import { newId } from '../../ids.js';
import type { CustomerEvent } from './customer-event.service.js';

/*
 * Events a change appends inside its single statement (a payment's in payments/payment-record.repository.ts,
 * a new customer's in customers/customer.repository.ts), so they commit with it or not at all:
 * data-modifying CTEs of that statement. Each takes the statement's own CTE that yields the customer,
 * and writes nothing when there is none.
 */

const COLUMNS = sql`merchant_id, id, customer_id, type, actor_type, actor_id, refs, created_at`;

interface PaymentFacts {
  merchantId: string;
  transactionId: string;
  source: string;
  amountMinor: number;
  currency: string;
  invoiceId: string | null;
  now: Date;
}

/**
 * A succeeded payment: `payment.succeeded` for its customer, `customer.created` when the payment
 * registered them, `invoice.paid` when it paid an invoice. `customer` yields `(id text, inserted boolean)`.
 */
export function paymentSucceededEvents(p: PaymentFacts & { customer: RawBuilder<unknown> }): RawBuilder<unknown> {
  const refs = (value: Record<string, string>) => JSON.stringify(value);
  const paid: Record<string, string> = {
    transaction: p.transactionId,
    source: p.source,
    amount: String(p.amountMinor),
    currency: p.currency,
  };
  if (p.invoiceId) paid.invoice = p.invoiceId;
  const events = [
    sql`(${newId('evt')}::text, 'customer.created', ${refs({ source: p.source })}::text, true)`,
    sql`(${newId('evt')}::text, 'payment.succeeded', ${refs(paid)}::text, false)`,
    ...(p.invoiceId
      ? [
          sql`(${newId('evt')}::text, 'invoice.paid', ${refs({ invoice: p.invoiceId, transaction: p.transactionId })}::text, false)`,
        ]
      : []),
  ];
  return sql`INSERT INTO customer_events (${COLUMNS})
    SELECT ${p.merchantId}, e.id, pc.id, e.type, 'system', 'payment', e.refs::jsonb, ${p.now}::timestamptz
    FROM (${p.customer}) AS pc CROSS JOIN (VALUES ${sql.join(events)}) AS e (id, type, refs, only_new)
    WHERE pc.id IS NOT NULL AND (NOT e.only_new OR pc.inserted)
    RETURNING id`;
}

/** One event of any type for the customer that `customer` (yielding `(id text)`) names, if any. */
export function customerEventFor(p: {
  customer: RawBuilder<unknown>;
  event: Omit<CustomerEvent, 'customerId'>;
}): RawBuilder<unknown> {
  const e = p.event;
  return sql`INSERT INTO customer_events (${COLUMNS})
    SELECT ${e.merchantId}::text, ${newId('evt')}::text, c.id, ${e.type}::text, ${e.actor.type}::text, ${e.actor.id}::text,
      ${JSON.stringify(e.refs ?? {})}::jsonb, ${e.at}::timestamptz
    FROM (${p.customer}) AS c WHERE c.id IS NOT NULL
    RETURNING id`;
}

/** A checkout paid an order: `order.paid` for the order's customer. `order` yields `(id, customer_id)`. */
export function orderPaidEvent(p: {
  merchantId: string;
  order: RawBuilder<unknown>;
  transactionId: string;
  now: Date;
}): RawBuilder<unknown> {
  return sql`INSERT INTO customer_events (${COLUMNS})
    SELECT ${p.merchantId}, ${newId('evt')}, o.customer_id, 'order.paid', 'system', 'payment',
      jsonb_build_object('order', o.id, 'transaction', ${p.transactionId}::text), ${p.now}::timestamptz
    FROM (${p.order}) AS o WHERE o.customer_id IS NOT NULL
    RETURNING id`;
}

/** A declined or failed payment by a customer the brand knows. `customer` yields `(id text)`. */
export function paymentFailedEvent(
  p: Omit<PaymentFacts, 'invoiceId'> & { customer: RawBuilder<unknown> },
): RawBuilder<unknown> {
  const refs = JSON.stringify({
    transaction: p.transactionId,
    source: p.source,
    amount: String(p.amountMinor),
    currency: p.currency,
  });
  return sql`INSERT INTO customer_events (${COLUMNS})
    SELECT ${p.merchantId}, ${newId('evt')}, pc.id, 'payment.failed', 'system', 'payment', ${refs}::jsonb,
      ${p.now}::timestamptz
    FROM (${p.customer}) AS pc WHERE pc.id IS NOT NULL
    RETURNING id`;
}
