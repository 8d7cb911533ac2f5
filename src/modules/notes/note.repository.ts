import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { newestFirstPage, type PageCursor } from '../../db/keyset.js';
import type { CustomerNoteRow, NewCustomerNoteRow } from './note.table.js';

const COLUMNS = [
  'merchant_id',
  'id',
  'customer_id',
  'author_type',
  'author_id',
  'body_enc',
  'data_key_id',
  'created_at',
  'updated_at',
] as const;

export async function insertNote(db: Executor, row: NewCustomerNoteRow): Promise<void> {
  await db.insertInto('customer_notes').values(row).execute();
}

/** A note of this customer only: another customer's note id is not found here. */
export async function lockNote(
  trx: Transaction<DB>,
  merchantId: string,
  customerId: string,
  id: string,
): Promise<CustomerNoteRow | undefined> {
  return trx
    .selectFrom('customer_notes')
    .select(COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '=', customerId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateNoteBody(
  db: Executor,
  merchantId: string,
  id: string,
  changes: Pick<CustomerNoteRow, 'body_enc' | 'data_key_id' | 'updated_at'>,
): Promise<void> {
  await db
    .updateTable('customer_notes')
    .set(changes)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .execute();
}

export async function deleteNoteRow(db: Executor, merchantId: string, id: string): Promise<void> {
  await db.deleteFrom('customer_notes').where('merchant_id', '=', merchantId).where('id', '=', id).execute();
}

/** Newest first, served by the customer_notes_customer index. */
export async function listNotesPage(
  db: Executor,
  merchantId: string,
  customerId: string,
  page: { limit: number; after?: PageCursor | undefined },
): Promise<CustomerNoteRow[]> {
  const query = db
    .selectFrom('customer_notes')
    .select(COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '=', customerId);
  return newestFirstPage(query, page).execute();
}

export interface AuthorName {
  type: string;
  id: string;
  name: string;
}

/**
 * The names of a page's authors in one statement: staff members (accounts are global) and the
 * brand's API keys. Authors that no longer exist, and system actors, are absent.
 */
export async function findAuthorNames(
  db: Executor,
  merchantId: string,
  authors: ReadonlyArray<{ type: string; id: string }>,
): Promise<AuthorName[]> {
  const idsOf = (type: string) => [...new Set(authors.filter((a) => a.type === type).map((a) => a.id))];
  const staffIds = idsOf('staff');
  const keyIds = idsOf('api_key');
  const staff = db
    .selectFrom('staff')
    .select([sql.lit('staff').$castTo<string>().as('type'), 'id', 'name'])
    .where('id', 'in', staffIds);
  const keys = db
    .selectFrom('api_keys')
    .select([sql.lit('api_key').$castTo<string>().as('type'), 'id', 'name'])
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', keyIds);
  if (staffIds.length > 0 && keyIds.length > 0) return staff.unionAll(keys).execute();
  if (staffIds.length > 0) return staff.execute();
  if (keyIds.length > 0) return keys.execute();
  return [];
}
