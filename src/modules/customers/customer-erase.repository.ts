import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { CUSTOMER_COLUMNS, type CustomerRecord } from './customer.repository.js';
import type { SealedContact } from './customer.seal.js';

/*
 * The customers statements of an erase (customer-erase module): the row locked with where it lies
 * on disk, then its personal columns replaced by the wiped form.
 */

export type ErasableCustomer = CustomerRecord & {
  merged_into: string | null;
  /** The heap address of the row version the erase replaces: the page to scrub afterwards. */
  ctid: string;
};

/** Locks the row for the erase; undefined when the brand has no such customer. */
export async function lockCustomerForErase(
  trx: Transaction<DB>,
  merchantId: string,
  id: string,
): Promise<ErasableCustomer | undefined> {
  return trx
    .selectFrom('customers')
    .select([...CUSTOMER_COLUMNS, 'merged_into', sql<string>`ctid::text`.as('ctid')])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export type WipedColumns = Omit<SealedContact, 'data_key_id' | 'index_key_id'> & { metadata: string };

/**
 * Replaces the personal columns with the wiped form, unlinks the site user and drops the image
 * version; aggregates, source and keys stay. Answers the new version's heap address.
 */
export async function wipeErasedCustomer(
  trx: Transaction<DB>,
  merchantId: string,
  id: string,
  wiped: WipedColumns,
  at: Date,
): Promise<string> {
  const row = await trx
    .updateTable('customers')
    .set({ ...wiped, user_id: null, image_updated_at: null, erased_at: at, updated_at: at })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .returning(sql<string>`ctid::text`.as('ctid'))
    .executeTakeFirstOrThrow();
  return row.ctid;
}
