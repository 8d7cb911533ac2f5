import type { AppContext } from '../../context.js';
import { getBrand } from '../brands/index.js';
import { requirePermission, type Principal } from '../access/index.js';
import { findCustomerListPage } from './customer.list.js';
import type { ListPosition } from './customer.list-cursor.js';
import { parseCustomerListParams } from './customer.list-params.js';
import type { CustomerListParams } from './customer.schemas.js';

/**
 * Ids of every customer the list with these parameters shows (search included, each match
 * decrypted and checked), in batches, for bulk actions on "everything matching this view". A
 * keyset walk in the list's sort: a customer whose sort value does not change meanwhile is
 * yielded exactly once, even while the action changes or deletes the rows already yielded;
 * customers created meanwhile may or may not be. Bad parameters throw the list's 422 before the
 * first batch.
 */
export async function* matchingCustomerIds(
  ctx: AppContext,
  principal: Principal,
  params: CustomerListParams,
  batchSize = 500,
): AsyncGenerator<string[]> {
  requirePermission(principal, 'customers.read');
  const list = parseCustomerListParams(params, ctx.clock());
  const brand = await getBrand(ctx, principal.merchantId);
  let after: ListPosition | undefined;
  do {
    const page = await findCustomerListPage(ctx, principal, list, { limit: batchSize, after }, brand);
    if (page.found.length > 0) yield page.found.map(({ row }) => row.id);
    after = page.next ?? undefined;
  } while (after !== undefined);
}
