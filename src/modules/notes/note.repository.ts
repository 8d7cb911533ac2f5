import type { Transaction } from 'kysely';
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
