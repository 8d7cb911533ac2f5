import type { Executor } from '../../db/database.js';
import { newestFirstPage, type PageCursor } from '../../db/keyset.js';
import type { NewPaymentLinkRow, PaymentLinkChanges, PaymentLinkRow } from './payment-link.table.js';

const COLUMNS = [
  'merchant_id',
  'id',
  'slug',
  'title',
  'description',
  'currency',
  'amount_minor',
  'min_amount_minor',
  'max_amount_minor',
  'active',
  'created_at',
  'updated_at',
] as const;

export async function insertPaymentLink(db: Executor, row: NewPaymentLinkRow): Promise<void> {
  await db.insertInto('payment_links').values(row).execute();
}

export async function findPaymentLink(
  db: Executor,
  merchantId: string,
  id: string,
): Promise<PaymentLinkRow | undefined> {
  return db
    .selectFrom('payment_links')
    .select(COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updatePaymentLink(
  db: Executor,
  merchantId: string,
  id: string,
  changes: PaymentLinkChanges,
): Promise<boolean> {
  const result = await db
    .updateTable('payment_links')
    .set(changes)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function listPaymentLinksPage(
  db: Executor,
  merchantId: string,
  page: { limit: number; after?: PageCursor | undefined },
): Promise<PaymentLinkRow[]> {
  const query = db.selectFrom('payment_links').select(COLUMNS).where('merchant_id', '=', merchantId);
  return newestFirstPage(query, page).execute();
}
