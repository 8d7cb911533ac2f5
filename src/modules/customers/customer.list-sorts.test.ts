import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  customersApi,
  newCustomer,
  type CustomerJson,
  type CustomerListJson,
} from '../../../test/support/customers.js';
import { createPaymentLink, paid, pay, payer } from '../../../test/support/payments.js';
import { CUSTOMER_SORTS, type CustomerSortParam } from './customer.schemas.js';

/*
 * The paging guarantee of every sort (GET /customers, OpenAPI description): a customer whose sort
 * value does not change while the list is paged is seen exactly once, in its place; customers
 * created meanwhile never shift later pages (so never make anyone repeat). A customer whose value
 * changes (a payment landing) may move: the test makes no claim about those.
 *
 * All eight sorts walk one brand side by side, a page of 3 at a time; between rounds a customer
 * is created and a payment lands. Most customers tie at 0 spent and never paid.
 */

const sortValue = (sort: CustomerSortParam, c: CustomerJson): number => {
  switch (sort.replace('-', '')) {
    case 'created_at':
      return Date.parse(c.created_at);
    case 'total_spent':
      return c.total_spent.amount;
    case 'transactions_count':
      return c.transactions_count;
    default:
      // Never paid sorts as the oldest last payment.
      return c.last_payment_at === null ? -Infinity : Date.parse(c.last_payment_at);
  }
};

function inSortOrder(sort: CustomerSortParam, customers: CustomerJson[]): string[] {
  const sign = sort.startsWith('-') ? -1 : 1;
  return [...customers]
    .sort((a, b) => {
      const [x, y] = [sortValue(sort, a), sortValue(sort, b)];
      if (x !== y) return sign * (x < y ? -1 : 1);
      return sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    })
    .map((c) => c.id);
}

describeBackends('every sort pages through ties while customers arrive and payments land (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand({ currency: 'BDT' });
  });
  afterAll(() => paydesk?.close());

  const listPage = async (query: string): Promise<CustomerListJson> => {
    const response = await customersApi(paydesk, brand.token).list(query);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<CustomerListJson>();
  };

  it('sees each customer whose sort value stays put exactly once, in order, in every sort', async () => {
    const [link, smallLink] = [
      await createPaymentLink(paydesk, brand, { amount: 150000 }),
      await createPaymentLink(paydesk, brand, { amount: 50000 }),
    ];
    const payAs = async (customer: CustomerJson, url: string) =>
      paid(await pay(paydesk, url, payer({ email: customer.email, name: customer.name })));

    const customers: CustomerJson[] = [];
    for (let i = 0; i < 9; i++) customers.push(await newCustomer(paydesk, brand));
    // Two tie at 1,500.00 spent with one payment each; one spent 1,000.00 in two; six never paid.
    await payAs(customers[0]!, link.url);
    await payAs(customers[1]!, link.url);
    await payAs(customers[2]!, smallLink.url);
    await payAs(customers[2]!, smallLink.url);
    const initial = (await listPage('limit=100')).data;
    expect(initial).toHaveLength(9);
    expect(initial.filter((c) => c.total_spent.amount === 0)).toHaveLength(6);

    const walks = new Map(CUSTOMER_SORTS.map((sort) => [sort, { seen: [] as string[], cursor: '', done: false }]));
    const changed = new Set<string>();
    const created: string[] = [];
    for (let round = 0; round < 10 && [...walks.values()].some((w) => !w.done); round++) {
      for (const [sort, walk] of walks) {
        if (walk.done) continue;
        const page = await listPage(`sort=${sort}&limit=3${walk.cursor ? `&cursor=${walk.cursor}` : ''}`);
        expect(page.data.length).toBeLessThanOrEqual(3);
        walk.seen.push(...page.data.map((c) => c.id));
        walk.done = !page.has_more;
        walk.cursor = page.next_cursor ?? '';
      }
      // Between pages: a new customer (0 spent, never paid: it lands among the ties), and a
      // payment for a customer the walks have or have not reached yet, taking turns.
      created.push((await newCustomer(paydesk, brand)).id);
      const target = initial[(round * 4 + 3) % initial.length]!;
      await payAs(target, round % 2 === 0 ? smallLink.url : link.url);
      changed.add(target.id);
    }

    const stayedPut = initial.filter((c) => !changed.has(c.id));
    expect(stayedPut.length).toBeGreaterThanOrEqual(4);
    for (const [sort, walk] of walks) {
      expect(walk.done, `${sort} ended`).toBe(true);
      const counts = new Map<string, number>();
      for (const id of walk.seen) counts.set(id, (counts.get(id) ?? 0) + 1);
      for (const c of stayedPut) expect(counts.get(c.id), `${sort}: ${c.id}`).toBe(1);
      // New customers never changed value either: at most once each.
      for (const id of created) expect(counts.get(id) ?? 0, `${sort}: new ${id}`).toBeLessThanOrEqual(1);
      const stayedPutIds = new Set(stayedPut.map((c) => c.id));
      expect(
        walk.seen.filter((id) => stayedPutIds.has(id)),
        sort,
      ).toEqual(inSortOrder(sort, stayedPut));
    }
    // Newest first and oldest first: nobody's value changes, so everyone present at the start is there once.
    for (const sort of ['-created_at', 'created_at'] as const) {
      const seen = walks.get(sort)!.seen;
      expect(seen.filter((id) => initial.some((c) => c.id === id))).toEqual(inSortOrder(sort, initial));
    }
  });

  it('orders a whole brand by each sort, ties broken by id in the same direction', async () => {
    const current = (await listPage('limit=100')).data;
    for (const sort of CUSTOMER_SORTS) {
      const ids: string[] = [];
      let cursor = '';
      for (let pages = 0; pages < 50; pages++) {
        const page = await listPage(`sort=${sort}&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        ids.push(...page.data.map((c) => c.id));
        if (!page.has_more) break;
        cursor = page.next_cursor!;
      }
      expect(ids, sort).toEqual(inSortOrder(sort, current));
    }
  });
});
