import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { CustomerTagRow, NewCustomerTagRow } from './customer-tag.table.js';

const COLUMNS = ['merchant_id', 'id', 'name', 'name_key', 'color', 'created_at'] as const;

export type CustomerTagWithCount = CustomerTagRow & { customers: number };

/**
 * Serialises the brand's tag creations and renames (a transaction-scoped advisory lock), so the cap
 * on tags per brand holds under concurrent creates and a name taken meanwhile is a clean 409.
 */
export async function lockBrandTags(trx: Transaction<DB>, merchantId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`customer_tags:${merchantId}`}))`.execute(trx);
}

export async function countTags(db: Executor, merchantId: string): Promise<number> {
  const row = await db
    .selectFrom('customer_tags')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The tag holding this name key, if any (the unique key (merchant_id, name_key) serves it). */
export async function findTagIdByNameKey(db: Executor, merchantId: string, nameKey: string) {
  const row = await db
    .selectFrom('customer_tags')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('name_key', '=', nameKey)
    .executeTakeFirst();
  return row?.id;
}

export async function insertTag(db: Executor, row: NewCustomerTagRow): Promise<void> {
  await db.insertInto('customer_tags').values(row).execute();
}

/**
 * One tag of the brand. `share` (tagging) keeps it from being deleted until the caller commits;
 * `update` (rename, delete) waits for taggings in flight.
 */
export async function findTag(
  db: Executor,
  merchantId: string,
  id: string,
  lock?: 'share' | 'update',
): Promise<CustomerTagRow | undefined> {
  const query = db
    .selectFrom('customer_tags')
    .select(COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id);
  if (lock === 'share') return query.forShare().executeTakeFirst();
  if (lock === 'update') return query.forUpdate().executeTakeFirst();
  return query.executeTakeFirst();
}

export async function updateTagRow(
  db: Executor,
  merchantId: string,
  id: string,
  changes: Partial<Pick<CustomerTagRow, 'name' | 'name_key' | 'color'>>,
): Promise<void> {
  await db
    .updateTable('customer_tags')
    .set(changes)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .execute();
}

/** Deletes the tag; its links go with it (ON DELETE CASCADE). */
export async function deleteTagRow(db: Executor, merchantId: string, id: string): Promise<void> {
  await db.deleteFrom('customer_tags').where('merchant_id', '=', merchantId).where('id', '=', id).execute();
}

/**
 * Customers having each tag, counted from the links (the primary key's index only). Every link
 * names an unmerged customer: a merge moves the merged one's links to the survivor.
 */
const customersOfTag = sql<number>`(
  SELECT count(*) FROM customer_tag_links l
  WHERE l.merchant_id = customer_tags.merchant_id AND l.tag_id = customer_tags.id)`;

/** The brand's tags by name (case-insensitive), each with its count; at most `limit`. */
export async function listTagsWithCounts(
  db: Executor,
  merchantId: string,
  limit: number,
): Promise<CustomerTagWithCount[]> {
  const rows = await db
    .selectFrom('customer_tags')
    .select([...COLUMNS, customersOfTag.as('customers')])
    .where('merchant_id', '=', merchantId)
    .orderBy('name_key')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, customers: Number(row.customers) }));
}

export async function findTagWithCount(
  db: Executor,
  merchantId: string,
  id: string,
): Promise<CustomerTagWithCount | undefined> {
  const row = await db
    .selectFrom('customer_tags')
    .select([...COLUMNS, customersOfTag.as('customers')])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { ...row, customers: Number(row.customers) };
}
