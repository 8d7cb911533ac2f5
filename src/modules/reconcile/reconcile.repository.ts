import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

/** What the ledger says a customer's aggregates are. */
export interface LedgerAggregates {
  transactions_count: number;
  total_spent_minor: number;
  last_payment_at: Date | null;
}

export interface AggregateDrift {
  customer_id: string;
  stored: LedgerAggregates;
  ledger: LedgerAggregates;
}

// A payment counts once it succeeded (later refunds do not uncount it); succeeded refunds take
// their base-currency share back out of total spent.
const COUNTED_PAYMENT = sql`type = 'payment' AND status IN ('succeeded', 'refunded', 'partially_refunded')`;
const LEDGER_COLUMNS = sql`
  count(*) FILTER (WHERE ${COUNTED_PAYMENT}) AS count,
  COALESCE(sum(CASE WHEN ${COUNTED_PAYMENT} THEN base_amount_minor
                    WHEN type = 'refund' AND status = 'succeeded' THEN -base_amount_minor ELSE 0 END), 0) AS total,
  max(succeeded_at) FILTER (WHERE ${COUNTED_PAYMENT}) AS last`;

interface DriftRow {
  id: string;
  transactions_count: number | string;
  total_spent_minor: number | string;
  last_payment_at: Date | null;
  ledger_count: number | string;
  ledger_total: number | string;
  ledger_last: Date | null;
}

/** Every customer of the brand whose stored aggregates differ from the ledger's, in one pass. */
export async function findAggregateDrift(db: Executor, merchantId: string): Promise<AggregateDrift[]> {
  const { rows } = await sql<DriftRow>`
    WITH ledger AS (
      SELECT customer_id, ${LEDGER_COLUMNS}
      FROM transactions WHERE merchant_id = ${merchantId} AND customer_id IS NOT NULL GROUP BY customer_id
    )
    SELECT c.id, c.transactions_count, c.total_spent_minor, c.last_payment_at,
      COALESCE(l.count, 0) AS ledger_count, COALESCE(l.total, 0) AS ledger_total, l.last AS ledger_last
    FROM customers c LEFT JOIN ledger l ON l.customer_id = c.id
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

/** The ledger's aggregates of one customer; call under the customer's row lock. */
export async function ledgerAggregates(
  db: Executor,
  merchantId: string,
  customerId: string,
): Promise<LedgerAggregates> {
  const { rows } = await sql<{ count: number | string; total: number | string; last: Date | null }>`
    SELECT ${LEDGER_COLUMNS} FROM transactions WHERE merchant_id = ${merchantId} AND customer_id = ${customerId}`.execute(
    db,
  );
  const row = rows[0];
  return {
    transactions_count: Number(row?.count ?? 0),
    total_spent_minor: Number(row?.total ?? 0),
    last_payment_at: row?.last ?? null,
  };
}

/** Locks the customer row, so no payment moves its aggregates while they are rewritten. */
export async function lockCustomerAggregates(db: Executor, merchantId: string, customerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', customerId)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

export async function writeAggregates(
  db: Executor,
  merchantId: string,
  customerId: string,
  aggregates: LedgerAggregates,
): Promise<void> {
  await db
    .updateTable('customers')
    .set(aggregates)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', customerId)
    .execute();
}
