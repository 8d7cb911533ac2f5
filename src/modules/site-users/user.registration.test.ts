import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import {
  customersApi,
  expectInvalidFields,
  expectProblem,
  newCustomer,
  type CustomerJson,
} from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { createPaymentLink, customerCount, fetchJson, paid, pay, payer, v1 } from '../../../test/support/payments.js';
import { newUser, registerUser, registration, type SiteUserJson } from '../../../test/support/users.js';

// Registration on the merchant's site: the user, and their customer found or created with it.
describeBackends('site-user registration (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
  });
  afterAll(() => pd.close());

  const customer = (id: string) => fetchJson<CustomerJson>(pd, brand, `/customers/${id}`);
  const events = async (customerId: string) =>
    (
      await pd.rawQuery(
        'SELECT type, refs FROM customer_events WHERE merchant_id = $1 AND customer_id = $2 ORDER BY created_at, id',
        [brand.id, customerId],
      )
    ).map((r) => ({ type: r.type, refs: r.refs }));

  it('creates the customer (source registration) and links it, with a verified email', async () => {
    const before = await customerCount(pd, brand);
    const response = await registerUser(
      pd,
      brand.token,
      registration({
        email: '  Nusrat.New@Example.com ',
        given_name: ' Nusrat ',
        family_name: 'Jahan',
        phone: '01812345678',
      }),
    );
    expect(response.statusCode).toBe(201);
    const user = response.json<SiteUserJson>();
    expect(user).toMatchObject({
      object: 'user',
      email: 'nusrat.new@example.com',
      email_verified: true,
      given_name: 'Nusrat',
      family_name: 'Jahan',
      phone: '+8801812345678',
      contact_masked: false,
      suggested_customer: null,
    });
    expect(user.customer).toMatch(/^cus_/);
    expect(await customerCount(pd, brand)).toBe(before + 1);
    expect(await customer(user.customer!)).toMatchObject({
      name: 'Nusrat Jahan',
      email: 'nusrat.new@example.com',
      phone: '+8801812345678',
      source: 'registration',
      user: user.id,
    });
    expect(await events(user.customer!)).toEqual([
      { type: 'customer.created', refs: { source: 'registration' } },
      { type: 'customer.user_linked', refs: { user: user.id, how: 'registration' } },
    ]);
  });

  it('is idempotent by external_id: 200 with the same user, nothing created or changed', async () => {
    const body = registration();
    const first = await registerUser(pd, brand.token, body);
    expect(first.statusCode).toBe(201);
    const count = await customerCount(pd, brand);
    const again = await registerUser(pd, brand.token, { ...body, given_name: 'Someone', email: 'other@example.com' });
    expect(again.statusCode).toBe(200);
    expect(again.json<SiteUserJson>()).toEqual(first.json<SiteUserJson>());
    expect(await customerCount(pd, brand)).toBe(count);
  });

  it('links to the existing customer with that email (any case) and keeps the name staff entered', async () => {
    const staff = await newCustomer(pd, brand, { name: 'Rahim Uddin', email: 'Rahim.Known@example.com' });
    const count = await customerCount(pd, brand);
    const user = await newUser(pd, brand, { email: 'RAHIM.known@EXAMPLE.com', given_name: 'Rahim', family_name: 'U.' });
    expect(user.customer).toBe(staff.id);
    expect(await customerCount(pd, brand)).toBe(count);
    expect(await customer(staff.id)).toMatchObject({ name: 'Rahim Uddin', user: user.id, source: 'api' });
  });

  it('only suggests an unverified email match, and links once the site verifies it', async () => {
    const staff = await newCustomer(pd, brand, { email: 'unproven@example.com' });
    const user = await newUser(pd, brand, { email: 'unproven@example.com', email_verified: false });
    expect(user).toMatchObject({ customer: null, suggested_customer: staff.id, email_verified: false });
    expect((await customer(staff.id)).user).toBeNull();

    const listed = await v1(pd, brand.token).get(`/users?suggested_customer=${staff.id}`);
    expect(listed.json<{ data: SiteUserJson[] }>().data.map((u) => u.id)).toEqual([user.id]);

    const verified = await v1(pd, brand.token).patch(`/users/${user.id}`, { email_verified: true });
    expect(verified.statusCode).toBe(200);
    expect(verified.json<SiteUserJson>()).toMatchObject({ customer: staff.id, suggested_customer: null });
    expect((await customer(staff.id)).user).toBe(user.id);
  });

  it('an unverified new email makes the customer but leaves it unlinked, suggested', async () => {
    const user = await newUser(pd, brand, { email_verified: false });
    expect(user.customer).toBeNull();
    expect(user.suggested_customer).toMatch(/^cus_/);
    expect(await customer(user.suggested_customer!)).toMatchObject({ source: 'registration', user: null });
  });

  it('with registrations switched off creates no customer, still links a known verified email, and succeeds', async () => {
    const quiet = await pd.newBrand({ name: 'Quiet shop' });
    const settings = await v1(pd, quiet.token).patch('/brand/settings', {
      auto_create_customers: { registrations: false },
    });
    expect(settings.json()).toMatchObject({
      settings: {
        auto_register_customers: true,
        auto_create_customers: { registrations: false, orders: true, payments: true },
      },
    });
    const created = await registerUser(pd, quiet.token, registration());
    expect(created.statusCode).toBe(201);
    expect(created.json<SiteUserJson>().customer).toBeNull();
    expect(await customerCount(pd, quiet)).toBe(0);

    const known = await newCustomer(pd, quiet, { email: 'known.quiet@example.com' });
    const linked = await newUser(pd, quiet, { email: 'known.quiet@example.com' });
    expect(linked.customer).toBe(known.id);
    expect(await customerCount(pd, quiet)).toBe(1);
  });

  it('renames the linked customer when the given or family name changes, in the same transaction', async () => {
    const user = await newUser(pd, brand, { given_name: 'Tanvir', family_name: 'Hasan' });
    const renamed = await v1(pd, brand.token).patch(`/users/${user.id}`, { family_name: 'Hossain' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json<SiteUserJson>()).toMatchObject({ given_name: 'Tanvir', family_name: 'Hossain' });
    expect(await customer(user.customer!)).toMatchObject({ name: 'Tanvir Hossain' });
    expect((await events(user.customer!)).map((e) => e.type)).toContain('customer.name_synced');

    // A rejected change renames nothing.
    const bad = await v1(pd, brand.token).patch(`/users/${user.id}`, { given_name: 'Ta\u0000nvir' });
    expectInvalidFields(bad, ['given_name']);
    expect(await customer(user.customer!)).toMatchObject({ name: 'Tanvir Hossain' });
  });

  it('refuses invalid fields all at once, naming them, and stores nothing', async () => {
    const before = await pd.rawQuery('SELECT count(*)::int AS n FROM site_users WHERE merchant_id = $1', [brand.id]);
    const response = await registerUser(pd, brand.token, {
      external_id: '  ',
      email: 'not-an-email',
      given_name: '',
      family_name: 'x'.repeat(101),
      phone: '123',
    });
    expectInvalidFields(response, ['external_id', 'email', 'given_name', 'family_name', 'phone']);
    const after = await pd.rawQuery('SELECT count(*)::int AS n FROM site_users WHERE merchant_id = $1', [brand.id]);
    expect(after).toEqual(before);
    expectInvalidFields(await registerUser(pd, brand.token, { email: 'a@example.com' }), [
      'external_id',
      'given_name',
      'family_name',
    ]);
  });

  it('deleting the user unlinks the customer and keeps it', async () => {
    const user = await newUser(pd, brand);
    const removed = await v1(pd, brand.token).delete(`/users/${user.id}`);
    expect(removed.statusCode).toBe(204);
    expectProblem(await v1(pd, brand.token).get(`/users/${user.id}`), 404, 'user_not_found');
    expect(await customer(user.customer!)).toMatchObject({ user: null });
    expect((await events(user.customer!)).map((e) => e.type).at(-1)).toBe('customer.user_unlinked');
  });

  it('links staff-created customers to the verified user with their email, and by name on request', async () => {
    const quiet = await pd.newBrand({ name: 'Link shop' });
    await v1(pd, quiet.token).patch('/brand/settings', { auto_create_customers: { registrations: false } });
    const verified = await newUser(pd, quiet, { email: 'match.me@example.com' });
    const created = await newCustomer(pd, quiet, { email: 'Match.Me@example.com' });
    expect(created.user).toBe(verified.id);

    const other = await newUser(pd, quiet, { email: 'someone.else@example.com', email_verified: false });
    const named = await newCustomer(pd, quiet, { user: other.id });
    expect(named.user).toBe(other.id);
    // One user, one customer: another customer cannot take it without an unlink first.
    const third = await newCustomer(pd, quiet);
    const taken = await customersApi(pd, quiet.token).update(third.id, { user: other.id });
    expect(expectProblem(taken, 409, 'user_linked')).toMatchObject({ customer_id: named.id });
    expectInvalidFields(await customersApi(pd, quiet.token).update(third.id, { user: 'usr_nope' }), ['user']);
  });

  it('links, unlinks and relinks through PATCH /customers/{id}', async () => {
    const api = customersApi(pd, brand.token);
    const a = await newCustomer(pd, brand);
    const u1 = await newUser(pd, brand, { email_verified: false });
    const u2 = await newUser(pd, brand, { email_verified: false });
    expect((await api.update(a.id, { user: u1.id })).json<CustomerJson>().user).toBe(u1.id);
    expect((await fetchJson<SiteUserJson>(pd, brand, `/users/${u1.id}`)).customer).toBe(a.id);
    expect((await api.update(a.id, { user: u2.id })).json<CustomerJson>().user).toBe(u2.id);
    expect((await fetchJson<SiteUserJson>(pd, brand, `/users/${u1.id}`)).customer).toBeNull();
    expect((await api.update(a.id, { user: null })).json<CustomerJson>().user).toBeNull();
    expect((await events(a.id)).map((e) => e.type)).toEqual([
      'customer.created',
      'customer.user_linked',
      'customer.user_unlinked',
      'customer.user_linked',
      'customer.user_unlinked',
    ]);
  });

  it('links a customer a payment registers to the verified site user with that email', async () => {
    const shop = await pd.newBrand({ name: 'Pay-first shop' });
    await v1(pd, shop.token).patch('/brand/settings', { auto_create_customers: { registrations: false } });
    const verified = await newUser(pd, shop, { email: 'pays.later@example.com' });
    const unverified = await newUser(pd, shop, { email: 'maybe.later@example.com', email_verified: false });
    expect([verified.customer, unverified.customer]).toEqual([null, null]);
    const link = await createPaymentLink(pd, shop, { amount: 5000 });
    const first = paid(await pay(pd, link.url, payer({ email: 'Pays.Later@example.com' })));
    expect((await fetchJson<CustomerJson>(pd, shop, `/customers/${first.customer_id}`)).user).toBe(verified.id);
    const second = paid(await pay(pd, link.url, payer({ email: 'maybe.later@example.com' })));
    expect((await fetchJson<CustomerJson>(pd, shop, `/customers/${second.customer_id}`)).user).toBeNull();
    expect((await fetchJson<SiteUserJson>(pd, shop, `/users/${unverified.id}`)).suggested_customer).toBe(
      second.customer_id,
    );
  });
});
