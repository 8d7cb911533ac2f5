import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * A merge (customer-merge): users suggested as the merged customer's account are suggested for the
 * survivor instead. Runs in the merge's transaction. Returns the rows changed.
 */
export async function moveSuggestedCustomer(
  trx: Transaction<DB>,
  merchantId: string,
  from: string,
  to: string,
): Promise<number> {
  const result = await trx
    .updateTable('site_users')
    .set({ suggested_customer_id: to })
    .where('merchant_id', '=', merchantId)
    .where('suggested_customer_id', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
