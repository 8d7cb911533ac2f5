import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.js';
import { newestFirstPage, type PageCursor } from '../../db/keyset.js';
import type { NewOrderRow, OrderRow, OrderStatus } from './order.table.js';

const COLUMNS = [
  'merchant_id',
  'id',
  'number',
  'status',
  'customer_id',
  'user_id',
  'currency',
  'line_items',
  'total_minor',
  'buyer_enc',
  'data_key_id',
  'checkout_session_id',
  'transaction_id',
  'payment_method',
  'payment_reference',
  'created_at',
  'updated_at',
  'paid_at',
  'fulfilled_at',
  'cancelled_at',
] as const;

export async function insertOrder(db: Executor, row: NewOrderRow): Promise<void> {
  await db.insertInto('orders').values(row).execute();
}

export async function findOrder(
  db: Executor,
  merchantId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<OrderRow | undefined> {
  const query = db.selectFrom('orders').select(COLUMNS).where('merchant_id', '=', merchantId).where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

/** The order under its row lock, with the brand's base currency and its rate for the order's currency. */
export async function lockOrderForPayment(
  db: Executor,
  merchantId: string,
  id: string,
): Promise<(OrderRow & { base_currency: string; rate: string | null }) | undefined> {
  return (
    db
      .selectFrom('orders as o')
      .innerJoin('brands as b', 'b.id', 'o.merchant_id')
      .leftJoin('exchange_rates as r', (join) =>
        join.onRef('r.merchant_id', '=', 'o.merchant_id').onRef('r.currency', '=', 'o.currency'),
      )
      .select(COLUMNS.map((column) => `o.${column}` as const))
      .select(['b.base_currency', sql<string | null>`r.rate::text`.as('rate')])
      .where('o.merchant_id', '=', merchantId)
      .where('o.id', '=', id)
      // Only the order is locked: brands and rates are read as they are now.
      .modifyEnd(sql`FOR UPDATE OF o`)
      .executeTakeFirst()
  );
}

export type OrderChanges = Partial<
  Pick<
    OrderRow,
    | 'status'
    | 'customer_id'
    | 'checkout_session_id'
    | 'transaction_id'
    | 'payment_method'
    | 'payment_reference'
    | 'updated_at'
    | 'paid_at'
    | 'fulfilled_at'
    | 'cancelled_at'
  >
>;

export async function updateOrder(db: Executor, merchantId: string, id: string, changes: OrderChanges): Promise<void> {
  await db.updateTable('orders').set(changes).where('merchant_id', '=', merchantId).where('id', '=', id).execute();
}

export interface OrderFilter {
  status?: OrderStatus | undefined;
  customerId?: string | undefined;
  userId?: string | undefined;
}

export async function listOrdersPage(
  db: Executor,
  merchantId: string,
  page: { limit: number; after?: PageCursor | undefined } & OrderFilter,
): Promise<OrderRow[]> {
  let query = db.selectFrom('orders').select(COLUMNS).where('merchant_id', '=', merchantId);
  if (page.status) query = query.where('status', '=', page.status);
  if (page.customerId) query = query.where('customer_id', '=', page.customerId);
  if (page.userId) query = query.where('user_id', '=', page.userId);
  return newestFirstPage(query, page).execute();
}

/**
 * Whether the brand has this site user. Read here because the site-users module has no public face
 * to ask yet; the customers module reads site_users the same way for its links. The caller's
 * foreign key keeps the answer true until commit.
 */
export async function siteUserExists(db: Executor, merchantId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('site_users')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The order half of a checkout payment's one statement, for a CTE of it
 * (payments/payment-record.repository.ts): the order is paid by card with this transaction. An order
 * without a customer takes the payer's, when the payment found or registered one. Only an open order
 * moves: a cancelled one refuses its checkout before any charge (and expires it, see checkout).
 */
export function orderPaidByCheckout(p: {
  merchantId: string;
  orderId: string;
  transactionId: string;
  /** The payment's customer id, as an SQL expression of the statement (null for none). */
  customerId: RawBuilder<unknown>;
  now: Date;
}): RawBuilder<unknown> {
  return sql`UPDATE orders SET status = 'paid', transaction_id = ${p.transactionId}, payment_method = 'card',
      customer_id = COALESCE(orders.customer_id, ${p.customerId}), paid_at = ${p.now}::timestamptz,
      updated_at = ${p.now}::timestamptz
    WHERE merchant_id = ${p.merchantId} AND id = ${p.orderId} AND status = 'open'
    RETURNING id, customer_id`;
}
