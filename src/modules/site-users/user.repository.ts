import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { PageCursor } from '../../db/keyset.js';
import type { NewSiteUserRow, SiteUserRow } from './user.table.js';

/** What a view needs: ciphertexts, key id, link facts; never the blind indexes or tokens. */
const USER_COLUMNS = [
  'u.merchant_id',
  'u.id',
  'u.external_id_enc',
  'u.email_enc',
  'u.email_verified',
  'u.given_name_enc',
  'u.family_name_enc',
  'u.phone_enc',
  'u.data_key_id',
  'u.suggested_customer_id',
  'u.created_at',
  'u.updated_at',
] as const;

export type UserRecord = Pick<
  SiteUserRow,
  | 'merchant_id'
  | 'id'
  | 'external_id_enc'
  | 'email_enc'
  | 'email_verified'
  | 'given_name_enc'
  | 'family_name_enc'
  | 'phone_enc'
  | 'data_key_id'
  | 'suggested_customer_id'
  | 'created_at'
  | 'updated_at'
> & {
  /** The linked customer (customers.user_id points here). */
  customer_id: string | null;
};

/** Users with the id of their linked customer, which lives on the customer row. */
function usersWithLink(db: Executor, merchantId: string) {
  return db
    .selectFrom('site_users as u')
    .leftJoin('customers as c', (join) =>
      join.onRef('c.merchant_id', '=', 'u.merchant_id').onRef('c.user_id', '=', 'u.id'),
    )
    .select([...USER_COLUMNS, 'c.id as customer_id'])
    .where('u.merchant_id', '=', merchantId);
}

/** Inserts unless the brand has the external id; returns false on that conflict. */
export async function insertUserIfNew(db: Executor, row: NewSiteUserRow): Promise<boolean> {
  const inserted = await db
    .insertInto('site_users')
    .values(row)
    .onConflict((oc) => oc.columns(['merchant_id', 'external_id_bidx']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findUser(db: Executor, merchantId: string, id: string): Promise<UserRecord | undefined> {
  return usersWithLink(db, merchantId).where('u.id', '=', id).executeTakeFirst();
}

/** Locks the user row (and reads it) for an update in this transaction. */
export async function lockUser(trx: Transaction<DB>, merchantId: string, id: string): Promise<UserRecord | undefined> {
  return usersWithLink(trx, merchantId).where('u.id', '=', id).forUpdate('u').executeTakeFirst();
}

/** By external id (every blind-index value it may have: active and retiring index key). */
export async function findUserIdByExternalId(
  db: Executor,
  merchantId: string,
  externalIdBidx: Buffer[],
): Promise<string | undefined> {
  const row = await db
    .selectFrom('site_users')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('external_id_bidx', 'in', externalIdBidx)
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

export type UserChanges = Partial<
  Pick<
    NewSiteUserRow,
    | 'external_id_enc'
    | 'external_id_bidx'
    | 'email_enc'
    | 'email_bidx'
    | 'email_verified'
    | 'given_name_enc'
    | 'family_name_enc'
    | 'phone_enc'
    | 'search_tokens'
    | 'data_key_id'
    | 'index_key_id'
    | 'suggested_customer_id'
    | 'updated_at'
  >
>;

export async function updateUser(db: Executor, merchantId: string, id: string, changes: UserChanges): Promise<void> {
  await db.updateTable('site_users').set(changes).where('merchant_id', '=', merchantId).where('id', '=', id).execute();
}

export async function deleteUser(db: Executor, merchantId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('site_users')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export interface UserFilter {
  externalIdBidx?: Buffer[] | undefined;
  emailBidx?: Buffer[] | undefined;
  customerId?: string | undefined;
  suggestedCustomerId?: string | undefined;
  linked?: boolean | undefined;
  /** Search: rows holding every token of one set, under that index key. */
  tokens?: { indexKeyId: number; tokenSets: number[][] }[] | undefined;
}

/** Newest first by keyset, with the list's filters (qualified columns: the join makes newestFirstPage's ambiguous). */
export async function listUsersPage(
  db: Executor,
  merchantId: string,
  page: { limit: number; after?: PageCursor | undefined } & UserFilter,
): Promise<UserRecord[]> {
  let query = usersWithLink(db, merchantId);
  if (page.externalIdBidx) query = query.where('u.external_id_bidx', 'in', page.externalIdBidx);
  if (page.emailBidx) query = query.where('u.email_bidx', 'in', page.emailBidx);
  if (page.customerId) query = query.where('c.id', '=', page.customerId);
  if (page.suggestedCustomerId) query = query.where('u.suggested_customer_id', '=', page.suggestedCustomerId);
  if (page.linked !== undefined) query = query.where('c.id', page.linked ? 'is not' : 'is', null);
  if (page.tokens) {
    // intarray's @> (gin__int_ops index); token values are server-computed integers, inlined as literals.
    const alternatives = page.tokens.flatMap((f) =>
      f.tokenSets.map(
        (set) =>
          sql<boolean>`(u.index_key_id = ${sql.lit(f.indexKeyId)} AND u.search_tokens @> ${sql.lit(`{${set.join(',')}}`)}::int4[])`,
      ),
    );
    query = query.where(sql<boolean>`(${sql.join(alternatives, sql` OR `)})`);
  }
  const after = page.after;
  const filtered = after ? query.where(sql<boolean>`(u.created_at, u.id) < (${after.createdAt}, ${after.id})`) : query;
  return filtered.orderBy('u.created_at', 'desc').orderBy('u.id', 'desc').limit(page.limit).execute();
}
