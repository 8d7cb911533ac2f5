import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

/*
 * The site_users statements of a customer's erase (customer-erase module). The linked account is
 * deleted, not wiped: the person asked to be forgotten, and a later registration with the same
 * email or external id is then simply a new account. customers.user_id and orders.user_id are
 * ON DELETE SET NULL.
 */

/** Deletes the account; answers the deleted row's heap address (the page to scrub), or null. */
export async function deleteErasedSiteUser(
  trx: Transaction<DB>,
  merchantId: string,
  userId: string,
): Promise<string | null> {
  const row = await trx
    .deleteFrom('site_users')
    .where('merchant_id', '=', merchantId)
    .where('id', '=', userId)
    .returning(sql<string>`ctid::text`.as('ctid'))
    .executeTakeFirst();
  return row?.ctid ?? null;
}

/** Accounts waiting for staff to confirm a link to the erased customer stop pointing at it. */
export async function dropSuggestionsOf(trx: Transaction<DB>, merchantId: string, customerId: string): Promise<void> {
  await trx
    .updateTable('site_users')
    .set({ suggested_customer_id: null })
    .where('merchant_id', '=', merchantId)
    .where('suggested_customer_id', '=', customerId)
    .execute();
}
