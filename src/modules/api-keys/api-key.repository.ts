import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Executor } from '../../db/database.js';
import type { Role } from '../access/permissions.js';

export async function insertApiKey(
  db: Executor,
  key: { merchant_id: string; id: string; name: string; role: Role; token_hash: Buffer; token_hint: string },
): Promise<void> {
  await db.insertInto('api_keys').values({ ...key, revoked_at: null, last_used_at: null }).execute();
}

export async function findLiveApiKeyByTokenHash(db: Executor, tokenHash: Buffer) {
  return db
    .selectFrom('api_keys')
    .select(['merchant_id', 'id', 'role'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function apiKeyTokenExists(db: Executor, tokenHash: Buffer): Promise<boolean> {
  const row = await db.selectFrom('api_keys').select('id').where('token_hash', '=', tokenHash).executeTakeFirst();
  return row !== undefined;
}
