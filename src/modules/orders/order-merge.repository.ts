import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

/** A merge (customer-merge): the merged customer's orders become the survivor's. Runs in the merge's transaction, under both customers' row locks. Returns the rows moved. */
export async function moveCustomerOrders(
  trx: Transaction<DB>,
  merchantId: string,
  from: string,
  to: string,
): Promise<number> {
  const result = await trx
    .updateTable('orders')
    .set({ customer_id: to })
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
