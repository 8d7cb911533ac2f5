import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectInvalidFields, expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  buyerDetails,
  newOrder,
  orderBody,
  ordersApi,
  setOrdersAutoCreate,
  type OrderJson,
} from '../../../test/support/orders.js';
import { customerCount, fetchJson } from '../../../test/support/payments.js';
import { newUser } from '../../../test/support/users.js';

// Creating orders: who the buyer is (new, known, no customer at all), what is refused, replays.
describeBackends('create orders (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;

  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand({ name: 'Order Brand' });
  });
  afterAll(() => pd.close());

  const api = () => ordersApi(pd, brand.token);
  const events = (customerId: string) =>
    pd.rawQuery('SELECT type, refs FROM customer_events WHERE merchant_id = $1 AND customer_id = $2 ORDER BY id', [
      brand.id,
      customerId,
    ]);

  it('creates the customer (source order) for a new email, numbers the order and totals its lines', async () => {
    const details = buyerDetails({ phone: '01711000111' });
    const order = await newOrder(pd, brand, { customer_details: details });
    expect(order).toMatchObject({
      object: 'order',
      number: expect.stringMatching(/^ORD-\d{6}$/),
      status: 'open',
      user: null,
      buyer: null,
      contact_masked: false,
      currency: 'BDT',
      total: { amount: 60000, currency: 'BDT' },
      checkout_session: null,
      transaction: null,
      payment_method: null,
      paid_at: null,
    });
    expect(order.id).toMatch(/^ord_/);
    expect(order.line_items[0]).toEqual({
      description: 'Nakshi kantha',
      quantity: 2,
      unit_amount: { amount: 25000, currency: 'BDT' },
      amount: { amount: 50000, currency: 'BDT' },
    });
    const customer = await fetchJson<CustomerJson>(pd, brand, `/customers/${order.customer}`);
    expect(customer).toMatchObject({
      source: 'order',
      email: details.email,
      name: details.name,
      phone: '+8801711000111',
      transactions_count: 0,
    });
    expect((await events(customer.id)).map((e) => e.type)).toEqual(['customer.created', 'order.created']);
    expect(await fetchJson<OrderJson>(pd, brand, `/orders/${order.id}`)).toEqual(order);

    const next = await newOrder(pd, brand);
    expect(Number(next.number.slice(4))).toBe(Number(order.number.slice(4)) + 1);
  });

  it('links a known email, in any case, to the existing customer and creates none', async () => {
    const existing = await newCustomer(pd, brand);
    const before = await customerCount(pd, brand);
    const order = await newOrder(pd, brand, {
      customer_details: { email: `  ${existing.email.toUpperCase()} `, name: 'Someone Else' },
    });
    expect(order.customer).toBe(existing.id);
    expect(order.buyer).toBeNull();
    expect(await customerCount(pd, brand)).toBe(before);
    // The customer's own name stays what it was.
    expect((await fetchJson<CustomerJson>(pd, brand, `/customers/${existing.id}`)).name).toBe(existing.name);
  });

  it('takes an existing customer by id, and lists orders per customer and per brand', async () => {
    const customer = await newCustomer(pd, brand);
    const first = await newOrder(pd, brand, { customer: customer.id, customer_details: undefined });
    const second = await newOrder(pd, brand, { customer: customer.id, customer_details: undefined });
    expect(first.customer).toBe(customer.id);

    const mine = await api().ofCustomer(customer.id, 'limit=1');
    expect(mine.statusCode, mine.body).toBe(200);
    const page = mine.json<{ data: OrderJson[]; has_more: boolean; next_cursor: string }>();
    expect(page.data.map((o) => o.id)).toEqual([second.id]);
    expect(page.has_more).toBe(true);
    const rest = (await api().ofCustomer(customer.id, `limit=5&cursor=${page.next_cursor}`)).json<{
      data: OrderJson[];
      has_more: boolean;
    }>();
    expect(rest.data.map((o) => o.id)).toEqual([first.id]);
    expect(rest.has_more).toBe(false);

    const filtered = (await api().list(`customer=${customer.id}&status=open`)).json<{ data: OrderJson[] }>();
    expect(filtered.data.map((o) => o.id)).toEqual([second.id, first.id]);
    expect((await api().list('status=fulfilled')).json<{ data: OrderJson[] }>().data).toEqual([]);
    expectProblem(await api().ofCustomer('cus_nosuchcustomer'), 404, 'customer_not_found');
  });

  it("with the brand's orders switch off: a known email links, a new one creates nothing and keeps the buyer", async () => {
    const other = await pd.newBrand({ name: 'Switch Off Brand' });
    await setOrdersAutoCreate(pd, other, false);
    const known = await newCustomer(pd, other);
    const linked = await newOrder(pd, other, { customer_details: { email: known.email, name: 'X' } });
    expect(linked.customer).toBe(known.id);

    const before = await customerCount(pd, other);
    const details = buyerDetails({ phone: '+8801711000222' });
    const order = await newOrder(pd, other, { customer_details: details });
    expect(order.customer).toBeNull();
    expect(order.buyer).toEqual({ name: details.name, email: details.email, phone: '+8801711000222' });
    expect(await customerCount(pd, other)).toBe(before);

    const viewer = await pd.keyFor(other, 'viewer');
    const seen = (await ordersApi(pd, viewer).get(order.id)).json<OrderJson>();
    expect(seen.contact_masked).toBe(true);
    expect(seen.buyer).toEqual({
      name: details.name,
      email: `b•••@example.com`,
      phone: '+880•••••••222',
    });
    expect(JSON.stringify(seen)).not.toContain(String(details.email));
  });

  it('answers 422 naming the fields it refuses', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [orderBody({ line_items: [] }), ['line_items']],
      [orderBody({ currency: 'XYZ' }), ['currency']],
      [orderBody({ currency: 'B1' }), ['currency']],
      [orderBody({ customer: 'cus_nosuchcustomer', customer_details: undefined }), ['customer']],
      [orderBody({ customer: 'not-an-id', customer_details: undefined }), ['customer']],
      [orderBody({ customer_details: undefined }), ['customer_details']],
      [
        orderBody({ customer_details: { email: 'nope', name: ' ' } }),
        ['customer_details.email', 'customer_details.name'],
      ],
      [orderBody({ customer_details: buyerDetails({ phone: '12' }) }), ['customer_details.phone']],
      [orderBody({ line_items: [{ description: '  ', quantity: 1, unit_amount: 100 }] }), ['line_items.0.description']],
      [
        orderBody({ line_items: [{ description: 'Gold', quantity: 100_000, unit_amount: 100_000_000_000_000 }] }),
        ['line_items'],
      ],
      [orderBody({ user: 'usr_nosuchuser' }), ['user']],
    ];
    const before = await customerCount(pd, brand);
    for (const [body, fields] of cases) expectInvalidFields(await api().create(body), fields);
    // Another brand's customer is not this brand's.
    const elsewhere = await pd.newBrand({ name: 'Elsewhere' });
    const theirs = await newCustomer(pd, elsewhere);
    expectInvalidFields(await api().create(orderBody({ customer: theirs.id, customer_details: undefined })), [
      'customer',
    ]);
    expect(await customerCount(pd, brand)).toBe(before);
  });

  it("takes a site user alone as their linked customer's order, and asks for details when none is linked", async () => {
    const user = await newUser(pd, brand);
    const customer = user.customer ?? (await newCustomer(pd, brand, { user: user.id })).id;
    const order = await newOrder(pd, brand, { user: user.id, customer_details: undefined });
    expect(order).toMatchObject({ customer: customer, user: user.id });
    expect((await api().list(`user=${user.id}`)).json<{ data: OrderJson[] }>().data.map((o) => o.id)).toEqual([
      order.id,
    ]);

    await pd.rawQuery('UPDATE customers SET user_id = NULL WHERE merchant_id = $1 AND id = $2', [brand.id, customer]);
    expectInvalidFields(await api().create(orderBody({ user: user.id, customer_details: undefined })), [
      'customer_details',
    ]);
    const withDetails = await newOrder(pd, brand, { user: user.id });
    expect(withDetails.user).toBe(user.id);
    expect(withDetails.customer).toMatch(/^cus_/);
  });

  it('replays an Idempotency-Key: one order, the same answer, and 422 for the key with another body', async () => {
    const body = orderBody();
    const headers = { 'idempotency-key': `order-${Date.now()}` };
    const first = await api().create(body, headers);
    expect(first.statusCode, first.body).toBe(201);
    const again = await api().create(body, headers);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const [row] = await pd.rawQuery(
      'SELECT count(*)::int AS n FROM orders WHERE merchant_id = $1 AND customer_id = $2',
      [brand.id, first.json<OrderJson>().customer],
    );
    expect(row?.n).toBe(1);
    expectProblem(await api().create(orderBody(), headers), 422, 'idempotency_key_reused');
  });

  it('makes one customer for one new email under 20 concurrent orders', async () => {
    const details = buyerDetails();
    const before = await customerCount(pd, brand);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => api().create(orderBody({ customer_details: details }))),
    );
    for (const response of responses) expect(response.statusCode, response.body).toBe(201);
    const customers = new Set(responses.map((r) => r.json<OrderJson>().customer));
    expect(customers.size).toBe(1);
    expect(await customerCount(pd, brand)).toBe(before + 1);
    expect(new Set(responses.map((r) => r.json<OrderJson>().number)).size).toBe(20);
    const [customerId] = [...customers];
    expect((await events(String(customerId))).filter((e) => e.type === 'customer.created')).toHaveLength(1);
  });
});
