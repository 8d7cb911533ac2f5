import type { Executor } from '../../db/database.js';
import type { PublicPathKind } from './public-path.table.js';

/** Claims a public slug or token; false when another record (of any brand) has it. */
export async function claimPublicPath(
  db: Executor,
  path: { kind: PublicPathKind; key: string; merchantId: string; targetId: string },
): Promise<boolean> {
  const row = await db
    .insertInto('public_paths')
    .values({ kind: path.kind, key: path.key, merchant_id: path.merchantId, target_id: path.targetId })
    .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findPublicPath(
  db: Executor,
  kind: PublicPathKind,
  key: string,
): Promise<{ merchant_id: string; target_id: string } | undefined> {
  return db
    .selectFrom('public_paths')
    .select(['merchant_id', 'target_id'])
    .where('kind', '=', kind)
    .where('key', '=', key)
    .executeTakeFirst();
}
