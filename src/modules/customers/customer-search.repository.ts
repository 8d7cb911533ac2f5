import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { PageCursor } from '../../db/keyset.js';
import { CUSTOMER_COLUMNS, type CustomerRecord } from './customer.repository.js';

/** Token sets under one index key: a row is a candidate when it holds every token of one set. */
export interface TokenFilter {
  indexKeyId: number;
  tokenSets: number[][];
}

export interface CandidatePage {
  limit: number;
  after?: PageCursor | undefined;
  excludeIds: string[];
}

/**
 * `@>` on int4[] is intarray's operator (the extension rebinds it), which the gin__int_ops index
 * serves. Token values are integers computed by the server, so they are inlined as literals: the
 * planner then sees the real values.
 */
function tokenCondition(filters: TokenFilter[]): RawBuilder<boolean> {
  const alternatives = filters.flatMap((filter) =>
    filter.tokenSets.map(
      (tokens) =>
        sql`(index_key_id = ${sql.lit(filter.indexKeyId)} AND search_tokens @> ${sql.lit(`{${tokens.join(',')}}`)}::int4[])`,
    ),
  );
  return sql<boolean>`(${sql.join(alternatives, sql` OR `)})`;
}

/**
 * Plan for rare terms: the GIN index finds every row holding the tokens, which are then sorted
 * newest first. Cost grows with the number of matching rows in the whole brand.
 */
export async function listTokenMatches(
  db: Executor,
  merchantId: string,
  filters: TokenFilter[],
  page: CandidatePage,
): Promise<CustomerRecord[]> {
  let query = db
    .selectFrom('customers')
    .select(CUSTOMER_COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('merged_into', 'is', null)
    .where(tokenCondition(filters));
  if (page.after) {
    const { createdAt, id } = page.after;
    query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(createdAt, id)));
  }
  if (page.excludeIds.length > 0) query = query.where('id', 'not in', page.excludeIds);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}

/**
 * Plan for common terms: walk the `window` newest rows (after the cursor) by the created_at index
 * and keep those holding the tokens. Cost grows with the window, not with the brand. Returns the
 * matches and where the window ends (null when it reaches the oldest row). The window's end is
 * fixed first and both bounds go into the scan, so rows inserted or deleted meanwhile can neither
 * repeat a row nor skip one; the inner LIMIT keeps the planner on the index walk.
 */
export async function listTokenMatchesInWindow(
  db: Executor,
  merchantId: string,
  filters: TokenFilter[],
  page: CandidatePage & { window: number },
): Promise<{ rows: CustomerRecord[]; windowEnd: PageCursor | null }> {
  const newest = () => {
    let query = db.selectFrom('customers').where('merchant_id', '=', merchantId);
    if (page.after) {
      const { createdAt, id } = page.after;
      query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(createdAt, id)));
    }
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc');
  };
  const end = await newest()
    .select(['created_at', 'id'])
    .offset(page.window - 1)
    .limit(1)
    .executeTakeFirst();
  let window = newest().select([...CUSTOMER_COLUMNS, 'search_tokens', 'index_key_id', 'merged_into']);
  if (end) window = window.where((eb) => eb(eb.refTuple('created_at', 'id'), '>=', eb.tuple(end.created_at, end.id)));
  let matches = db
    .selectFrom(window.limit(page.window).as('w'))
    .select(CUSTOMER_COLUMNS)
    .where('merged_into', 'is', null)
    .where(tokenCondition(filters));
  if (page.excludeIds.length > 0) matches = matches.where('id', 'not in', page.excludeIds);
  const rows = await matches.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
  return { rows, windowEnd: end ? { createdAt: end.created_at, id: end.id } : null };
}
