import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { customerBody, startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  customersApi,
  expectProblem,
  newCustomer,
  totalCustomers,
  type CustomerJson,
} from '../../../test/support/customers.js';

const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describeBackends('customers API, happy path (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let api: ReturnType<typeof customersApi>;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand({ country: 'BD', currency: 'BDT' });
    api = customersApi(paydesk, brand.token);
  });
  afterAll(() => paydesk?.close());

  describe('POST /customers', () => {
    it('creates a customer: trimmed name, lower-cased email, E.164 phone, zero totals in the base currency', async () => {
      const before = Date.now();
      const response = await api.create({
        name: '  Ayesha   Rahman ',
        email: ' Ayesha.Rahman@Example.COM ',
        phone: '01700000000',
        metadata: { order: '1042', channel: 'facebook' },
      });
      expect(response.statusCode).toBe(201);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['idempotent-replayed']).toBeUndefined();
      const customer = response.json<CustomerJson>();
      expect(customer).toEqual({
        id: expect.stringMatching(/^cus_[0-9a-hjkmnp-tv-z]{26}$/),
        object: 'customer',
        name: 'Ayesha Rahman',
        email: 'ayesha.rahman@example.com',
        phone: '+8801700000000',
        contact_masked: false,
        contact_revealed_until: null,
        metadata: { order: '1042', channel: 'facebook' },
        source: 'api',
        user: null,
        image_url: null,
        transactions_count: 0,
        total_spent: { amount: 0, currency: 'BDT' },
        last_payment_at: null,
        erased_at: null,
        status: 'active',
        suspension: null,
        tags: [],
        created_at: expect.stringMatching(ISO_DATE),
        updated_at: customer.created_at,
      });
      expect(Date.parse(customer.created_at)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(customer.created_at)).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it('answers with exactly what a later GET returns', async () => {
      const created = await api.create(customerBody({ phone: '+880 1812-345678', metadata: { tier: 'gold' } }));
      expect(created.statusCode).toBe(201);
      const fetched = await api.get(created.json<CustomerJson>().id);
      expect(fetched.statusCode).toBe(200);
      expect(fetched.json()).toEqual(created.json());
    });

    it('gives each customer its own time-ordered id', async () => {
      const first = await newCustomer(paydesk, brand);
      const second = await newCustomer(paydesk, brand);
      expect(second.id).not.toBe(first.id);
      expect(second.id > first.id).toBe(true);
    });

    it('makes the phone optional: omitted or null both mean no phone', async () => {
      expect((await newCustomer(paydesk, brand)).phone).toBeNull();
      expect((await newCustomer(paydesk, brand, { phone: null })).phone).toBeNull();
      expect((await newCustomer(paydesk, brand)).metadata).toEqual({});
    });

    it('keeps an international number as given, whatever the brand country', async () => {
      expect((await newCustomer(paydesk, brand, { phone: '+34 612 345 678' })).phone).toBe('+34612345678');
    });

    it("reads a local number in the brand's own country and totals in the brand's base currency", async () => {
      const usBrand = await paydesk.newBrand({ country: 'US', currency: 'USD' });
      const customer = await newCustomer(paydesk, usBrand, { phone: '(212) 736-5000' });
      expect(customer.phone).toBe('+12127365000');
      expect(customer.total_spent).toEqual({ amount: 0, currency: 'USD' });
    });

    it('accepts a 200-character name and an empty metadata value', async () => {
      const name = 'n'.repeat(200);
      const customer = await newCustomer(paydesk, brand, { name, metadata: { note: '' } });
      expect(customer.name).toBe(name);
      expect(customer.metadata).toEqual({ note: '' });
    });

    it('counts the new customer in the stats', async () => {
      const before = await totalCustomers(paydesk, brand);
      await newCustomer(paydesk, brand);
      expect(await totalCustomers(paydesk, brand)).toBe(before + 1);
    });
  });

  describe('PATCH /customers/{id}', () => {
    it('changes only the fields sent, normalised, and moves updated_at', async () => {
      const original = await newCustomer(paydesk, brand, { phone: '01711000111', metadata: { a: '1' } });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const response = await api.update(original.id, { name: '  Tanvir  Hasan ' });
      expect(response.statusCode).toBe(200);
      const updated = response.json<CustomerJson>();
      expect(updated).toEqual({ ...original, name: 'Tanvir Hasan', updated_at: expect.stringMatching(ISO_DATE) });
      expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(original.updated_at));
      expect((await api.get(original.id)).json()).toEqual(updated);
    });

    it('changes email (lower-cased) and phone (E.164)', async () => {
      const original = await newCustomer(paydesk, brand);
      const email = `New.${original.email.toUpperCase()}`;
      const updated = (await api.update(original.id, { email, phone: '01911222333' })).json<CustomerJson>();
      expect(updated.email).toBe(email.toLowerCase());
      expect(updated.phone).toBe('+8801911222333');
      expect((await api.get(original.id)).json()).toMatchObject({
        email: email.toLowerCase(),
        phone: '+8801911222333',
      });
    });

    it('lets a customer keep its own email in another case (not a conflict with itself)', async () => {
      const original = await newCustomer(paydesk, brand);
      const response = await api.update(original.id, { email: original.email.toUpperCase() });
      expect(response.statusCode).toBe(200);
      expect(response.json<CustomerJson>().email).toBe(original.email);
    });

    it('removes the phone when it is null', async () => {
      const original = await newCustomer(paydesk, brand, { phone: '01700000000' });
      expect((await api.update(original.id, { phone: null })).json<CustomerJson>().phone).toBeNull();
      expect((await api.get(original.id)).json<CustomerJson>().phone).toBeNull();
    });

    it('merges metadata: sets named keys, removes keys set to null or "", keeps the rest', async () => {
      const original = await newCustomer(paydesk, brand, {
        metadata: { keep: 'k', drop: 'd', blank: 'b', change: 'old' },
      });
      const response = await api.update(original.id, { metadata: { drop: null, blank: '', change: 'new', add: 'a' } });
      expect(response.statusCode).toBe(200);
      expect(response.json<CustomerJson>().metadata).toEqual({ keep: 'k', change: 'new', add: 'a' });
      expect((await api.get(original.id)).json<CustomerJson>().metadata).toEqual({
        keep: 'k',
        change: 'new',
        add: 'a',
      });
    });

    it('accepts an empty patch and changes nothing visible but updated_at', async () => {
      const original = await newCustomer(paydesk, brand, { phone: '01700000000', metadata: { a: '1' } });
      const response = await api.update(original.id, {});
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ ...original, updated_at: expect.stringMatching(ISO_DATE) });
    });
  });

  describe('DELETE /customers/{id}', () => {
    it('answers 204 with no body; the customer is gone for GET, PATCH, DELETE and the stats', async () => {
      const customer = await newCustomer(paydesk, brand);
      const before = await totalCustomers(paydesk, brand);
      const deleted = await api.remove(customer.id);
      expect(deleted.statusCode).toBe(204);
      expect(deleted.body).toBe('');
      expectProblem(await api.get(customer.id), 404, 'customer_not_found');
      expectProblem(await api.update(customer.id, { name: 'Again' }), 404, 'customer_not_found');
      expectProblem(await api.remove(customer.id), 404, 'customer_not_found');
      expect(await totalCustomers(paydesk, brand)).toBe(before - 1);
    });

    it('frees the email for a new customer', async () => {
      const customer = await newCustomer(paydesk, brand);
      expect((await api.remove(customer.id)).statusCode).toBe(204);
      const again = await api.create(customerBody({ email: customer.email }));
      expect(again.statusCode).toBe(201);
      expect(again.json<CustomerJson>().id).not.toBe(customer.id);
    });
  });

  describe('PUT /customers (CreateOrEdit by email)', () => {
    it('creates with 201 when the email is new, then updates the same customer with 200 (any case)', async () => {
      const body = customerBody({ phone: '01700000000', metadata: { a: '1' } });
      const before = await totalCustomers(paydesk, brand);
      const created = await api.upsert(body);
      expect(created.statusCode).toBe(201);
      const customer = created.json<CustomerJson>();
      expect(customer).toMatchObject({
        name: body.name,
        email: body.email,
        phone: '+8801700000000',
        metadata: { a: '1' },
        source: 'api',
      });

      const updated = await api.upsert({ name: 'Renamed Person', email: ` ${String(body.email).toUpperCase()} ` });
      expect(updated.statusCode).toBe(200);
      expect(updated.json()).toMatchObject({
        id: customer.id,
        name: 'Renamed Person',
        email: body.email,
        phone: '+8801700000000', // omitted: kept
        metadata: { a: '1' }, // omitted: kept
        created_at: customer.created_at,
      });
      expect(await totalCustomers(paydesk, brand)).toBe(before + 1);
      expect((await api.get(customer.id)).json<CustomerJson>().name).toBe('Renamed Person');
    });

    it('updates phone and merges metadata like a patch; null removes', async () => {
      const customer = await newCustomer(paydesk, brand, { phone: '01700000000', metadata: { keep: 'k', drop: 'd' } });
      const response = await api.upsert({
        name: customer.name,
        email: customer.email,
        phone: null,
        metadata: { drop: null, add: 'a' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: customer.id, phone: null, metadata: { keep: 'k', add: 'a' } });

      const rephoned = await api.upsert({ name: customer.name, email: customer.email, phone: '01911222333' });
      expect(rephoned.json<CustomerJson>().phone).toBe('+8801911222333');
    });

    it('drops null metadata keys when it creates', async () => {
      const response = await api.upsert(customerBody({ metadata: { a: '1', gone: null } }));
      expect(response.statusCode).toBe(201);
      expect(response.json<CustomerJson>().metadata).toEqual({ a: '1' });
    });

    it('answers a created customer exactly as GET does', async () => {
      const created = await api.upsert(customerBody({ phone: '01711000111' }));
      expect(created.statusCode).toBe(201);
      expect((await api.get(created.json<CustomerJson>().id)).json()).toEqual(created.json());
    });
  });
});
