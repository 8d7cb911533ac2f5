import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import { emailBlindIndexes } from '../../crypto/blind-index.js';
import type { DB } from '../../db/schema.js';
import { requireLiveCustomer } from './customer.merged.js';
import {
  findCustomerSuspension,
  findSuspendedPayer,
  writeCustomerSuspension,
} from './customer-suspension.repository.js';
import type { SuspensionReason } from './customer.table.js';

/**
 * The customer row's side of suspend (`{reason}`) and resume (`null`), inside the caller's
 * transaction: locks the live customer (404; 409 customer_merged or customer_erased), then sets or
 * clears the suspension. Already in that state: nothing is written and `changed` is false, so the
 * caller adds no event. A suspension keeps its first reason and time until it is resumed.
 */
export async function changeCustomerSuspension(
  trx: Transaction<DB>,
  merchantId: string,
  id: string,
  next: { reason: SuspensionReason } | null,
  at: Date,
): Promise<{ changed: boolean }> {
  await requireLiveCustomer(trx, merchantId, id, { forUpdate: true });
  const current = await findCustomerSuspension(trx, merchantId, id);
  const suspended = current?.suspended_at != null;
  if (suspended === (next !== null)) return { changed: false };
  await writeCustomerSuspension(trx, merchantId, id, {
    suspended_at: next ? at : null,
    suspension_reason: next ? next.reason : null,
    updated_at: at,
  });
  return { changed: true };
}

/**
 * Whether a payment must be refused because it would come from a suspended customer of the brand:
 * the customer it is billed to, or the one with the payer's email (normalised already). Every index
 * key's value is asked, so a rebuild of the email index does not open a gap. The id found, or
 * undefined.
 */
export async function suspendedPayerOf(
  ctx: AppContext,
  merchantId: string,
  payer: { customerId: string | null; email: string | undefined },
): Promise<string | undefined> {
  let emailBidx: Buffer[] = [];
  if (payer.email !== undefined) {
    const keys = await ctx.keyring.forBrand(ctx.db, merchantId);
    emailBidx = emailBlindIndexes(keys, payer.email);
  }
  return findSuspendedPayer(ctx.db, merchantId, { customerId: payer.customerId, emailBidx });
}
