import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { customersApi, newCustomer, totalCustomers, type CustomerListJson } from '../../../test/support/customers.js';

describeBackends('listing customers (%s)', (backend) => {
  let paydesk: TestPaydesk;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
  });
  afterAll(() => paydesk?.close());

  async function listPage(brand: TestBrand, query: string): Promise<CustomerListJson> {
    const response = await customersApi(paydesk, brand.token).list(query);
    expect(response.statusCode).toBe(200);
    return response.json<CustomerListJson>();
  }

  /** Follows next_cursor to the end; returns the ids in order. */
  async function listAll(brand: TestBrand, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page: CustomerListJson = await listPage(brand, `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(limit);
      ids.push(...page.data.map((c) => c.id));
      if (!page.has_more) {
        expect(page.next_cursor).toBeNull();
        return ids;
      }
      expect(page.next_cursor).toEqual(expect.any(String));
      cursor = page.next_cursor;
    }
    throw new Error('pagination did not end');
  }

  it('lists newest first, each row with its counts, money in the base currency and dates', async () => {
    const brand = await paydesk.newBrand({ currency: 'BDT' });
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await newCustomer(paydesk, brand, { phone: '01700000000' }));
    const page = await listPage(brand, '');
    expect(page).toEqual({ object: 'list', data: [...created].reverse(), has_more: false, next_cursor: null });
    for (const row of page.data) {
      expect(row).toMatchObject({ transactions_count: 0, total_spent: { amount: 0, currency: 'BDT' } });
      expect(Number.isNaN(Date.parse(row.created_at))).toBe(false);
    }
  });

  it('lists an empty brand as an empty page', async () => {
    const brand = await paydesk.newBrand();
    expect(await listPage(brand, '')).toEqual({ object: 'list', data: [], has_more: false, next_cursor: null });
    expect(await totalCustomers(paydesk, brand)).toBe(0);
  });

  it('pages 20 rows by default and allows up to 100', async () => {
    const brand = await paydesk.newBrand();
    for (let i = 0; i < 21; i++) await newCustomer(paydesk, brand);
    const first = await listPage(brand, '');
    expect(first.data).toHaveLength(20);
    expect(first.has_more).toBe(true);
    const all = await listPage(brand, 'limit=100');
    expect(all.data).toHaveLength(21);
    expect(all.has_more).toBe(false);
    const exact = await listPage(brand, 'limit=21');
    expect(exact).toMatchObject({ has_more: false, next_cursor: null });
  });

  it('walks every customer exactly once, in order, at any page size', async () => {
    const brand = await paydesk.newBrand();
    const created = [];
    for (let i = 0; i < 7; i++) created.push((await newCustomer(paydesk, brand)).id);
    const newestFirst = [...created].reverse();
    for (const limit of [1, 2, 3, 7, 8]) {
      expect(await listAll(brand, limit), `limit ${limit}`).toEqual(newestFirst);
    }
  });

  it('keeps its place when customers are added or deleted between pages: no duplicates, no gaps', async () => {
    const brand = await paydesk.newBrand();
    const original = [];
    for (let i = 0; i < 6; i++) original.push((await newCustomer(paydesk, brand)).id);
    const newestFirst = [...original].reverse();

    const page1 = await listPage(brand, 'limit=2');
    expect(page1.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 2));

    // New customers land before page 1; the cursor must not shift page 2 onto rows already seen.
    const added = [];
    for (let i = 0; i < 3; i++) added.push((await newCustomer(paydesk, brand)).id);
    const page2 = await listPage(brand, `limit=2&cursor=${page1.next_cursor}`);
    expect(page2.data.map((c) => c.id)).toEqual(newestFirst.slice(2, 4));

    // Deleting a row already seen must not skip one not yet seen.
    expect((await customersApi(paydesk, brand.token).remove(newestFirst[0]!)).statusCode).toBe(204);
    const page3 = await listPage(brand, `limit=2&cursor=${page2.next_cursor}`);
    expect(page3.data.map((c) => c.id)).toEqual(newestFirst.slice(4, 6));
    expect(page3).toMatchObject({ has_more: false, next_cursor: null });

    const fresh = await listAll(brand, 4);
    expect(fresh).toEqual([...added.reverse(), ...newestFirst.slice(1)]);
  });

  it('continues after a cursor whose customer was deleted', async () => {
    const brand = await paydesk.newBrand();
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await newCustomer(paydesk, brand)).id);
    const page1 = await listPage(brand, 'limit=2');
    const lastSeen = page1.data.at(-1)!.id;
    expect((await customersApi(paydesk, brand.token).remove(lastSeen)).statusCode).toBe(204);
    const page2 = await listPage(brand, `limit=2&cursor=${page1.next_cursor}`);
    expect(page2.data.map((c) => c.id)).toEqual([ids[1], ids[0]]);
  });

  it('counts customers in the stats as they come and go', async () => {
    const brand = await paydesk.newBrand();
    const api = customersApi(paydesk, brand.token);
    const stats = await api.stats();
    expect(stats.statusCode).toBe(200);
    expect(stats.json()).toEqual({ total_customers: 0 });
    const a = await newCustomer(paydesk, brand);
    await newCustomer(paydesk, brand);
    expect(await totalCustomers(paydesk, brand)).toBe(2);
    await api.remove(a.id);
    expect(await totalCustomers(paydesk, brand)).toBe(1);
  });
});
