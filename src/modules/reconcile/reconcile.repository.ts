import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { findCustomerAggregateDrift, type AggregateDrift, type CustomerAggregates } from '../customers/index.js';

/** What the ledger says a customer's aggregates are. */
export type LedgerAggregates = CustomerAggregates;
export type { AggregateDrift };

// A payment counts once it succeeded (later refunds do not uncount it); succeeded refunds take
// their base-currency share back out of total spent.
const COUNTED_PAYMENT = sql`type = 'payment' AND status IN ('succeeded', 'refunded', 'partially_refunded')`;
const LEDGER_COLUMNS = sql`
  count(*) FILTER (WHERE ${COUNTED_PAYMENT}) AS count,
  COALESCE(sum(CASE WHEN ${COUNTED_PAYMENT} THEN base_amount_minor
                    WHEN type = 'refund' AND status = 'succeeded' THEN -base_amount_minor ELSE 0 END), 0) AS total,
  max(succeeded_at) FILTER (WHERE ${COUNTED_PAYMENT}) AS last`;

/** Every customer of the brand whose stored aggregates differ from the ledger's, in one pass. */
export async function findAggregateDrift(db: Executor, merchantId: string): Promise<AggregateDrift[]> {
  return findCustomerAggregateDrift(
    db,
    merchantId,
    sql`SELECT merchant_id, customer_id, ${LEDGER_COLUMNS}
      FROM transactions WHERE merchant_id = ${merchantId} AND customer_id IS NOT NULL GROUP BY merchant_id, customer_id`,
  );
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
