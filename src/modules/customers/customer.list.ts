import type { AppContext } from '../../context.js';
import { getBrand, type BrandRow } from '../brands/index.js';
import { requirePermission, type Principal } from '../access/index.js';
import { walkCustomersNewestFirst } from './customer.repository.js';
import { inScan, inWalkPlan } from '../../db/walk-plan.js';
import { readWindow, type ListedCustomer } from './customer-list.repository.js';
import type { ListScope } from './customer-list.sql.js';
import {
  isEmptyFilter,
  parseCustomerListParams,
  type CustomerFilter,
  type ParsedCustomerList,
} from './customer.list-params.js';
import { decodeListCursor, encodeListCursor, isDefaultSort, type ListPosition } from './customer.list-cursor.js';
import { CandidateScanner } from './customer.search-scan.js';
import { searchListPage, type FoundPage } from './customer.search.js';
import { customerViewsOf } from './customer.list-views.js';
import type { CustomerListQuery, CustomerListView } from './customer.schemas.js';

/**
 * GET /customers: any sort, any filters, and a search, keyset-paginated by (sort value, id).
 *
 * The guarantee while paging: a customer whose sort value does not change meanwhile is seen exactly
 * once, and customers created meanwhile never shift later pages (each lands at its own place; it
 * is seen if that place is still ahead). A customer whose sort value changes (a payment landing
 * while sorted by total spent) moves, and may be seen twice or not at all.
 */
export async function listCustomers(
  ctx: AppContext,
  principal: Principal,
  query: CustomerListQuery,
): Promise<CustomerListView> {
  requirePermission(principal, 'customers.read');
  const list = parseCustomerListParams(query, ctx.clock());
  const brand = await getBrand(ctx, principal.merchantId);
  const after = query.cursor ? decodeListCursor(query.cursor, list.sort) : undefined;
  const page = await findCustomerListPage(ctx, principal, list, { limit: query.limit, after }, brand);
  return {
    object: 'list',
    data: await customerViewsOf(ctx, principal, page.found, brand),
    has_more: page.hasMore,
    next_cursor: page.next ? encodeListCursor(list.sort, page.next) : null,
  };
}

/**
 * One page of the list's rows (not yet views): what the list, the export and bulk actions walk.
 * `ids` narrows the list to a selection (the export's).
 */
export async function findCustomerListPage(
  ctx: AppContext,
  principal: Principal,
  list: ParsedCustomerList,
  page: { limit: number; after?: ListPosition | undefined; ids?: string[] | undefined },
  brand: BrandRow,
): Promise<FoundPage> {
  const { merchantId } = principal;
  const { after } = page;
  const scope: ListScope = { merchantId, sort: list.sort, filter: list.filter, ids: page.ids };
  if (list.q !== undefined) {
    const keys = await ctx.keyring.forBrand(ctx.db, merchantId);
    return searchListPage(ctx, principal, { scope, q: list.q, limit: page.limit, after, brand, keys });
  }
  if (!page.ids && isEmptyFilter(list.filter) && isDefaultSort(list.sort)) {
    // Newest first, unfiltered: the list's first screen, as it always was.
    const rows = await walkCustomersNewestFirst(ctx.db, merchantId, {
      limit: page.limit + 1,
      after: after && { createdAt: after.key as Date, id: after.id },
    });
    return pageOf(
      rows.map((row) => ({ ...row, position: { key: row.created_at, id: row.id } })),
      page.limit,
    );
  }
  if (!page.ids && walkHoldsFilter(scope)) {
    const walk = { after, walk: page.limit + 1, limit: page.limit + 1 };
    const { rows } = await inWalkPlan(ctx.db, (trx) => readWindow(trx, scope, walk));
    return pageOf(rows, page.limit);
  }
  return scanFilteredPage(ctx, scope, after, page.limit);
}

/** A filter the sort's walk applies by itself (its index range): the walk's rows are the page. */
function walkHoldsFilter({ sort, filter }: ListScope): boolean {
  const held: Record<typeof sort.key, Array<keyof CustomerFilter>> = {
    created_at: ['createdGte', 'createdLt', ...(filter.sources?.length === 1 ? (['sources'] as const) : [])],
    total_spent: ['totalSpentGte', 'totalSpentLt'],
    transactions_count: ['hasPayments'],
    last_payment_at: ['lastPaymentGte', 'lastPaymentLt', 'lastPaymentBefore'],
  };
  return (Object.keys(filter) as Array<keyof CustomerFilter>).every((key) => held[sort.key].includes(key));
}

async function scanFilteredPage(
  ctx: AppContext,
  scope: ListScope,
  after: ListPosition | undefined,
  limit: number,
): Promise<FoundPage> {
  const rows: ListedCustomer[] = [];
  const scanner = await inScan(ctx.db, async (db) => {
    const scan = new CandidateScanner(db, scope, after, scope.ids ? 'ids' : 'window');
    while (rows.length <= limit && !scan.spent && !scan.exhausted) {
      rows.push(...(await scan.next(limit + 1 - rows.length)));
    }
    return scan;
  });
  if (rows.length > limit) return pageOf(rows, limit);
  const hasMore = !scanner.exhausted;
  return { found: rows.map((row) => ({ row })), hasMore, next: hasMore ? (scanner.cursor ?? null) : null };
}

/** A page from `limit + 1` rows in order: the extra row only says there is more. */
function pageOf(rows: ListedCustomer[], limit: number): FoundPage {
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  return { found: page.map((row) => ({ row })), hasMore, next: hasMore ? (page.at(-1)?.position ?? null) : null };
}
