import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

/*
 * The customer_notes statements of a key rotation (keys/key-sweep.ts): bodies are sealed under a
 * data key; notes have no blind index, so an index-key rotation has nothing to move here.
 */

export async function countNotesOffDataKey(db: Executor, merchantId: string, activeKeyId: number): Promise<number> {
  const row = await db
    .selectFrom('customer_notes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .where('data_key_id', '<>', activeKeyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function noteUnderDataKey(db: Executor, merchantId: string, keyId: number): Promise<boolean> {
  const row = await db
    .selectFrom('customer_notes')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('data_key_id', '=', keyId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function countNotesPerDataKey(db: Executor, merchantId: string) {
  const rows = await db
    .selectFrom('customer_notes')
    .select(['data_key_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('merchant_id', '=', merchantId)
    .groupBy('data_key_id')
    .execute();
  return rows.map((r) => ({ purpose: 'data' as const, key_id: Number(r.data_key_id), rows: Number(r.n) }));
}

/** The next batch off the active key, by primary key; SKIP LOCKED leaves notes an edit holds. */
export async function lockNotesOffDataKey(
  trx: Transaction<DB>,
  merchantId: string,
  activeKeyId: number,
  page: { afterId: string; limit: number },
) {
  return trx
    .selectFrom('customer_notes')
    .select(['merchant_id', 'id', 'body_enc', 'data_key_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', '>', page.afterId)
    .where('data_key_id', '<>', activeKeyId)
    .orderBy('id')
    .limit(page.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Writes a re-sealed body; updated_at is left alone (nobody edited the note). */
export async function updateResealedNote(
  trx: Transaction<DB>,
  merchantId: string,
  id: string,
  sealed: { body_enc: Buffer; data_key_id: number },
): Promise<void> {
  await trx
    .updateTable('customer_notes')
    .set(sealed)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .execute();
}
