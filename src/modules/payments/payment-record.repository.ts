import { PREPARED } from '../../db/prepared-client.js';
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.js';
import {
  customerOfFailedPayment,
  customerPaymentUpsert,
  registeredPayerMayLink,
  type PaymentCustomer,
} from '../customers/index.js';
import { orderPaidEvent, paymentFailedEvent, paymentSucceededEvents } from '../timeline/index.js';
import { orderPaidByCheckout } from '../orders/index.js';
import type { TransactionSource } from '../transactions/index.js';

const prepared = sql.raw(PREPARED);

/*
 * The payment's writes, each one statement (so each is atomic without a round trip for BEGIN and
 * COMMIT, which matters at a thousand completions a second):
 *   begin   — claim the checkout session / invoice (if any) and record the pending transaction;
 *   succeed — register or match the customer, move its aggregates, mark the transaction
 *             succeeded and the session / invoice (and a checkout's order) paid, all together;
 *   fail    — mark the transaction failed and release the claim.
 */

export interface PendingPayment {
  merchantId: string;
  id: string;
  source: TransactionSource;
  amountMinor: number;
  currency: string;
  baseCurrency: string;
  gateway: string;
  cardBrand: string;
  cardLast4: string;
  paymentLinkId: string | null;
  checkoutSessionId: string | null;
  invoiceId: string | null;
  /** The order a checkout was made for: the transaction knows it from the start. */
  orderId: string | null;
  now: Date;
}

/** Checkout sessions and invoices are paid at most once: the claim is taken with the insert. */
export type PaymentClaim = { table: 'checkout_sessions'; id: string } | { table: 'invoices'; id: string } | null;

/** Records the pending transaction; false when the claim was refused (paid, expired, in progress). */
export async function beginPayment(db: Executor, payment: PendingPayment, claim: PaymentClaim): Promise<boolean> {
  const p = payment;
  const values = sql`${p.merchantId}, ${p.id}, 'payment', 'pending', ${p.source}, ${p.amountMinor}::bigint, ${p.currency},
    ${p.baseCurrency}, ${p.paymentLinkId}::text, ${p.checkoutSessionId}::text, ${p.invoiceId}::text, ${p.orderId}::text, ${p.gateway}, ${p.cardBrand},
    ${p.cardLast4}, ${p.now}::timestamptz, ${p.now}::timestamptz`;
  const columns = sql`merchant_id, id, type, status, source, amount_minor, currency, base_currency, payment_link_id,
    checkout_session_id, invoice_id, order_id, gateway, card_brand, card_last4, created_at, updated_at`;
  if (claim === null) {
    await sql`${prepared}INSERT INTO transactions (${columns}) VALUES (${values})`.execute(db);
    return true;
  }
  const open =
    claim.table === 'checkout_sessions'
      ? sql`UPDATE checkout_sessions SET pending_transaction_id = ${p.id}
          WHERE merchant_id = ${p.merchantId} AND id = ${claim.id} AND status = 'open' AND pending_transaction_id IS NULL
            AND expires_at > ${p.now}::timestamptz
          RETURNING id`
      : sql`UPDATE invoices SET pending_transaction_id = ${p.id}
          WHERE merchant_id = ${p.merchantId} AND id = ${claim.id} AND status = 'open' AND pending_transaction_id IS NULL
          RETURNING id`;
  const { rows } = await sql<{ id: string }>`${prepared}
    WITH claimed AS (${open})
    INSERT INTO transactions (${columns}) SELECT ${values} FROM claimed RETURNING id`.execute(db);
  return rows.length > 0;
}

/** Whose aggregates the payment moves (the customers module writes that part of the statement). */
export type { PaymentCustomer };

export interface PaymentSuccess {
  merchantId: string;
  transactionId: string;
  /** What the customer's timeline says was paid: how, and how much in the payment's currency. */
  source: TransactionSource;
  amountMinor: number;
  currency: string;
  baseAmountMinor: number;
  exchangeRate: string | null;
  gatewayReference: string;
  claim: PaymentClaim;
  customer: PaymentCustomer;
  /** A checkout's order, paid in the same statement. */
  orderId: string | null;
  now: Date;
}

export interface RecordedSuccess {
  customerId: string | null;
  /** The matched customer has no phone (the payer's may fill it). */
  phoneMissing: boolean;
  /** The checkout's order was marked paid by this statement. */
  orderPaid: boolean;
  /** The payment registered its payer and a site user may be theirs: the link step has work. */
  mayLinkUser: boolean;
}

