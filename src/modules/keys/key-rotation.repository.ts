import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Executor } from '../../db/database.js';
import type { KeyPurpose, StoredBrandKey } from '../../crypto/keyring.js';
import { CUSTOMER_COLUMNS, type CustomerRecord } from '../customers/customer.repository.js';
import type { SealedContact } from '../customers/customer.seal.js';

/** Which customer column names the key a row is under, per purpose. */
const KEY_COLUMN = { data: 'data_key_id', index: 'index_key_id' } as const;

export interface BrandKeyInfo {
  key_id: number;
  purpose: KeyPurpose;
  state: 'active' | 'decrypt_only' | 'retired';
  created_at: Date;
  retired_at: Date | null;
}

const KEY_INFO_COLUMNS = ['key_id', 'purpose', 'state', 'created_at', 'retired_at'] as const;

/** All of a brand's keys (both purposes), locked: one rotation start at a time per brand. */
export async function lockBrandKeys(trx: Transaction<DB>, merchantId: string): Promise<BrandKeyInfo[]> {
  return trx
    .selectFrom('brand_keys')
    .select(KEY_INFO_COLUMNS)
    .where('merchant_id', '=', merchantId)
    .orderBy('key_id')
    .forUpdate()
    .execute();
}

export async function listBrandKeyInfo(db: Executor, merchantId: string): Promise<BrandKeyInfo[]> {
  return db
    .selectFrom('brand_keys')
    .select(KEY_INFO_COLUMNS)
    .where('merchant_id', '=', merchantId)
    .orderBy('key_id')
    .execute();
}

/** The active key of a purpose stops encrypting (or indexing) new writes; it still decrypts. */
export async function demoteActiveKey(trx: Transaction<DB>, merchantId: string, purpose: KeyPurpose): Promise<void> {
  await trx
    .updateTable('brand_keys')
    .set({ state: 'decrypt_only' })
    .where('merchant_id', '=', merchantId)
    .where('purpose', '=', purpose)
    .where('state', '=', 'active')
    .execute();
}

/** How long ago the active key was made, by the database's clock (servers' clocks may differ). */
export async function activeKeyAgeMs(
  db: Executor,
  merchantId: string,
  purpose: KeyPurpose,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('brand_keys')
    .select(sql<number>`(extract(epoch from now() - created_at) * 1000)::float8`.as('age_ms'))
    .where('merchant_id', '=', merchantId)
    .where('purpose', '=', purpose)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.age_ms);
}

export async function countRowsOffKey(
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
export async function lockRowsOffKey(
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
export async function updateResealedRows(
  trx: Transaction<DB>,
  merchantId: string,
  rows: ResealedRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const values = sql.join(
    rows.map(
      ({ id, sealed: s }) =>
        sql`(${id}::text, ${s.name_enc}::bytea, ${s.email_enc}::bytea, ${s.phone_enc}::bytea, ${s.email_bidx}::bytea,
             ${s.phone_bidx}::bytea, ${s.search_tokens}::int4[], ${s.data_key_id}::int4, ${s.index_key_id}::int4)`,
    ),
  );
  const result = await sql`
    UPDATE customers AS c SET
      name_enc = v.name_enc, email_enc = v.email_enc, phone_enc = v.phone_enc,
      email_bidx = v.email_bidx, phone_bidx = v.phone_bidx, search_tokens = v.search_tokens,
      data_key_id = v.data_key_id, index_key_id = v.index_key_id
    FROM (VALUES ${values})
      AS v (id, name_enc, email_enc, phone_enc, email_bidx, phone_bidx, search_tokens, data_key_id, index_key_id)
    WHERE c.merchant_id = ${merchantId} AND c.id = v.id`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/** Runs fn inside a savepoint: on failure only its work is undone and the transaction goes on. */
export async function withSavepoint<T>(trx: Transaction<DB>, name: string, fn: () => Promise<T>): Promise<T> {
  await sql`SAVEPOINT ${sql.id(name)}`.execute(trx);
  try {
    const result = await fn();
    await sql`RELEASE SAVEPOINT ${sql.id(name)}`.execute(trx);
    return result;
  } catch (error) {
    await sql`ROLLBACK TO SAVEPOINT ${sql.id(name)}`.execute(trx);
    throw error;
  }
}

/**
 * Locks one key row for update: waits for writers in flight under it (the customers trigger of
 * migration 0003 holds FOR KEY SHARE on it) and makes later writers wait for this transaction.
 */
export async function lockBrandKey(
  trx: Transaction<DB>,
  merchantId: string,
  keyId: number,
): Promise<BrandKeyInfo | undefined> {
  return trx
    .selectFrom('brand_keys')
    .select(KEY_INFO_COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('key_id', '=', keyId)
    .forUpdate()
    .executeTakeFirst();
}

export async function keyInUse(db: Executor, merchantId: string, purpose: KeyPurpose, keyId: number): Promise<boolean> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where(KEY_COLUMN[purpose], '=', keyId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Destroys the key material: rows still under this key could never be read again. */
export async function retireBrandKey(trx: Transaction<DB>, merchantId: string, keyId: number): Promise<void> {
  await trx
    .updateTable('brand_keys')
    .set({ state: 'retired', wrapped_key: null, retired_at: sql<Date>`now()` })
    .where('merchant_id', '=', merchantId)
    .where('key_id', '=', keyId)
    .where('state', '=', 'decrypt_only')
    .execute();
}

export async function countRowsPerKey(
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

/* Master key rotation: every brand's keys at once. */

/** The fingerprint in force, locked for update: no brand key is wrapped while it changes. */
export async function lockKeyringState(trx: Transaction<DB>): Promise<string | undefined> {
  const row = await trx
    .selectFrom('keyring_state')
    .select('master_fingerprint')
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirst();
  return row?.master_fingerprint;
}

export async function setMasterFingerprint(trx: Transaction<DB>, fingerprint: string): Promise<void> {
  await trx
    .updateTable('keyring_state')
    .set({ master_fingerprint: fingerprint, updated_at: sql<Date>`now()` })
    .where('id', '=', 1)
    .execute();
}

export async function lockLiveBrandKeys(
  trx: Transaction<DB>,
): Promise<Array<StoredBrandKey & { merchant_id: string }>> {
  return trx
    .selectFrom('brand_keys')
    .select(['merchant_id', 'key_id', 'purpose', 'state', 'wrapped_key'])
    .where('state', '<>', 'retired')
    .orderBy('merchant_id')
    .orderBy('key_id')
    .forUpdate()
    .execute();
}

export async function setWrappedKey(
  trx: Transaction<DB>,
  merchantId: string,
  keyId: number,
  wrapped: Buffer,
): Promise<void> {
  await trx
    .updateTable('brand_keys')
    .set({ wrapped_key: wrapped })
    .where('merchant_id', '=', merchantId)
    .where('key_id', '=', keyId)
    .execute();
}
