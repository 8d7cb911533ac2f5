import type { Executor } from '../../db/database.js';
import { newestFirstPage, type PageCursor } from '../../db/keyset.js';
import type { InvoiceRow, InvoiceStatus, NewInvoiceRow } from './invoice.table.js';
import { sql } from 'kysely';

const COLUMNS = [
  'merchant_id',
  'id',
  'number',
  'status',
  'customer_id',
  'currency',
  'line_items',
  'total_minor',
  'memo',
  'token',
  'pending_transaction_id',
  'transaction_id',
  'created_at',
  'finalized_at',
  'paid_at',
  'voided_at',
] as const;

// date → YYYY-MM-DD text, whatever the driver's date parsing.
const dueDate = sql<string | null>`to_char(due_date, 'YYYY-MM-DD')`.as('due_date');

export async function insertInvoice(db: Executor, row: NewInvoiceRow): Promise<void> {
  await db.insertInto('invoices').values(row).execute();
}

export async function findInvoice(
  db: Executor,
  merchantId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<InvoiceRow | undefined> {
  const query = db
    .selectFrom('invoices')
    .select([...COLUMNS, dueDate])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export async function setInvoiceStatus(
  db: Executor,
  merchantId: string,
  id: string,
  change: { status: InvoiceStatus; token?: string; finalized_at?: Date; voided_at?: Date },
): Promise<void> {
  await db.updateTable('invoices').set(change).where('merchant_id', '=', merchantId).where('id', '=', id).execute();
}

export async function listInvoicesPage(
  db: Executor,
  merchantId: string,
  page: {
    limit: number;
    after?: PageCursor | undefined;
    status?: InvoiceStatus | undefined;
    customerId?: string | undefined;
  },
): Promise<InvoiceRow[]> {
  let query = db
    .selectFrom('invoices')
    .select([...COLUMNS, dueDate])
    .where('merchant_id', '=', merchantId);
  if (page.status) query = query.where('status', '=', page.status);
  if (page.customerId) query = query.where('customer_id', '=', page.customerId);
  return newestFirstPage(query, page).execute();
}
