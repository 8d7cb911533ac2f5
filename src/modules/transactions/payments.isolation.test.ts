import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectProblem } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  createCheckout,
  createPaymentLink,
  fetchJson,
  openInvoice,
  paid,
  pay,
  payer,
  refund,
  setExchangeRates,
  v1,
  type ListJson,
} from '../../../test/support/payments.js';

// Brand B never sees brand A's payment records: every get is the same 404 as a missing id, and
// every list is scoped (STYLE.md: "another brand's record is the same 404").
describeBackends('payments isolation between brands (%s)', (backend) => {
  let pd: TestPaydesk;
  let a: TestBrand;
  let b: TestBrand;
  const rowsOfA = { customer: '', transaction: '', invoice: '', link: '', session: '' };

  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '10' });
    a = await pd.newBrand({ name: 'Brand A' });
    b = await pd.newBrand({ name: 'Brand B' });
    const link = await createPaymentLink(pd, a, { amount: 1000 });
    const result = paid(await pay(pd, link.url, payer()));
    const invoice = await openInvoice(pd, a, { customer_id: result.customer_id });
    const session = await createCheckout(pd, a);
    await setExchangeRates(pd, a, { USD: '110' });
    Object.assign(rowsOfA, {
      customer: result.customer_id,
      transaction: result.transaction_id,
      invoice: invoice.id,
      link: link.id,
      session: session.id,
    });

    // Brand B has a little of everything too, so its lists are not trivially empty.
    const linkB = await createPaymentLink(pd, b, { amount: 2000 });
    paid(await pay(pd, linkB.url, payer()));
    await openInvoice(pd, b);
    await createCheckout(pd, b);
  });
  afterAll(() => pd.close());

  it("answers every get of brand A's records to brand B with 404", async () => {
    const asB = v1(pd, b.token);
    expectProblem(await asB.get(`/transactions/${rowsOfA.transaction}`), 404, 'transaction_not_found');
    expectProblem(await asB.get(`/invoices/${rowsOfA.invoice}`), 404, 'invoice_not_found');
    expectProblem(await asB.get(`/payment-links/${rowsOfA.link}`), 404, 'payment_link_not_found');
    expectProblem(await asB.get(`/checkout-sessions/${rowsOfA.session}`), 404, 'checkout_not_found');
    expectProblem(await asB.get(`/customers/${rowsOfA.customer}`), 404, 'customer_not_found');
    expectProblem(await asB.get(`/customers/${rowsOfA.customer}/transactions`), 404, 'customer_not_found');
    expectProblem(await asB.get(`/customers/${rowsOfA.customer}/invoices`), 404, 'customer_not_found');
  });

  it("lets brand B change none of brand A's records", async () => {
    const asB = v1(pd, b.token);
    expectProblem(await refund(pd, b.token, rowsOfA.transaction), 404, 'transaction_not_found');
    expectProblem(await asB.post(`/invoices/${rowsOfA.invoice}/void`), 404, 'invoice_not_found');
    expectProblem(await asB.post(`/invoices/${rowsOfA.invoice}/finalize`), 404, 'invoice_not_found');
    expectProblem(await asB.patch(`/payment-links/${rowsOfA.link}`, { active: false }), 404, 'payment_link_not_found');
    expectProblem(
      await asB.post('/invoices', {
        customer_id: rowsOfA.customer,
        currency: 'BDT',
        line_items: [{ description: 'x', quantity: 1, unit_amount: 1 }],
      }),
      404,
      'customer_not_found',
    );

    expect(await fetchJson(pd, a, `/transactions/${rowsOfA.transaction}`)).toMatchObject({
      status: 'succeeded',
      amount_refunded: { amount: 0 },
    });
    expect(await fetchJson(pd, a, `/invoices/${rowsOfA.invoice}`)).toMatchObject({ status: 'open' });
    expect(await fetchJson(pd, a, `/payment-links/${rowsOfA.link}`)).toMatchObject({ active: true });
  });

  it("never lists brand A's rows to brand B", async () => {
    const mine = (url: string) => fetchJson<ListJson<{ id: string }>>(pd, b, url);
    const aIds = new Set(Object.values(rowsOfA));
    for (const url of ['/transactions', '/invoices', '/payment-links', '/checkout-sessions', '/customers']) {
      const page = await mine(url);
      expect(page.data.length, url).toBeGreaterThan(0);
      expect(
        page.data.filter((row) => aIds.has(row.id)),
        url,
      ).toEqual([]);
    }
    expect((await mine(`/transactions?customer_id=${rowsOfA.customer}`)).data).toEqual([]);
    expect((await mine(`/invoices?customer_id=${rowsOfA.customer}`)).data).toEqual([]);
    expect(await fetchJson(pd, b, '/exchange-rates')).toMatchObject({ rates: [] });
  });

  it("scopes a page by brand even with a cursor forged from brand A's row", async () => {
    // A cursor is only a position (created_at, id): one naming A's row still shows B only B's rows.
    const forged = Buffer.from(
      JSON.stringify([new Date(Date.now() + 60_000).toISOString(), rowsOfA.transaction]),
    ).toString('base64url');
    const page = await fetchJson<ListJson<{ id: string }>>(pd, b, `/transactions?cursor=${forged}`);
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data.some((row) => row.id === rowsOfA.transaction)).toBe(false);
  });

  it("keeps brand settings per brand: A's registration setting does not change B's", async () => {
    expect((await v1(pd, a.token).patch('/brand/settings', { auto_register_customers: false })).statusCode).toBe(200);
    expect(await fetchJson(pd, b, '/brand')).toMatchObject({
      name: 'Brand B',
      settings: { auto_register_customers: true },
    });
    const linkB = await createPaymentLink(pd, b, { amount: 3000 });
    expect(paid(await pay(pd, linkB.url, payer())).customer_id).toMatch(/^cus_/);
  });
});
