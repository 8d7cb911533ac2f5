import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Executor } from '../../db/database.js';
import type { KeyPurpose, StoredBrandKey } from '../../crypto/keyring.js';

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
