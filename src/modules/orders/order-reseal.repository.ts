import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

/*
 * The orders statements of a key rotation (keys/key-sweep.ts): only a buyer kept on the order is
 * sealed, under a data key (data_key_id is null otherwise); orders use no index key.
 */

export async function countOrdersOffDataKey(db: Executor, merchantId: string, activeKeyId: number): Promise<number> {
  const row = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .where('data_key_id', '<>', activeKeyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function orderUnderDataKey(db: Executor, merchantId: string, keyId: number): Promise<boolean> {
  const row = await db
    .selectFrom('orders')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('data_key_id', '=', keyId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function countOrdersPerDataKey(db: Executor, merchantId: string) {
  const rows = await db
    .selectFrom('orders')
    .select(['data_key_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('merchant_id', '=', merchantId)
    .where('data_key_id', 'is not', null)
    .groupBy('data_key_id')
    .execute();
  return rows.map((r) => ({ purpose: 'data' as const, key_id: Number(r.data_key_id), rows: Number(r.n) }));
}

/** The next batch off the active key, by primary key; SKIP LOCKED leaves orders a change holds. */
export async function lockOrdersOffDataKey(
  trx: Transaction<DB>,
  merchantId: string,
  activeKeyId: number,
  page: { afterId: string; limit: number },
) {
  return trx
    .selectFrom('orders')
    .select(['merchant_id', 'id', 'buyer_enc', 'data_key_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', '>', page.afterId)
    .where('data_key_id', '<>', activeKeyId)
    .orderBy('id')
    .limit(page.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Writes a re-sealed buyer; updated_at is left alone (nothing about the order changed). */
export async function updateResealedBuyer(
  trx: Transaction<DB>,
  merchantId: string,
  id: string,
  sealed: { buyer_enc: Buffer; data_key_id: number },
): Promise<void> {
  await trx.updateTable('orders').set(sealed).where('merchant_id', '=', merchantId).where('id', '=', id).execute();
}
