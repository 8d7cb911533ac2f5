import { sql, type SelectQueryBuilder } from 'kysely';

/** Where a newest-first page ended: the last row's creation time and id (keyset pagination). */
export interface PageCursor {
  createdAt: Date;
  id: string;
}

/**
 * A newest-first keyset page of a brand-owned table (every list endpoint): rows after the cursor,
 * by (created_at, id) descending, which each table's `<table>_newest` index serves.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table, any selection: the helper only adds where/order/limit
export function newestFirstPage<QB extends SelectQueryBuilder<any, any, any>>(
  query: QB,
  page: { limit: number; after?: PageCursor | undefined },
): QB {
  const after = page.after;
  const filtered = after ? query.where(sql<boolean>`(created_at, id) < (${after.createdAt}, ${after.id})`) : query;
  return filtered
    .orderBy(sql`created_at`, 'desc')
    .orderBy(sql`id`, 'desc')
    .limit(page.limit) as QB;
}
