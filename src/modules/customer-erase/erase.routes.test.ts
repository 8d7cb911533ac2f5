import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import {
  customersApi,
  expectInvalidFields,
  expectProblem,
  newCustomer,
  type CustomerJson,
  type CustomerListJson,
} from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { imagesApi, sampleImage } from '../../../test/support/images.js';
import { byKey, newNote, notesApi } from '../../../test/support/notes.js';
import { newOrder, setOrdersAutoCreate } from '../../../test/support/orders.js';
import {
  createPaymentLink,
  fetchJson,
  ledgerRows,
  openInvoice,
  paid,
  pay,
  payer,
  type InvoiceJson,
  v1,
} from '../../../test/support/payments.js';
import { newUser, registerUser, registration, type SiteUserJson } from '../../../test/support/users.js';
import type { ErasedCustomerView } from './erase.schemas.js';

// Erase: the person's data is gone from every place the API shows it; payments, invoices and totals
// stay; the email is free again; only owners and admins may do it, with a reason, audited.
describeBackends('customer erase (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let customer: CustomerJson;
  let user: SiteUserJson;
  let invoice: InvoiceJson;
  const name = 'Tahmina Erasmus-Quddus';
  const email = 'tahmina.erasmus@example.org';
  const phone = '01819123456';

  const erase = (token: string, id: string, reason: unknown = 'Erasure request, ticket 5120') =>
    pd.request(token, { method: 'POST', url: `/api/v1/customers/${id}/erase`, payload: { reason } });

  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    customer = await newCustomer(pd, brand, { name, email, phone, metadata: { crm: 'C-9' } });
    user = await newUser(pd, brand, { email, given_name: 'Tahmina', family_name: 'Erasmus-Quddus' });
    expect(user.customer).toBe(customer.id);
    const link = await createPaymentLink(pd, brand, { amount: 4200 });
    for (let i = 0; i < 2; i++) paid(await pay(pd, link.url, payer({ email, name })));
    invoice = await openInvoice(pd, brand, { customer_id: customer.id });
    await newOrder(pd, brand, { customer: customer.id, customer_details: undefined });
    // A buyer kept on an order of the linked account (no customer holds it: the orders switch is off).
    await setOrdersAutoCreate(pd, brand, false);
    const kept = await newOrder(pd, brand, {
      user: user.id,
      customer_details: { name, email: 'tahmina.work@example.org', phone },
    });
    expect(kept).toMatchObject({ customer: null, buyer: { name } });
    await setOrdersAutoCreate(pd, brand, true);
    await newNote(byKey(pd, brand.token), customer.id, `Called from ${phone} about ${email}`);
    const put = await imagesApi(pd, brand.token).put(customer.id, await sampleImage('png'), 'image/png');
    expect(put.statusCode, put.body).toBe(200);
  });
  afterAll(() => pd.close());

  describe('refusals (nothing changes)', () => {
    it('requires a reason of 3–500 characters', async () => {
      expectInvalidFields(await erase(brand.token, customer.id, 'no'), ['reason']);
      expectInvalidFields(await erase(brand.token, customer.id, 'x'.repeat(501)), ['reason']);
      const response = await pd.request(brand.token, {
        method: 'POST',
        url: `/api/v1/customers/${customer.id}/erase`,
        payload: {},
      });
      expect(response.statusCode).toBe(422);
    });

    it('is for owners and admins only: managers and support are refused', async () => {
      for (const role of ['manager', 'support'] as const) {
        expectProblem(await erase(await pd.keyFor(brand, role), customer.id), 403, 'forbidden');
      }
      const [row] = await pd.rawQuery('SELECT erased_at FROM customers WHERE id = $1', [customer.id]);
      expect(row!.erased_at).toBeNull();
    });

    it("answers 404 for another brand's customer and for an unknown id", async () => {
      const other = await pd.newBrand();
      expectProblem(await erase(other.token, customer.id), 404, 'customer_not_found');
      expectProblem(await erase(brand.token, 'cus_00000000000000000000000000'), 404, 'customer_not_found');
      expectProblem(await erase(brand.token, 'nope'), 404, 'customer_not_found');
    });

    it('refuses a merged customer with 409 customer_merged', async () => {
      const survivor = await newCustomer(pd, brand);
      const merged = await newCustomer(pd, brand);
      await pd.rawQuery('UPDATE customers SET merged_into = $1, merged_at = now() WHERE id = $2', [
        survivor.id,
        merged.id,
      ]);
      expectProblem(await erase(brand.token, merged.id), 409, 'customer_merged');
    });
  });

  describe('an erase', () => {
    let ledgerBefore: Record<string, unknown>[];
    let answer: ErasedCustomerView;
    beforeAll(async () => {
      ledgerBefore = await ledgerRows(pd, brand);
      const admin = await pd.keyFor(brand, 'admin');
      const response = await erase(admin, customer.id, `Asked by ${email} (${phone}), ticket 5120`);
      expect(response.statusCode, response.body).toBe(200);
      answer = response.json<ErasedCustomerView>();
    });

    it('answers the erased customer, totals kept, scrubbed from the files', () => {
      expect(answer).toMatchObject({
        id: customer.id,
        name: 'Erased customer',
        email: '',
        phone: null,
        metadata: {},
        user: null,
        image_url: null,
        transactions_count: 2,
        total_spent: { amount: 8400, currency: 'BDT' },
        scrubbed: true,
      });
      expect(Date.parse(answer.erased_at!)).not.toBeNaN();
    });

    it('shows "Erased customer" on the profile and in the list, raw and masked', async () => {
      for (const token of [brand.token, await pd.keyFor(brand, 'support')]) {
        const api = customersApi(pd, token);
        const profile = (await api.get(customer.id)).json<CustomerJson>();
        expect(profile).toMatchObject({ name: 'Erased customer', phone: null, erased_at: answer.erased_at });
        expect(profile.email).not.toContain('tahmina');
        const listed = (await api.list('limit=100')).json<CustomerListJson>().data.find((c) => c.id === customer.id);
        expect(listed).toMatchObject({ name: 'Erased customer', phone: null });
        expect(JSON.stringify(listed)).not.toMatch(/tahmina|erasmus|819123456/i);
      }
    });

    it('search finds nothing by the old name, email or phone', async () => {
      for (const q of ['Tahmina', 'Erasmus', email, '01819123456', '9123456']) {
        const found = (await customersApi(pd, brand.token).list(`q=${encodeURIComponent(q)}`)).json<CustomerListJson>();
        expect(found.data.map((c) => c.id)).not.toContain(customer.id);
      }
    });

    it('keeps the ledger, the invoice amounts and totals, and reconcile agrees', async () => {
      expect(await ledgerRows(pd, brand)).toEqual(ledgerBefore);
      const after = await fetchJson<InvoiceJson>(pd, brand, `/invoices/${invoice.id}`);
      expect(after).toMatchObject({ id: invoice.id, total: invoice.total, customer_id: customer.id });
      const report = await pd.request(brand.token, { method: 'POST', url: '/api/v1/reconcile', payload: {} });
      expect(report.json()).toMatchObject({ drift: [] });
    });

    it('deletes notes, image and the linked site user, and drops kept order buyers', async () => {
      const count = async (sql: string) => Number((await pd.rawQuery(sql, [brand.id, customer.id]))[0]!.n);
      expect(await count('SELECT count(*) AS n FROM customer_notes WHERE merchant_id = $1 AND customer_id = $2')).toBe(
        0,
      );
      expect(await count('SELECT count(*) AS n FROM customer_images WHERE merchant_id = $1 AND customer_id = $2')).toBe(
        0,
      );
      const users = await pd.rawQuery('SELECT id FROM site_users WHERE id = $1', [user.id]);
      expect(users).toEqual([]);
      const buyers = await pd.rawQuery(
        'SELECT count(*) AS n FROM orders WHERE merchant_id = $1 AND buyer_enc IS NOT NULL',
        [brand.id],
      );
      expect(Number(buyers[0]!.n)).toBe(0);
      const [row] = await pd.rawQuery(
        `SELECT octet_length(name_enc) AS name, octet_length(email_enc) AS email, phone_enc, phone_bidx, name_bidx,
                cardinality(search_tokens) AS tokens, metadata::text AS metadata FROM customers WHERE id = $1`,
        [customer.id],
      );
      expect(row).toMatchObject({ phone_enc: null, phone_bidx: null, name_bidx: null, metadata: '{}' });
      expect([Number(row!.name), Number(row!.email), Number(row!.tokens)]).toEqual([0, 0, 0]);
    });

    it('holds no personal data in the data export', async () => {
      const response = await pd.request(brand.token, {
        method: 'GET',
        url: `/api/v1/customers/${customer.id}/data-export`,
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.body).not.toMatch(/tahmina|erasmus|819123456|C-9/i);
      expect(response.json()).toMatchObject({ site_user: null, notes: [], image: null });
    });

    it('audits the erase with the reason masked, and puts it on the timeline', async () => {
      const rows = await pd.rawQuery(
        `SELECT actor_type, details FROM audit_events WHERE merchant_id = $1 AND action = 'customer.erase' AND target_id = $2`,
        [brand.id, customer.id],
      );
      expect(rows).toHaveLength(1);
      const details = rows[0]!.details as Record<string, unknown>;
      expect(details).toMatchObject({ reason_redacted: true, notes_deleted: 1, image_deleted: true });
      expect(String(details.reason)).toContain('ticket 5120');
      expect(String(details.reason)).not.toMatch(/tahmina|819123456/i);
      const timeline = await pd.request(brand.token, {
        method: 'GET',
        url: `/api/v1/customers/${customer.id}/timeline`,
      });
      expect(timeline.json<{ data: { type: string }[] }>().data[0]).toMatchObject({ type: 'customer.erased' });
    });

    it('frees the email: a new customer and a new site user may have it', async () => {
      const again = await customersApi(pd, brand.token).create({ name, email, phone });
      expect(again.statusCode, again.body).toBe(201);
      expect(again.json<CustomerJson>().id).not.toBe(customer.id);
      const account = await registerUser(pd, brand.token, registration({ email, external_id: 'tahmina-login' }));
      expect(account.statusCode, account.body).toBe(201);
    });

    it('refuses a second erase, and edits, with 409 customer_erased', async () => {
      expectProblem(await erase(brand.token, customer.id), 409, 'customer_erased');
      expectProblem(await customersApi(pd, brand.token).update(customer.id, { name }), 409, 'customer_erased');
    });

    it('takes no new personal data: notes, an image and a new invoice are refused with 409 customer_erased', async () => {
      const notes = notesApi(byKey(pd, brand.token), customer.id);
      expectProblem(await notes.add(`Called again from ${phone}`), 409, 'customer_erased');
      const image = await imagesApi(pd, brand.token).put(customer.id, await sampleImage('png'), 'image/png');
      expectProblem(image, 409, 'customer_erased');
      const invoice = await v1(pd, brand.token).post('/invoices', {
        currency: 'BDT',
        customer_id: customer.id,
        line_items: [{ description: 'Consulting', quantity: 1, unit_amount: 25000 }],
      });
      expectProblem(invoice, 409, 'customer_erased');
      const listed = await notes.list();
      expect(listed.statusCode, listed.body).toBe(200);
      expect(listed.json<{ data: unknown[] }>().data).toEqual([]);
    });
  });
});
