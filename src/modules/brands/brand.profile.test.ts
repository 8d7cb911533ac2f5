import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectInvalidFields, expectProblem, newCustomer } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { auditEvents } from '../../../test/support/keys.js';
import { createPaymentLink, paid, pay, payer, setExchangeRates, v1 } from '../../../test/support/payments.js';
import { asStaff, newStaff, signIn, type TestStaff } from '../../../test/support/staff.js';
import type { BrandView } from './brand.schemas.js';

const NEW_BRAND = { name: '  Chittagong   Tea House ', country: 'bd', base_currency: 'bdt' };

describeBackends('brands: create, list, profile (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let owner: TestStaff;
  let call: ReturnType<typeof asStaff>;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand({ name: 'First Brand' });
    owner = await newStaff(pd, brand, 'owner');
    call = asStaff(pd, await signIn(pd, owner));
  });
  afterAll(() => pd.close());

  it('lets an owner create a brand: they own it, it is listed, and the session can switch to it', async () => {
    const created = await call('POST', '/brands', NEW_BRAND);
    expect(created.statusCode, created.body).toBe(201);
    const view = created.json<BrandView>();
    expect(view).toMatchObject({
      object: 'brand',
      name: 'Chittagong Tea House',
      country: 'BD',
      base_currency: 'BDT',
      logo_url: null,
      settings: {
        auto_register_customers: true,
        auto_create_customers: { registrations: true, orders: true, payments: true },
      },
    });
    expect(view.id).toMatch(/^brd_/);

    const listed = (await call('GET', '/brands')).json<{ data: BrandView[] }>().data.map((b) => b.id);
    expect(listed).toEqual([brand.id, view.id]);
    const session = (await call('POST', '/session/active-brand', { brand_id: view.id })).json<{
      active_brand_id: string;
      brands: { id: string; role: string }[];
    }>();
    expect(session.active_brand_id).toBe(view.id);
    expect(session.brands.find((b) => b.id === view.id)?.role).toBe('owner');
    expect((await call('GET', '/brand')).json<BrandView>().id).toBe(view.id);
    expect((await call('GET', '/customers')).json<{ data: unknown[] }>().data).toEqual([]);
    expect((await auditEvents(pd, view.id)).map((e) => e.action)).toContain('brand.create');
    await call('POST', '/session/active-brand', { brand_id: brand.id });
  });

  it('gives a new brand its own data and index keys, nothing shared', async () => {
    const created = (await call('POST', '/brands', { ...NEW_BRAND, name: 'Keys Brand' })).json<BrandView>();
    const keys = await pd.rawQuery(
      `SELECT merchant_id, key_id, purpose, encode(wrapped_key, 'hex') AS wrapped FROM brand_keys
       WHERE merchant_id IN ($1, $2) AND state = 'active' ORDER BY merchant_id, purpose`,
      [brand.id, created.id],
    );
    expect(keys.filter((k) => k.merchant_id === created.id).map((k) => k.purpose)).toEqual(['data', 'index']);
    expect(new Set(keys.map((k) => k.wrapped)).size).toBe(4);
    // A customer of each brand with one email: equal emails give different blind indexes.
    await newCustomer(pd, brand, { email: 'same.person@example.com' });
    const second = await call('POST', '/session/active-brand', { brand_id: created.id });
    expect(second.statusCode).toBe(200);
    const inNew = await call('POST', '/customers', { name: 'Same Person', email: 'same.person@example.com' });
    expect(inNew.statusCode, inNew.body).toBe(201);
    await call('POST', '/session/active-brand', { brand_id: brand.id });
    const bidx = await pd.rawQuery(
      `SELECT DISTINCT encode(email_bidx, 'hex') AS b FROM customers WHERE merchant_id IN ($1, $2)`,
      [brand.id, created.id],
    );
    expect(bidx).toHaveLength(2);
  });

  it('refuses API keys and staff who own no brand', async () => {
    expectProblem(await v1(pd, brand.token).post('/brands', NEW_BRAND), 403, 'forbidden');
    const manager = await newStaff(pd, brand, 'manager');
    const managerCall = asStaff(pd, await signIn(pd, manager));
    expectProblem(await managerCall('POST', '/brands', NEW_BRAND), 403, 'forbidden');
    // An API key lists its own brand only.
    expect((await v1(pd, brand.token).get('/brands')).json<{ data: BrandView[] }>().data.map((b) => b.id)).toEqual([
      brand.id,
    ]);
  });

  it('names every invalid field of a new brand and creates nothing', async () => {
    const before = await pd.rawQuery('SELECT count(*)::int AS n FROM brands');
    const response = await call('POST', '/brands', {
      name: ' ',
      country: 'XX',
      base_currency: 'ABC',
      logo_url: 'http://example.com/logo.png',
    });
    expectInvalidFields(response, ['name', 'country', 'base_currency', 'logo_url']);
    expect(await pd.rawQuery('SELECT count(*)::int AS n FROM brands')).toEqual(before);
  });

  it('changes the profile; the base currency only until the first transaction', async () => {
    const fresh = await pd.newBrand({ name: 'Fresh', currency: 'BDT' });
    await setExchangeRates(pd, fresh, { USD: '110' });
    const renamed = await v1(pd, fresh.token).patch('/brand', {
      name: 'Fresh & Co',
      country: 'in',
      base_currency: 'inr',
      logo_url: 'https://cdn.example.com/fresh.png',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json<BrandView>()).toMatchObject({
      name: 'Fresh & Co',
      country: 'IN',
      base_currency: 'INR',
      logo_url: 'https://cdn.example.com/fresh.png',
    });
    // Rates were kept against BDT: they go with the base currency.
    expect((await v1(pd, fresh.token).get('/exchange-rates')).json()).toMatchObject({
      base_currency: 'INR',
      rates: [],
    });

    const link = await createPaymentLink(pd, fresh, { amount: 5000, currency: 'INR' });
    paid(await pay(pd, link.url, payer()));
    const locked = await v1(pd, fresh.token).patch('/brand', { base_currency: 'USD', name: 'Not applied' });
    expect(expectProblem(locked, 409, 'currency_locked')).toMatchObject({ base_currency: 'INR' });
    expect((await v1(pd, fresh.token).get('/brand')).json<BrandView>()).toMatchObject({
      base_currency: 'INR',
      name: 'Fresh & Co',
    });
    // The same currency is no change and is accepted.
    expect((await v1(pd, fresh.token).patch('/brand', { base_currency: 'INR' })).statusCode).toBe(200);
    expect((await v1(pd, fresh.token).patch('/brand', { logo_url: null })).json<BrandView>().logo_url).toBeNull();

    const manager = await pd.keyFor(fresh, 'manager');
    expectProblem(await v1(pd, manager).patch('/brand', { name: 'Mine' }), 403, 'forbidden');
  });

  it('turns automatic creation off per source, keeping auto_register_customers as the payments switch', async () => {
    const b = await pd.newBrand();
    const api = v1(pd, b.token);
    const off = await api.patch('/brand/settings', { auto_create_customers: { orders: false, payments: false } });
    expect(off.json<BrandView>().settings).toEqual({
      auto_register_customers: false,
      auto_create_customers: { registrations: true, orders: false, payments: false },
    });
    const legacy = await api.patch('/brand/settings', { auto_register_customers: true });
    expect(legacy.json<BrandView>().settings.auto_create_customers).toEqual({
      registrations: true,
      orders: false,
      payments: true,
    });
  });
});
