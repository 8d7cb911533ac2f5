import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Executor } from '../../db/database.js';
import { executePrepared } from '../../db/prepared-client.js';
import type { StoredBrandKey } from '../../crypto/keyring.js';
import type { BrandRow, BrandSettings } from './brand.table.js';

const BRAND_COLUMNS = ['id', 'name', 'country', 'base_currency', 'settings', 'logo_url', 'created_at'] as const;

export async function insertBrand(
  db: Executor,
  brand: {
    id: string;
    name: string;
    country: string;
    base_currency: string;
    logo_url: string | null;
    settings: BrandSettings;
  },
): Promise<void> {
  await db
    .insertInto('brands')
    .values({ ...brand, settings: JSON.stringify(brand.settings) })
    .execute();
}

export async function findBrand(db: Executor, id: string): Promise<BrandRow | undefined> {
  return (await executePrepared(db, db.selectFrom('brands').select(BRAND_COLUMNS).where('id', '=', id)))[0];
}

export async function updateBrandSettings(db: Executor, id: string, settings: BrandSettings): Promise<void> {
  await db
    .updateTable('brands')
    .set({ settings: JSON.stringify(settings) })
    .where('id', '=', id)
    .execute();
}

export async function findBrands(db: Executor, ids: string[]): Promise<BrandRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('brands')
    .select(BRAND_COLUMNS)
    .where('id', 'in', ids)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Locks the brand row: profile changes and the currency check see one state. */
export async function lockBrand(db: Executor, id: string): Promise<BrandRow | undefined> {
  return db.selectFrom('brands').select(BRAND_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateBrandProfile(
  db: Executor,
  id: string,
  changes: Partial<Pick<BrandRow, 'name' | 'country' | 'base_currency' | 'logo_url'>>,
): Promise<void> {
  await db.updateTable('brands').set(changes).where('id', '=', id).execute();
}

/**
 * Whether the brand has any transaction: its totals are then kept in its base currency, which may
 * no longer change. Reads the ledger's key only.
 */
export async function brandHasTransactions(db: Executor, merchantId: string): Promise<boolean> {
  const row = await db
    .selectFrom('transactions')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Exchange rates are kept against the base currency, so a new base currency makes them wrong:
 * they go with the change (the brand has no transaction priced with them, or it could not change).
 */
export async function deleteBrandExchangeRates(db: Executor, merchantId: string): Promise<void> {
  await db.deleteFrom('exchange_rates').where('merchant_id', '=', merchantId).execute();
}

export async function firstBrand(db: Executor): Promise<BrandRow | undefined> {
  return db.selectFrom('brands').select(BRAND_COLUMNS).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
}

export async function countBrands(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('brands')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertBrandKey(
  db: Executor,
  key: { merchant_id: string; key_id: number; purpose: 'data' | 'index'; state: 'active'; wrapped_key: Buffer },
): Promise<void> {
  await db
    .insertInto('brand_keys')
    .values({ ...key, retired_at: null })
    .execute();
}

export async function listBrandKeys(db: Executor, merchantId: string): Promise<StoredBrandKey[]> {
  return db
    .selectFrom('brand_keys')
    .select(['key_id', 'purpose', 'state', 'wrapped_key'])
    .where('merchant_id', '=', merchantId)
    .orderBy('key_id')
    .execute();
}

export async function readMasterFingerprint(db: Executor): Promise<string | undefined> {
  const row = await db.selectFrom('keyring_state').select('master_fingerprint').where('id', '=', 1).executeTakeFirst();
  return row?.master_fingerprint;
}

/** Records the fingerprint if none is recorded yet; returns the one in force. */
export async function claimMasterFingerprint(db: Executor, fingerprint: string): Promise<string> {
  await db
    .insertInto('keyring_state')
    .values({ id: 1, master_fingerprint: fingerprint })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return (await readMasterFingerprint(db)) ?? fingerprint;
}

/**
 * The fingerprint in force, share-locked for the rest of the transaction: whoever wraps a new
 * brand key holds this, so `keys rotate-master` (which locks it for update) cannot switch the
 * master key between the check and the insert.
 */
export async function lockMasterFingerprint(db: Transaction<DB>): Promise<string | undefined> {
  const row = await db
    .selectFrom('keyring_state')
    .select('master_fingerprint')
    .where('id', '=', 1)
    .forShare()
    .executeTakeFirst();
  return row?.master_fingerprint;
}

export async function listBrandIds(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('brands').select('id').orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => r.id);
}
