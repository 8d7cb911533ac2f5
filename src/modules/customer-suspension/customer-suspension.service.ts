import type { AppContext } from '../../context.js';
import { isId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { changeCustomerSuspension, customerNotFound, loadCustomerView, type CustomerView } from '../customers/index.js';
import { addNoteInTransaction, normalizeNoteBody } from '../notes/index.js';
import { recordCustomerEvent } from '../timeline/index.js';
import type { SuspendBody } from './customer-suspension.schemas.js';

/** Who asked, from where, and (for a bulk action) which job; the audit row says so. */
export interface SuspensionOptions {
  ip?: string | undefined;
  bulkJobId?: string | undefined;
}

/**
 * POST /customers/{id}/suspend: from now on every payment from this customer (by id, or by their
 * email on a public page) is refused before the gateway (payments/pay.service.ts). In one
 * transaction: the row (locked; merged or erased is 409), the optional note (sealed, through the
 * notes module), the timeline event and the audit row. Already suspended: nothing is written (no
 * note, event or audit), and the customer is answered as it is, first reason kept.
 */
export async function suspendCustomer(
  ctx: AppContext,
  principal: Principal,
  id: string,
  body: SuspendBody,
  options: SuspensionOptions = {},
): Promise<CustomerView> {
  await applySuspension(ctx, principal, id, body, options);
  return loadCustomerView(ctx, principal, id);
}

/** POST /customers/{id}/resume: payments are accepted again. Not suspended: nothing is written. */
export async function resumeCustomer(
  ctx: AppContext,
  principal: Principal,
  id: string,
  options: SuspensionOptions = {},
): Promise<CustomerView> {
  await applySuspension(ctx, principal, id, null, options);
  return loadCustomerView(ctx, principal, id);
}

/**
 * Suspend (`{reason, note?}`) or resume (`null`) without reading the customer back (bulk actions);
 * true when something changed.
 */
export async function applySuspension(
  ctx: AppContext,
  principal: Principal,
  id: string,
  change: SuspendBody | null,
  options: SuspensionOptions = {},
): Promise<boolean> {
  requirePermission(principal, 'customers.suspend');
  const note = change?.note?.trim() ? normalizeNoteBody(change.note, 'note') : undefined;
  const { merchantId } = principal;
  if (!isId('cus', id)) throw customerNotFound(id);
  return ctx.db.transaction().execute(async (trx) => {
    const at = ctx.clock();
    const next = change && { reason: change.reason };
    const { changed } = await changeCustomerSuspension(trx, merchantId, id, next, at);
    if (!changed) return false;
    const noteRow = note !== undefined ? await addNoteInTransaction(ctx, trx, principal, id, note) : undefined;
    const actor = actorOf(principal);
    await recordCustomerEvent(trx, {
      merchantId,
      customerId: id,
      type: next ? 'customer.suspended' : 'customer.resumed',
      actor,
      refs: next ? { reason: next.reason } : {},
      at,
    });
    await recordAudit(trx, {
      merchantId,
      actor,
      action: next ? 'customer.suspend' : 'customer.resume',
      target: { type: 'customer', id },
      details: {
        ...(next ? { reason: next.reason } : {}),
        ...(noteRow ? { note_id: noteRow.id } : {}),
        ...(options.bulkJobId ? { bulk_job: options.bulkJobId } : {}),
      },
      ip: options.ip,
    });
    return true;
  });
}
