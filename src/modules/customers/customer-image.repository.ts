import type { Executor } from '../../db/database.js';

/**
 * Tells lists that the customer has an image, and versions its URL (customer.view.ts); null when it
 * has none. The images module runs it in the transaction that stores or removes the image. The
 * customer's updated_at is left alone: its own fields did not change.
 */
export async function setCustomerImageUpdatedAt(
  db: Executor,
  merchantId: string,
  customerId: string,
  at: Date | null,
): Promise<void> {
  await db
    .updateTable('customers')
    .set({ image_updated_at: at })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', customerId)
    .execute();
}
