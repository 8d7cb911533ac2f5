import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.js';
import { inWalkPlan } from '../../db/walk-plan.js';
import type { CustomerSortKey } from './customer.list-params.js';
import type { ListPosition, SortValue } from './customer.list-cursor.js';
import type { CustomerRecord } from './customer.repository.js';
import {
  allOf,
  beyond,
  customerColumns,
  direction,
  driverCustomers,
  driverIds,
  rowConditions,
  sortColumn,
  sortColumnOfCustomer,
  sortKeyBounds,
  sortValueOutput,
  walksRanks,
  type Driver,
  type ListScope,
} from './customer-list.sql.js';
import { tokenCondition } from './customer-search.repository.js';

/** A listed customer with its place in the sort (the cursor of a page ending on it). */
export type ListedCustomer = CustomerRecord & { position: ListPosition };

interface WalkPage {
  after?: ListPosition | undefined;
  /** Rows of the sort's index to read at most (matching or not). */
  walk: number;
}

/** The sort's index walk: `walk` rows after the cursor, in order (run it in inWalkPlan). */
function walkFrom(
  scope: ListScope,
  page: WalkPage,
  select: RawBuilder<unknown>,
  rows: 'all' | 'last' = 'all',
): RawBuilder<unknown> {
  const { sort, filter } = scope;
  const alias = walksRanks(sort.key) ? 'r' : 'c';
  const column = sortColumn(sort.key);
  const idColumn = sql.ref(alias === 'r' ? 'r.customer_id' : 'c.id');
  const on: RawBuilder<boolean>[] = [sql`${sql.ref(`${alias}.merchant_id`)} = ${scope.merchantId}`];
  if (alias === 'c') {
    // Merged rows are pointers, not customers (ranks hold live customers only); rarely true, so the
    // walk stays on customers_newest, or on customers_source for one source.
    on.push(sql`c.merged_into IS NULL`);
    if (filter.sources?.length === 1) on.push(sql`c.source = ${filter.sources[0]}`);
  }
  on.push(...sortKeyBounds(sort.key, column, filter));
  if (page.after) on.push(beyond(sort, column, idColumn, page.after));
  const table = alias === 'r' ? sql`customer_ranks r` : sql`customers c`;
  const limit = rows === 'all' ? sql`LIMIT ${page.walk}` : sql`OFFSET ${page.walk - 1} LIMIT 1`;
  return sql`SELECT ${select} FROM ${table} WHERE ${allOf(on)}
    ORDER BY ${column} ${direction(sort)}, ${idColumn} ${direction(sort)} ${limit}`;
}

/** The scope's conditions a rank row can answer by itself, on the walk's copies (alias `n`). */
function rankConditions(scope: ListScope): RawBuilder<boolean>[] {
  const f = scope.filter;
  const on: RawBuilder<boolean>[] = [];
  if (scope.tokens)
    on.push(tokenCondition(scope.tokens, 'any index', { tokens: 'n.rank_tokens', keyId: 'n.rank_key_id' }));
  if (f.sources) on.push(sql`n.rank_source IN (${sql.join(f.sources)})`);
  if (f.status) on.push(f.status === 'suspended' ? sql`n.rank_suspended` : sql`NOT n.rank_suspended`);
  if (f.hasUser !== undefined) on.push(f.hasUser ? sql`n.rank_has_user` : sql`NOT n.rank_has_user`);
  return on;
}

/**
 * How many of the first `walk` rows of the sort's walk, filters aside, hold the search term's
 * tokens: a sample of how common the term is in the brand. A filtered walk's own matches cannot
 * say, since the filter thins them. Run it in inWalkPlan.
 */
