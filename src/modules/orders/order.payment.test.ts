import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  newOrder,
  orderCheckout,
  ordersApi,
  setOrdersAutoCreate,
  type OrderJson,
} from '../../../test/support/orders.js';
import {
  fetchJson,
  ledgerRows,
  paid,
  pay,
  payer,
  refund,
  setExchangeRates,
  type CheckoutSessionJson,
  type TransactionJson,
} from '../../../test/support/payments.js';

// Paying orders: offline (cash, bank transfer, mobile money) and at a checkout made for the order;
// each is one transaction for the order's customer, whose aggregates reconcile with the ledger.
describeBackends('order payments (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;

  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '5' });
    brand = await pd.newBrand({ name: 'Order Payments Brand' });
  });
  afterAll(() => pd.close());

  const api = () => ordersApi(pd, brand.token);
  const customer = (id: string) => fetchJson<CustomerJson>(pd, brand, `/customers/${id}`);
  const transaction = (id: string) => fetchJson<TransactionJson>(pd, brand, `/transactions/${id}`);
  async function expectNoDrift(b: TestBrand = brand) {
    const response = await pd.request(b.token, { method: 'POST', url: '/api/v1/reconcile', payload: { fix: false } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ drift: [], fixed: 0 });
  }

  it("records a cash payment: the order's customer's transaction and aggregates, once", async () => {
    const order = await newOrder(pd, brand);
    const response = await api().recordPayment(order.id, { method: 'mobile_money', reference: ' BK8H2K1M3N ' });
    expect(response.statusCode, response.body).toBe(200);
    const paidOrder = response.json<OrderJson>();
    expect(paidOrder).toMatchObject({
      status: 'paid',
      payment_method: 'mobile_money',
      payment_reference: 'BK8H2K1M3N',
      transaction: expect.stringMatching(/^txn_/),
      paid_at: expect.any(String),
    });
    expect(await transaction(paidOrder.transaction!)).toMatchObject({
      type: 'payment',
      status: 'succeeded',
      source: 'order',
      method: 'mobile_money',
      reference: 'BK8H2K1M3N',
      order_id: order.id,
      amount: { amount: 60000, currency: 'BDT' },
      base_amount: { amount: 60000, currency: 'BDT' },
      customer_id: order.customer,
      gateway: 'offline',
      gateway_reference: null,
      card: null,
    });
    expect(await customer(order.customer!)).toMatchObject({
      transactions_count: 1,
      total_spent: { amount: 60000, currency: 'BDT' },
      last_payment_at: paidOrder.paid_at,
    });
    await expectNoDrift();

    expectProblem(await api().recordPayment(order.id, { method: 'cash' }), 409, 'order_state');
    expect((await customer(order.customer!)).transactions_count).toBe(1);
    const events = await pd.rawQuery('SELECT type FROM customer_events WHERE customer_id = $1 ORDER BY id', [
      order.customer,
    ]);
    expect(events.map((e) => e.type)).toContain('order.paid');
    const audit = await pd.rawQuery(
      "SELECT target_id, details FROM audit_events WHERE merchant_id = $1 AND action = 'order.offline_payment'",
      [brand.id],
    );
    expect(audit).toEqual([
      {
        target_id: order.id,
        details: { transaction_id: paidOrder.transaction, method: 'mobile_money', amount: 60000, currency: 'BDT' },
      },
    ]);
  });

  it('prices a foreign-currency order in the base currency, and refuses without a rate (nothing written)', async () => {
    const order = await newOrder(pd, brand, { currency: 'USD' });
    expectProblem(await api().recordPayment(order.id), 422, 'exchange_rate_missing');
    expect(await ledgerRows(pd, brand, 'customer_id = $2', [order.customer])).toHaveLength(0);
    expect((await fetchJson<OrderJson>(pd, brand, `/orders/${order.id}`)).status).toBe('open');

    await setExchangeRates(pd, brand, { USD: '117.25' });
    const paidOrder = (await api().recordPayment(order.id, { method: 'bank_transfer' })).json<OrderJson>();
    expect(await transaction(paidOrder.transaction!)).toMatchObject({
      amount: { amount: 60000, currency: 'USD' },
      base_amount: { amount: 7035000, currency: 'BDT' },
      exchange_rate: '117.25',
      method: 'bank_transfer',
      reference: null,
    });
    expect((await customer(order.customer!)).total_spent).toEqual({ amount: 7035000, currency: 'BDT' });
    await expectNoDrift();
  });

  it('refunds a cash payment without the gateway (same method, succeeded at once) and stays reconciled', async () => {
    const order = await newOrder(pd, brand);
    const paidOrder = (await api().recordPayment(order.id, { method: 'cash' })).json<OrderJson>();
    const partial = await refund(pd, brand.token, paidOrder.transaction!, 20000);
    expect(partial.statusCode, partial.body).toBe(201);
    expect(partial.json()).toMatchObject({
      type: 'refund',
      status: 'succeeded',
      method: 'cash',
      gateway: 'offline',
      gateway_reference: null,
      order_id: order.id,
      amount: { amount: 20000, currency: 'BDT' },
    });
    expect(await transaction(paidOrder.transaction!)).toMatchObject({
      status: 'partially_refunded',
      amount_refunded: { amount: 20000, currency: 'BDT' },
    });
    expect((await customer(order.customer!)).total_spent).toEqual({ amount: 40000, currency: 'BDT' });
    expect((await refund(pd, brand.token, paidOrder.transaction!)).json()).toMatchObject({ status: 'succeeded' });
    expect((await transaction(paidOrder.transaction!)).status).toBe('refunded');
    await expectNoDrift();
  });

  it("takes a checkout payment for the order's customer and marks the order paid by card", async () => {
    const order = await newOrder(pd, brand);
    const session = await orderCheckout(pd, brand, order.id);
    expect(session).toMatchObject({
      status: 'open',
      amount: { amount: 60000, currency: 'BDT' },
      description: `Order ${order.number}`,
    });
    const again = await api().checkout(order.id);
    expect(again.statusCode).toBe(200);
    expect(again.json<CheckoutSessionJson>().id).toBe(session.id);
    expect((await fetchJson<OrderJson>(pd, brand, `/orders/${order.id}`)).checkout_session).toBe(session.id);

    // Whoever types the card, the payment is the order's customer's.
    const result = paid(await pay(pd, session.url, payer()));
    expect(result.customer_id).toBe(order.customer);
    const paidOrder = await fetchJson<OrderJson>(pd, brand, `/orders/${order.id}`);
    expect(paidOrder).toMatchObject({ status: 'paid', payment_method: 'card', transaction: result.transaction_id });
    expect(await transaction(result.transaction_id)).toMatchObject({
      source: 'checkout',
      method: 'card',
      order_id: order.id,
      checkout_session_id: session.id,
      customer_id: order.customer,
    });
    expect(await customer(order.customer!)).toMatchObject({
      transactions_count: 1,
      total_spent: { amount: 60000, currency: 'BDT' },
    });
    const events = await pd.rawQuery('SELECT type FROM customer_events WHERE customer_id = $1 ORDER BY id', [
      order.customer,
    ]);
    expect(events.map((e) => e.type)).toContain('order.paid');
    expectProblem(await api().recordPayment(order.id), 409, 'order_state');
    expectProblem(await api().checkout(order.id), 409, 'order_state');
    await expectNoDrift();
  });

  it("gives a customer-less order the payer's customer when its checkout is paid", async () => {
    const other = await pd.newBrand({ name: 'No Auto Orders' });
    await setOrdersAutoCreate(pd, other, false);
    const order = await newOrder(pd, other);
    expect(order.customer).toBeNull();
    const session = await orderCheckout(pd, other, order.id);
    const result = paid(await pay(pd, session.url, payer()));
    expect(result.customer_id).toMatch(/^cus_/);
    expect(await fetchJson<OrderJson>(pd, other, `/orders/${order.id}`)).toMatchObject({
      status: 'paid',
      customer: result.customer_id,
    });
    const cashOrder = await newOrder(pd, other);
    const cash = (await ordersApi(pd, other.token).recordPayment(cashOrder.id)).json<OrderJson>();
    expect((await fetchJson<TransactionJson>(pd, other, `/transactions/${cash.transaction}`)).customer_id).toBeNull();
    await expectNoDrift(other);
  });

  it('cancels an open order: its checkout takes no payment, and a paid order cannot be cancelled', async () => {
    const order = await newOrder(pd, brand);
    const session = await orderCheckout(pd, brand, order.id);
    const cancelled = await api().cancel(order.id);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelled_at: expect.any(String) });
    expectProblem(await pay(pd, session.url, payer()), 409, 'order_state');
    expect(await ledgerRows(pd, brand, 'checkout_session_id = $2', [session.id])).toHaveLength(0);
    expectProblem(await api().recordPayment(order.id), 409, 'order_state');
    expectProblem(await api().cancel(order.id), 409, 'order_state');
    expectProblem(await api().checkout(order.id), 409, 'order_state');
    const audit = await pd.rawQuery(
      "SELECT target_id FROM audit_events WHERE action = 'order.cancel' AND target_id = $1",
      [order.id],
    );
    expect(audit).toHaveLength(1);

    const paidOrder = await newOrder(pd, brand);
    await api().recordPayment(paidOrder.id);
    expectProblem(await api().cancel(paidOrder.id), 409, 'order_state');
  });

  it('refuses an offline payment or a cancel while a card payment of the order is with the gateway', async () => {
    const order = await newOrder(pd, brand);
    const session = await orderCheckout(pd, brand, order.id);
    await pd.rawQuery('UPDATE checkout_sessions SET pending_transaction_id = $2 WHERE id = $1', [
      session.id,
      'txn_inflight',
    ]);
    expectProblem(await api().recordPayment(order.id), 409, 'payment_in_progress');
    expectProblem(await api().cancel(order.id), 409, 'payment_in_progress');
    expectProblem(await api().checkout(order.id), 409, 'payment_in_progress');
    expect((await fetchJson<OrderJson>(pd, brand, `/orders/${order.id}`)).status).toBe('open');
  });

  it('fulfils a paid order only', async () => {
    const order = await newOrder(pd, brand);
    expectProblem(await api().fulfil(order.id), 409, 'order_state');
    await api().recordPayment(order.id);
    const fulfilled = await api().fulfil(order.id);
    expect(fulfilled.statusCode, fulfilled.body).toBe(200);
    expect(fulfilled.json()).toMatchObject({ status: 'fulfilled', fulfilled_at: expect.any(String) });
    expectProblem(await api().fulfil(order.id), 409, 'order_state');
    expectProblem(await api().cancel(order.id), 409, 'order_state');
    const known = await newCustomer(pd, brand);
    expect((await api().list(`status=fulfilled&customer=${known.id}`)).json()).toMatchObject({ data: [] });
  });
});
