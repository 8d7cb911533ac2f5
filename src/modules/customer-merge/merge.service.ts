import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { DomainError } from '../../errors.js';
import { isId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { moveCustomerCheckoutSessions } from '../checkout/index.js';
import {
  customerNotFound,
  decryptContact,
  loadCustomerView,
  lockCustomerForMerge,
  markCustomerMerged,
  repointMergedCustomers,
  sealContact,
  wipedContact,
  writeMergeSurvivor,
  type CustomerView,
  type MergeRow,
  type PlainContact,
} from '../customers/index.js';
import { moveCustomerTags } from '../customer-tags/index.js';
import { moveCustomerImage } from '../images/index.js';
import { moveCustomerInvoices } from '../invoices/index.js';
import { moveCustomerNotes } from '../notes/index.js';
import { moveCustomerOrders } from '../orders/index.js';
import { moveSuggestedCustomer } from '../site-users/index.js';
import { moveCustomerEvents, recordCustomerEvent } from '../timeline/index.js';
import { moveCustomerTransactions } from '../transactions/index.js';
import type { MergeBody, MergeField } from './merge.schemas.js';

/**
 * POST /customers/{id}/merge: `source_customer` is merged into the customer `id` (the survivor), in
 * one database transaction:
 *
 * 1. lock both rows, in id order (two merges of the same pair cannot deadlock), and refuse with 409
 *    `merge_conflict` the same id twice, a customer already merged or erased, or two customers linked
 *    to site users (one account each: unlink one first). Another brand's id is 404, like a missing one;
 * 2. move the source's transactions, invoices, orders, checkout sessions, notes, tags (the survivor
 *    gets the union of both) and timeline to the survivor; suggestions of site users and earlier
 *    merges' pointers follow;
 * 3. the image: the survivor keeps its own (the source's is deleted) or takes the source's;
 * 4. the source becomes a pointer (contact wiped: its email and phone free again, aggregates zero,
 *    no user link) — before the survivor's write, so a taken email or user link is free to take;
 * 5. the survivor: aggregates summed (count, total spent; last payment the later), the user link if
 *    it had none, the taken fields re-sealed with its contact;
 *    a suspension of the source carries over (its email is the survivor's now, and must stay refused);
 * 6. timeline events on both, the audit row.
 *
 * Any failure rolls back every step.
 */
export async function mergeCustomers(
  ctx: AppContext,
  principal: Principal,
  survivorId: string,
  body: MergeBody,
  ip?: string,
): Promise<CustomerView> {
  requirePermission(principal, 'customers.merge');
  const { merchantId } = principal;
  const sourceId = body.source_customer;
  const take = [...new Set(body.take ?? [])];
  if (!isId('cus', survivorId)) throw customerNotFound(survivorId);
  if (!isId('cus', sourceId)) throw customerNotFound(sourceId);
  if (sourceId === survivorId) throw mergeConflict('A customer cannot be merged into itself', [survivorId]);

  await ctx.db.transaction().execute(async (trx) => {
    const { survivor, source } = await lockPair(trx, merchantId, survivorId, sourceId);
    const moved = {
      transactions: await moveCustomerTransactions(trx, merchantId, sourceId, survivorId),
      invoices: await moveCustomerInvoices(trx, merchantId, sourceId, survivorId),
      orders: await moveCustomerOrders(trx, merchantId, sourceId, survivorId),
      checkout_sessions: await moveCustomerCheckoutSessions(trx, merchantId, sourceId, survivorId),
      customer_notes: await moveCustomerNotes(trx, merchantId, sourceId, survivorId),
      customer_tags: await moveCustomerTags(trx, merchantId, sourceId, survivorId),
      events: await moveCustomerEvents(trx, merchantId, sourceId, survivorId),
    };
    await moveSuggestedCustomer(trx, merchantId, sourceId, survivorId);
    await repointMergedCustomers(trx, merchantId, sourceId, survivorId);
    const keys = await ctx.keyring.forBrand(trx, merchantId, [survivor.data_key_id, source.data_key_id]);
    const { survivorImageAt } = await moveCustomerImage(trx, keys, merchantId, sourceId, survivorId);

    const at = ctx.clock();
    // A suspended source's refusal must not end because its email now lives on the survivor.
    const suspensionCarried =
      survivor.suspended_at === null && source.suspended_at !== null
        ? { suspended_at: at, suspension_reason: source.suspension_reason }
        : {};
    await markCustomerMerged(trx, merchantId, sourceId, { survivorId, at, wiped: wipedContact() });
    const contactTaken = take.some((field) => field !== 'metadata');
    await writeMergeSurvivor(trx, merchantId, survivorId, {
      ...(contactTaken
        ? sealContact(
            keys,
            merchantId,
            survivorId,
            takenContact(decryptContact(keys, survivor), decryptContact(keys, source), take),
          )
        : {}),
      ...(take.includes('metadata') ? { metadata: JSON.stringify(source.metadata) } : {}),
      user_id: survivor.user_id ?? source.user_id,
      image_updated_at: survivor.image_updated_at ?? survivorImageAt,
      transactions_count: survivor.transactions_count + source.transactions_count,
      total_spent_minor: Number(survivor.total_spent_minor) + Number(source.total_spent_minor),
      last_payment_at: later(survivor.last_payment_at, source.last_payment_at),
      ...suspensionCarried,
      updated_at: at,
    });

    const actor = actorOf(principal);
    await recordCustomerEvent(trx, [
      ...(suspensionCarried.suspension_reason
        ? [
            {
              merchantId,
              customerId: survivorId,
              type: 'customer.suspended' as const,
              actor,
              refs: { reason: suspensionCarried.suspension_reason, customer: sourceId },
              at,
            },
          ]
        : []),
      {
        merchantId,
        customerId: survivorId,
        type: 'customer.merged',
        actor,
        refs: { customer: sourceId, fields: take },
        at,
      },
      { merchantId, customerId: sourceId, type: 'customer.merged_into', actor, refs: { customer: survivorId }, at },
    ]);
    await recordAudit(trx, {
      merchantId,
      actor,
      action: 'customer.merge',
      target: { type: 'customer', id: survivorId },
      ip,
      details: {
        survivor: survivorId,
        merged: sourceId,
        taken: take,
        moved,
        user_link_moved: survivor.user_id === null && source.user_id !== null,
      },
      occurredAt: at,
    });
  });
  return loadCustomerView(ctx, principal, survivorId);
}

/** Both rows, locked in id order; 404 for one the brand does not have, 409 for one that cannot merge. */
async function lockPair(
  trx: Transaction<DB>,
  merchantId: string,
  survivorId: string,
  sourceId: string,
): Promise<{ survivor: MergeRow; source: MergeRow }> {
  const rows = new Map<string, MergeRow>();
  for (const id of [survivorId, sourceId].sort()) {
    const row = await lockCustomerForMerge(trx, merchantId, id);
    if (!row) throw customerNotFound(id);
    rows.set(id, row);
  }
  const survivor = rows.get(survivorId)!;
  const source = rows.get(sourceId)!;
  for (const row of [survivor, source]) {
    if (row.merged_into !== null) {
      throw mergeConflict(`Customer ${row.id} was already merged into ${row.merged_into}`, [survivorId, sourceId]);
    }
    if (row.erased_at !== null) throw mergeConflict(`Customer ${row.id} was erased`, [survivorId, sourceId]);
  }
  if (survivor.user_id !== null && source.user_id !== null) {
    throw mergeConflict(
      `Both customers are linked to site users (${survivor.user_id}, ${source.user_id}); unlink one first`,
      [survivorId, sourceId],
    );
  }
  return { survivor, source };
}

/** The survivor's contact with the taken fields from the source; a phone the source lacks is not taken. */
function takenContact(mine: PlainContact, theirs: PlainContact, take: MergeField[]): PlainContact {
  return {
    name: take.includes('name') ? theirs.name : mine.name,
    email: take.includes('email') ? theirs.email : mine.email,
    phone: take.includes('phone') && theirs.phone !== null ? theirs.phone : mine.phone,
  };
}

function later(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

function mergeConflict(detail: string, customerIds: string[]): DomainError {
  return new DomainError('merge_conflict', detail, { customer_ids: customerIds });
}
