import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

/** A merge (customer-merge): the merged customer's invoices are billed to the survivor. Runs in the merge's transaction, under both customers' row locks. Returns the rows moved. */
export async function moveCustomerInvoices(
  trx: Transaction<DB>,
  merchantId: string,
  from: string,
  to: string,
): Promise<number> {
  const result = await trx
    .updateTable('invoices')
    .set({ customer_id: to })
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
