import type { AppContext } from '../../context.js';
import { getBrand } from '../brands/index.js';
import { requirePermission, type Principal } from '../access/index.js';
import { countCustomers } from './customer.repository.js';
import { countDriverMatches, countMatchingUpTo, countMatchingWithin } from './customer-count.repository.js';
import { inWalkPlan } from '../../db/walk-plan.js';
import { countDriverIds } from './customer-list.repository.js';
import { driversOf, type ListScope } from './customer-list.sql.js';
import { findCustomerListPage } from './customer.list.js';
import { DRIVER_CAP } from './customer.search-scan.js';
import { isEmptyFilter, parseCustomerListParams } from './customer.list-params.js';
import type { CustomerCountView, CustomerListParams } from './customer.schemas.js';

/**
 * cap: past this many matches the answer is "many" (null): a number that large is not read row by
 * row. timeoutMs: PostgreSQL, how long a filtered count may take before the answer is "many".
 * driverCap: a narrow filter's index is read when it holds at most this many rows.
 */
export const COUNT_LIMITS = { cap: 10_000, timeoutMs: 25, driverCap: DRIVER_CAP };
/** Drivers tried (each reads up to driverCap index entries) before counting the brand's rows. */
const DRIVERS_TRIED = 3;
/** A search is counted by running it once with a page this large: exact when it ends within. */
const SEARCH_COUNT_PAGE = 100;

/**
 * GET /customers/count: how many customers the list with these parameters shows, when that is
 * cheap to know, else null ("many"), never a slow request:
 * - no filter, no search: the maintained count (constant time);
 * - a search: exact when its matches fit one page of 100, else null (each match must be decrypted);
 * - filters: exact up to 10,000, through a narrow filter's own index when one has at most
 *   DRIVER_CAP rows, or by reading the brand's rows: a small brand whole, PostgreSQL under a time
 *   limit, PGlite (no timer signals) not at all on a large brand.
 */
export async function countCustomerList(
  ctx: AppContext,
  principal: Principal,
  params: CustomerListParams,
  limits = COUNT_LIMITS,
): Promise<CustomerCountView> {
  requirePermission(principal, 'customers.read');
  const list = parseCustomerListParams(params, ctx.clock());
  const { merchantId } = principal;
  const answer = (count: number | null): CustomerCountView => ({
    object: 'customer_count',
    count: count !== null && count <= limits.cap ? count : null,
  });
  if (list.q !== undefined) {
    const brand = await getBrand(ctx, merchantId);
    const page = await findCustomerListPage(ctx, principal, list, { limit: SEARCH_COUNT_PAGE }, brand);
    return answer(page.hasMore ? null : page.found.length);
  }
  const total = await countCustomers(ctx.db, merchantId);
  if (isEmptyFilter(list.filter)) return { object: 'customer_count', count: total };

  const scope: ListScope = { merchantId, sort: list.sort, filter: list.filter };
  if (total <= limits.cap) return answer(await countMatchingUpTo(ctx.db, scope, limits.cap));
  const narrowCount = await inWalkPlan(ctx.db, async (trx) => {
    for (const driver of driversOf(scope, true).slice(0, DRIVERS_TRIED)) {
      if ((await countDriverIds(trx, scope, driver, limits.driverCap)) <= limits.driverCap) {
        return countDriverMatches(trx, scope, driver);
      }
    }
    return undefined;
  });
  if (narrowCount !== undefined) return answer(narrowCount);
  if (ctx.databaseKind === 'pglite') return answer(null);
  return answer(await countMatchingWithin(ctx.db, scope, limits.cap, limits.timeoutMs));
}
