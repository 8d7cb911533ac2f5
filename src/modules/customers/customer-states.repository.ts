import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

export interface CustomerState {
  id: string;
  merged_into: string | null;
  erased_at: Date | null;
}

/**
 * Whether each of many customers is live, merged or erased, for a set-based change of something
 * that points at them (bulk tag and untag): one statement, ids the brand lacks are absent. The rows
 * stay locked FOR KEY SHARE until the caller's transaction ends, so a merge, erase or delete (they
 * take FOR UPDATE) waits rather than slipping in between the check and the write, while payments
 * (which update aggregates, FOR NO KEY UPDATE) go on. Locked in id order, the order merges use.
 */
export async function lockCustomerStates(
  trx: Transaction<DB>,
  merchantId: string,
  ids: string[],
): Promise<CustomerState[]> {
  if (ids.length === 0) return [];
  return trx
    .selectFrom('customers')
    .select(['id', 'merged_into', 'erased_at'])
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', ids)
    .orderBy('id')
    .forKeyShare()
    .execute();
}
