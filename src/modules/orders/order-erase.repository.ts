import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

/*
 * The orders statements of a customer's erase (customer-erase module): the buyer data an order kept
 * sealed (name, email, phone) is dropped from the customer's orders and from those of the site user
 * linked to it. Lines, totals, statuses and payment facts stay.
 */

/** Drops kept buyers; answers the heap addresses of the row versions that held them (pages to scrub). */
export async function dropBuyersOfErased(
  trx: Transaction<DB>,
  merchantId: string,
  who: { customerId: string; userId: string | null },
): Promise<string[]> {
  const held = await trx
    .selectFrom('orders')
    .select(['id', sql<string>`ctid::text`.as('ctid')])
    .where('merchant_id', '=', merchantId)
    .where('buyer_enc', 'is not', null)
    .where((eb) =>
      who.userId === null
        ? eb('customer_id', '=', who.customerId)
        : eb.or([eb('customer_id', '=', who.customerId), eb('user_id', '=', who.userId)]),
    )
    .forUpdate()
    .execute();
  if (held.length === 0) return [];
  await trx
    .updateTable('orders')
    .set({ buyer_enc: null, data_key_id: null })
    .where('merchant_id', '=', merchantId)
    .where(
      'id',
      'in',
      held.map((o) => o.id),
    )
    .execute();
  return held.map((o) => o.ctid);
}
