import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectInvalidFields, expectProblem, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  CARDS,
  createPaymentLink,
  customerCount,
  fetchJson,
  ledgerRows,
  paid,
  pay,
  payer,
  v1,
  type TransactionJson,
} from '../../../test/support/payments.js';

// The public payment-link flow: /pay/{slug} with a fixed or a client-chosen amount, the active
// flag, and slugs that are unique across every brand (the path names no brand).
describeBackends('payment link flow (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let other: TestBrand;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '10' });
    brand = await pd.newBrand({ name: 'Link Brand' });
    other = await pd.newBrand({ name: 'Other Brand' });
  });
  afterAll(() => pd.close());

  const publicView = (url: string) => pd.request(undefined, { method: 'GET', url: `/api/public${url}` });

  it('pays a fixed-amount link: public view, transaction and a payment_link customer', async () => {
    const link = await createPaymentLink(pd, brand, { title: 'Yoga class', description: 'Monthly', amount: 120000 });
    expect(link).toMatchObject({
      object: 'payment_link',
      amount_type: 'fixed',
      amount: { amount: 120000, currency: 'BDT' },
      active: true,
    });
    expect(link.url).toBe(`/pay/${link.slug}`);
    expect(link.slug).toMatch(/^yoga-class-[a-z0-9]{6}$/);

    const page = await publicView(link.url);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toEqual({
      brand_name: 'Link Brand',
      title: 'Yoga class',
      description: 'Monthly',
      currency: 'BDT',
      amount_type: 'fixed',
      amount: { amount: 120000, currency: 'BDT' },
      min_amount: null,
      max_amount: null,
    });

    const body = payer();
    const result = paid(await pay(pd, link.url, body));
    expect(result.amount).toEqual({ amount: 120000, currency: 'BDT' });
    expect(await fetchJson<TransactionJson>(pd, brand, `/transactions/${result.transaction_id}`)).toMatchObject({
      status: 'succeeded',
      source: 'payment_link',
      payment_link_id: link.id,
      checkout_session_id: null,
      customer_id: result.customer_id,
    });
    expect(await fetchJson<CustomerJson>(pd, brand, `/customers/${result.customer_id}`)).toMatchObject({
      email: body.email,
      source: 'payment_link',
      transactions_count: 1,
      total_spent: { amount: 120000, currency: 'BDT' },
    });

    // A link is paid again and again, unlike a checkout session.
    paid(await pay(pd, link.url, payer()));
    expectInvalidFields(await pay(pd, link.url, payer({ amount: 5 })), ['amount']);
    expect(await ledgerRows(pd, brand, 'payment_link_id = $2', [link.id])).toHaveLength(2);
  });

  it('lets the client choose the amount within min and max', async () => {
    const link = await createPaymentLink(pd, brand, {
      title: 'Donation',
      amount: undefined,
      min_amount: 1000,
      max_amount: 500000,
    });
    expect(link).toMatchObject({
      amount_type: 'customer_chosen',
      amount: null,
      min_amount: { amount: 1000, currency: 'BDT' },
      max_amount: { amount: 500000, currency: 'BDT' },
    });
    expect((await publicView(link.url)).json()).toMatchObject({
      amount_type: 'customer_chosen',
      amount: null,
      min_amount: { amount: 1000 },
    });

    const customersBefore = await customerCount(pd, brand);
    expectInvalidFields(await pay(pd, link.url, payer()), ['amount']);
    expectInvalidFields(await pay(pd, link.url, payer({ amount: null })), ['amount']);
    expectInvalidFields(await pay(pd, link.url, payer({ amount: 999 })), ['amount']);
    expectInvalidFields(await pay(pd, link.url, payer({ amount: 500001 })), ['amount']);
    expect(await ledgerRows(pd, brand, 'payment_link_id = $2', [link.id])).toHaveLength(0);
    expect(await customerCount(pd, brand)).toBe(customersBefore);

    const low = paid(await pay(pd, link.url, payer({ amount: 1000 })));
    const high = paid(await pay(pd, link.url, payer({ amount: 500000 })));
    const middle = paid(await pay(pd, link.url, payer({ amount: 123456 })));
    expect([low, high, middle].map((r) => r.amount.amount)).toEqual([1000, 500000, 123456]);
    const txn = await fetchJson<TransactionJson>(pd, brand, `/transactions/${middle.transaction_id}`);
    expect(txn.amount).toEqual({ amount: 123456, currency: 'BDT' });
    const customer = await fetchJson<CustomerJson>(pd, brand, `/customers/${middle.customer_id}`);
    expect(customer.total_spent).toEqual({ amount: 123456, currency: 'BDT' });
  });

  it('without bounds, any positive amount is accepted', async () => {
    const link = await createPaymentLink(pd, brand, { title: 'Tip jar', amount: null });
    expect(link).toMatchObject({ amount_type: 'customer_chosen', min_amount: null, max_amount: null });
    expect(paid(await pay(pd, link.url, payer({ amount: 1 }))).amount.amount).toBe(1);
    expectInvalidFields(await pay(pd, link.url, payer({ amount: 0 })), ['amount']);
  });

  it('answers an inactive link like a missing one (404 on GET and POST), and serves it again once active', async () => {
    const link = await createPaymentLink(pd, brand, { title: 'Seasonal' });
    const off = await v1(pd, brand.token).patch(`/payment-links/${link.id}`, { active: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ active: false, title: 'Seasonal' });

    expectProblem(await publicView(link.url), 404, 'payment_link_not_found');
    expectProblem(await pay(pd, link.url, payer()), 404, 'payment_link_not_found');
    expect(await ledgerRows(pd, brand, 'payment_link_id = $2', [link.id])).toHaveLength(0);

    const on = await v1(pd, brand.token).patch(`/payment-links/${link.id}`, { active: true });
    expect(on.json()).toMatchObject({ active: true });
    expect((await publicView(link.url)).statusCode).toBe(200);
    paid(await pay(pd, link.url, payer()));

    // Created inactive: the same 404 from the start.
    const dormant = await createPaymentLink(pd, brand, { title: 'Dormant', active: false });
    expectProblem(await publicView(dormant.url), 404, 'payment_link_not_found');
    expectProblem(await pay(pd, '/pay/no-such-link', payer()), 404, 'payment_link_not_found');
  });

  it('keeps slugs unique across brands (409 slug_taken) and leaves the first link untouched', async () => {
    const first = await createPaymentLink(pd, brand, { title: 'Gym', slug: 'gym-membership' });
    expect(first.url).toBe('/pay/gym-membership');

    const sameBrand = await v1(pd, brand.token).post('/payment-links', {
      title: 'Gym 2',
      currency: 'BDT',
      amount: 100,
      slug: 'gym-membership',
    });
    expectProblem(sameBrand, 409, 'slug_taken');
    const otherBrand = await v1(pd, other.token).post('/payment-links', {
      title: 'Gym',
      currency: 'BDT',
      amount: 100,
      slug: 'gym-membership',
    });
    expect(expectProblem(otherBrand, 409, 'slug_taken').errors).toEqual([
      { field: 'slug', reason: expect.any(String) },
    ]);

    const page = await publicView('/pay/gym-membership');
    expect(page.json()).toMatchObject({ brand_name: 'Link Brand', title: 'Gym' });
    const [row] = await pd.rawQuery('SELECT count(*)::int AS n FROM payment_links WHERE slug = $1', ['gym-membership']);
    expect(row?.n).toBe(1);
  });

  it('accepts slugs of 3 to 64 lower-case letters, digits and inner dashes, as documented', async () => {
    const create = (slug: string) =>
      v1(pd, brand.token).post('/payment-links', { title: 'Slug', currency: 'BDT', amount: 100, slug });
    const good = ['abc', 'a-b', 'x1y', `a${'b'.repeat(62)}c`];
    const bad = ['a', 'ab', '-abc', 'abc-', 'ABC', 'a_b', 'a b', `a${'b'.repeat(63)}c`];
    const answered: Record<string, number> = {};
    for (const slug of [...good, ...bad]) answered[slug] = (await create(slug)).statusCode;
    expect(answered).toEqual(Object.fromEntries([...good.map((s) => [s, 201]), ...bad.map((s) => [s, 422])]));
  });

  it('a declined card on a link records a failed payment and registers nobody', async () => {
    const link = await createPaymentLink(pd, brand, { title: 'Declines' });
    const customersBefore = await customerCount(pd, brand);
    const problem = expectProblem(await pay(pd, link.url, payer({ card: CARDS.declined })), 402, 'card_declined');
    const txn = await fetchJson<TransactionJson>(pd, brand, `/transactions/${problem.transaction_id}`);
    expect(txn).toMatchObject({ status: 'failed', payment_link_id: link.id, customer_id: null });
    expect(await customerCount(pd, brand)).toBe(customersBefore);
  });
});
