import type { Executor } from '../../db/database.js';
import { executePrepared } from '../../db/prepared-client.js';
import type { CustomerTagRef } from './customer.schemas.js';

/**
 * The tags of a page of customers, in one statement, each customer's by name (the view's `tags`).
 * The tags module owns the tables' writes; customers read them here so that a list needs no call
 * across modules per page. Customers without tags are absent from the map.
 */
export async function findCustomerTagRefs(
  db: Executor,
  merchantId: string,
  customerIds: string[],
): Promise<Map<string, CustomerTagRef[]>> {
  const tags = new Map<string, CustomerTagRef[]>();
  if (customerIds.length === 0) return tags;
  const query = db
    .selectFrom('customer_tag_links as l')
    .innerJoin('customer_tags as t', (join) =>
      join.onRef('t.merchant_id', '=', 'l.merchant_id').onRef('t.id', '=', 'l.tag_id'),
    )
    .select(['l.customer_id', 't.id', 't.name', 't.color'])
    .where('l.merchant_id', '=', merchantId)
    .where('l.customer_id', 'in', [...new Set(customerIds)])
    .orderBy('t.name')
    .orderBy('t.id');
  for (const { customer_id: customerId, ...tag } of await executePrepared(db, query)) {
    const list = tags.get(customerId);
    if (list) list.push(tag);
    else tags.set(customerId, [tag]);
  }
  return tags;
}
