import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { isId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import {
  checkReason,
  customerMerged,
  customerNotFound,
  decryptContact,
  getCustomer,
  lockCustomerForErase,
  redactReason,
  wipedContact,
  wipeErasedCustomer,
} from '../customers/index.js';
import { deleteImageOfErased } from '../images/index.js';
import { deleteNotesOfErased } from '../notes/index.js';
import { dropBuyersOfErased } from '../orders/index.js';
import { deleteErasedSiteUser, dropSuggestionsOf } from '../site-users/index.js';
import { recordCustomerEvent } from '../timeline/index.js';
import { currentTransactionId } from './erase-storage.repository.js';
import type { ErasedCustomerView } from './erase.schemas.js';
import { scrubErased, type ScrubTarget } from './erase.scrub.js';

/**
 * POST /customers/{id}/erase: destroys a customer's personal data for good and keeps its payments.
 * 1. One transaction (the logical erase): the contact columns are replaced by the wiped form (no
 *    ciphertext, a random email index, no tokens, no metadata); notes, image and the linked site
 *    user are deleted; orders drop their kept buyer; audit row and timeline event. Ledger, invoices,
 *    orders' lines and the aggregates stay.
 * 2. After the commit, the old row versions are removed from the database files (erase.scrub.ts);
 *    `scrubbed` says whether that succeeded. An erased customer is erased once: 409 customer_erased.
 */
export async function eraseCustomer(
  ctx: AppContext,
  principal: Principal,
  id: string,
  request: { reason: string; ip?: string | undefined },
): Promise<ErasedCustomerView> {
  requirePermission(principal, 'customers.erase');
  const { merchantId } = principal;
  const reason = checkReason(request.reason);
  if (!isId('cus', id)) throw customerNotFound(id);
  const { targets, xid } = await ctx.db.transaction().execute(async (trx) => {
    const row = await lockCustomerForErase(trx, merchantId, id);
    if (!row) throw customerNotFound(id);
    if (row.merged_into !== null) throw customerMerged(id, row.merged_into);
    if (row.erased_at !== null) {
      throw new DomainError('customer_erased', `Customer ${id} was already erased`, { customer_id: id });
    }
    const keys = await ctx.keyring.forBrand(trx, merchantId, [row.data_key_id]);
    const { text, redacted } = redactReason(reason, decryptContact(keys, row));
    const at = ctx.clock();

    await wipeErasedCustomer(trx, merchantId, id, wipedContact(), at);
    // Before the account goes: deleting it clears orders.user_id (ON DELETE SET NULL).
    const orderCtids = await dropBuyersOfErased(trx, merchantId, { customerId: id, userId: row.user_id });
    const userCtid = row.user_id === null ? null : await deleteErasedSiteUser(trx, merchantId, row.user_id);
    await dropSuggestionsOf(trx, merchantId, id);
    const notes = await deleteNotesOfErased(trx, merchantId, id);
    const hadImage = await deleteImageOfErased(trx, merchantId, id);

    const actor = actorOf(principal);
    await recordAudit(trx, {
      merchantId,
      actor,
      action: 'customer.erase',
      target: { type: 'customer', id },
      ip: request.ip,
      details: {
        reason: text,
        ...(redacted ? { reason_redacted: true } : {}),
        notes_deleted: notes.ctids.length,
        image_deleted: hadImage,
        site_user_deleted: userCtid !== null,
        order_buyers_dropped: orderCtids.length,
      },
    });
    await recordCustomerEvent(trx, { merchantId, customerId: id, type: 'customer.erased', actor, at });
    const targets: ScrubTarget[] = [
      { table: 'customers', ctids: [row.ctid], rewrite: false },
      { table: 'site_users', ctids: userCtid === null ? [] : [userCtid], rewrite: false },
      { table: 'orders', ctids: orderCtids, rewrite: false },
      { table: 'customer_notes', ctids: notes.ctids, rewrite: notes.outOfLine },
      { table: 'customer_images', ctids: [], rewrite: hadImage },
    ];
    return { targets, xid: await currentTransactionId(trx) };
  });
  const scrubbed = await scrubErased(ctx, id, xid, targets);
  return { ...(await getCustomer(ctx, principal, id)), scrubbed };
}
