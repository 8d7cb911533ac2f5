import type { Transaction } from 'kysely';
import type { KeyPurpose } from '../../crypto/keyring.js';
import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { SealedUser } from './user.seal.js';

/*
 * The site_users statements of a key rotation (keys/key-sweep.ts), like customers' re-seal ones:
 * which rows sit under which key, and the writes that move them to the active one.
 */

const KEY_COLUMN = { data: 'data_key_id', index: 'index_key_id' } as const;

export async function countUsersOffKey(
  db: Executor,
  merchantId: string,
  purpose: KeyPurpose,
  activeKeyId: number,
): Promise<number> {
  const row = await db
    .selectFrom('site_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .where(KEY_COLUMN[purpose], '<>', activeKeyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function userUnderKey(db: Executor, merchantId: string, purpose: KeyPurpose, keyId: number) {
  const row = await db
    .selectFrom('site_users')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where(KEY_COLUMN[purpose], '=', keyId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function countUsersPerKey(db: Executor, merchantId: string) {
  const count = async (purpose: KeyPurpose) => {
    const column = KEY_COLUMN[purpose];
    const rows = await db
      .selectFrom('site_users')
      .select([`${column} as key_id`, (eb) => eb.fn.countAll<number>().as('n')])
      .where('merchant_id', '=', merchantId)
      .groupBy(column)
      .execute();
    return rows.map((r) => ({ purpose, key_id: r.key_id, rows: Number(r.n) }));
  };
  return [...(await count('data')), ...(await count('index'))];
}

/** The next batch off the active key, by primary key; SKIP LOCKED leaves rows an edit is re-sealing. */
export async function lockUsersOffKey(
  trx: Transaction<DB>,
  merchantId: string,
  purpose: KeyPurpose,
  activeKeyId: number,
  page: { afterId: string; limit: number },
) {
  return trx
    .selectFrom('site_users')
    .select([
      'merchant_id',
      'id',
      'external_id_enc',
      'email_enc',
      'given_name_enc',
      'family_name_enc',
      'phone_enc',
      'data_key_id',
    ])
    .where('merchant_id', '=', merchantId)
    .where('id', '>', page.afterId)
    .where(KEY_COLUMN[purpose], '<>', activeKeyId)
    .orderBy('id')
    .limit(page.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Writes a re-sealed row; updated_at is left alone (nothing the user did changed). */
export async function updateResealedUser(
  trx: Transaction<DB>,
  merchantId: string,
  id: string,
  sealed: SealedUser,
): Promise<void> {
  await trx.updateTable('site_users').set(sealed).where('merchant_id', '=', merchantId).where('id', '=', id).execute();
}
