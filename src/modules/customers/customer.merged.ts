import type { Executor } from '../../db/database.js';
import { DomainError } from '../../errors.js';
import { isId } from '../../ids.js';
import { customerNotFound } from './customer.access.js';
import { findCustomerPointer } from './customer-merge.repository.js';
import type { MergedCustomerView } from './customer.schemas.js';

/** The header that tells a caller its write named a merged customer and acted on the survivor. */
export const MERGED_INTO_HEADER = 'Paydesk-Merged-Into';

/** Pointers are kept one hop deep by the merge; the loop only guards against a broken chain. */
const MAX_HOPS = 5;

export function customerMerged(id: string, survivorId: string): DomainError {
  return new DomainError('customer_merged', `Customer ${id} was merged into ${survivorId}; use that id`, {
    customer_id: id,
    merged_into: survivorId,
  });
}

export function customerErased(id: string): DomainError {
  return new DomainError('customer_erased', `Customer ${id} was erased`, { customer_id: id });
}

export function mergedCustomerView(id: string, survivorId: string): MergedCustomerView {
  return { id, object: 'customer', merged_into: survivorId };
}

/**
 * A customer id named by a write that creates something for a customer (an invoice, an order): the
 * live customer it stands for. A merged id resolves to its survivor (`mergedFrom` says so, and the
 * route answers with the Paydesk-Merged-Into header); undefined when the brand has no such customer.
 */
export async function resolveCustomerRef(
  db: Executor,
  merchantId: string,
  id: string,
): Promise<{ id: string; mergedFrom: string | null } | undefined> {
  if (!isId('cus', id)) return undefined;
  let current = id;
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const row = await findCustomerPointer(db, merchantId, current);
    if (!row) return undefined;
    // Nothing new is created for someone who asked to be forgotten.
    if (row.erased_at !== null) throw customerErased(row.id);
    if (row.merged_into === null) return { id: row.id, mergedFrom: current === id ? null : id };
    current = row.merged_into;
  }
  return undefined;
}

/**
 * Writes on the customer itself (edit, notes, image, reveal) refuse a merged id with 409
 * `customer_merged` naming the survivor, rather than silently changing another record: the caller
 * should update its reference. An erased customer takes no new personal data (409
 * `customer_erased`) unless the write only removes (`erased: 'allow'`: delete). With `forUpdate` (inside the write's transaction) the row stays locked,
 * so a merge cannot slip in between the check and the write.
 */
export async function requireLiveCustomer(
  db: Executor,
  merchantId: string,
  id: string,
  options: { forUpdate?: boolean; erased?: 'refuse' | 'allow' } = {},
): Promise<void> {
  if (!isId('cus', id)) throw customerNotFound(id);
  const row = await findCustomerPointer(db, merchantId, id, options);
  if (!row) throw customerNotFound(id);
  if (row.merged_into !== null) throw customerMerged(id, row.merged_into);
  if (row.erased_at !== null && options.erased !== 'allow') throw customerErased(id);
}
