import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Executor } from '../../db/database.js';
import { newestFirstPage, type PageCursor } from '../../db/keyset.js';
import { inWalkPlan } from '../../db/walk-plan.js';
import { executePrepared, PREPARED } from '../../db/prepared-client.js';
import { unnestRows, type UnnestColumns } from '../../db/unnest-rows.js';
import { siteUserWithEmail } from './customer-link.repository.js';
import type { CustomerRow, NewCustomerRow } from './customer.table.js';

/** What a customer view needs; never the blind indexes or tokens. */
export const CUSTOMER_COLUMNS = [
  'merchant_id',
  'id',
  'name_enc',
  'email_enc',
  'phone_enc',
  'data_key_id',
  'metadata',
  'source',
  'user_id',
  'image_updated_at',
  'erased_at',
  'suspended_at',
  'suspension_reason',
  'transactions_count',
  'total_spent_minor',
  'last_payment_at',
  'created_at',
  'updated_at',
] as const;

export type CustomerRecord = Pick<CustomerRow, (typeof CUSTOMER_COLUMNS)[number]>;

export async function findCustomer(
  db: Executor,
  merchantId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<CustomerRecord | undefined> {
  const query = db
    .selectFrom('customers')
    .select(CUSTOMER_COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id);
  return (await executePrepared(db, options.forUpdate ? query.forUpdate() : query))[0];
}

/**
 * The customer locked for an edit, with its merge pointer: the edit refuses a merged or erased
 * customer on the row it holds locked (a merge cannot slip in between), in the lock's own statement.
 */
export async function findCustomerForEdit(
  trx: Transaction<DB>,
  merchantId: string,
  id: string,
): Promise<(CustomerRecord & { merged_into: string | null }) | undefined> {
  const query = trx
    .selectFrom('customers')
    .select([...CUSTOMER_COLUMNS, 'merged_into'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .forUpdate();
  return (await executePrepared(trx, query))[0];
}

/** Whether the brand has this customer (an invoice billed to it, say); reads the key only. */
export async function customerExists(db: Executor, merchantId: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

/** Names for lists of payments and invoices: id, key id and the name ciphertext only. */
export async function findCustomerNames(db: Executor, merchantId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('customers')
    .select(['merchant_id', 'id', 'name_enc', 'data_key_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', ids)
    .execute();
}

/** Takes every blind-index value the email has (active and retiring index key). */
export async function findCustomerIdByEmailIndex(
  db: Executor,
  merchantId: string,
  emailBidx: Buffer[],
): Promise<string | undefined> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('email_bidx', 'in', emailBidx)
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** Inserts unless the brand already has the email; returns false on that conflict. */
export async function insertCustomerIfEmailFree(db: Executor, row: NewCustomerRow): Promise<boolean> {
  const inserted = await db
    .insertInto('customers')
    .values(row)
    .onConflict((oc) => oc.columns(['merchant_id', 'email_bidx']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * A new customer in one prepared statement, without the round trips of BEGIN and COMMIT: the row
 * unless the brand has the email, what `alongside` writes for it in the same statement (its
 * `customer.created` event; `alongside` gets a query yielding the new row's `(id)`), and whether a
 * site user has the email. Null when the email is taken (nothing was written). The statement's own
 * plan depends on no table's size (an insert, and an insert from the first), so the prepared plan
 * holds as the brand grows; the site-user look is planned on each call (migration 0020).
 */
export async function insertNewCustomer(
  db: Executor,
  row: NewCustomerRow,
  alongside: (inserted: RawBuilder<unknown>) => RawBuilder<unknown>,
): Promise<{ siteUserWithEmail: boolean } | null> {
  const r = row;
  const { rows } = await sql<{ site_user_with_email: boolean }>`${sql.raw(PREPARED)}WITH inserted AS (
      INSERT INTO customers (merchant_id, id, name_enc, email_enc, phone_enc, email_bidx, phone_bidx, name_bidx,
        search_tokens, data_key_id, index_key_id, metadata, source, created_at, updated_at)
      VALUES (${r.merchant_id}, ${r.id}, ${r.name_enc}, ${r.email_enc}, ${r.phone_enc}, ${r.email_bidx}, ${r.phone_bidx},
        ${r.name_bidx ?? null}, ${r.search_tokens ?? []}, ${r.data_key_id}, ${r.index_key_id}, ${r.metadata}, ${r.source},
        ${r.created_at}, ${r.updated_at})
      ON CONFLICT (merchant_id, email_bidx) DO NOTHING
      RETURNING id),
    alongside AS (${alongside(sql`SELECT id FROM inserted`)})
    SELECT ${siteUserWithEmail(r.merchant_id, r.email_bidx)} AS site_user_with_email
    FROM inserted`.execute(db);
  const inserted = rows[0];
  return inserted ? { siteUserWithEmail: inserted.site_user_with_email } : null;
}

/** Many rows in one statement (imports, benchmarks); fails whole on a duplicate email. */
export async function insertCustomers(db: Executor, rows: NewCustomerRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('customers').values(rows).execute();
}

export type CustomerChanges = Partial<
  Pick<
    NewCustomerRow,
    | 'name_enc'
    | 'email_enc'
    | 'phone_enc'
    | 'email_bidx'
    | 'phone_bidx'
    | 'name_bidx'
    | 'search_tokens'
    | 'data_key_id'
    | 'index_key_id'
    | 'metadata'
    | 'user_id'
    | 'updated_at'
  >
>;

/** Returns false when the customer no longer exists. */
export async function updateCustomer(
  db: Executor,
  merchantId: string,
  id: string,
  changes: CustomerChanges,
): Promise<boolean> {
  const result = await db
    .updateTable('customers')
    .set(changes)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Locks the row for the rest of the transaction, so a payment cannot move the customer meanwhile (a
 * delete, reconcile's rewrite of the aggregates); false when it does not exist. Reads the key only.
 */
export async function lockCustomerRow(db: Transaction<DB>, merchantId: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * What still points at the customer: its payments, invoices and orders. Counted here, not by those modules,
 * because they are the customer's FK children and customers must not depend on them (the composite
 * FK ON DELETE RESTRICT is the net). One statement; call it under the row lock.
 */
export async function countCustomerReferences(
  db: Executor,
  merchantId: string,
  id: string,
): Promise<{ transactions: number; invoices: number; orders: number }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('transactions')
        .select((c) => c.fn.countAll<number>().as('n'))
        .where('merchant_id', '=', merchantId)
        .where('customer_id', '=', id)
        .as('transactions'),
      eb
        .selectFrom('invoices')
        .select((c) => c.fn.countAll<number>().as('n'))
        .where('merchant_id', '=', merchantId)
        .where('customer_id', '=', id)
        .as('invoices'),
      eb
        .selectFrom('orders')
        .select((c) => c.fn.countAll<number>().as('n'))
        .where('merchant_id', '=', merchantId)
        .where('customer_id', '=', id)
        .as('orders'),
    ])
    .executeTakeFirstOrThrow();
  return {
    transactions: Number(row.transactions ?? 0),
    invoices: Number(row.invoices ?? 0),
    orders: Number(row.orders ?? 0),
  };
}

export async function deleteCustomer(db: Executor, merchantId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('customers')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Newest first, by keyset: rows inserted while paging never shift a later page. Merged rows (pointers
 * to their survivor) are not customers any more: lists, exports and the count leave them out; the
 * filter on a rarely-true column keeps the walk on `customers_newest`.
 */
export async function listCustomersPage(
  db: Executor,
  merchantId: string,
  page: { limit: number; after?: PageCursor | undefined },
): Promise<CustomerRecord[]> {
  const query = db
    .selectFrom('customers')
    .select(CUSTOMER_COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('merged_into', 'is', null);
  return newestFirstPage(query, page).execute();
}

/** Like listCustomersPage, within a creation-time range [createdGte, createdLt) (the CSV export). */
export async function listCustomersPageInRange(
  db: Executor,
  merchantId: string,
  page: { limit: number; after?: PageCursor | undefined; createdGte?: Date | undefined; createdLt?: Date | undefined },
): Promise<CustomerRecord[]> {
  let query = db
    .selectFrom('customers')
    .select(CUSTOMER_COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('merged_into', 'is', null);
  if (page.createdGte) query = query.where('created_at', '>=', page.createdGte);
  if (page.createdLt) query = query.where('created_at', '<', page.createdLt);
  return newestFirstPage(query, page).execute();
}

/**
 * A page of the newest-first walk (the list's first screen, the export's batches), planned as the
 * walk it is: an ordered scan of `customers_newest`, whatever the statistics say. Right after a
 * bulk load (no ANALYZE yet; this machine runs without autovacuum) the planner guesses a few
 * hundred rows for the brand and would bitmap-scan and sort the whole remainder for every page:
 * 130 ms a batch at 200,000 customers against 0.5 ms. inWalkPlan says how the settings are given.
 */
export async function walkCustomersNewestFirst(
  db: Kysely<DB>,
  merchantId: string,
  page: NewestWalkPage,
): Promise<CustomerRecord[]> {
  return inWalkPlan(db, (trx) => listCustomersPageInRange(trx, merchantId, page));
}

type NewestWalkPage = {
  limit: number;
  after?: PageCursor | undefined;
  createdGte?: Date | undefined;
  createdLt?: Date | undefined;
};

/** A row of the export's walk, in the plain form a worker thread takes (customer-export.csv.ts). */
export interface CustomerExportRow {
  id: string;
  data_key_id: number;
  source: string;
  transactions_count: number;
  total_spent_minor: number;
  last_payment_ms: number | null;
  created_ms: number;
  metadata_json: string;
  name_base64: string;
  email_base64: string;
  phone_base64: string | null;
}

/**
 * walkCustomersNewestFirst for the export: the same rows, ciphertexts in base64 (shorter than bytea's hex text), times as epoch
 * milliseconds (truncated, as a JavaScript Date holds them) and metadata as JSON text, so that
 * nothing is parsed on the event loop and the worker threads decode them instead.
 */
export async function walkCustomersForExport(
  db: Kysely<DB>,
  merchantId: string,
  page: NewestWalkPage,
): Promise<CustomerExportRow[]> {
  const epochMs = (column: 'created_at' | 'last_payment_at') =>
    sql<number>`floor(extract(epoch from ${sql.ref(column)}) * 1000)::int8`;
  return inWalkPlan(db, async (trx) => {
    let query = trx
      .selectFrom('customers')
      .select([
        'id',
        'data_key_id',
        'source',
        'transactions_count',
        'total_spent_minor',
        epochMs('last_payment_at').as('last_payment_ms'),
        epochMs('created_at').as('created_ms'),
        sql<string>`metadata::text`.as('metadata_json'),
        sql<string>`encode(name_enc, 'base64')`.as('name_base64'),
        sql<string>`encode(email_enc, 'base64')`.as('email_base64'),
        sql<string | null>`encode(phone_enc, 'base64')`.as('phone_base64'),
      ])
      .where('merchant_id', '=', merchantId)
      .where('merged_into', 'is', null);
    if (page.createdGte) query = query.where('created_at', '>=', page.createdGte);
    if (page.createdLt) query = query.where('created_at', '<', page.createdLt);
    return newestFirstPage(query, page).execute();
  });
}

/**
 * The brand's live customers, from the count the triggers of migration 0010 maintain (the sum of
 * its slots): constant time whatever the brand's size, where count(*) read every row.
 */
export async function countCustomers(db: Executor, merchantId: string): Promise<number> {
  const query = db
    .selectFrom('customer_counts')
    .select((eb) => eb.fn.sum<number | string | null>('customers').as('n'))
    .where('merchant_id', '=', merchantId);
  const [row] = await executePrepared(db, query);
  return Number(row?.n ?? 0);
}

/** Live customers with one of these blind-index values (the active index key's, and a retiring one's). */
export async function findCustomerIdsByIndex(
  db: Executor,
  merchantId: string,
  column: 'email_bidx' | 'phone_bidx',
  values: Buffer[],
  limit: number,
): Promise<string[]> {
  if (values.length === 0) return [];
  const rows = await db
    .selectFrom('customers')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where(column, 'in', values)
    .where('merged_into', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * For the rest of this transaction, the search index's pending list may grow to 4 MB before an
 * insert merges it (sessions default to 256 kB, migration 0019): a bulk insert past the small list
 * merged it every ~250 rows, each merge touching most of the brand's token keys. The importer
 * merges what is left when it ends (mergeSearchPendingList), so searches do not read a long list.
 */
export async function allowBulkSearchIndexing(trx: Transaction<DB>): Promise<void> {
  await sql`SELECT set_config('gin_pending_list_limit', '4096', true)`.execute(trx);
}

/** Merges the search index's pending list into the index now (after a bulk insert). */
export async function mergeSearchPendingList(db: Executor): Promise<void> {
  await sql`SELECT gin_clean_pending_list('customers_search_tokens'::regclass)`.execute(db);
}

/**
 * Many new customers in one statement (imports): rows whose email the brand already has are left
 * out (ON CONFLICT on the brand's email index), so a rerun or a concurrent writer never makes a
 * second customer. Returns the ids inserted.
 */
export async function insertCustomersIfEmailFree(db: Executor, rows: ImportedCustomerRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  // The text is the same for any number of rows: prepared once per connection.
  const { rows: inserted } = await sql<{
    id: string;
  }>`${sql.raw(PREPARED)}INSERT INTO customers ${unnestRows(rows, IMPORTED_COLUMNS)}
    ON CONFLICT (merchant_id, email_bidx) DO NOTHING RETURNING id`.execute(db);
  return inserted.map((r) => r.id);
}

/** The columns an imported customer is written with (the rest keep their defaults), and their types. */
const IMPORTED_COLUMNS = {
  merchant_id: 'text',
  id: 'text',
  name_enc: 'bytea',
  email_enc: 'bytea',
  phone_enc: 'bytea',
  email_bidx: 'bytea',
  phone_bidx: 'bytea',
  name_bidx: 'bytea',
  search_tokens: 'int4[]',
  data_key_id: 'int4',
  index_key_id: 'int4',
  metadata: 'jsonb',
  source: 'text',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
} as const satisfies UnnestColumns<NewCustomerRow>;

/** An imported customer: exactly the columns written, so none can be passed and silently dropped. */
export type ImportedCustomerRow = Required<Pick<NewCustomerRow, keyof typeof IMPORTED_COLUMNS>>;

/** The brand's customers holding any of these email index values (an import's batch), with the value each holds. */
export async function findCustomersByEmailIndexes(
  db: Executor,
  merchantId: string,
  emailBidx: Buffer[],
): Promise<Array<CustomerRecord & { email_bidx: Buffer }>> {
  if (emailBidx.length === 0) return [];
  return db
    .selectFrom('customers')
    .select([...CUSTOMER_COLUMNS, 'email_bidx'])
    .where('merchant_id', '=', merchantId)
    .where('email_bidx', 'in', emailBidx)
    .execute();
}
