import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Executor } from '../../db/database.js';
import { executePrepared } from '../../db/prepared-client.js';
import type { Role } from '../access/index.js';

export async function insertApiKey(
  db: Executor,
  key: {
    merchant_id: string;
    id: string;
    name: string;
    role: Role;
    token_hash: Buffer;
    token_hint: string;
    created_at?: Date;
  },
): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({ ...key, revoked_at: null, last_used_at: null })
    .execute();
}

export async function findLiveApiKeyByTokenHash(db: Executor, tokenHash: Buffer) {
  const query = db
    .selectFrom('api_keys')
    .select(['merchant_id', 'id', 'role', 'last_used_at'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null);
  return (await executePrepared(db, query))[0];
}

export async function apiKeyTokenExists(db: Executor, tokenHash: Buffer): Promise<boolean> {
  const row = await db.selectFrom('api_keys').select('id').where('token_hash', '=', tokenHash).executeTakeFirst();
  return row !== undefined;
}

/** Every key of a brand, newest first; never the hash. */
export async function listApiKeyRows(db: Executor, merchantId: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'name', 'role', 'token_hint', 'created_at', 'last_used_at', 'revoked_at'])
    .where('merchant_id', '=', merchantId)
    .orderBy('id', 'desc')
    .execute();
}

export async function findApiKeyForUpdate(db: Transaction<DB>, merchantId: string, id: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'role', 'revoked_at'])
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function markApiKeyRevoked(db: Executor, merchantId: string, id: string, now: Date): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .execute();
}

/** Sets last_used_at unless another request already did within `staleBefore`: one write a minute. */
export async function touchApiKey(
  db: Executor,
  merchantId: string,
  id: string,
  now: Date,
  staleBefore: Date,
): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
    .execute();
}
