import type { Static } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { decodePageCursor, toPage } from '../../http/page-cursor.js';
import { isId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import { requireReadableCustomer } from '../customers/index.js';
import { findOrder, listOrdersPage } from './order.repository.js';
import type { CustomerOrderListQuery, OrderListQuery, OrderListView, OrderView } from './order.schemas.js';
import type { OrderRow } from './order.table.js';
import { contactMaskedFor, openBuyer, orderNotFound, toOrderView } from './order.view.js';

/** Orders as this caller may see them: buyers decrypted here, masked for roles without raw contact. */
async function viewOrders(ctx: AppContext, principal: Principal, rows: OrderRow[]): Promise<OrderView[]> {
  const keyIds = rows.flatMap((r) => (r.data_key_id === null ? [] : [r.data_key_id]));
  const keys = keyIds.length > 0 ? await ctx.keyring.forBrand(ctx.db, principal.merchantId, keyIds) : undefined;
  const masked = contactMaskedFor(principal);
  return rows.map((row) => toOrderView(row, keys ? openBuyer(keys, row) : null, masked));
}

/** One order, for a caller already allowed to see it (after a write). */
export async function loadOrderView(ctx: AppContext, principal: Principal, id: string): Promise<OrderView> {
  const row = await findOrder(ctx.db, principal.merchantId, id);
  if (!row) throw orderNotFound(id);
  const [view] = await viewOrders(ctx, principal, [row]);
  return view!;
}

/** GET /orders/{id}. Another brand's order is answered exactly like a missing one. */
export async function getOrder(ctx: AppContext, principal: Principal, id: string): Promise<OrderView> {
  requirePermission(principal, 'orders.read');
  if (!isId('ord', id)) throw orderNotFound(id);
  return loadOrderView(ctx, principal, id);
}

/** GET /orders: newest first, by status, customer or site user. */
export async function listOrders(ctx: AppContext, principal: Principal, query: OrderListQuery): Promise<OrderListView> {
  requirePermission(principal, 'orders.read');
  const after = query.cursor ? decodePageCursor(query.cursor, 'ord') : undefined;
  const rows = await listOrdersPage(ctx.db, principal.merchantId, {
    limit: query.limit + 1,
    after,
    status: query.status,
    customerId: query.customer,
    userId: query.user,
  });
  const page = toPage(rows, query.limit, (row) => row);
  return { ...page, data: await viewOrders(ctx, principal, page.data) };
}

/** GET /customers/{id}/orders: needs customers.read as well, like the customer's other lists. */
export async function listCustomerOrders(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  query: Static<typeof CustomerOrderListQuery>,
): Promise<OrderListView> {
  requirePermission(principal, 'orders.read');
  await requireReadableCustomer(ctx, principal, customerId);
  return listOrders(ctx, principal, { ...query, customer: customerId });
}
