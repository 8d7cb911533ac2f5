import { PREPARED } from '../../db/prepared-client.js';
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { NewCustomerRow } from '../customers/customer.table.js';
import type { TransactionSource } from '../transactions/index.js';

const prepared = sql.raw(PREPARED);

/*
 * The payment's writes, each one statement (so each is atomic without a round trip for BEGIN and
 * COMMIT, which matters at a thousand completions a second):
 *   begin   — claim the checkout session / invoice (if any) and record the pending transaction;
 *   succeed — register or match the customer, move its aggregates, mark the transaction
 *             succeeded and the session / invoice paid, all together;
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
  now: Date;
}

/** Checkout sessions and invoices are paid at most once: the claim is taken with the insert. */
export type PaymentClaim = { table: 'checkout_sessions'; id: string } | { table: 'invoices'; id: string } | null;

/** Records the pending transaction; false when the claim was refused (paid, expired, in progress). */
export async function beginPayment(db: Executor, payment: PendingPayment, claim: PaymentClaim): Promise<boolean> {
  const p = payment;
  const values = sql`${p.merchantId}, ${p.id}, 'payment', 'pending', ${p.source}, ${p.amountMinor}::bigint, ${p.currency},
    ${p.baseCurrency}, ${p.paymentLinkId}::text, ${p.checkoutSessionId}::text, ${p.invoiceId}::text, ${p.gateway}, ${p.cardBrand},
    ${p.cardLast4}, ${p.now}::timestamptz, ${p.now}::timestamptz`;
  const columns = sql`merchant_id, id, type, status, source, amount_minor, currency, base_currency, payment_link_id,
    checkout_session_id, invoice_id, gateway, card_brand, card_last4, created_at, updated_at`;
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

/** Whose aggregates the payment moves. */
export type PaymentCustomer =
  /** Automatic registration: this new row, or (same email) the brand's existing customer. */
  | { kind: 'register'; row: NewCustomerRow }
  /** Registration off: the existing customer with this email, if any. */
  | { kind: 'match_email'; emailBidx: Buffer[] }
  /** Known already (an invoice billed to a customer). */
  | { kind: 'known'; id: string }
  | { kind: 'none' };

export interface PaymentSuccess {
  merchantId: string;
  transactionId: string;
  baseAmountMinor: number;
  exchangeRate: string | null;
  gatewayReference: string;
  claim: PaymentClaim;
  customer: PaymentCustomer;
  now: Date;
}

export interface RecordedSuccess {
  customerId: string | null;
  /** The matched customer has no phone (the payer's may fill it). */
  phoneMissing: boolean;
}

export async function recordPaymentSuccess(db: Executor, s: PaymentSuccess): Promise<RecordedSuccess> {
  const aggregates = sql`transactions_count = customers.transactions_count + 1,
    total_spent_minor = customers.total_spent_minor + ${s.baseAmountMinor}::bigint,
    last_payment_at = GREATEST(customers.last_payment_at, ${s.now}::timestamptz)`;
  const customer = customerStatement(s, aggregates);
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
  const { rows } = await sql<{ customer_id: string | null; phone_missing: boolean | null }>`${prepared}
    WITH c AS (${customer}),
    t AS (
      UPDATE transactions SET status = 'succeeded', customer_id = (SELECT id FROM c), base_amount_minor = ${s.baseAmountMinor}::bigint,
        exchange_rate = ${s.exchangeRate}::numeric, gateway_reference = ${s.gatewayReference},
        succeeded_at = ${s.now}::timestamptz, updated_at = ${s.now}::timestamptz
      WHERE merchant_id = ${s.merchantId} AND id = ${s.transactionId} RETURNING id
    )${target === null ? sql`` : sql`, d AS (${target})`}
    SELECT (SELECT id FROM c) AS customer_id, (SELECT phone_missing FROM c) AS phone_missing`.execute(db);
  const row = rows[0];
  return { customerId: row?.customer_id ?? null, phoneMissing: row?.phone_missing ?? false };
}

function customerStatement(s: PaymentSuccess, aggregates: RawBuilder<unknown>): RawBuilder<unknown> {
  const returning = sql`RETURNING id, phone_enc IS NULL AS phone_missing`;
  const c = s.customer;
  switch (c.kind) {
    case 'register': {
      const r = c.row;
      // On a known email the new row is discarded and the existing customer's aggregates move:
      // its name, email and phone stay what staff (or an earlier payment) entered.
      return sql`INSERT INTO customers (merchant_id, id, name_enc, email_enc, phone_enc, email_bidx, phone_bidx, search_tokens,
          data_key_id, index_key_id, metadata, source, transactions_count, total_spent_minor, last_payment_at, created_at, updated_at)
        VALUES (${r.merchant_id}, ${r.id}, ${r.name_enc}, ${r.email_enc}, ${r.phone_enc}, ${r.email_bidx}, ${r.phone_bidx},
          ${r.search_tokens ?? []}, ${r.data_key_id}, ${r.index_key_id}, ${r.metadata}, ${r.source}, 1, ${s.baseAmountMinor},
          ${s.now}, ${s.now}, ${s.now})
        ON CONFLICT (merchant_id, email_bidx) DO UPDATE SET ${aggregates}
        ${returning}`;
    }
    case 'match_email':
      return sql`UPDATE customers SET ${aggregates} WHERE merchant_id = ${s.merchantId}
        AND email_bidx IN (${sql.join(c.emailBidx)}) ${returning}`;
    case 'known':
      return sql`UPDATE customers SET ${aggregates} WHERE merchant_id = ${s.merchantId} AND id = ${c.id} ${returning}`;
    case 'none':
      return sql`SELECT NULL::text AS id, false AS phone_missing WHERE false`;
  }
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
    )${release}
    SELECT 1`.execute(db);
}