export async function recordPaymentSuccess(db: Executor, s: PaymentSuccess): Promise<RecordedSuccess> {
  const customer = customerPaymentUpsert({
    merchantId: s.merchantId,
    customer: s.customer,
    baseAmountMinor: s.baseAmountMinor,
    now: s.now,
  });
  const target: RawBuilder<unknown> | null =
    s.claim === null
      ? null
      : s.claim.table === 'checkout_sessions'
        ? sql`UPDATE checkout_sessions SET status = 'complete', pending_transaction_id = NULL, transaction_id = ${s.transactionId},
              customer_id = (SELECT id FROM c), completed_at = ${s.now}::timestamptz
            WHERE merchant_id = ${s.merchantId} AND id = ${s.claim.id} RETURNING id`
        : sql`UPDATE invoices SET status = 'paid', pending_transaction_id = NULL, transaction_id = ${s.transactionId},
              customer_id = COALESCE(invoices.customer_id, (SELECT id FROM c)), paid_at = ${s.now}::timestamptz
            WHERE merchant_id = ${s.merchantId} AND id = ${s.claim.id} RETURNING id`;
  const order =
    s.orderId === null
      ? null
      : orderPaidByCheckout({
          merchantId: s.merchantId,
          orderId: s.orderId,
          transactionId: s.transactionId,
          customerId: sql`(SELECT id FROM c)`,
          now: s.now,
        });
  const { rows } = await sql<{
    customer_id: string | null;
    phone_missing: boolean | null;
    order_paid: boolean;
    may_link_user: boolean | null;
  }>`${prepared}
    WITH c AS (${customer}),
    t AS (
      UPDATE transactions SET status = 'succeeded', customer_id = (SELECT id FROM c), base_amount_minor = ${s.baseAmountMinor}::bigint,
        exchange_rate = ${s.exchangeRate}::numeric, gateway_reference = ${s.gatewayReference},
        succeeded_at = ${s.now}::timestamptz, updated_at = ${s.now}::timestamptz
      WHERE merchant_id = ${s.merchantId} AND id = ${s.transactionId} RETURNING id
    )${target === null ? sql`` : sql`, d AS (${target})`}${order === null ? sql`` : sql`, o AS (${order})`}
    , ev AS (${paymentSucceededEvents({
      merchantId: s.merchantId,
      transactionId: s.transactionId,
      source: s.source,
      amountMinor: s.amountMinor,
      currency: s.currency,
      invoiceId: s.claim?.table === 'invoices' ? s.claim.id : null,
      now: s.now,
      customer: sql`SELECT id, inserted FROM c`,
    })})${
      order === null
        ? sql``
        : sql`, oe AS (${orderPaidEvent({ merchantId: s.merchantId, order: sql`SELECT id, customer_id FROM o`, transactionId: s.transactionId, now: s.now })})`
    }
    SELECT (SELECT id FROM c) AS customer_id, (SELECT phone_missing FROM c) AS phone_missing,
      ${order === null ? sql`false` : sql`EXISTS (SELECT 1 FROM o)`} AS order_paid,
      ${registeredPayerMayLink(s.customer, sql`(SELECT inserted FROM c)`)} AS may_link_user`.execute(db);
  const row = rows[0];
  return {
    customerId: row?.customer_id ?? null,
    phoneMissing: row?.phone_missing ?? false,
    orderPaid: row?.order_paid ?? false,
    mayLinkUser: row?.may_link_user ?? false,
  };
}

export async function recordPaymentFailure(
  db: Executor,
  f: {
    merchantId: string;
    transactionId: string;
    code: string;
    message: string;
    gatewayReference: string | null;
    claim: PaymentClaim;
    now: Date;
    /** Who tried to pay, if the brand knows them: the decline goes on their timeline. */
    customer: PaymentCustomer;
    source: TransactionSource;
    amountMinor: number;
    currency: string;
  },
): Promise<void> {
  const release =
    f.claim === null
      ? sql``
      : sql`, r AS (UPDATE ${sql.table(f.claim.table)} SET pending_transaction_id = NULL
          WHERE merchant_id = ${f.merchantId} AND id = ${f.claim.id} AND pending_transaction_id = ${f.transactionId} RETURNING id)`;
  await sql`${prepared}
    WITH t AS (
      UPDATE transactions SET status = 'failed', failure_code = ${f.code}, failure_message = ${f.message},
        gateway_reference = ${f.gatewayReference}, updated_at = ${f.now}::timestamptz
      WHERE merchant_id = ${f.merchantId} AND id = ${f.transactionId} RETURNING id
    )${release}, c AS (${customerOfFailedPayment({ merchantId: f.merchantId, customer: f.customer })}),
    ev AS (${paymentFailedEvent({
      merchantId: f.merchantId,
      transactionId: f.transactionId,
      source: f.source,
      amountMinor: f.amountMinor,
      currency: f.currency,
      now: f.now,
      customer: sql`SELECT id FROM c`,
    })})
    SELECT 1`.execute(db);
}
