import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

/*
 * The customer_images statements of a key rotation (keys/key-sweep.ts): each image is sealed under a
 * data key; images use no index key. Batches go by customer_id, the key within the brand.
 */

export async function countImagesOffDataKey(db: Executor, merchantId: string, activeKeyId: number): Promise<number> {
  const row = await db
    .selectFrom('customer_images')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .where('data_key_id', '<>', activeKeyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function imageUnderDataKey(db: Executor, merchantId: string, keyId: number): Promise<boolean> {
  const row = await db
    .selectFrom('customer_images')
    .select('customer_id')
    .where('merchant_id', '=', merchantId)
    .where('data_key_id', '=', keyId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function countImagesPerDataKey(db: Executor, merchantId: string) {
  const rows = await db
    .selectFrom('customer_images')
    .select(['data_key_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('merchant_id', '=', merchantId)
    .groupBy('data_key_id')
    .execute();
  return rows.map((r) => ({ purpose: 'data' as const, key_id: r.data_key_id, rows: Number(r.n) }));
}

/** The next batch off the active key; SKIP LOCKED leaves images an upload is replacing. */
export async function lockImagesOffDataKey(
  trx: Transaction<DB>,
  merchantId: string,
  activeKeyId: number,
  page: { afterId: string; limit: number },
) {
  return trx
    .selectFrom('customer_images')
    .select(['customer_id', 'image_enc', 'data_key_id'])
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '>', page.afterId)
    .where('data_key_id', '<>', activeKeyId)
    .orderBy('customer_id')
    .limit(page.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Writes a re-sealed image; updated_at is left alone (the image did not change, nor its URL). */
export async function updateResealedImage(
  trx: Transaction<DB>,
  merchantId: string,
  customerId: string,
  sealed: { image_enc: Buffer; data_key_id: number },
): Promise<void> {
  await trx
    .updateTable('customer_images')
    .set(sealed)
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '=', customerId)
    .execute();
}
