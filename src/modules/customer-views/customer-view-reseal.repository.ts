import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

/*
 * The customer_views statements of a key rotation (keys/key-sweep.ts): a view's search text is
 * sealed under a data key; a view without one holds no ciphertext and no key (data_key_id null), so
 * it never counts as off the active key. Views have no blind index.
 */

export async function countViewsOffDataKey(db: Executor, merchantId: string, activeKeyId: number): Promise<number> {
  const row = await db
    .selectFrom('customer_views')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .where('data_key_id', '<>', activeKeyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function viewUnderDataKey(db: Executor, merchantId: string, keyId: number): Promise<boolean> {
  const row = await db
    .selectFrom('customer_views')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('data_key_id', '=', keyId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function countViewsPerDataKey(db: Executor, merchantId: string) {
  const rows = await db
    .selectFrom('customer_views')
    .select(['data_key_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('merchant_id', '=', merchantId)
    .where('data_key_id', 'is not', null)
    .groupBy('data_key_id')
    .execute();
  return rows.map((r) => ({ purpose: 'data' as const, key_id: Number(r.data_key_id), rows: Number(r.n) }));
}

/** The next batch off the active key, by primary key; SKIP LOCKED leaves views an edit holds. */
export async function lockViewsOffDataKey(
  trx: Transaction<DB>,
  merchantId: string,
  activeKeyId: number,
  page: { afterId: string; limit: number },
) {
  return trx
    .selectFrom('customer_views')
    .select(['merchant_id', 'id', 'q_enc', 'data_key_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', '>', page.afterId)
    .where('data_key_id', '<>', activeKeyId)
    .orderBy('id')
    .limit(page.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Writes a re-sealed search; updated_at is left alone (nobody edited the view). */
export async function updateResealedView(
  trx: Transaction<DB>,
  merchantId: string,
  id: string,
  sealed: { q_enc: Buffer; data_key_id: number },
): Promise<void> {
  await trx
    .updateTable('customer_views')
    .set(sealed)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .execute();
}
