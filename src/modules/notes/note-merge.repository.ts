import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

/** A merge (customer-merge): the team's notes on the merged customer move to the survivor (bodies are bound to the note's id, not the customer's, so they open unchanged). Runs in the merge's transaction, under both customers' row locks. Returns the rows moved. */
export async function moveCustomerNotes(
  trx: Transaction<DB>,
  merchantId: string,
  from: string,
  to: string,
): Promise<number> {
  const result = await trx
    .updateTable('customer_notes')
    .set({ customer_id: to })
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
