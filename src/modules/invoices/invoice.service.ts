import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { checkFields, DomainError, fieldError } from '../../errors.js';
import { decodePageCursor, toPage } from '../../http/page-cursor.js';
import { isId, newId } from '../../ids.js';
import { checkCurrency, MAX_AMOUNT_MINOR } from '../../money/currency.js';
import { type Principal, requirePermission } from '../access/index.js';
import { requireReadableCustomer, resolveCustomerRef } from '../customers/index.js';
import { actorOf } from '../audit/index.js';
import { recordCustomerEvent } from '../timeline/index.js';
import type { Executor } from '../../db/database.js';
import { claimPublicPath, newPublicToken, nextCounterValue } from '../public-paths/index.js';
import { findInvoice, insertInvoice, listInvoicesPage, setInvoiceStatus } from './invoice.repository.js';
import type { InvoiceCreateBody, InvoiceListQuery, InvoiceListView, InvoiceView } from './invoice.schemas.js';
import type { InvoiceRow } from './invoice.table.js';

export function invoiceNumber(number: number): string {
  return `INV-${String(number).padStart(6, '0')}`;
}

/** Line items with their amounts, as both the API and the public pay page show them. */
export function invoiceLines(row: Pick<InvoiceRow, 'line_items' | 'currency'>): InvoiceView['line_items'] {
  const money = (amount: number) => ({ amount, currency: row.currency });
  return row.line_items.map((item) => ({
    description: item.description,
    quantity: item.quantity,
    unit_amount: money(item.unit_amount_minor),
    amount: money(item.unit_amount_minor * item.quantity),
  }));
}

export function toInvoiceView(row: InvoiceRow): InvoiceView {
  const money = (amount: number) => ({ amount: Number(amount), currency: row.currency });
  return {
    id: row.id,
    object: 'invoice',
    number: invoiceNumber(Number(row.number)),
    status: row.status,
    customer_id: row.customer_id,
    currency: row.currency,
    line_items: invoiceLines(row),
    total: money(row.total_minor),
    memo: row.memo,
    due_date: row.due_date,
    public_url: row.token && row.status !== 'draft' ? `/invoice/${row.token}` : null,
    transaction_id: row.transaction_id,
    created_at: row.created_at.toISOString(),
    finalized_at: row.finalized_at?.toISOString() ?? null,
    paid_at: row.paid_at?.toISOString() ?? null,
    voided_at: row.voided_at?.toISOString() ?? null,
  };
}

export function invoiceNotFound(id: string): DomainError {
  return new DomainError('invoice_not_found', `No invoice ${id}`);
}

/** POST /invoices: a draft with the brand's next number. */
export async function createInvoice(
  ctx: AppContext,
  principal: Principal,
  body: InvoiceCreateBody,
): Promise<InvoiceView> {
  requirePermission(principal, 'payments.create');
  const { merchantId } = principal;
  const lineItems = body.line_items.map((item) => ({
    description: item.description.trim(),
    quantity: item.quantity,
    unit_amount_minor: item.unit_amount,
  }));
  const total = lineItems.reduce((sum, item) => sum + item.quantity * item.unit_amount_minor, 0);
  const [currency] = checkFields(
    () => checkCurrency('currency', body.currency),
    () => {
      const blank = lineItems.findIndex((item) => !item.description);
      if (blank >= 0) throw fieldError(`line_items.${blank}.description`, 'must not be blank');
    },
    () => {
      if (total > MAX_AMOUNT_MINOR) throw fieldError('line_items', 'the total is too large');
    },
  );
  const named = body.customer_id ?? null;
  // A merged customer's id bills its survivor (the route says so in Paydesk-Merged-Into).
  const resolved = named === null ? null : await resolveCustomerRef(ctx.db, merchantId, named);
  if (named !== null && !resolved) {
    throw new DomainError('customer_not_found', `No customer ${named}`, {
      errors: [{ field: 'customer_id', reason: 'no such customer' }],
    });
  }
  const customerId = resolved?.id ?? null;
  const id = newId('inv');
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    const number = await nextCounterValue(trx, merchantId, 'invoice_number');
    await insertInvoice(trx, {
      merchant_id: merchantId,
      id,
      number,
      status: 'draft',
      customer_id: customerId,
      currency,
      line_items: JSON.stringify(lineItems),
      total_minor: total,
      memo: body.memo?.trim() || null,
      due_date: body.due_date ?? null,
      token: null,
      pending_transaction_id: null,
      transaction_id: null,
      created_at: now,
      finalized_at: null,
      paid_at: null,
      voided_at: null,
    });
  });
  return getInvoice(ctx, principal, id);
}

