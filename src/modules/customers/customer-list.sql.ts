import { sql, type RawBuilder } from 'kysely';
import type { CustomerFilter, CustomerSort, CustomerSortKey } from './customer.list-params.js';
import type { ListPosition, SortValue } from './customer.list-cursor.js';
import { CUSTOMER_COLUMNS } from './customer.repository.js';
import { tokenCondition, type TokenFilter } from './customer-search.repository.js';

/*
 * SQL fragments of the customers list (customer-list.repository.ts puts them together). Aliases:
 * `c` customers, `r` customer_ranks. Newest/oldest first walk customers_newest (customers_source
 * for one source); the aggregate sorts walk customer_ranks' index on their key and join customers
 * by primary key. Every sort breaks ties by id, so a position is one row.
 */

/** What one list request asks of the database: the brand's customers in one sort, filtered. */
export interface ListScope {
  merchantId: string;
  sort: CustomerSort;
  filter: CustomerFilter;
  /** A selection (the export's `ids`): only these customers. */
  ids?: string[] | undefined;
  /** A search's candidates: rows holding every token of one set (customer-search.repository.ts). */
  tokens?: TokenFilter[] | undefined;
  /** Rows already shown (a search's exact matches on page 1). */
  excludeIds?: string[] | undefined;
}

const RANK_COLUMNS = {
  total_spent: 'total_spent_minor',
  transactions_count: 'transactions_count',
  last_payment_at: 'last_payment_key',
} as const;

export const customerColumns = (alias: string) => sql.join(CUSTOMER_COLUMNS.map((c) => sql.ref(`${alias}.${c}`)));

export const walksRanks = (key: CustomerSortKey) => key !== 'created_at';

/** The walked column: c.created_at, or the rank row's key. */
export function sortColumn(key: CustomerSortKey, alias = key === 'created_at' ? 'c' : 'r'): RawBuilder<unknown> {
  return sql.ref(`${alias}.${key === 'created_at' ? 'created_at' : RANK_COLUMNS[key]}`);
}

/** The sort key as the customer row holds it (c.last_payment_at is null for never: -infinity in the ranks). */
export function sortColumnOfCustomer(key: CustomerSortKey): RawBuilder<unknown> {
  switch (key) {
    case 'created_at':
      return sql`c.created_at`;
    case 'total_spent':
      return sql`c.total_spent_minor`;
    case 'transactions_count':
      return sql`c.transactions_count`;
    case 'last_payment_at':
      return sql`COALESCE(c.last_payment_at, '-infinity'::timestamptz)`;
  }
}

export const direction = (sort: CustomerSort) => sql.raw(sort.direction === 'desc' ? 'DESC' : 'ASC');

/** A sort value as SQL of the column's type (last payment: "never" is -infinity). */
export function sortValueSql(key: CustomerSortKey, value: SortValue): RawBuilder<unknown> {
  switch (key) {
    case 'created_at':
      return sql`${value as Date}::timestamptz`;
    case 'total_spent':
      return sql`${value as number}::bigint`;
    case 'transactions_count':
      return sql`${value as number}::int`;
    case 'last_payment_at':
      return value === null ? sql`'-infinity'::timestamptz` : sql`${microsToIso(value as number)}::timestamptz`;
  }
}

/** The walked column as a SortValue: last payment in microseconds (exact), null for -infinity. */
export function sortValueOutput(key: CustomerSortKey, column: RawBuilder<unknown>): RawBuilder<unknown> {
  return key === 'last_payment_at'
    ? sql`CASE WHEN ${column} = '-infinity' THEN NULL ELSE (extract(epoch FROM ${column}) * 1000000)::bigint END`
    : column;
}

/** Rows after `position` in the sort's order. */
export function beyond(
  sort: CustomerSort,
  column: RawBuilder<unknown>,
  idColumn: RawBuilder<unknown>,
  position: ListPosition,
): RawBuilder<boolean> {
  const operator = sql.raw(sort.direction === 'desc' ? '<' : '>');
  return sql<boolean>`(${column}, ${idColumn}) ${operator} (${sortValueSql(sort.key, position.key)}, ${position.id})`;
}

/**
 * The filter's conditions on the walked column itself, so the walk's index range starts and stops
 * where the filter does (newest first within a creation range, say) instead of reading past.
 */
