import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * Deletes an erased customer's image (customer-erase module); false when it had none. An image is
 * always stored out of line (TOAST), so its removal from disk is a rewrite of the table.
 */
export async function deleteImageOfErased(
  trx: Transaction<DB>,
  merchantId: string,
  customerId: string,
): Promise<boolean> {
  const result = await trx
    .deleteFrom('customer_images')
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
