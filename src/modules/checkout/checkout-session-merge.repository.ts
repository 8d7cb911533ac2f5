import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

/** A merge (customer-merge): checkout sessions paid by the merged customer point at the survivor. Runs in the merge's transaction, under both customers' row locks. Returns the rows moved. */
export async function moveCustomerCheckoutSessions(
  trx: Transaction<DB>,
  merchantId: string,
  from: string,
  to: string,
): Promise<number> {
  const result = await trx
    .updateTable('checkout_sessions')
    .set({ customer_id: to })
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
