import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { BrandKeys } from '../../crypto/keyring.js';
import type { DB } from '../../db/schema.js';
import { fieldError } from '../../errors.js';
import { isId, newId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { autoCreateCustomers, getBrand } from '../brands/index.js';
import { closeOrderCheckout } from '../checkout/index.js';
import {
  findCustomerIdOfUser,
  findOrCreateCustomer,
  resolveCustomerRef,
  userNotInBrand,
  type PlainContact,
} from '../customers/index.js';
import { beginIdempotent, finishIdempotent } from '../idempotency/index.js';
import { nextCounterValue } from '../public-paths/index.js';
import { recordCustomerEvent } from '../timeline/index.js';
import { checkOrderBody, customerNotInBrand, type CheckedOrder } from './order.input.js';
import { loadOrderView } from './order.queries.js';
import { findOrder, insertOrder, siteUserExists, updateOrder } from './order.repository.js';
import type { OrderCreateBody, OrderView } from './order.schemas.js';
import type { OrderRow } from './order.table.js';
import { contactMaskedFor, orderNotFound, orderNumber, orderState, sealBuyer, toOrderView } from './order.view.js';

/**
 * POST /orders: the order, numbered, with its buyer resolved in the same transaction: an existing
 * customer, the customer of the buyer's email (created, source order, when the brand's orders switch
 * is on), or, with the switch off and a new email, no customer and the contact kept encrypted on the
 * order. An Idempotency-Key replays the first order.
 */
export async function createOrder(
  ctx: AppContext,
  principal: Principal,
  body: OrderCreateBody,
  options: { idempotencyKey?: string | undefined } = {},
): Promise<{ order: OrderView; replayed: boolean }> {
  requirePermission(principal, 'orders.write');
  const { merchantId } = principal;
  const brand = await getBrand(ctx, merchantId);
  const input = checkOrderBody(body, brand.country);
  const keys = await ctx.keyring.forBrand(ctx.db, merchantId);
  const id = newId('ord');
  const now = ctx.clock();
  const actor = actorOf(principal);

  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const idempotency = options.idempotencyKey
      ? { merchantId, key: options.idempotencyKey, operation: 'POST /orders', body, now }
      : undefined;
    if (idempotency) {
      const decision = await beginIdempotent(trx, keys.index, idempotency);
      if (decision.kind === 'replay') return { kind: 'replay' as const, id: decision.resourceId };
    }
    const { customerId, buyer } = await resolveBuyer(trx, keys, input, {
      merchantId,
      create: autoCreateCustomers(brand, 'orders'),
      actor,
      at: now,
    });
    // Numbered last: the brand's counter row stays locked until commit, so hold it for the least time.
    const number = await nextCounterValue(trx, merchantId, 'order');
    const row: OrderRow = {
      merchant_id: merchantId,
      id,
      number,
      status: 'open',
      customer_id: customerId,
      user_id: input.userId,
      currency: input.currency,
      line_items: input.lines,
      total_minor: input.totalMinor,
      buyer_enc: buyer ? sealBuyer(keys, merchantId, id, buyer) : null,
      data_key_id: buyer ? keys.activeDataKeyId : null,
      checkout_session_id: null,
      transaction_id: null,
      payment_method: null,
      payment_reference: null,
      created_at: now,
      updated_at: now,
      paid_at: null,
      fulfilled_at: null,
      cancelled_at: null,
    };
    await insertOrder(trx, { ...row, line_items: JSON.stringify(input.lines) });
    await recordOrderEvent(trx, row, 'order.created', actor, now);
    if (idempotency) await finishIdempotent(trx, idempotency, { statusCode: 201, resourceId: id });
    return { kind: 'created' as const, row, buyer };
  });

  if (outcome.kind === 'replay') return { order: await loadOrderView(ctx, principal, outcome.id), replayed: true };
  return { order: toOrderView(outcome.row, outcome.buyer, contactMaskedFor(principal)), replayed: false };
}

