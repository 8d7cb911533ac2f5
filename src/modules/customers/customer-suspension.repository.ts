import type { Executor } from '../../db/database.js';
import type { SuspensionReason } from './customer.table.js';

/**
 * Statements of suspend and resume, and the payer check every payment makes before the gateway is
 * charged (the customer-suspension module and payments compose them).
 */

export interface CustomerSuspension {
  suspended_at: Date | null;
  suspension_reason: SuspensionReason | null;
}

/** The suspension as it stands; call under the row lock (requireLiveCustomer with forUpdate). */
export async function findCustomerSuspension(
  db: Executor,
  merchantId: string,
  id: string,
): Promise<CustomerSuspension | undefined> {
  return db
    .selectFrom('customers')
    .select(['suspended_at', 'suspension_reason'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Sets (both columns) or clears (both null) the suspension; the CHECK constraint holds them together. */
export async function writeCustomerSuspension(
  db: Executor,
  merchantId: string,
  id: string,
  change: CustomerSuspension & { updated_at: Date },
): Promise<void> {
  await db.updateTable('customers').set(change).where('merchant_id', '=', merchantId).where('id', '=', id).execute();
}

/**
 * The brand's suspended customer this payment would belong to: the known customer (an invoice's,
 * an order's), or the one holding the payer's email under any index key (active or retiring). Reads
 * the key and the partial index `customers_suspended` only; undefined when none is suspended.
 */
export async function findSuspendedPayer(
  db: Executor,
  merchantId: string,
  payer: { customerId: string | null; emailBidx: Buffer[] },
): Promise<string | undefined> {
  const { customerId, emailBidx } = payer;
  if (customerId === null && emailBidx.length === 0) return undefined;
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('suspended_at', 'is not', null)
    .where((eb) => {
      const matches = [];
      if (customerId !== null) matches.push(eb('id', '=', customerId));
      if (emailBidx.length > 0) matches.push(eb('email_bidx', 'in', emailBidx));
      return eb.or(matches);
    })
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}
