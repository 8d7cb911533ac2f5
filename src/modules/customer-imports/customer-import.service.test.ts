import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  customersApi,
  newCustomer,
  type CustomerJson,
  type CustomerListJson,
} from '../../../test/support/customers.js';
import { type DomainError } from '../../errors.js';
import type { Principal } from '../access/index.js';
import { prepareImport, type ImportRequest } from './customer-import.service.js';
import type { CustomerImportView } from './customer-import.schemas.js';

const csv = (...lines: string[]) => Buffer.from(lines.join('\n') + '\n');

// Imports through the service, as the CLI and the upload both do; what they leave is checked in the database.
describeBackends('customer CSV import (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;

  const owner = (b: TestBrand): Principal => ({
    merchantId: b.id,
    role: 'owner',
    actor: { type: 'system', id: 'test' },
  });
  async function importFile(b: TestBrand, bytes: Buffer, request: ImportRequest = {}): Promise<CustomerImportView> {
    const prepared = await prepareImport(pd.ctx, owner(b), () => [bytes], request, {});
    return prepared.run({ batchSize: 2 });
  }
  async function counts(b: TestBrand) {
    const [row] = await pd.rawQuery(
      `SELECT (SELECT count(*) FROM customers WHERE merchant_id = $1) AS customers,
              (SELECT count(*) FROM customer_events WHERE merchant_id = $1) AS events`,
      [b.id],
    );
    return { customers: Number(row!.customers), events: Number(row!.events) };
  }
  async function customers(b: TestBrand): Promise<CustomerJson[]> {
    const response = await customersApi(pd, b.token).list('limit=100');
    return response.json<CustomerListJson>().data;
  }
  const byEmail = async (b: TestBrand, email: string) => (await customers(b)).find((c) => c.email === email);

  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
  });
  afterAll(() => pd.close());

  const withBadRows = csv(
    'name,email,phone,metadata.crm_id',
    'Ada Lovelace,ada@example.com,01711000001,C-1',
    'No Email,,01711000002,C-2',
    'Bad Phone,bad.phone@example.com,12,C-3',
    'Grace Hopper,grace@example.com,,C-4',
    ',nameless@example.com,,',
  );

  it('all-or-nothing: a file with bad rows leaves nothing behind (no customer, no event) and reports every bad row', async () => {
    brand = await pd.newBrand();
    const before = await counts(brand);
    const job = await importFile(brand, withBadRows, { mode: 'all_or_nothing' });
    expect(job).toMatchObject({ status: 'failed', imported: 0, updated: 0, failed: 3, rows_total: 5, rows_done: 5 });
    expect(job.error).toMatch(/3 rows are invalid, so nothing was imported/);
    expect(job.problems).toEqual([
      { line: 3, status: 'failed', field: 'email', reason: 'is required', customer: null },
      {
        line: 4,
        status: 'failed',
        field: 'phone',
        reason: expect.stringMatching(/not a valid phone number/),
        customer: null,
      },
      { line: 6, status: 'failed', field: 'name', reason: 'is required', customer: null },
    ]);
    expect(await counts(brand)).toEqual(before);

    // The bad row comes after a batch was already written (batches of 2): that batch is rolled back.
    const lateBadRow = csv(
      'name,email',
      'One,one@example.com',
      'Two,two@example.com',
      'Three,three@example.com',
      'Bad,bad',
    );
    const late = await importFile(brand, lateBadRow, { mode: 'all_or_nothing' });
    expect(late).toMatchObject({ status: 'failed', imported: 0, failed: 1, rows_done: 4 });
    expect(await counts(brand)).toEqual(before);
  });

  it('skip-invalid: the good rows are imported (source import, metadata, a created event each); the bad ones reported', async () => {
    const b = await pd.newBrand();
    const job = await importFile(b, withBadRows, { mode: 'skip_invalid' });
    expect(job).toMatchObject({ status: 'succeeded', imported: 2, failed: 3, skipped: 0 });
    expect(await counts(b)).toEqual({ customers: 2, events: 2 });
    const ada = await byEmail(b, 'ada@example.com');
    expect(ada).toMatchObject({
      name: 'Ada Lovelace',
      phone: '+8801711000001',
      source: 'import',
      metadata: { crm_id: 'C-1' },
    });
    const [event] = await pd.rawQuery(
      `SELECT type, refs FROM customer_events WHERE merchant_id = $1 AND customer_id = $2`,
      [b.id, ada!.id],
    );
    expect(event).toMatchObject({ type: 'customer.created', refs: { source: 'import', import: job.id } });
    // Audited with counts and options, nothing from the file.
    const [audit] = await pd.rawQuery(
      `SELECT details::text AS details FROM audit_events WHERE merchant_id = $1 AND action = 'customers.import'`,
      [b.id],
    );
    expect(JSON.parse(String(audit!.details))).toMatchObject({ mode: 'skip_invalid', imported: 2, failed: 3 });
    expect(String(audit!.details)).not.toMatch(/ada|grace|01711/i);
  });

  it('skip-invalid over many batches (two written at once on PostgreSQL): every row once, each batch reported', async () => {
    const b = await pd.newBrand();
    const lines = Array.from({ length: 41 }, (_, i) =>
      i === 17 ? `Bad ${i},not-an-email,,` : `Person ${i},person${i}@example.com,,`,
    );
    const prepared = await prepareImport(pd.ctx, owner(b), () => [csv('name,email,phone,tag', ...lines)], {
      mode: 'skip_invalid',
    });
    const seen: number[] = [];
    const job = await prepared.run({ batchSize: 3, onProgress: (t) => seen.push(t.rows_done) });
    expect(job).toMatchObject({ status: 'succeeded', rows_done: 41, imported: 40, failed: 1 });
    // 14 batches of 3 (the last of 2), each reported once its transaction committed.
    expect(seen).toHaveLength(14);
    expect(seen.at(-1)).toBe(41);
    expect(await counts(b)).toEqual({ customers: 40, events: 40 });
    const [stored] = await pd.rawQuery(`SELECT rows_done, imported FROM customer_imports WHERE merchant_id = $1`, [
      b.id,
    ]);
    expect(stored).toMatchObject({ rows_done: 41, imported: 40 });
  });

  it('reads BOM, CRLF and quoted cells with commas and line breaks; line numbers are where records start', async () => {
    const b = await pd.newBrand();
    const text =
      '\ufeffName,Email,metadata.note\r\n' +
      '"Lovelace, Ada",ada@example.com,"two\r\nlines"\r\n' +
      '"Bad\r\nRow",not-an-email,\r\n' +
      'Grace Hopper,GRACE@example.com,"says ""hi"""\r\n';
    const job = await importFile(b, Buffer.from(text), { mode: 'skip_invalid' });
    expect(job).toMatchObject({
      imported: 2,
      failed: 1,
      mapping: { Name: 'name', Email: 'email', 'metadata.note': 'metadata.note' },
    });
    expect(job.problems).toEqual([
      { line: 4, status: 'failed', field: 'email', reason: 'is not a valid email address', customer: null },
    ]);
    expect(await byEmail(b, 'ada@example.com')).toMatchObject({
      name: 'Lovelace, Ada',
      metadata: { note: 'two\r\nlines' },
    });
    expect(await byEmail(b, 'grace@example.com')).toMatchObject({ metadata: { note: 'says "hi"' } });
  });

  it('imports a Shopify-style and a Stripe-style export as they come, reporting the columns it does not use', async () => {
    const b = await pd.newBrand();
    const shopify = await importFile(
      b,
      csv(
        'First Name,Last Name,Email,Accepts Email Marketing,Default Address Phone,Phone,Total Spent',
        'Karim,Khan,karim@example.com,yes,+8801711000010,,10.00',
        'Rina,,rina@example.com,no,,01811000011,0',
      ),
    );
    expect(shopify).toMatchObject({
      status: 'succeeded',
      imported: 2,
      unknown_columns: ['Accepts Email Marketing', 'Total Spent'],
    });
    expect(await byEmail(b, 'karim@example.com')).toMatchObject({ name: 'Karim Khan', phone: '+8801711000010' });
    expect(await byEmail(b, 'rina@example.com')).toMatchObject({ name: 'Rina', phone: '+8801811000011' });

    const stripe = await importFile(
      b,
      csv(
        'id,Description,Email,Name,Phone,Created (UTC),crm (metadata)',
        'cus_PqR1,VIP,stripe.one@example.com,Stripe One,+14155550100,2024-01-01 10:00,C-9',
      ),
    );
    expect(stripe).toMatchObject({ imported: 1, unknown_columns: ['Description', 'Created (UTC)'] });
    expect(await byEmail(b, 'stripe.one@example.com')).toMatchObject({
      phone: '+14155550100',
      metadata: { stripe_id: 'cus_PqR1', crm: 'C-9' },
    });
  });

  it('re-importing the same file makes no duplicate; duplicates inside the file are reported against the first line', async () => {
    const b = await pd.newBrand();
    const file = csv(
      'name,email',
      'One,one@example.com',
      'Two,two@example.com',
      'One Again,ONE@example.com',
      'Three,three@example.com',
    );
    const first = await importFile(b, file, { mode: 'skip_invalid' });
    expect(first).toMatchObject({ imported: 3, skipped: 1 });
    expect(first.problems).toEqual([
      { line: 4, status: 'skipped', field: 'email', reason: 'same email as line 2', customer: null },
    ]);
    const again = await importFile(b, file, { mode: 'all_or_nothing' });
    expect(again).toMatchObject({ status: 'succeeded', imported: 0, skipped: 4 });
    expect(again.problems[0]).toMatchObject({ line: 2, status: 'skipped', reason: 'already a customer of the brand' });
    expect((await counts(b)).customers).toBe(3);
  });

  it('a batch large enough for the worker threads seals rows that decrypt, search, match by email and phone', async () => {
    const b = await pd.newBrand();
    const lines = Array.from(
      { length: 450 },
      (_, i) => `Pooled Person ${i},pooled${i}@example.com,0171${String(i).padStart(7, '0')}`,
    );
    const file = csv('name,email,phone', ...lines);
    const prepared = await prepareImport(pd.ctx, owner(b), () => [file], { mode: 'skip_invalid' }, {});
    expect(await prepared.run({ batchSize: 450 })).toMatchObject({ imported: 450, failed: 0 });

    const api = customersApi(pd, b.token);
    const found = (await api.list(`q=${encodeURIComponent('pooled417@')}`)).json<CustomerListJson>().data;
    expect(found.map((c) => [c.name, c.email, c.phone])).toEqual([
      ['Pooled Person 417', 'pooled417@example.com', '+8801710000417'],
    ]);
    const byPhone = (await api.list('q=01710000233')).json<CustomerListJson>().data;
    expect(byPhone.map((c) => c.name)).toEqual(['Pooled Person 233']);
    // The email blind index came back from the worker intact: the same file again matches everyone.
    const again = await prepareImport(pd.ctx, owner(b), () => [file], { mode: 'skip_invalid' }, {});
    expect(await again.run({ batchSize: 450 })).toMatchObject({ imported: 0, skipped: 450 });
  });

  it('update_existing updates name and phone and merges metadata; unchanged rows are skipped', async () => {
    const b = await pd.newBrand();
    const existing = await newCustomer(pd, b, {
      name: 'Old Name',
      email: 'keep@example.com',
      metadata: { tier: 'gold', crm_id: 'A' },
    });
    const job = await importFile(
      b,
      csv('name,email,phone,metadata.crm_id', 'New Name,keep@example.com,01711000020,B', 'Fresh,fresh@example.com,,'),
      { update_existing: true },
    );
    expect(job).toMatchObject({ status: 'succeeded', imported: 1, updated: 1 });
    expect(job.problems).toEqual([
      {
        line: 2,
        status: 'updated',
        field: 'name phone metadata',
        reason: 'updated name, phone, metadata',
        customer: existing.id,
      },
    ]);
    expect(await byEmail(b, 'keep@example.com')).toMatchObject({
      id: existing.id,
      name: 'New Name',
      phone: '+8801711000020',
      metadata: { tier: 'gold', crm_id: 'B' },
    });
    const [event] = await pd.rawQuery(
      `SELECT refs FROM customer_events WHERE merchant_id = $1 AND customer_id = $2 AND type = 'customer.updated'`,
      [b.id, existing.id],
    );
    expect(event!.refs).toMatchObject({ fields: ['name', 'phone', 'metadata'], import: job.id });
    const again = await importFile(b, csv('name,email', 'New Name,keep@example.com'), { update_existing: true });
    expect(again).toMatchObject({ updated: 0, skipped: 1 });
    expect(again.problems[0]).toMatchObject({ reason: 'already up to date', customer: existing.id });
  });

  it("never matches another brand's customer: the same email in brand B is a new customer there", async () => {
    const a = await pd.newBrand({ name: 'A' });
    const b = await pd.newBrand({ name: 'B' });
    const inA = await newCustomer(pd, a, { name: 'In A', email: 'shared@example.com' });
    const job = await importFile(b, csv('name,email', 'In B,shared@example.com'), { update_existing: true });
    expect(job).toMatchObject({ imported: 1, updated: 0, skipped: 0 });
    expect(await byEmail(a, 'shared@example.com')).toMatchObject({ id: inA.id, name: 'In A' });
    expect((await byEmail(b, 'shared@example.com'))!.id).not.toBe(inA.id);
  });

  it('a dry run checks and counts but writes no customer', async () => {
    const b = await pd.newBrand();
    const job = await importFile(b, csv('name,email', 'Dry,dry@example.com', 'Bad,bad'), {
      dry_run: true,
      mode: 'skip_invalid',
    });
    expect(job).toMatchObject({ status: 'succeeded', dry_run: true, imported: 1, failed: 1 });
    expect(await counts(b)).toEqual({ customers: 0, events: 0 });
  });

  it('refuses a file that is not UTF-8 or not CSV before creating a job', async () => {
    const b = await pd.newBrand();
    const refusedWith = async (bytes: Buffer) => {
      try {
        await prepareImport(pd.ctx, owner(b), () => [bytes], {});
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('accepted');
    };
    expect(await refusedWith(Buffer.from('name,email\nRené,rene@example.com\n', 'latin1'))).toMatchObject({
      code: 'invalid_csv',
      message: expect.stringMatching(/not valid UTF-8/),
    });
    expect(await refusedWith(Buffer.from('name,email\n"Ada,ada@example.com\n'))).toMatchObject({ code: 'invalid_csv' });
    expect(await refusedWith(Buffer.from(''))).toMatchObject({
      code: 'invalid_csv',
      message: expect.stringMatching(/empty/),
    });
    const [row] = await pd.rawQuery(`SELECT count(*) AS n FROM customer_imports WHERE merchant_id = $1`, [b.id]);
    expect(Number(row!.n)).toBe(0);
  });

  it('a support role may not import; update_existing needs customers.edit', async () => {
    const b = await pd.newBrand();
    const as = (role: Principal['role']): Principal => ({
      merchantId: b.id,
      role,
      actor: { type: 'system', id: 'test' },
    });
    const open = () => [csv('name,email', 'X,x@example.com')];
    await expect(prepareImport(pd.ctx, as('support'), open, {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(prepareImport(pd.ctx, as('viewer'), open, {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(prepareImport(pd.ctx, as('manager'), open, { update_existing: true })).resolves.toBeDefined();
  });
});
