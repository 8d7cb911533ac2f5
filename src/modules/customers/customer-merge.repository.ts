import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import { executePrepared } from '../../db/prepared-client.js';
import type { DB } from '../../db/schema.js';
import { CUSTOMER_COLUMNS, type CustomerChanges, type CustomerRecord } from './customer.repository.js';

/**
 * Statements on customer rows for duplicates and merge (the customer-merge module composes them):
 * pointers of merged rows, the locks and writes of a merge, and the blind-index groups that propose
 * duplicate pairs without decrypting the brand.
 */

/** What a reference to a customer resolves through: whether it was merged (and into whom) or erased. */
export async function findCustomerPointer(
  db: Executor,
  merchantId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
) {
  const query = db
    .selectFrom('customers')
    .select(['id', 'merged_into', 'erased_at'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id);
  return (await executePrepared(db, options.forUpdate ? query.forUpdate() : query))[0];
}

export type MergeRow = CustomerRecord & { merged_into: string | null; erased_at: Date | null; index_key_id: number };

/** Locks one row of a merge and reads everything the merge needs; call in id order (no deadlock). */
export async function lockCustomerForMerge(
  trx: Transaction<DB>,
  merchantId: string,
  id: string,
): Promise<MergeRow | undefined> {
  return trx
    .selectFrom('customers')
    .select([...CUSTOMER_COLUMNS, 'merged_into', 'erased_at', 'index_key_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * The merged row becomes a pointer: contact wiped (the caller passes `wipedContact()`), aggregates
 * zero, no user link, no image, `merged_into` set. Its email and phone stop blocking new customers.
 */
export async function markCustomerMerged(
  trx: Transaction<DB>,
  merchantId: string,
  id: string,
  change: { survivorId: string; at: Date; wiped: CustomerChanges },
): Promise<void> {
  await trx
    .updateTable('customers')
    .set({
      ...change.wiped,
      merged_into: change.survivorId,
      merged_at: change.at,
      user_id: null,
      image_updated_at: null,
      transactions_count: 0,
      total_spent_minor: 0,
      last_payment_at: null,
      updated_at: change.at,
    })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .execute();
}

/** The survivor's new state: contact (re-sealed when fields were taken), link, image, aggregates. */
export async function writeMergeSurvivor(
  trx: Transaction<DB>,
  merchantId: string,
  id: string,
  changes: CustomerChanges & {
    image_updated_at: Date | null;
    transactions_count: number;
    total_spent_minor: number;
    last_payment_at: Date | null;
    updated_at: Date;
  } & Partial<Pick<CustomerRecord, 'suspended_at' | 'suspension_reason'>>,
): Promise<void> {
  await trx.updateTable('customers').set(changes).where('merchant_id', '=', merchantId).where('id', '=', id).execute();
}

/** Customer views by id, for the duplicate pairs; ids not found are absent. */
export async function findCustomersByIds(db: Executor, merchantId: string, ids: string[]): Promise<CustomerRecord[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('customers')
    .select(CUSTOMER_COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', ids)
    .execute();
}

/** A group of live customers sharing one blind-index value; ids oldest first, at most `perGroup`. */
export interface DuplicateGroup {
  ids: string[];
}

/**
 * Live (not merged, not erased) customers sharing a phone or a name index, grouped in SQL (the
 * partial indexes on (merchant_id, phone_bidx) and (merchant_id, name_bidx) serve it): newest
 * group first, at most `limit` groups and `perGroup` ids each.
 */
export async function listDuplicateGroups(
  db: Executor,
  merchantId: string,
  column: 'phone_bidx' | 'name_bidx',
  options: { limit: number; perGroup: number },
): Promise<DuplicateGroup[]> {
  const rows = await db
    .selectFrom('customers')
    .select(sql<string[]>`(array_agg(id ORDER BY created_at, id))[1:${sql.lit(options.perGroup)}]`.as('ids'))
    .where('merchant_id', '=', merchantId)
    .where(column, 'is not', null)
    .where('merged_into', 'is', null)
    .where('erased_at', 'is', null)
    .groupBy(column)
    .having((eb) => eb.fn.countAll(), '>', 1)
    .orderBy(sql`max(created_at)`, 'desc')
    .orderBy(sql`min(id)`)
    .limit(options.limit)
    .execute();
  return rows.map((row) => ({ ids: row.ids }));
}

/** Live rows sealed before the name index existed (migration 0009): name ciphertext and keys only. */
export async function listCustomersMissingNameIndex(db: Executor, merchantId: string, limit: number) {
  return db
    .selectFrom('customers')
    .select(['merchant_id', 'id', 'name_enc', 'data_key_id', 'index_key_id'])
    .where('merchant_id', '=', merchantId)
    .where('name_bidx', 'is', null)
    .where('merged_into', 'is', null)
    .where('erased_at', 'is', null)
    .where(sql<boolean>`octet_length(name_enc) > 0`)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Fills name indexes in one statement. Only where still null and under the index key the value was
 * computed with, so a concurrent edit (which seals a fresh one) or a re-index is never overwritten.
 */
export async function setCustomerNameIndexes(
  db: Executor,
  merchantId: string,
  values: { id: string; nameBidx: Buffer; indexKeyId: number }[],
): Promise<void> {
  if (values.length === 0) return;
  const rows = values.map((v) => sql`(${v.id}, ${v.nameBidx}::bytea, ${v.indexKeyId}::integer)`);
  await sql`
    UPDATE customers c SET name_bidx = v.name_bidx
    FROM (VALUES ${sql.join(rows)}) AS v (id, name_bidx, index_key_id)
    WHERE c.merchant_id = ${merchantId} AND c.id = v.id AND c.name_bidx IS NULL AND c.index_key_id = v.index_key_id`.execute(
    db,
  );
}

/** Rows merged into `from` earlier now point at `to`: every pointer names a live survivor (one hop). */
export async function repointMergedCustomers(
  trx: Transaction<DB>,
  merchantId: string,
  from: string,
  to: string,
): Promise<void> {
  await trx
    .updateTable('customers')
    .set({ merged_into: to })
    .where('merchant_id', '=', merchantId)
    .where('merged_into', '=', from)
    .execute();
}
