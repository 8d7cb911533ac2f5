import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { describeBackends } from '../../../test/support/backends.js';
import { expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { CLI_TEST, rowsPerKey } from '../../../test/support/keys.js';
import { newOrder, orderCheckout, ordersApi } from '../../../test/support/orders.js';
import {
  createCheckout,
  createPaymentLink,
  fetchJson,
  ledgerRows,
  openInvoice,
  paid,
  pay,
  payer,
  type CheckoutSessionJson,
  type InvoiceJson,
} from '../../../test/support/payments.js';
import { DECLINE_LIMITS } from '../payments/index.js';
import { rotateBrandKey } from '../keys/key-rotation.service.js';

const REFUSED = "This payment can't be accepted. Please contact Refusal Brand.";

// A suspended customer's payment is refused on every public path (payment link, checkout, an
// order's checkout, invoice), before the gateway and before anything is written, without saying
// why; everyone else pays as before, and the same email pays another brand.
describeBackends('payments of a suspended customer (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let other: TestBrand;
  let suspended: CustomerJson;
  let active: CustomerJson;
  let link: { url: string };
  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '5' });
    brand = await pd.newBrand({ name: 'Refusal Brand' });
    other = await pd.newBrand({ name: 'Other Brand' });
    link = await createPaymentLink(pd, brand, { amount: 150000 });
    suspended = await newCustomer(pd, brand);
    active = await newCustomer(pd, brand);
    expect((await suspendCustomer(brand, suspended.id)).statusCode).toBe(200);
  });
  afterAll(() => pd?.close());
  afterEach(() => vi.restoreAllMocks());

  const suspendCustomer = (b: TestBrand, id: string) =>
    pd.request(b.token, { method: 'POST', url: `/api/v1/customers/${id}/suspend`, payload: { reason: 'fraudulent' } });
  const payAs = (customer: Pick<CustomerJson, 'name' | 'email'>, extra: Record<string, unknown> = {}) =>
    payer({ name: customer.name, email: customer.email, ...extra });
  const written = async (b: TestBrand, customerId: string) => ({
    ledger: (await ledgerRows(pd, b)).length,
    events: Number(
      (
        await pd.rawQuery(
          'SELECT count(*)::int AS n FROM customer_events WHERE merchant_id = $1 AND customer_id = $2',
          [b.id, customerId],
        )
      )[0]?.n,
    ),
    customers: Number(
      (await pd.rawQuery('SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1', [b.id]))[0]?.n,
    ),
  });
  /** Refused with the brand's message, the gateway never asked, nothing written. */
  const expectRefused = async (attempt: () => Promise<LightMyRequestResponse>) => {
    const before = await written(brand, suspended.id);
    const charge = vi.spyOn(pd.ctx.gateway, 'charge');
    const problem = expectProblem(await attempt(), 402, 'payment_refused');
    expect(problem.detail).toBe(REFUSED);
    expect(JSON.stringify(problem)).not.toMatch(/suspen|fraud|cus_|txn_/i);
    expect(charge).not.toHaveBeenCalled();
    expect(await written(brand, suspended.id)).toEqual(before);
  };

  it("payment link: the suspended customer's email is refused, in any case and spacing; others pay", async () => {
    await expectRefused(() => pay(pd, link.url, payAs(suspended)));
    await expectRefused(() => pay(pd, link.url, payAs(suspended, { email: `  ${suspended.email.toUpperCase()} ` })));

    expect(paid(await pay(pd, link.url, payAs(active))).customer_id).toBe(active.id);
    expect(paid(await pay(pd, link.url, payer())).customer_id).toMatch(/^cus_/);
    // The same email is another brand's customer, who is not suspended there.
    const otherLink = await createPaymentLink(pd, other, { amount: 1000 });
    const there = paid(await pay(pd, otherLink.url, payAs(suspended)));
    expect(there.customer_id).not.toBe(suspended.id);
  });

  it('checkout: refused without claiming the session, which another payer then pays', async () => {
    const session = await createCheckout(pd, brand);
    await expectRefused(() => pay(pd, `/checkout/${session.token}`, payAs(suspended)));
    expect(await fetchJson<CheckoutSessionJson>(pd, brand, `/checkout-sessions/${session.id}`)).toMatchObject({
      status: 'open',
    });
    expect(paid(await pay(pd, `/checkout/${session.token}`, payAs(active))).customer_id).toBe(active.id);
  });

  it('invoice: billed to the suspended customer (no email typed), or paid with their email, is refused', async () => {
    const billed = await openInvoice(pd, brand, { customer_id: suspended.id });
    const billedPath = new URL(billed.public_url, 'http://x').pathname;
    await expectRefused(() => pay(pd, billedPath, { card: payer().card }));
    // Typing another email does not make it someone else's payment.
    await expectRefused(() => pay(pd, billedPath, payAs(active)));
    expect(await fetchJson<InvoiceJson>(pd, brand, `/invoices/${billed.id}`)).toMatchObject({ status: 'open' });

    const unbilled = await openInvoice(pd, brand);
    const unbilledPath = new URL(unbilled.public_url, 'http://x').pathname;
    await expectRefused(() => pay(pd, unbilledPath, payAs(suspended)));
    paid(await pay(pd, unbilledPath, payAs(active)));

    const activeInvoice = await openInvoice(pd, brand, { customer_id: active.id });
    paid(await pay(pd, new URL(activeInvoice.public_url, 'http://x').pathname, { card: payer().card }));
  });

  it("order: its checkout refuses the suspended customer's payment; an offline payment staff record is kept", async () => {
    const order = await newOrder(pd, brand, { customer: suspended.id, customer_details: undefined });
    const session = await orderCheckout(pd, brand, order.id);
    await expectRefused(() => pay(pd, `/checkout/${session.token}`, { card: payer().card }));
    await expectRefused(() => pay(pd, `/checkout/${session.token}`, payAs(active)));
    expect((await ordersApi(pd, brand.token).get(order.id)).json()).toMatchObject({ status: 'open' });

    // Money already taken outside the gateway (cash on delivery) is recorded: the books must say so.
    const offline = await ordersApi(pd, brand.token).recordPayment(order.id, { method: 'cash' });
    expect(offline.statusCode, offline.body).toBe(200);
    expect(offline.json()).toMatchObject({ status: 'paid' });

    const theirs = await newOrder(pd, brand, { customer: active.id, customer_details: undefined });
    const theirSession = await orderCheckout(pd, brand, theirs.id);
    expect(paid(await pay(pd, `/checkout/${theirSession.token}`, { card: payer().card })).customer_id).toBe(active.id);
  });

  it('resume lifts the refusal', async () => {
    const customer = await newCustomer(pd, brand);
    expect((await suspendCustomer(brand, customer.id)).statusCode).toBe(200);
    expectProblem(await pay(pd, link.url, payAs(customer)), 402, 'payment_refused');
    const resumed = await pd.request(brand.token, {
      method: 'POST',
      url: `/api/v1/customers/${customer.id}/resume`,
      payload: {},
    });
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(paid(await pay(pd, link.url, payAs(customer))).customer_id).toBe(customer.id);
  });

  it('refusals count against the address like declines, so suspended emails cannot be probed without limit', async () => {
    const from = '203.0.113.77';
    const attempt = () =>
      pd.request(undefined, {
        method: 'POST',
        url: `/api/public${link.url}`,
        payload: payAs(suspended),
        remoteAddress: from,
      });
    for (let i = 0; i < DECLINE_LIMITS.perAddress; i++) expectProblem(await attempt(), 402, 'payment_refused');
    expectProblem(await attempt(), 429, 'rate_limited');
  });

  it('a customer still under the retiring email index key (a rebuild halfway) is refused too', async () => {
    const rebuilt = await pd.newBrand({ name: 'Refusal Brand' });
    await newCustomer(pd, rebuilt);
    const late = await newCustomer(pd, rebuilt);
    expect((await suspendCustomer(rebuilt, late.id)).statusCode).toBe(200);
    const controller = new AbortController();
    const { outcome } = await rotateBrandKey(pd.ctx, CLI_TEST, rebuilt.id, 'index', {
      batchSize: 1,
      settleMs: 0,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'sweeping' && p.done > 0) controller.abort();
      },
    });
    expect(outcome).toMatchObject({ status: 'stopped', done: 1, total: 2 });
    expect(Object.values(await rowsPerKey(pd, rebuilt.id, 'index'))).toEqual([1, 1]);
    const rebuiltLink = await createPaymentLink(pd, rebuilt, { amount: 1000 });
    const problem = expectProblem(await pay(pd, rebuiltLink.url, payAs(late)), 402, 'payment_refused');
    expect(problem.detail).toBe(REFUSED);
  });
});
