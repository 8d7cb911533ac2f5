import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  customersApi,
  expectInvalidFields,
  newCustomer,
  totalCustomers,
  type CustomerJson,
  type CustomerListJson,
} from '../../../test/support/customers.js';
import { newId } from '../../ids.js';

/** A tag and its links, written straight into the tables (the tags module's API is not this module's). */
async function tagCustomers(paydesk: TestPaydesk, brand: TestBrand, name: string, customerIds: string[]) {
  const id = newId('tag');
  await paydesk.rawQuery(
    `INSERT INTO customer_tags (merchant_id, id, name, name_key, color, created_at) VALUES ($1, $2, $3, lower($3), 'violet', now())`,
    [brand.id, id, name],
  );
  for (const customerId of customerIds) {
    await paydesk.rawQuery(
      `INSERT INTO customer_tag_links (merchant_id, tag_id, customer_id, created_at) VALUES ($1, $2, $3, now())`,
      [brand.id, id, customerId],
    );
  }
  return id;
}

describeBackends('customers list: filters, counts and tags through the API (%s)', (backend) => {
  let paydesk: TestPaydesk;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
  });
  afterAll(() => paydesk?.close());

  const get = (brand: TestBrand, url: string) => paydesk.request(brand.token, { method: 'GET', url: `/api/v1${url}` });
  const listIds = async (brand: TestBrand, query: string) => {
    const response = await get(brand, `/customers?limit=100&${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<CustomerListJson>().data.map((c) => c.id);
  };
  const countOf = async (brand: TestBrand, query = '') => {
    const response = await get(brand, `/customers/count${query ? `?${query}` : ''}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ object: string; count: number | null }>();
    expect(body.object).toBe('customer_count');
    return body.count;
  };

  it.each([
    ['sort=bogus', 'sort'],
    ['sort=total_spent_desc', 'sort'],
    ['source=nope', 'source'],
    ['source=api,nope', 'source'],
    ['source=', 'source'],
    ['has_payments=maybe', 'has_payments'],
    ['has_user=2', 'has_user'],
    ['created_gte=yesterday', 'created_gte'],
    ['created_lt=2025-02-30T00:00:00Z', 'created_lt'],
    ['last_payment_before=2026-01-01', 'last_payment_before'],
    ['last_payment_gte=soon', 'last_payment_gte'],
    ['total_spent_gte=-1', 'total_spent_gte'],
    ['total_spent_lt=1.5', 'total_spent_lt'],
    ['total_spent_gte=500&total_spent_lt=100', 'total_spent_lt'],
    ['created_gte=2026-01-02T00:00:00Z&created_lt=2026-01-01T00:00:00Z', 'created_lt'],
    ['last_payment_gte=2026-01-02T00:00:00Z&last_payment_lt=2026-01-02T00:00:00Z', 'last_payment_lt'],
    ['tag=vip', 'tag'],
    ['status=gone', 'status'],
    ['no_payment_days=0', 'no_payment_days'],
    ['no_payment_days=ninety', 'no_payment_days'],
  ])('answers 422 naming the parameter for %s, on the list, its count and its export', async (query, field) => {
    const brand = await paydesk.newBrand();
    for (const path of ['/customers', '/customers/count', '/customers/export']) {
      expectInvalidFields(await get(brand, `${path}?${query}`), [field]);
    }
  });

  it('answers 422 naming cursor for a cursor of another sort or one it never made', async () => {
    const brand = await paydesk.newBrand();
    for (let i = 0; i < 3; i++) await newCustomer(paydesk, brand);
    const page = async (query: string) => (await get(brand, `/customers?limit=1&${query}`)).json<CustomerListJson>();
    const newest = (await page('')).next_cursor!;
    const bySpend = (await page('sort=-total_spent')).next_cursor!;
    const byLastPayment = (await page('sort=last_payment_at')).next_cursor!;
    expectInvalidFields(await get(brand, `/customers?sort=-total_spent&cursor=${newest}`), ['cursor']);
    expectInvalidFields(await get(brand, `/customers?cursor=${bySpend}`), ['cursor']);
    expectInvalidFields(await get(brand, `/customers?sort=total_spent&cursor=${bySpend}`), ['cursor']);
    expectInvalidFields(await get(brand, `/customers?sort=-last_payment_at&cursor=${byLastPayment}`), ['cursor']);
    const forged = Buffer.from(JSON.stringify(['-total_spent', 'lots', 'cus_x'])).toString('base64url');
    expectInvalidFields(await get(brand, `/customers?sort=-total_spent&cursor=${forged}`), ['cursor']);
    expectInvalidFields(await get(brand, `/customers?sort=-total_spent&cursor=not-a-cursor`), ['cursor']);
    // And each continues its own sort.
    expect((await page(`sort=-total_spent&cursor=${bySpend}`)).data).toHaveLength(1);
    expect((await page(`cursor=${newest}`)).data).toHaveLength(1);
  });

  it('keeps the KPI counter equal to the live customers through creates, merges and deletes', async () => {
    const brand = await paydesk.newBrand();
    const api = customersApi(paydesk, brand.token);
    const created: CustomerJson[] = [];
    for (let i = 0; i < 5; i++) created.push(await newCustomer(paydesk, brand));
    expect(await totalCustomers(paydesk, brand)).toBe(5);
    const merged = await paydesk.request(brand.token, {
      method: 'POST',
      url: `/api/v1/customers/${created[0]!.id}/merge`,
      payload: { source_customer: created[1]!.id },
    });
    expect(merged.statusCode, merged.body).toBe(200);
    expect((await api.remove(created[2]!.id)).statusCode).toBe(204);
    await newCustomer(paydesk, brand);
    const [live] = await paydesk.rawQuery(
      'SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1 AND merged_into IS NULL',
      [brand.id],
    );
    expect(live!.n).toBe(4);
    expect(await totalCustomers(paydesk, brand)).toBe(4);
    expect(await countOf(brand)).toBe(4);
    // The merged customer is listed nowhere, whatever the sort or filter.
    for (const query of ['', 'sort=-total_spent', 'sort=last_payment_at&has_payments=false', 'source=api']) {
      const ids = await listIds(brand, query);
      expect(ids, query).toHaveLength(4);
      expect(ids).not.toContain(created[1]!.id);
    }
  });

  it('is /customers/count, not a customer id, and counts what the list shows', async () => {
    const brand = await paydesk.newBrand();
    const customers: CustomerJson[] = [];
    for (let i = 0; i < 6; i++)
      customers.push(await newCustomer(paydesk, brand, { name: `Counted ${i % 2 ? 'Odd' : 'Even'}` }));
    await paydesk.rawQuery(`UPDATE customers SET source = 'import' WHERE merchant_id = $1 AND id = ANY($2)`, [
      brand.id,
      customers.slice(0, 2).map((c) => c.id),
    ]);
    expect(await countOf(brand)).toBe(6);
    for (const query of [
      'source=import',
      'source=api',
      'source=import,api',
      'q=odd',
      'q=odd&source=import',
      'q=nobody',
    ]) {
      expect(await countOf(brand, query), query).toBe((await listIds(brand, query)).length);
    }
    expect(await countOf(brand, 'source=import')).toBe(2);
    expect(await countOf(brand, 'q=odd')).toBe(3);
  });

  it("shows each customer's tags in lists, searches and the profile, and filters by tag", async () => {
    const brand = await paydesk.newBrand();
    const other = await paydesk.newBrand();
    const [a, b, c] = [
      await newCustomer(paydesk, brand, { name: 'Tagged Alpha' }),
      await newCustomer(paydesk, brand, { name: 'Tagged Beta' }),
      await newCustomer(paydesk, brand, { name: 'Plain Gamma' }),
    ];
    const vip = await tagCustomers(paydesk, brand, 'VIP', [a.id, b.id]);
    const early = await tagCustomers(paydesk, brand, 'Early', [a.id]);
    const theirs = await tagCustomers(paydesk, other, 'VIP', []);

    const page = (await get(brand, '/customers')).json<CustomerListJson>();
    const tagsOf = (id: string) => page.data.find((x) => x.id === id)!.tags;
    expect(tagsOf(a.id)).toEqual([
      { id: early, name: 'Early', color: 'violet' },
      { id: vip, name: 'VIP', color: 'violet' },
    ]);
    expect(tagsOf(b.id)).toEqual([{ id: vip, name: 'VIP', color: 'violet' }]);
    expect(tagsOf(c.id)).toEqual([]);
    const searched = (await get(brand, '/customers?q=tagged&sort=-total_spent')).json<CustomerListJson>();
    expect(searched.data.map((x) => [x.id, x.tags.length])).toEqual(
      [
        [b.id, 1],
        [a.id, 2],
      ].sort((x, y) => (x[0]! < y[0]! ? 1 : -1)),
    );
    expect((await get(brand, `/customers/${a.id}`)).json<CustomerJson>().tags).toHaveLength(2);

    expect(await listIds(brand, `tag=${vip}`)).toEqual([b.id, a.id]);
    expect(await listIds(brand, `tag=${early}&sort=created_at`)).toEqual([a.id]);
    expect(await countOf(brand, `tag=${vip}`)).toBe(2);
    // Another brand's tag is the same as a tag that does not exist: nobody has it here.
    expect(await listIds(brand, `tag=${theirs}`)).toEqual([]);
    expect(await listIds(brand, `tag=${newId('tag')}`)).toEqual([]);
    expect(await countOf(brand, `tag=${theirs}`)).toBe(0);
  });

  it('filters by status: suspended customers only, or active ones only', async () => {
    const brand = await paydesk.newBrand();
    const [a, b] = [await newCustomer(paydesk, brand), await newCustomer(paydesk, brand)];
    await paydesk.rawQuery(
      `UPDATE customers SET suspended_at = now(), suspension_reason = 'fraudulent' WHERE merchant_id = $1 AND id = $2`,
      [brand.id, a.id],
    );
    expect(await listIds(brand, 'status=suspended')).toEqual([a.id]);
    expect(await listIds(brand, 'status=active&sort=-transactions_count')).toEqual([b.id]);
    const suspended = (await get(brand, '/customers?status=suspended')).json<CustomerListJson>().data[0]!;
    expect(suspended).toMatchObject({ status: 'suspended', suspension: { reason: 'fraudulent' } });
  });

  it('no_payment_days counts back from the request: never paid or paid before then; with has_payments, paid before only', async () => {
    const brand = await paydesk.newBrand();
    const [recent, lapsed, never] = [
      await newCustomer(paydesk, brand),
      await newCustomer(paydesk, brand),
      await newCustomer(paydesk, brand),
    ];
    const paidDaysAgo = (id: string, days: number) =>
      paydesk.rawQuery(
        `UPDATE customers SET transactions_count = 1, total_spent_minor = 100,
           last_payment_at = now() - make_interval(days => $3) WHERE merchant_id = $1 AND id = $2`,
        [brand.id, id, days],
      );
    await paidDaysAgo(recent.id, 10);
    await paidDaysAgo(lapsed.id, 100);
    expect((await listIds(brand, 'no_payment_days=30')).sort()).toEqual([lapsed.id, never.id].sort());
    expect(await listIds(brand, 'no_payment_days=30&has_payments=true')).toEqual([lapsed.id]);
    expect(await listIds(brand, 'no_payment_days=5&sort=-last_payment_at')).toEqual([recent.id, lapsed.id, never.id]);
    expect(await countOf(brand, 'no_payment_days=30')).toBe(2);
    // With a fixed bound too, both hold.
    const fixed = new Date(Date.now() - 200 * 24 * 3600 * 1000).toISOString();
    expect(await listIds(brand, `no_payment_days=30&last_payment_before=${fixed}`)).toEqual([never.id]);
  });
});
