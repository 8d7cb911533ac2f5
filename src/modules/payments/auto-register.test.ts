import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  createCheckout,
  createPaymentLink,
  customerCount,
  fetchJson,
  openInvoice,
  paid,
  pay,
  payer,
  setAutoRegister,
  v1,
  type CheckoutSessionJson,
  type InvoiceJson,
  type ListJson,
  type TransactionJson,
} from '../../../test/support/payments.js';

// Automatic registration: a new email becomes a customer, a known one (blind index, any case)
// gets the payment without losing what staff entered, and the brand setting turns creation off.
describeBackends('automatic registration (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let link: { url: string };
  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '10' });
    brand = await pd.newBrand();
    link = await createPaymentLink(pd, brand, { amount: 20000 });
  });
  afterAll(() => pd.close());

  const customer = (b: TestBrand, id: string) => fetchJson<CustomerJson>(pd, b, `/customers/${id}`);

  it('attaches a known email to the existing customer and never overwrites name or phone', async () => {
    const staff = await newCustomer(pd, brand, { name: 'Rahim Uddin', phone: '01711000001' });
    const before = await customerCount(pd, brand);
    const result = paid(
      await pay(pd, link.url, payer({ email: staff.email, name: 'Someone Else', phone: '01911999999' })),
    );
    expect(result.customer_id).toBe(staff.id);
    expect(await customerCount(pd, brand)).toBe(before);
    expect(await customer(brand, staff.id)).toMatchObject({
      name: 'Rahim Uddin',
      email: staff.email,
      phone: '+8801711000001',
      source: 'api',
      transactions_count: 1,
      total_spent: { amount: 20000, currency: 'BDT' },
    });
  });

  it('fills a missing phone from the payer, and only the phone', async () => {
    const staff = await newCustomer(pd, brand, { name: 'No Phone' });
    expect(staff.phone).toBeNull();
    const result = paid(
      await pay(pd, link.url, payer({ email: staff.email, name: 'Typed Name', phone: '01555123456' })),
    );
    expect(result.customer_id).toBe(staff.id);
    expect(await customer(brand, staff.id)).toMatchObject({
      name: 'No Phone',
      email: staff.email,
      phone: '+8801555123456',
    });

    // A later payment with another phone leaves the filled one alone.
    paid(await pay(pd, link.url, payer({ email: staff.email, phone: '01555000000' })));
    expect(await customer(brand, staff.id)).toMatchObject({ phone: '+8801555123456', transactions_count: 2 });
  });

  it('matches emails whatever their case, for staff-entered and self-registered customers', async () => {
    const staff = await newCustomer(pd, brand, { email: 'Mixed.Case@Example.com' });
    const result = paid(await pay(pd, link.url, payer({ email: '  MIXED.case@EXAMPLE.COM ' })));
    expect(result.customer_id).toBe(staff.id);

    const before = await customerCount(pd, brand);
    const first = paid(await pay(pd, link.url, payer({ email: 'New.Payer@Example.org' })));
    const second = paid(await pay(pd, link.url, payer({ email: 'new.payer@example.ORG' })));
    expect(second.customer_id).toBe(first.customer_id);
    expect(await customerCount(pd, brand)).toBe(before + 1);
    expect(await customer(brand, first.customer_id!)).toMatchObject({
      email: 'new.payer@example.org',
      transactions_count: 2,
      total_spent: { amount: 40000 },
    });
  });

  it('registers no one when the brand turns it off; the payment still succeeds and is listed', async () => {
    const quiet = await pd.newBrand({ name: 'Quiet' });
    await setAutoRegister(pd, quiet, false);
    expect((await fetchJson<{ settings: unknown }>(pd, quiet, '/brand')).settings).toEqual({
      auto_register_customers: false,
      auto_create_customers: { registrations: true, orders: true, payments: false },
    });
    const quietLink = await createPaymentLink(pd, quiet, { amount: 30000 });

    const result = paid(await pay(pd, quietLink.url, payer({ phone: '01711000002' })));
    expect(result.customer_id).toBeNull();
    expect(await customerCount(pd, quiet)).toBe(0);
    const txn = await fetchJson<TransactionJson>(pd, quiet, `/transactions/${result.transaction_id}`);
    expect(txn).toMatchObject({
      status: 'succeeded',
      customer_id: null,
      customer_name: null,
      amount: { amount: 30000 },
    });
    const list = await fetchJson<ListJson<TransactionJson>>(pd, quiet, '/transactions');
    expect(list.data.map((t) => t.id)).toEqual([result.transaction_id]);

    // Checkout and invoice without a customer: completed, linked to no one.
    const session = await createCheckout(pd, quiet);
    const viaCheckout = paid(await pay(pd, session.url, payer()));
    expect(viaCheckout.customer_id).toBeNull();
    expect(await fetchJson<CheckoutSessionJson>(pd, quiet, `/checkout-sessions/${session.id}`)).toMatchObject({
      status: 'complete',
      customer_id: null,
    });
    const invoice = await openInvoice(pd, quiet);
    expect(paid(await pay(pd, invoice.public_url, payer())).customer_id).toBeNull();
    expect(await fetchJson<InvoiceJson>(pd, quiet, `/invoices/${invoice.id}`)).toMatchObject({
      status: 'paid',
      customer_id: null,
    });
    expect(await customerCount(pd, quiet)).toBe(0);
  });

  it('with registration off, a known email still attaches (and fills a missing phone)', async () => {
    const quiet = await pd.newBrand({ name: 'Quiet 2' });
    await setAutoRegister(pd, quiet, false);
    const quietLink = await createPaymentLink(pd, quiet, { amount: 10000 });
    const known = await newCustomer(pd, quiet, { name: 'Known Client' });

    const result = paid(
      await pay(pd, quietLink.url, payer({ email: known.email.toUpperCase(), name: 'Other', phone: '01711000003' })),
    );
    expect(result.customer_id).toBe(known.id);
    expect(await customer(quiet, known.id)).toMatchObject({
      name: 'Known Client',
      phone: '+8801711000003',
      transactions_count: 1,
      total_spent: { amount: 10000, currency: 'BDT' },
    });
    expect(await customerCount(pd, quiet)).toBe(1);
    const txn = await fetchJson<TransactionJson>(pd, quiet, `/transactions/${result.transaction_id}`);
    expect(txn).toMatchObject({ customer_id: known.id, customer_name: 'Known Client' });

    // Turned back on: new emails register again.
    await setAutoRegister(pd, quiet, true);
    const fresh = paid(await pay(pd, quietLink.url, payer()));
    expect(fresh.customer_id).toMatch(/^cus_/);
    expect(await customerCount(pd, quiet)).toBe(2);
  });

  it('lets only owners and admins change the setting', async () => {
    for (const role of ['support', 'viewer', 'manager', 'developer'] as const) {
      const token = await pd.keyFor(brand, role);
      expectProblem(await v1(pd, token).patch('/brand/settings', { auto_register_customers: false }), 403, 'forbidden');
    }
    const admin = await pd.keyFor(brand, 'admin');
    expect((await v1(pd, admin).patch('/brand/settings', {})).json()).toMatchObject({
      settings: { auto_register_customers: true },
    });
    expect((await fetchJson<{ settings: unknown }>(pd, brand, '/brand')).settings).toEqual({
      auto_register_customers: true,
      auto_create_customers: { registrations: true, orders: true, payments: true },
    });
  });
});
