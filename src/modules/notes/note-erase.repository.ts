import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

/** A note body this long may sit out of line, in the table's TOAST relation (tuples over ~2 kB). */
const MAY_BE_TOASTED_BYTES = 1500;

/**
 * Deletes every note on an erased customer (customer-erase module). Answers the heap addresses of
 * the deleted rows (pages to scrub) and whether any body may have been stored out of line.
 */
export async function deleteNotesOfErased(
  trx: Transaction<DB>,
  merchantId: string,
  customerId: string,
): Promise<{ ctids: string[]; outOfLine: boolean }> {
  const rows = await trx
    .deleteFrom('customer_notes')
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '=', customerId)
    .returning([sql<string>`ctid::text`.as('ctid'), sql<number>`octet_length(body_enc)`.as('bytes')])
    .execute();
  return { ctids: rows.map((r) => r.ctid), outOfLine: rows.some((r) => Number(r.bytes) > MAY_BE_TOASTED_BYTES) };
}
