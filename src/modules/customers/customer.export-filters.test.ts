import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  expectInvalidFields,
  newCustomer,
  type CustomerJson,
  type CustomerListJson,
} from '../../../test/support/customers.js';
import { newId } from '../../ids.js';
import { MAX_EXPORT_IDS } from './customer.export.js';

/** The export takes the list's sort and filters (the same rows in the same order) or a selection of ids. */
describeBackends('customers CSV export with the list’s parameters (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let customers: CustomerJson[];
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand();
    customers = [];
    for (let i = 0; i < 7; i++)
      customers.push(await newCustomer(paydesk, brand, { name: `Export ${i % 2 ? 'Odd' : 'Even'} ${i}` }));
    // Spending and sources written straight in (payments are not what this test is about).
    for (const [i, c] of customers.entries()) {
      await paydesk.rawQuery(
        `UPDATE customers SET total_spent_minor = $3, transactions_count = $4, source = $5 WHERE merchant_id = $1 AND id = $2`,
        [brand.id, c.id, (i % 3) * 1000, i % 3, i < 4 ? 'checkout' : 'import'],
      );
    }
  });
  afterAll(() => paydesk?.close());

  const get = (url: string) => paydesk.request(brand.token, { method: 'GET', url: `/api/v1${url}` });
  const exportedIds = async (query: string) => {
    const response = await get(`/customers/export?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    const [, ...rows] = parse(response.body) as string[][];
    return rows.map((cells) => cells[0]!);
  };
  const listedIds = async (query: string) =>
    (await get(`/customers?limit=100&${query}`)).json<CustomerListJson>().data.map((c) => c.id);

  it('exports the rows the list shows, in its order, for any sort, filter and search', async () => {
    for (const query of [
      'sort=-total_spent',
      'sort=transactions_count&source=checkout',
      'sort=last_payment_at&total_spent_gte=1000',
      'source=import&q=odd',
      'sort=-total_spent&q=even&has_payments=true',
      'created_gte=2020-01-01T00:00:00Z',
    ]) {
      const exported = await exportedIds(query);
      expect(exported.length, query).toBeGreaterThan(0);
      expect(exported, query).toEqual(await listedIds(query));
    }
  });

  it('exports a selection of ids: only those, another brand’s and unknown ones left out, filters still applied', async () => {
    const other = await newCustomer(paydesk, await paydesk.newBrand());
    const chosen = [customers[0]!.id, customers[5]!.id, customers[3]!.id];
    const ids = [...chosen, other.id, newId('cus')].join(',');
    expect(await exportedIds(`ids=${ids}`)).toEqual([customers[5]!.id, customers[3]!.id, customers[0]!.id]);
    expect(await exportedIds(`ids=${ids}&sort=created_at`)).toEqual([
      customers[0]!.id,
      customers[3]!.id,
      customers[5]!.id,
    ]);
    expect(await exportedIds(`ids=${ids}&source=checkout`)).toEqual([customers[3]!.id, customers[0]!.id]);
    const [audit] = await paydesk.rawQuery(
      `SELECT details FROM audit_events WHERE merchant_id = $1 AND action = 'customers.export' ORDER BY occurred_at DESC LIMIT 1`,
      [brand.id],
    );
    const details = typeof audit!.details === 'string' ? JSON.parse(audit!.details) : audit!.details;
    expect(details).toMatchObject({ masked: false, filtered: true, selected: 5 });
  });

  it('names ids that are not customer ids, or too many of them', async () => {
    expectInvalidFields(await get('/customers/export?ids=nope'), ['ids']);
    expectInvalidFields(await get(`/customers/export?ids=${customers[0]!.id},`), ['ids']);
    const many = Array.from({ length: MAX_EXPORT_IDS + 1 }, () => newId('cus')).join(',');
    expectInvalidFields(await get(`/customers/export?ids=${many}`), ['ids']);
    expectInvalidFields(await get('/customers/export?ids=nope&source=nope'), ['ids', 'source']);
  });
});