export function sortKeyBounds(
  key: CustomerSortKey,
  column: RawBuilder<unknown>,
  f: CustomerFilter,
): RawBuilder<boolean>[] {
  const on: RawBuilder<boolean>[] = [];
  const at = (value: Date) => sql`${value}::timestamptz`;
  switch (key) {
    case 'created_at':
      if (f.createdGte) on.push(sql`${column} >= ${at(f.createdGte)}`);
      if (f.createdLt) on.push(sql`${column} < ${at(f.createdLt)}`);
      break;
    case 'total_spent':
      if (f.totalSpentGte !== undefined) on.push(sql`${column} >= ${f.totalSpentGte}::bigint`);
      if (f.totalSpentLt !== undefined) on.push(sql`${column} < ${f.totalSpentLt}::bigint`);
      break;
    case 'transactions_count':
      if (f.hasPayments !== undefined) on.push(f.hasPayments ? sql`${column} > 0` : sql`${column} = 0`);
      break;
    case 'last_payment_at':
      if (f.lastPaymentGte) on.push(sql`${column} >= ${at(f.lastPaymentGte)}`);
      if (f.lastPaymentLt) on.push(sql`${column} < ${at(f.lastPaymentLt)}`, sql`${column} > '-infinity'`);
      if (f.lastPaymentBefore) on.push(sql`${column} < ${at(f.lastPaymentBefore)}`);
      break;
  }
  return on;
}

/** Everything a listed row must satisfy, on `c` (a customers row or the walk's copy of one). */
export function rowConditions(scope: ListScope): RawBuilder<boolean>[] {
  const f = scope.filter;
  const at = (value: Date) => sql`${value}::timestamptz`;
  const on: RawBuilder<boolean>[] = [sql`c.merged_into IS NULL`];
  if (f.sources) on.push(sql`c.source IN (${sql.join(f.sources)})`);
  if (f.createdGte) on.push(sql`c.created_at >= ${at(f.createdGte)}`);
  if (f.createdLt) on.push(sql`c.created_at < ${at(f.createdLt)}`);
  if (f.lastPaymentGte) on.push(sql`c.last_payment_at >= ${at(f.lastPaymentGte)}`);
  if (f.lastPaymentLt) on.push(sql`c.last_payment_at < ${at(f.lastPaymentLt)}`);
  if (f.lastPaymentBefore) on.push(sql`(c.last_payment_at IS NULL OR c.last_payment_at < ${at(f.lastPaymentBefore)})`);
  if (f.totalSpentGte !== undefined) on.push(sql`c.total_spent_minor >= ${f.totalSpentGte}::bigint`);
  if (f.totalSpentLt !== undefined) on.push(sql`c.total_spent_minor < ${f.totalSpentLt}::bigint`);
  if (f.hasPayments !== undefined)
    on.push(f.hasPayments ? sql`c.transactions_count > 0` : sql`c.transactions_count = 0`);
  if (f.hasUser !== undefined) on.push(f.hasUser ? sql`c.user_id IS NOT NULL` : sql`c.user_id IS NULL`);
  if (f.status) on.push(f.status === 'suspended' ? sql`c.suspended_at IS NOT NULL` : sql`c.suspended_at IS NULL`);
  if (f.tagId) {
    // OFFSET 0: a lookup per row by the links' primary key, never a join reading all of a tag's links.
    on.push(sql`EXISTS (SELECT 1 FROM customer_tag_links l
      WHERE l.merchant_id = c.merchant_id AND l.tag_id = ${f.tagId} AND l.customer_id = c.id OFFSET 0)`);
  }
  if (scope.ids) on.push(sql`c.id = ANY(${scope.ids}::text[])`);
  // Unqualified: of the joined relations only customers has the token columns.
  if (scope.tokens) on.push(tokenCondition(scope.tokens));
  if (scope.excludeIds && scope.excludeIds.length > 0) on.push(sql`c.id <> ALL(${scope.excludeIds}::text[])`);
  return on;
}

export const allOf = (conditions: RawBuilder<boolean>[]) =>
  conditions.length > 0 ? sql<boolean>`${sql.join(conditions, sql` AND `)}` : sql<boolean>`true`;

/**
 * A smaller set to start from than the sort's walk, when a condition picks few rows: ids that
 * satisfy one condition, read through its own index. Each is only a proposal; the row conditions
 * still apply.
 */
export type Driver =
  'ids' | 'tag' | 'suspended' | 'user' | 'source' | 'created' | 'total_spent' | 'last_payment' | 'paid' | 'tokens';

/**
 * The drivers a scope has, most selective first by nature. A list walks its sort's own key instead
 * of driving by it; a count (`unsorted`) has no walk.
 */
export function driversOf(scope: ListScope, unsorted = false): Driver[] {
  const f = scope.filter;
  const key = unsorted ? undefined : scope.sort.key;
  const drivers: Driver[] = [];
  if (scope.ids) drivers.push('ids');
  if (f.tagId) drivers.push('tag');
  if (f.status === 'suspended') drivers.push('suspended');
  if (f.hasUser === true) drivers.push('user');
  if (f.sources && !(key === 'created_at' && f.sources.length === 1)) drivers.push('source');
  if (key !== 'created_at' && (f.createdGte || f.createdLt)) drivers.push('created');
  if (key !== 'last_payment_at' && (f.lastPaymentGte || f.lastPaymentLt)) drivers.push('last_payment');
  if (key !== 'total_spent' && (f.totalSpentGte !== undefined || f.totalSpentLt !== undefined))
    drivers.push('total_spent');
  if (key !== 'transactions_count' && f.hasPayments === true) drivers.push('paid');
  return drivers;
}

