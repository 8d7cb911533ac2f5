import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { NewCustomerImageRow } from './image.table.js';

/** Stores the customer's image, replacing the one it had (one per customer: the primary key). */
export async function upsertCustomerImage(trx: Transaction<DB>, row: NewCustomerImageRow): Promise<void> {
  await trx
    .insertInto('customer_images')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['merchant_id', 'customer_id']).doUpdateSet({
        image_enc: row.image_enc,
        content_type: row.content_type,
        width: row.width,
        height: row.height,
        data_key_id: row.data_key_id,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** The sealed image and what is needed to open and serve it. */
export async function findCustomerImage(db: Executor, merchantId: string, customerId: string) {
  return db
    .selectFrom('customer_images')
    .select(['image_enc', 'content_type', 'data_key_id'])
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
}

/** Removes the customer's image; false when it had none. */
export async function deleteCustomerImage(
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

/** The whole sealed row (a merge moves it to another customer). */
export async function findCustomerImageRow(db: Executor, merchantId: string, customerId: string) {
  return db
    .selectFrom('customer_images')
    .select(['image_enc', 'content_type', 'width', 'height', 'data_key_id', 'updated_at'])
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
}