export async function countTermInWalk(db: Executor, scope: ListScope, walk: number): Promise<number> {
  if (!scope.tokens) return 0;
  const ranks = walksRanks(scope.sort.key);
  const select = ranks
    ? sql`r.search_tokens AS tokens, r.index_key_id AS key_id`
    : sql`c.search_tokens AS tokens, c.index_key_id AS key_id`;
  const sample = walkFrom({ ...scope, filter: {} }, { walk }, select);
  const term = tokenCondition(scope.tokens, 'any index', { tokens: 's.tokens', keyId: 's.key_id' });
  const { rows } = await sql<{
    n: number | string;
  }>`SELECT count(*) FILTER (WHERE ${term}) AS n FROM (${sample}) s`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** What one window of the walk gave: its matches, and where the next read starts. */
export interface WindowRead {
  rows: ListedCustomer[];
  /**
   * The window's last row (the walk goes on after it); undefined when the window holds more
   * matches than were asked for (go on after the last row returned); null when no row is left.
   */
  end: ListPosition | null | undefined;
}

/**
 * The matching rows among the next `page.walk` rows of the sort's walk, `limit` at most, and the
 * window's end, in one statement (one snapshot, so rows written meanwhile can neither repeat a
 * row nor skip one). The window's last row comes back even when it does not match: it marks the
 * end. The walk stops as soon as the page is full. Run it in inWalkPlan.
 */
export async function readWindow(
  db: Executor,
  scope: ListScope,
  page: WalkPage & { limit: number },
): Promise<WindowRead> {
  const { sort } = scope;
  const conditions = allOf(rowConditions(scope));
  // Numbered in the walk's own order, which the planner then knows the rows keep: the page
  // needs no sort, and the walk stops once the page is full.
  const order = (alias: string, key: string, id: string) =>
    sql`${sql.ref(`${alias}.${key}`)} ${direction(sort)}, ${sql.ref(`${alias}.${id}`)} ${direction(sort)}`;
  const numbered = (walk: RawBuilder<unknown>, key: string) =>
    sql`(SELECT x.*, row_number() OVER (ORDER BY ${order('x', key, 'id')}) AS walk_n FROM (${walk}) x)`;
  const last = sql`${page.walk}::bigint`;
  let query: RawBuilder<ListedRow & { matched: boolean; walk_n: number | string }>;
  if (walksRanks(sort.key)) {
    const walk = walkFrom(
      scope,
      page,
      sql`r.customer_id AS id, ${sortColumn(sort.key)} AS k, r.search_tokens AS rank_tokens,
        r.index_key_id AS rank_key_id, r.source AS rank_source, r.suspended AS rank_suspended, r.has_user AS rank_has_user`,
    );
    // The search tokens and the common filters are tested on the rank row's copies (migrations
    // 0011, 0012) before any customer is read: only the rows that pass, and the window's last row,
    // are looked up by primary key, where every condition is checked again.
    const early = rankConditions(scope);
    const walked =
      early.length > 0
        ? sql`(SELECT * FROM ${numbered(walk, 'k')} n WHERE ${allOf(early)} OR n.walk_n = ${last})`
        : numbered(walk, 'k');
    query = sql`SELECT ${customerColumns('c')}, ${sortValueOutput(sort.key, sql`w.k`)} AS sort_key,
        ${conditions} AS matched, w.walk_n
      FROM ${walked} w CROSS JOIN LATERAL (
        -- OFFSET 0 keeps this a lookup by primary key: the filter stays outside, so no other index
        -- of customers can look cheaper to a planner without statistics.
        SELECT c.* FROM customers c WHERE c.merchant_id = ${scope.merchantId} AND c.id = w.id OFFSET 0) c
      WHERE ${conditions} OR w.walk_n = ${last}
      ORDER BY w.k ${direction(sort)}, w.id ${direction(sort)} LIMIT ${page.limit + 1}`;
  } else {
    const walk = walkFrom(scope, page, sql`${customerColumns('c')}, c.search_tokens, c.index_key_id, c.merged_into`);
    query = sql`SELECT ${customerColumns('c')}, c.created_at AS sort_key, ${conditions} AS matched, c.walk_n
      FROM ${numbered(walk, 'created_at')} c
      WHERE ${conditions} OR c.walk_n = ${last}
      ORDER BY c.created_at ${direction(sort)}, c.id ${direction(sort)} LIMIT ${page.limit + 1}`;
  }
  const { rows } = await query.execute(db);
  const matches = rows.filter((row) => row.matched).map(({ matched: _, walk_n: __, ...row }) => listed(sort.key, row));
  if (matches.length > page.limit) return { rows: matches.slice(0, page.limit), end: undefined };
  const end = rows.find((row) => Number(row.walk_n) === page.walk);
  // No end row and room left on the page: the walk ran out before the window did.
  return { rows: matches, end: end ? listed(sort.key, end).position : null };
}

/** Where a walk of `page.walk` rows after the cursor ends; null when fewer rows are left (in inWalkPlan). */
export async function findWalkEnd(db: Executor, scope: ListScope, page: WalkPage): Promise<ListPosition | null> {
  const { sort } = scope;
  const id = walksRanks(sort.key) ? sql`r.customer_id` : sql`c.id`;
  const walk = walkFrom(
    scope,
    page,
    sql`${sortValueOutput(sort.key, sortColumn(sort.key))} AS sort_key, ${id} AS id`,
    'last',
  );
  const { rows } = await (walk as RawBuilder<{ sort_key: unknown; id: string }>).execute(db);
  const last = rows[0];
  return last ? { key: sortValue(sort.key, last.sort_key), id: last.id } : null;
}

/**
 * The matches among the ids a driver proposes, in the sort's order: the whole proposal is read
 * first (through the driver's own index), its rows by primary key, then sorted (MATERIALIZED, so
 * that no plan walks a sort index hoping to meet them). Its cost grows with the proposal's size:
 * callers use it for small ones (countDriverIds) or rare search terms. The sort key is the
 * customer's own copy of it (the triggers keep customer_ranks equal to it).
 */
export async function listDriverMatches(
  db: Executor,
  scope: ListScope,
  driver: Driver,
  page: { after?: ListPosition | undefined; limit: number },
): Promise<ListedCustomer[]> {
  const { sort } = scope;
  const column = sortColumnOfCustomer(sort.key);
  const conditions = rowConditions(scope);
  if (page.after) conditions.push(beyond(sort, column, sql`c.id`, page.after));
  const query =
    driver === 'tokens'
      ? // The subquery's OFFSET 0 already keeps every sort index out; materializing the whole rows
        // of a large proposal only to keep a page of them cost more than the scan (5 → 14 ms).
        sql<ListedRow>`SELECT ${customerColumns('c')}, ${sortValueOutput(sort.key, column)} AS sort_key
          FROM ${driverCustomers(scope, driver)} WHERE ${allOf(conditions)}
          ORDER BY ${column} ${direction(sort)}, c.id ${direction(sort)} LIMIT ${page.limit}`
      : sql<ListedRow>`WITH m AS MATERIALIZED (
          SELECT ${customerColumns('c')}, ${column} AS k FROM ${driverCustomers(scope, driver)}
          WHERE ${allOf(conditions)})
        SELECT ${customerColumns('m')}, ${sortValueOutput(sort.key, sql`m.k`)} AS sort_key FROM m
        ORDER BY m.k ${direction(sort)}, m.id ${direction(sort)} LIMIT ${page.limit}`;
  // The GIN index is read by bitmap scans only: the search's driver keeps them.
  const { rows } = await inWalkPlan(db, (trx) => query.execute(trx), driver === 'tokens' ? 'gin' : 'walk');
  return rows.map((row) => listed(sort.key, row));
}

/** How many ids a driver proposes, counting to `cap + 1` at most (reads that many index entries). */
export async function countDriverIds(db: Executor, scope: ListScope, driver: Driver, cap: number): Promise<number> {
  const { rows } = await sql<{
    n: number | string;
  }>`SELECT count(*) AS n FROM (${driverIds(scope, driver)} LIMIT ${cap + 1}) d`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

interface ListedRow extends CustomerRecord {
  sort_key: unknown;
}

function listed(key: CustomerSortKey, row: ListedRow): ListedCustomer {
  const { sort_key: sortKey, ...record } = row;
  return { ...record, position: { key: sortValue(key, sortKey), id: row.id } };
}

/** bigint comes back as a number (node-postgres, see database.ts) or a string or bigint (PGlite). */
function sortValue(key: CustomerSortKey, value: unknown): SortValue {
  if (key === 'created_at') return value as Date;
  return value === null ? null : Number(value);
}
