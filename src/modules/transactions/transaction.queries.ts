import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { decodePageCursor, toPage } from '../../http/page-cursor.js';
import { isId } from '../../ids.js';
import { type Principal, requirePermission, roleAllows } from '../access/index.js';
import { customerNames, requireReadableCustomer } from '../customers/index.js';
import { findTransaction, listTransactionsPage } from './transaction.repository.js';
import type { TransactionListQuery, TransactionListView, TransactionView } from './transaction.schemas.js';
import type { TransactionRow } from './transaction.table.js';

export function toTransactionView(row: TransactionRow, customerName: string | null): TransactionView {
  const money = (amount: number) => ({ amount: Number(amount), currency: row.currency });
  return {
    id: row.id,
    object: 'transaction',
    type: row.type,
    status: row.status,
    source: row.source,
    amount: money(row.amount_minor),
    base_amount:
      row.base_amount_minor === null ? null : { amount: Number(row.base_amount_minor), currency: row.base_currency },
    exchange_rate: row.exchange_rate === null ? null : row.exchange_rate.replace(/\.?0+$/, ''),
    amount_refunded: money(row.amount_refunded_minor),
    customer_id: row.customer_id,
    customer_name: customerName,
    invoice_id: row.invoice_id,
    payment_link_id: row.payment_link_id,
    checkout_session_id: row.checkout_session_id,
    order_id: row.order_id,
    method: row.method,
    reference: row.reference,
    refunded_transaction_id: row.refunded_transaction_id,
    gateway: row.gateway,
    gateway_reference: row.gateway_reference,
    card: row.card_brand && row.card_last4 ? { brand: row.card_brand, last4: row.card_last4 } : null,
    failure_code: row.failure_code,
    failure_message: row.failure_message,
    created_at: row.created_at.toISOString(),
    succeeded_at: row.succeeded_at?.toISOString() ?? null,
  };
}

export function transactionNotFound(id: string): DomainError {
  return new DomainError('transaction_not_found', `No transaction ${id}`);
}

/** Transactions with their customers' names (decrypted here), for roles that may read customers. */
export async function viewTransactions(
  ctx: AppContext,
  principal: Principal,
  rows: TransactionRow[],
): Promise<TransactionView[]> {
  const ids = rows.flatMap((r) => (r.customer_id ? [r.customer_id] : []));
  const names = roleAllows(principal.role, 'customers.read')
    ? await customerNames(ctx, principal.merchantId, ids)
    : new Map<string, string>();
  return rows.map((row) => toTransactionView(row, row.customer_id ? (names.get(row.customer_id) ?? null) : null));
}

export async function getTransaction(ctx: AppContext, principal: Principal, id: string): Promise<TransactionView> {
  requirePermission(principal, 'payments.read');
  const row = isId('txn', id) ? await findTransaction(ctx.db, principal.merchantId, id) : undefined;
  if (!row) throw transactionNotFound(id);
  const [view] = await viewTransactions(ctx, principal, [row]);
  return view!;
}

export async function listTransactions(
  ctx: AppContext,
  principal: Principal,
  query: TransactionListQuery,
): Promise<TransactionListView> {
  requirePermission(principal, 'payments.read');
  const after = query.cursor ? decodePageCursor(query.cursor, 'txn') : undefined;
  const rows = await listTransactionsPage(ctx.db, principal.merchantId, {
    limit: query.limit + 1,
    after,
    status: query.status,
    type: query.type,
    customerId: query.customer_id,
  });
  const page = toPage(rows, query.limit, (row) => row);
  return { ...page, data: await viewTransactions(ctx, principal, page.data) };
}

/** GET /customers/{id}/transactions: the customer's payments and refunds, newest first. */
export async function listCustomerTransactions(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<TransactionListView> {
  await requireReadableCustomer(ctx, principal, customerId);
  return listTransactions(ctx, principal, { ...page, customer_id: customerId });
}
