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

/** The session's payment state under its row lock: a claim in flight commits (or not) before this returns. */
export async function lockCheckoutSession(
  db: Executor,
  merchantId: string,
  id: string,
): Promise<Pick<CheckoutSessionRow, 'status' | 'pending_transaction_id' | 'expires_at'> | undefined> {
  return db
    .selectFrom('checkout_sessions')
    .select(['status', 'pending_transaction_id', 'expires_at'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Ends an open session for good: the payment's claim requires expires_at after the payer's clock,
 * read before this ran, so "now" would not do; the session's creation time precedes every payer's.
 */
export async function expireCheckoutSession(db: Executor, merchantId: string, id: string): Promise<void> {
  await db
    .updateTable('checkout_sessions')
    .set((eb) => ({ expires_at: eb.ref('created_at') }))
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .execute();
}
