import type { Executor } from '../../db/database.js';
import { newestFirstPage, type PageCursor } from '../../db/keyset.js';

const COLUMNS = ['merchant_id', 'id', 'type', 'object_type', 'object_id', 'refs', 'created_at'] as const;

export async function findWebhookEvent(db: Executor, merchantId: string, id: string) {
  return db
    .selectFrom('webhook_events')
    .select(COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listWebhookEvents(
  db: Executor,
  merchantId: string,
  filter: { type?: string | undefined; objectId?: string | undefined },
  page: { limit: number; after?: PageCursor | undefined },
) {
  let query = db.selectFrom('webhook_events').select(COLUMNS).where('merchant_id', '=', merchantId);
  if (filter.type) query = query.where('type', '=', filter.type);
  if (filter.objectId) query = query.where('object_id', '=', filter.objectId);
  return newestFirstPage(query, page).execute();
}

/** The events of one brand a claimed batch carries, in one statement. */
export async function findWebhookEvents(db: Executor, merchantId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('webhook_events')
    .select(COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', [...ids])
    .execute();
}

/** A test event is written by the code that sends it (the triggers write every other). */
export async function insertWebhookEvent(
  db: Executor,
  row: { merchantId: string; id: string; type: string; objectType: 'webhook_endpoint'; objectId: string; at: Date },
): Promise<void> {
  await db
    .insertInto('webhook_events')
    .values({
      merchant_id: row.merchantId,
      id: row.id,
      type: row.type,
      object_type: row.objectType,
      object_id: row.objectId,
      created_at: row.at,
    })
    .execute();
}

export type WebhookEventRecord = NonNullable<Awaited<ReturnType<typeof findWebhookEvent>>>;
