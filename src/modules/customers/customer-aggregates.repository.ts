import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { NewCustomerRow } from './customer.table.js';

/*
 * A customer's aggregates (transactions_count, total_spent_minor, last_payment_at) as payments,
 * refunds and reconcile move them. Those modules call these statements and fragments; the ledger
 * itself (the transactions table) stays theirs.
 */

/** Whose aggregates a payment moves. */
export type PaymentCustomer =
  /**
   * Automatic registration: this new row, or (same email) the brand's existing customer.
   * `retiringIndex`: the brand's index key is being rebuilt, so site users may still sit under the
   * retiring key, which the row's blind index does not match.
   */
  | { kind: 'register'; row: NewCustomerRow; retiringIndex: boolean }
  /** Registration off: the existing customer with this email, if any. */
  | { kind: 'match_email'; emailBidx: Buffer[] }
  /** Known already (an invoice billed to a customer). */
  | { kind: 'known'; id: string }
  | { kind: 'none' };

/**
 * The customer half of a payment's one statement, for a CTE of it (payments/payment-record.repository.ts):
 * registers or matches the customer and moves its aggregates; yields at most one row
 * `(id text, phone_missing boolean, inserted boolean)`, inserted when this payment registered them.
 */
export function customerPaymentUpsert(p: {
  merchantId: string;
  customer: PaymentCustomer;
  baseAmountMinor: number;
  now: Date;
}): RawBuilder<unknown> {
  const aggregates = sql`transactions_count = customers.transactions_count + 1,
    total_spent_minor = customers.total_spent_minor + ${p.baseAmountMinor}::bigint,
    last_payment_at = GREATEST(customers.last_payment_at, ${p.now}::timestamptz)`;
  // xmax is 0 on a row this statement inserted, and set on one ON CONFLICT updated (PostgreSQL's own
  // way of telling the two apart in RETURNING).
  const returningUpsert = sql`RETURNING id, phone_enc IS NULL AS phone_missing, (xmax = 0) AS inserted`;
  const returningUpdate = sql`RETURNING id, phone_enc IS NULL AS phone_missing, false AS inserted`;
  const c = p.customer;
  switch (c.kind) {
    case 'register': {
      const r = c.row;
      // On a known email the new row is discarded and the existing customer's aggregates move:
      // its name, email and phone stay what staff (or an earlier payment) entered.
      return sql`INSERT INTO customers (merchant_id, id, name_enc, email_enc, phone_enc, email_bidx, phone_bidx, name_bidx, search_tokens,
          data_key_id, index_key_id, metadata, source, transactions_count, total_spent_minor, last_payment_at, created_at, updated_at)
        VALUES (${r.merchant_id}, ${r.id}, ${r.name_enc}, ${r.email_enc}, ${r.phone_enc}, ${r.email_bidx}, ${r.phone_bidx},
          ${r.name_bidx ?? null}, ${r.search_tokens ?? []}, ${r.data_key_id}, ${r.index_key_id}, ${r.metadata}, ${r.source}, 1, ${p.baseAmountMinor},
          ${p.now}, ${p.now}, ${p.now})
        ON CONFLICT (merchant_id, email_bidx) DO UPDATE SET ${aggregates}
        ${returningUpsert}`;
    }
    case 'match_email':
      return sql`UPDATE customers SET ${aggregates} WHERE merchant_id = ${p.merchantId}
        AND email_bidx IN (${sql.join(c.emailBidx)}) ${returningUpdate}`;
    case 'known':
      return sql`UPDATE customers SET ${aggregates} WHERE merchant_id = ${p.merchantId} AND id = ${c.id} ${returningUpdate}`;
    case 'none':
      return sql`SELECT NULL::text AS id, false AS phone_missing, false AS inserted WHERE false`;
  }
}

/**
 * The customer a declined payment belongs to, for a CTE of the failure's statement: the known one,
 * or the brand's customer with the payer's email; yields at most one row `(id text)`. Reads only.
 */
export function customerOfFailedPayment(p: { merchantId: string; customer: PaymentCustomer }): RawBuilder<unknown> {
  const c = p.customer;
  switch (c.kind) {
    case 'known':
      return sql`SELECT id FROM customers WHERE merchant_id = ${p.merchantId} AND id = ${c.id}`;
    case 'match_email':
      return sql`SELECT id FROM customers WHERE merchant_id = ${p.merchantId} AND email_bidx IN (${sql.join(c.emailBidx)}) LIMIT 1`;
    case 'register':
      return sql`SELECT id FROM customers WHERE merchant_id = ${p.merchantId} AND email_bidx = ${c.row.email_bidx} LIMIT 1`;
    case 'none':
      return sql`SELECT NULL::text AS id WHERE false`;
  }
}

/** A succeeded refund takes its base-currency amount back out of the customer's total spent. */
export async function takeBackTotalSpent(
  db: Executor,
  merchantId: string,
  customerId: string,
  baseMinor: number,
): Promise<void> {
  await db
    .updateTable('customers')
    .set((eb) => ({ total_spent_minor: eb('total_spent_minor', '-', baseMinor) }))
    .where('merchant_id', '=', merchantId)
    .where('id', '=', customerId)
    .execute();
}

/** A customer's aggregates as reconcile compares and writes them. */
export interface CustomerAggregates {
  transactions_count: number;
  total_spent_minor: number;
  last_payment_at: Date | null;
}

export interface AggregateDrift {
  customer_id: string;
  stored: CustomerAggregates;
  ledger: CustomerAggregates;
}

interface DriftRow {
  id: string;
  transactions_count: number | string;
  total_spent_minor: number | string;
  last_payment_at: Date | null;
  ledger_count: number | string;
  ledger_total: number | string;
  ledger_last: Date | null;
}

/**
 * Every customer of the brand whose stored aggregates differ from the ledger's, in one pass. The
 * caller says what the ledger is: a query yielding `(merchant_id, customer_id, count, total, last)` per customer.
 */
export async function findCustomerAggregateDrift(
  db: Executor,
  merchantId: string,
  ledger: RawBuilder<unknown>,
): Promise<AggregateDrift[]> {
  const { rows } = await sql<DriftRow>`
    WITH ledger AS (${ledger})
    SELECT c.id, c.transactions_count, c.total_spent_minor, c.last_payment_at,
      COALESCE(l.count, 0) AS ledger_count, COALESCE(l.total, 0) AS ledger_total, l.last AS ledger_last
    FROM customers c LEFT JOIN ledger l ON l.merchant_id = c.merchant_id AND l.customer_id = c.id
    WHERE c.merchant_id = ${merchantId}
      AND (c.transactions_count <> COALESCE(l.count, 0) OR c.total_spent_minor <> COALESCE(l.total, 0)
           OR c.last_payment_at IS DISTINCT FROM l.last)
    ORDER BY c.id`.execute(db);
  return rows.map((r) => ({
    customer_id: r.id,
    stored: {
      transactions_count: Number(r.transactions_count),
      total_spent_minor: Number(r.total_spent_minor),
      last_payment_at: r.last_payment_at,
    },
    ledger: {
      transactions_count: Number(r.ledger_count),
      total_spent_minor: Number(r.ledger_total),
      last_payment_at: r.ledger_last,
    },
  }));
}

export async function writeCustomerAggregates(
  db: Executor,
  merchantId: string,
  customerId: string,
  aggregates: CustomerAggregates,
): Promise<void> {
  await db
    .updateTable('customers')
    .set(aggregates)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', customerId)
    .execute();
}