export async function getInvoice(ctx: AppContext, principal: Principal, id: string): Promise<InvoiceView> {
  requirePermission(principal, 'payments.read');
  const row = isId('inv', id) ? await findInvoice(ctx.db, principal.merchantId, id) : undefined;
  if (!row) throw invoiceNotFound(id);
  return toInvoiceView(row);
}

/** draft → open: the invoice gets its public pay page. */
export async function finalizeInvoice(ctx: AppContext, principal: Principal, id: string): Promise<InvoiceView> {
  return changeInvoice(ctx, principal, id, async (trx, row) => {
    if (row.status !== 'draft')
      throw new DomainError('invoice_state', `Invoice ${id} is ${row.status}; only a draft can be finalized`);
    const token = newPublicToken();
    if (
      !(await claimPublicPath(trx, { kind: 'invoice', key: token, merchantId: principal.merchantId, targetId: id }))
    ) {
      throw new Error('128-bit invoice token collided');
    }
    const at = ctx.clock();
    await setInvoiceStatus(trx, principal.merchantId, id, { status: 'open', token, finalized_at: at });
    await invoiceEvent(trx, principal, row, 'invoice.issued', at);
  });
}

/** draft or open → void; never while a payment for it is with the gateway. */
export async function voidInvoice(ctx: AppContext, principal: Principal, id: string): Promise<InvoiceView> {
  return changeInvoice(ctx, principal, id, async (trx, row) => {
    if (row.status !== 'draft' && row.status !== 'open') {
      throw new DomainError(
        'invoice_state',
        `Invoice ${id} is ${row.status}; only a draft or open invoice can be voided`,
      );
    }
    if (row.pending_transaction_id)
      throw new DomainError('payment_in_progress', `A payment for invoice ${id} is in progress`);
    const at = ctx.clock();
    await setInvoiceStatus(trx, principal.merchantId, id, { status: 'void', voided_at: at });
    await invoiceEvent(trx, principal, row, 'invoice.voided', at);
  });
}

async function changeInvoice(
  ctx: AppContext,
  principal: Principal,
  id: string,
  change: (trx: Transaction<DB>, row: InvoiceRow) => Promise<void>,
): Promise<InvoiceView> {
  requirePermission(principal, 'payments.create');
  if (!isId('inv', id)) throw invoiceNotFound(id);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findInvoice(trx, principal.merchantId, id, { forUpdate: true });
    if (!row) throw invoiceNotFound(id);
    await change(trx, row);
  });
  return getInvoice(ctx, principal, id);
}

export async function listInvoices(
  ctx: AppContext,
  principal: Principal,
  query: InvoiceListQuery,
): Promise<InvoiceListView> {
  requirePermission(principal, 'payments.read');
  const after = query.cursor ? decodePageCursor(query.cursor, 'inv') : undefined;
  const rows = await listInvoicesPage(ctx.db, principal.merchantId, {
    limit: query.limit + 1,
    after,
    status: query.status,
    customerId: query.customer_id,
  });
  return toPage(rows, query.limit, toInvoiceView);
}

/** GET /customers/{id}/invoices. */
export async function listCustomerInvoices(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<InvoiceListView> {
  await requireReadableCustomer(ctx, principal, customerId);
  return listInvoices(ctx, principal, { ...page, customer_id: customerId });
}

/** An invoice issued to or voided for a customer, on that customer's timeline, in the change's transaction. */
async function invoiceEvent(
  trx: Executor,
  principal: Principal,
  row: Pick<InvoiceRow, 'id' | 'customer_id'>,
  type: 'invoice.issued' | 'invoice.voided',
  at: Date,
): Promise<void> {
  if (!row.customer_id) return;
  await recordCustomerEvent(trx, {
    merchantId: principal.merchantId,
    customerId: row.customer_id,
    type,
    actor: actorOf(principal),
    refs: { invoice: row.id },
    at,
  });
}
