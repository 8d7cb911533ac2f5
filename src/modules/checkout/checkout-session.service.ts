import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { DomainError } from '../../errors.js';
import { decodePageCursor, toPage } from '../../http/page-cursor.js';
import { isId, newId } from '../../ids.js';
import { checkCurrency } from '../../money/currency.js';
import { type Principal, requirePermission } from '../access/index.js';
import { claimPublicPath, newPublicToken } from '../public-paths/index.js';
import { findCheckoutSession, insertCheckoutSession, listCheckoutSessionsPage } from './checkout-session.repository.js';
import type {
  CheckoutSessionCreateBody,
  CheckoutSessionListView,
  CheckoutSessionView,
} from './checkout-session.schemas.js';
import type { CheckoutSessionRow } from './checkout-session.table.js';

/** "expired" is derived: an open session past its time can no longer be paid. */
export function checkoutStatus(
  row: Pick<CheckoutSessionRow, 'status' | 'expires_at'>,
  now: Date,
): CheckoutSessionView['status'] {
  if (row.status === 'open' && row.expires_at.getTime() <= now.getTime()) return 'expired';
  return row.status;
}

export function toCheckoutSessionView(row: CheckoutSessionRow, now: Date): CheckoutSessionView {
  return {
    id: row.id,
    object: 'checkout_session',
    url: `/checkout/${row.token}`,
    status: checkoutStatus(row, now),
    amount: { amount: Number(row.amount_minor), currency: row.currency },
    description: row.description,
    expires_at: row.expires_at.toISOString(),
    transaction_id: row.transaction_id,
    customer_id: row.customer_id,
    created_at: row.created_at.toISOString(),
    completed_at: row.completed_at?.toISOString() ?? null,
  };
}

export function checkoutNotFound(id: string): DomainError {
  return new DomainError('checkout_not_found', `No checkout session ${id}`);
}

export async function createCheckoutSession(
  ctx: AppContext,
  principal: Principal,
  body: CheckoutSessionCreateBody,
): Promise<CheckoutSessionView> {
  requirePermission(principal, 'payments.create');
  const currency = checkCurrency('currency', body.currency);
  const now = ctx.clock();
  const row = await ctx.db.transaction().execute((trx) =>
    insertNewCheckoutSession(trx, {
      merchantId: principal.merchantId,
      amountMinor: body.amount,
      currency,
      description: body.description?.trim() || null,
      expiresInMinutes: body.expires_in_minutes ?? 60,
      orderId: null,
      now,
    }),
  );
  return toCheckoutSessionView(row, now);
}

/** A new open session with its public token, in the caller's transaction. */
export async function insertNewCheckoutSession(
  trx: Transaction<DB>,
  s: {
    merchantId: string;
    amountMinor: number;
    currency: string;
    description: string | null;
    expiresInMinutes: number;
    orderId: string | null;
    now: Date;
  },
): Promise<CheckoutSessionRow> {
  const row: CheckoutSessionRow = {
    merchant_id: s.merchantId,
    id: newId('cs'),
    token: newPublicToken(),
    amount_minor: s.amountMinor,
    currency: s.currency,
    description: s.description,
    status: 'open',
    pending_transaction_id: null,
    expires_at: new Date(s.now.getTime() + s.expiresInMinutes * 60_000),
    transaction_id: null,
    customer_id: null,
    order_id: s.orderId,
    created_at: s.now,
    completed_at: null,
  };
  const claimed = await claimPublicPath(trx, {
    kind: 'checkout',
    key: row.token,
    merchantId: row.merchant_id,
    targetId: row.id,
  });
  if (!claimed) throw new Error('128-bit checkout token collided');
  await insertCheckoutSession(trx, row);
  return row;
}

export async function getCheckoutSession(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<CheckoutSessionView> {
  requirePermission(principal, 'payments.read');
  const row = isId('cs', id) ? await findCheckoutSession(ctx.db, principal.merchantId, id) : undefined;
  if (!row) throw checkoutNotFound(id);
  return toCheckoutSessionView(row, ctx.clock());
}

export async function listCheckoutSessions(
  ctx: AppContext,
  principal: Principal,
  page: { limit: number; cursor?: string | undefined },
): Promise<CheckoutSessionListView> {
  requirePermission(principal, 'payments.read');
  const after = page.cursor ? decodePageCursor(page.cursor, 'cs') : undefined;
  const rows = await listCheckoutSessionsPage(ctx.db, principal.merchantId, { limit: page.limit + 1, after });
  const now = ctx.clock();
  return toPage(rows, page.limit, (row) => toCheckoutSessionView(row, now));
}
