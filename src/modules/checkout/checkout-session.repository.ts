import type { Executor } from '../../db/database.js';
import { newestFirstPage, type PageCursor } from '../../db/keyset.js';
import type { CheckoutSessionRow, NewCheckoutSessionRow } from './checkout-session.table.js';

const COLUMNS = [
  'merchant_id',
  'id',
  'token',
  'amount_minor',
  'currency',
  'description',
  'status',
  'pending_transaction_id',
  'expires_at',
  'transaction_id',
  'customer_id',
  'order_id',
  'created_at',
  'completed_at',
] as const;

export async function insertCheckoutSession(db: Executor, row: NewCheckoutSessionRow): Promise<void> {
  await db.insertInto('checkout_sessions').values(row).execute();
}

export async function findCheckoutSession(
  db: Executor,
  merchantId: string,
  id: string,
): Promise<CheckoutSessionRow | undefined> {
  return db
    .selectFrom('checkout_sessions')
    .select(COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listCheckoutSessionsPage(
  db: Executor,
  merchantId: string,
  page: { limit: number; after?: PageCursor | undefined },
): Promise<CheckoutSessionRow[]> {
  const query = db.selectFrom('checkout_sessions').select(COLUMNS).where('merchant_id', '=', merchantId);
  return newestFirstPage(query, page).execute();
}
