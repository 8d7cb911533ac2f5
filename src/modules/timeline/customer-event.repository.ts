import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { PageCursor } from '../../db/keyset.js';
import { PREPARED } from '../../db/prepared-client.js';
import { unnestRows, type UnnestColumns } from '../../db/unnest-rows.js';
import type { NewCustomerEventRow } from './customer-event.table.js';

/** One statement, the same text whatever the number of events (prepared once per connection). */
export async function insertCustomerEvents(db: Executor, rows: NewCustomerEventRow[]): Promise<void> {
  if (rows.length > 0)
    await sql`${sql.raw(PREPARED)}INSERT INTO customer_events ${unnestRows(rows, EVENT_COLUMNS)}`.execute(db);
}

const EVENT_COLUMNS: UnnestColumns<NewCustomerEventRow> = {
  merchant_id: 'text',
  id: 'text',
  customer_id: 'text',
  type: 'text',
  actor_type: 'text',
  actor_id: 'text',
  refs: 'jsonb',
  created_at: 'timestamptz',
};

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

/** An actor's name as the timeline and notes show it. */
export interface ActorName {
  type: string;
  id: string;
  name: string;
}

/**
 * The names of those who acted (a timeline's events, a page of notes), in one statement: staff
 * members (accounts are global; the team's own names, not customers') and the brand's API keys.
 * Actors that no longer exist, and system actors, are absent.
 */
async function findActorNames(
  db: Executor,
  merchantId: string,
  actors: ReadonlyArray<{ type: string; id: string }>,
): Promise<ActorName[]> {
  const idsOf = (type: string) => [...new Set(actors.filter((a) => a.type === type).map((a) => a.id))];
  const staffIds = idsOf('staff');
  const keyIds = idsOf('api_key');
  const staff = db
    .selectFrom('staff')
    .select([sql.lit('staff').$castTo<string>().as('type'), 'id', 'name'])
    .where('id', 'in', staffIds);
  const keys = db
    .selectFrom('api_keys')
    .select([sql.lit('api_key').$castTo<string>().as('type'), 'id', 'name'])
    .where('merchant_id', '=', merchantId)
    .where('id', 'in', keyIds);
  if (staffIds.length > 0 && keyIds.length > 0) return staff.unionAll(keys).execute();
  if (staffIds.length > 0) return staff.execute();
  if (keyIds.length > 0) return keys.execute();
  return [];
}

/** The same names as a map keyed `type:id`. */
export async function actorNameMap(
  db: Executor,
  merchantId: string,
  actors: ReadonlyArray<{ type: string; id: string }>,
): Promise<Map<string, string>> {
  return new Map((await findActorNames(db, merchantId, actors)).map((a) => [`${a.type}:${a.id}`, a.name]));
}
