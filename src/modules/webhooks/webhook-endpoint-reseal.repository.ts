import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

/*
 * The webhook_endpoints statements of a key rotation (keys/key-sweep.ts): an endpoint's signing
 * secret, and the previous one during a secret rotation's overlap, are sealed under one data key
 * (data_key_id, never null). Endpoints have no blind index.
 */

export async function countEndpointsOffDataKey(db: Executor, merchantId: string, activeKeyId: number): Promise<number> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .where('data_key_id', '<>', activeKeyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function endpointUnderDataKey(db: Executor, merchantId: string, keyId: number): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('data_key_id', '=', keyId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function countEndpointsPerDataKey(db: Executor, merchantId: string) {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(['data_key_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('merchant_id', '=', merchantId)
    .groupBy('data_key_id')
    .execute();
  return rows.map((r) => ({ purpose: 'data' as const, key_id: Number(r.data_key_id), rows: Number(r.n) }));
}

/**
 * The next batch off the active key, by primary key; SKIP LOCKED leaves an endpoint whose secret
 * rotation holds it (findEndpointSecrets with lock) to a later pass.
 */
export async function lockEndpointsOffDataKey(
  trx: Transaction<DB>,
  merchantId: string,
  activeKeyId: number,
  page: { afterId: string; limit: number },
) {
  return trx
    .selectFrom('webhook_endpoints')
    .select(['merchant_id', 'id', 'secret_enc', 'previous_secret_enc', 'data_key_id'])
    .where('merchant_id', '=', merchantId)
    .where('id', '>', page.afterId)
    .where('data_key_id', '<>', activeKeyId)
    .orderBy('id')
    .limit(page.limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Writes the re-sealed secrets together; updated_at is left alone (nobody edited the endpoint). */
export async function updateResealedEndpoint(
  trx: Transaction<DB>,
  merchantId: string,
  id: string,
  sealed: { secret_enc: Buffer; previous_secret_enc: Buffer | null; data_key_id: number },
): Promise<void> {
  await trx
    .updateTable('webhook_endpoints')
    .set(sealed)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .execute();
}