/** Who ordered: a customer id, or (no customer) the contact to keep on the order. */
async function resolveBuyer(
  trx: Transaction<DB>,
  keys: BrandKeys,
  input: CheckedOrder,
  c: { merchantId: string; create: boolean; actor: { type: string; id: string }; at: Date },
): Promise<{ customerId: string | null; buyer: PlainContact | null }> {
  if (input.userId !== null && !(await siteUserExists(trx, c.merchantId, input.userId))) {
    throw userNotInBrand(input.userId);
  }
  if (input.customerId !== null) {
    // A merged customer's id orders as its survivor (the route says so in Paydesk-Merged-Into).
    const resolved = await resolveCustomerRef(trx, c.merchantId, input.customerId);
    if (!resolved) throw customerNotInBrand();
    return { customerId: resolved.id, buyer: null };
  }
  if (input.details !== null) {
    const found = await findOrCreateCustomer(trx, keys, {
      merchantId: c.merchantId,
      contact: input.details,
      source: 'order',
      create: c.create,
      actor: c.actor,
      at: c.at,
      linkByEmail: true,
    });
    return found ? { customerId: found.id, buyer: null } : { customerId: null, buyer: input.details };
  }
  // A site user alone (checkOrderBody allows nothing else here): the customer linked to them.
  const linked = input.userId === null ? undefined : await findCustomerIdOfUser(trx, c.merchantId, input.userId);
  if (!linked) {
    throw fieldError('customer_details', `is required: site user ${input.userId ?? ''} has no customer yet`);
  }
  return { customerId: linked, buyer: null };
}

/** POST /orders/{id}/fulfil: a paid order was delivered. */
export async function fulfilOrder(ctx: AppContext, principal: Principal, id: string): Promise<OrderView> {
  return changeOrder(ctx, principal, id, async (trx, row, now) => {
    if (row.status !== 'paid') throw orderState(id, row.status, 'only a paid order can be fulfilled');
    await updateOrder(trx, row.merchant_id, id, { status: 'fulfilled', fulfilled_at: now, updated_at: now });
    await recordOrderEvent(trx, row, 'order.fulfilled', actorOf(principal), now);
  });
}

/**
 * POST /orders/{id}/cancel: an open order only. Its checkout stops taking payments in the same
 * transaction, and a card payment already with the gateway makes the cancel wait its turn (409).
 */
export async function cancelOrder(ctx: AppContext, principal: Principal, id: string, ip?: string): Promise<OrderView> {
  return changeOrder(ctx, principal, id, async (trx, row, now) => {
    if (row.status !== 'open') throw orderState(id, row.status, 'only an open order can be cancelled');
    await closeOrderCheckout(trx, row.merchant_id, row.checkout_session_id);
    await updateOrder(trx, row.merchant_id, id, { status: 'cancelled', cancelled_at: now, updated_at: now });
    await recordOrderEvent(trx, row, 'order.cancelled', actorOf(principal), now);
    await recordAudit(trx, {
      merchantId: row.merchant_id,
      actor: actorOf(principal),
      action: 'order.cancel',
      target: { type: 'order', id },
      details: { number: orderNumber(Number(row.number)) },
      ip,
    });
  });
}

/** A status change under the order's row lock, answered with the order as the caller may see it. */
async function changeOrder(
  ctx: AppContext,
  principal: Principal,
  id: string,
  change: (trx: Transaction<DB>, row: OrderRow, now: Date) => Promise<void>,
): Promise<OrderView> {
  requirePermission(principal, 'orders.write');
  if (!isId('ord', id)) throw orderNotFound(id);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findOrder(trx, principal.merchantId, id, { forUpdate: true });
    if (!row) throw orderNotFound(id);
    await change(trx, row, ctx.clock());
  });
  return loadOrderView(ctx, principal, id);
}

/** The order's customer's timeline, in the change's transaction; an order without a customer has none. */
export async function recordOrderEvent(
  trx: Transaction<DB>,
  row: Pick<OrderRow, 'merchant_id' | 'id' | 'customer_id'>,
  type: 'order.created' | 'order.paid' | 'order.fulfilled' | 'order.cancelled',
  actor: { type: string; id: string },
  at: Date,
  refs: Record<string, string> = {},
): Promise<void> {
  if (!row.customer_id) return;
  await recordCustomerEvent(trx, {
    merchantId: row.merchant_id,
    customerId: row.customer_id,
    type,
    actor,
    refs: { order: row.id, ...refs },
    at,
  });
}
