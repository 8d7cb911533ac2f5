import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * Claims a key for this transaction. A key still held by an uncommitted transaction makes this
 * statement wait on the primary key; once that commits, the existing row is returned instead.
 * Keys older than `expiredBefore` are taken over.
 */
export async function claimIdempotencyKey(
  trx: Transaction<DB>,
  row: { merchant_id: string; key: string; request_hash: Buffer; created_at: Date },
  expiredBefore: Date,
): Promise<
  { claimed: true } | { claimed: false; request_hash: Buffer; status_code: number | null; resource_id: string | null }
> {
  const claimed = await trx
    .insertInto('idempotency_keys')
    .values({ ...row, status_code: null, resource_id: null })
    .onConflict((oc) =>
      oc
        .columns(['merchant_id', 'key'])
        .doUpdateSet({
          request_hash: row.request_hash,
          created_at: row.created_at,
          status_code: null,
          resource_id: null,
        })
        .where('idempotency_keys.created_at', '<', expiredBefore),
    )
    .returning('key')
    .executeTakeFirst();
  if (claimed) return { claimed: true };
  const existing = await trx
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status_code', 'resource_id'])
    .where('merchant_id', '=', row.merchant_id)
    .where('key', '=', row.key)
    .executeTakeFirstOrThrow();
  return { claimed: false, ...existing };
}

export async function recordIdempotentOutcome(
  trx: Transaction<DB>,
  merchantId: string,
  key: string,
  outcome: { status_code: number; resource_id: string },
): Promise<void> {
  await trx
    .updateTable('idempotency_keys')
    .set(outcome)
    .where('merchant_id', '=', merchantId)
    .where('key', '=', key)
    .execute();
}