/** `SELECT <id> AS id …`: the ids one driver proposes (run in inWalkPlan, but for 'tokens'). */
export function driverIds(scope: ListScope, driver: Driver): RawBuilder<{ id: string }> {
  const m = scope.merchantId;
  const f = scope.filter;
  const at = (value: Date) => sql`${value}::timestamptz`;
  const range = (
    column: RawBuilder<unknown>,
    gte: RawBuilder<unknown> | undefined,
    lt: RawBuilder<unknown> | undefined,
  ) => allOf([...(gte ? [sql<boolean>`${column} >= ${gte}`] : []), ...(lt ? [sql<boolean>`${column} < ${lt}`] : [])]);
  switch (driver) {
    case 'ids':
      return sql`SELECT DISTINCT unnest(${scope.ids ?? []}::text[]) AS id`;
    case 'tag':
      return sql`SELECT customer_id AS id FROM customer_tag_links WHERE merchant_id = ${m} AND tag_id = ${f.tagId}`;
    case 'suspended':
      return sql`SELECT id FROM customers WHERE merchant_id = ${m} AND suspended_at IS NOT NULL`;
    case 'user':
      return sql`SELECT id FROM customers WHERE merchant_id = ${m} AND user_id IS NOT NULL`;
    case 'source':
      return sql`SELECT id FROM customers WHERE merchant_id = ${m} AND source IN (${sql.join(f.sources ?? [])})`;
    case 'created':
      return sql`SELECT id FROM customers WHERE merchant_id = ${m}
        AND ${range(sql`created_at`, f.createdGte && at(f.createdGte), f.createdLt && at(f.createdLt))}`;
    case 'last_payment':
      return sql`SELECT customer_id AS id FROM customer_ranks WHERE merchant_id = ${m} AND last_payment_key > '-infinity'
        AND ${range(sql`last_payment_key`, f.lastPaymentGte && at(f.lastPaymentGte), f.lastPaymentLt && at(f.lastPaymentLt))}`;
    case 'total_spent': {
      const bound = (n: number | undefined) => (n === undefined ? undefined : sql`${n}::bigint`);
      return sql`SELECT customer_id AS id FROM customer_ranks WHERE merchant_id = ${m}
        AND ${range(sql`total_spent_minor`, bound(f.totalSpentGte), bound(f.totalSpentLt))}`;
    }
    case 'paid':
      return sql`SELECT customer_id AS id FROM customer_ranks WHERE merchant_id = ${m} AND transactions_count > 0`;
    case 'tokens':
      return sql`SELECT id FROM ${tokenMatches(scope)}`;
  }
}

/**
 * The customers holding the search's tokens, read whole by the GIN index's bitmap scan. Only the
 * GIN index can serve this: merchant_id and index_key_id are written so that no btree matches
 * them, or a planner without statistics walks the whole brand through customers_index_key. The
 * tokens are the brand's own (brand-keyed), and the row conditions check the brand and index key
 * again.
 */
function tokenMatches(scope: ListScope): RawBuilder<unknown> {
  return sql`customers WHERE ${tokenCondition(scope.tokens ?? [], 'gin only')} AND merchant_id || '' = ${scope.merchantId}`;
}

/**
 * The customers a driver proposes, each read by primary key (the search's GIN driver excepted):
 * `OFFSET 0` keeps the lookup a subquery of its own, so the filter cannot make another index of
 * customers look cheaper.
 */
export function driverCustomers(scope: ListScope, driver: Driver): RawBuilder<unknown> {
  // The bitmap scan already read each row: looking it up again by primary key doubled the cost
  // (a 4-digit piece of 2,300 matches at 1M customers: 25 → 5 ms).
  if (driver === 'tokens') return sql`(SELECT * FROM ${tokenMatches(scope)} OFFSET 0) c`;
  return sql`(${driverIds(scope, driver)}) d CROSS JOIN LATERAL (
    SELECT c.* FROM customers c WHERE c.merchant_id = ${scope.merchantId} AND c.id = d.id OFFSET 0) c`;
}

/** Microseconds since the epoch as an exact ISO timestamp (a Date holds milliseconds only). */
export function microsToIso(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const rest = micros - ms * 1000;
  return `${new Date(ms).toISOString().slice(0, 23)}${String(rest).padStart(3, '0')}Z`;
}
