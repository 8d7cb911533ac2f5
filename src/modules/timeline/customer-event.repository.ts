import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { PageCursor } from '../../db/keyset.js';
import type { NewCustomerEventRow } from './customer-event.table.js';

export async function insertCustomerEvents(db: Executor, rows: NewCustomerEventRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('customer_events').values(rows).execute();
}

/** A customer's events newest first, by keyset; `types` narrows to one kind's. */
export async function listCustomerEvents(
  db: Executor,
  merchantId: string,
  customerId: string,
  page: { limit: number; after?: PageCursor | undefined; types?: readonly string[] | undefined },
) {
  let query = db
    .selectFrom('customer_events')
    .select(['id', 'type', 'actor_type', 'actor_id', 'refs', 'created_at'])
    .where('merchant_id', '=', merchantId)
    .where('customer_id', '=', customerId);
  if (page.types) query = query.where('type', 'in', page.types);
  if (page.after) query = query.where(sql<boolean>`(created_at, id) < (${page.after.createdAt}, ${page.after.id})`);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}

/**
 * The names of the staff members and API keys who acted (the team's own names, not customers'),
 * for the timeline's "by whom". Staff span brands, so only this brand's members are named.
 */
export async function findActorNames(
  db: Executor,
  merchantId: string,
  actors: { staff: string[]; apiKeys: string[] },
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (actors.staff.length > 0) {
    const rows = await db
      .selectFrom('staff as s')
      .innerJoin('staff_memberships as m', 'm.staff_id', 's.id')
      .select(['s.id', 's.name'])
      .where('m.merchant_id', '=', merchantId)
      .where('s.id', 'in', actors.staff)
      .execute();
    for (const row of rows) names.set(`staff:${row.id}`, row.name);
  }
  if (actors.apiKeys.length > 0) {
    const rows = await db
      .selectFrom('api_keys')
      .select(['id', 'name'])
      .where('merchant_id', '=', merchantId)
      .where('id', 'in', actors.apiKeys)
      .execute();
    for (const row of rows) names.set(`api_key:${row.id}`, row.name);
  }
  return names;
}
