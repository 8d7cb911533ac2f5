import { sql, type Transaction } from 'kysely';
import type { KeyPurpose } from '../../crypto/keyring.js';
import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { CUSTOMER_COLUMNS, type CustomerRecord } from './customer.repository.js';
import type { SealedContact } from './customer.seal.js';

/*
 * The customers statements of a key rotation (keys/key-sweep.ts): which rows sit under which key,
 * and the batch writes that re-seal them under the active one.
 */

/** Which customer column names the key a row is under, per purpose. */
const KEY_COLUMN = { data: 'data_key_id', index: 'index_key_id' } as const;

export async function countCustomersOffKey(
  db: Executor,
  merchantId: string,
  purpose: KeyPurpose,
  activeKeyId: number,
  excludeIds: readonly string[] = [],
): Promise<number> {
  let query = db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .where(KEY_COLUMN[purpose], '<>', activeKeyId);
  if (excludeIds.length > 0) query = query.where('id', 'not in', excludeIds);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export type SweepRow = CustomerRecord & { index_key_id: number };

/**
 * The next batch of rows not yet under the active key, by keyset on the primary key (each pass
 * reads the brand's rows once, whatever the number of dead index entries a sweep leaves behind).
 * SKIP LOCKED: a row a customer edit holds is being re-sealed under the active key by that edit.
 */
export async function lockCustomersOffKey(
  trx: Transaction<DB>,
  merchantId: string,
  purpose: KeyPurpose,
  activeKeyId: number,
  page: { afterId: string; limit: number; excludeIds: readonly string[] },
): Promise<SweepRow[]> {
  let query = trx
    .selectFrom('customers')
    .select([...CUSTOMER_COLUMNS, 'index_key_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', '>', page.afterId)
    .where(KEY_COLUMN[purpose], '<>', activeKeyId);
  if (page.excludeIds.length > 0) query = query.where('id', 'not in', page.excludeIds);
  return query.orderBy('id').limit(page.limit).forUpdate().skipLocked().execute();
}

export interface ResealedRow {
  id: string;
  sealed: SealedContact;
}

/** Writes re-sealed personal columns of many rows in one statement; updated_at is left alone. */
export async function updateResealedCustomers(
  trx: Transaction<DB>,
  merchantId: string,
  rows: ResealedRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const values = sql.join(
    rows.map(
      ({ id, sealed: s }) =>
        sql`(${id}::text, ${s.name_enc}::bytea, ${s.email_enc}::bytea, ${s.phone_enc}::bytea, ${s.email_bidx}::bytea,
             ${s.phone_bidx}::bytea, ${s.name_bidx}::bytea, ${s.search_tokens}::int4[], ${s.data_key_id}::int4, ${s.index_key_id}::int4)`,
    ),
  );
  const result = await sql`
    UPDATE customers AS c SET
      name_enc = v.name_enc, email_enc = v.email_enc, phone_enc = v.phone_enc,
      email_bidx = v.email_bidx, phone_bidx = v.phone_bidx, name_bidx = v.name_bidx, search_tokens = v.search_tokens,
      data_key_id = v.data_key_id, index_key_id = v.index_key_id
    FROM (VALUES ${values})
      AS v (id, name_enc, email_enc, phone_enc, email_bidx, phone_bidx, name_bidx, search_tokens, data_key_id, index_key_id)
    WHERE c.merchant_id = ${merchantId} AND c.id = v.id`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/** Whether any customer row is still under this key. */
export async function customerUnderKey(
  db: Executor,
  merchantId: string,
  purpose: KeyPurpose,
  keyId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where(KEY_COLUMN[purpose], '=', keyId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function countCustomersPerKey(
  db: Executor,
  merchantId: string,
): Promise<Array<{ purpose: KeyPurpose; key_id: number; rows: number }>> {
  const count = async (purpose: KeyPurpose) => {
    const column = KEY_COLUMN[purpose];
    const rows = await db
      .selectFrom('customers')
      .select([`${column} as key_id`, (eb) => eb.fn.countAll<number>().as('n')])
      .where('merchant_id', '=', merchantId)
      .groupBy(column)
      .execute();
    return rows.map((r) => ({ purpose, key_id: r.key_id, rows: Number(r.n) }));
  };
  return [...(await count('data')), ...(await count('index'))];
}
