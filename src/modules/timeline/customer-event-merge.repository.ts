import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * A merge (customer-merge): the merged customer's timeline joins the survivor's. Runs in the merge's
 * transaction, under both customers' row locks. Each moved event keeps the customer it happened to
 * (`merged_from`), so the survivor's timeline does not read as if it had been created twice; an event
 * moved again by a later merge keeps its first customer (the right side of jsonb's `||` wins).
 * Returns the rows moved.
 */
export async function moveCustomerEvents(
  trx: Transaction<DB>,
  merchantId: string,
  from: string,
  to: string,
): Promise<number> {
  const result = await sql`
    UPDATE customer_events SET customer_id = ${to}, refs = jsonb_build_object('merged_from', ${from}::text) || refs
    WHERE merchant_id = ${merchantId} AND customer_id = ${from}`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
