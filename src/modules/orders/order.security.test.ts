import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../access/permissions.js';
import { describeBackends } from '../../../test/support/backends.js';
import { expectProblem, newCustomer } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  buyerDetails,
  newOrder,
  orderBody,
  ordersApi,
  setOrdersAutoCreate,
  type OrderJson,
  type OrderListJson,
} from '../../../test/support/orders.js';

// Who may do what with orders, other brands' orders, and the buyer's contact at rest.
describeBackends('orders security (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;

  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand({ name: 'Secure Orders' });
  });
  afterAll(() => pd.close());

  it("answers another brand's key with 404 for the order, and never lists it", async () => {
    const order = await newOrder(pd, brand);
    const other = await pd.newBrand({ name: 'Other Brand' });
    const theirs = ordersApi(pd, other.token);
    for (const response of [
      await theirs.get(order.id),
      await theirs.recordPayment(order.id),
      await theirs.checkout(order.id),
      await theirs.cancel(order.id),
      await theirs.fulfil(order.id),
      await theirs.get('ord_nosuchorder'),
      await theirs.get('not-an-id'),
    ]) {
      expectProblem(response, 404, 'order_not_found');
    }
    expect((await theirs.list()).json<OrderListJson>().data).toEqual([]);
    expect((await theirs.list(`customer=${order.customer}`)).json<OrderListJson>().data).toEqual([]);
    expectProblem(await theirs.ofCustomer(order.customer!), 404, 'customer_not_found');
    expect((await ordersApi(pd, brand.token).get(order.id)).statusCode).toBe(200);
  });

  it('lets each role do what the role table says', async () => {
    const customer = await newCustomer(pd, brand);
    // [role, read, create, record payment, read the customer's orders]
    const table: [Role, boolean, boolean, boolean, boolean][] = [
      ['owner', true, true, true, true],
      ['manager', true, true, true, true],
      ['support', true, false, false, true],
      ['viewer', true, false, false, true],
      ['developer', true, true, true, false],
    ];
    for (const [role, read, create, recordPayment, customerOrders] of table) {
      const api = ordersApi(pd, await pd.keyFor(brand, role));
      const order = await newOrder(pd, brand, { customer: customer.id, customer_details: undefined });
      const expectAllowed = (status: number, allowed: boolean, ok: number) =>
        expect({ role, status }).toEqual({ role, status: allowed ? ok : 403 });
      expectAllowed((await api.get(order.id)).statusCode, read, 200);
      expectAllowed((await api.list()).statusCode, read, 200);
      expectAllowed((await api.ofCustomer(customer.id)).statusCode, customerOrders, 200);
      expectAllowed((await api.create(orderBody())).statusCode, create, 201);
      expectAllowed((await api.checkout(order.id)).statusCode, create, 201);
      expectAllowed((await api.recordPayment(order.id)).statusCode, recordPayment, 200);
      const cancelled = await api.cancel((await newOrder(pd, brand)).id);
      expectAllowed(cancelled.statusCode, create, 200);
      if (!create) expect(cancelled.json()).toMatchObject({ code: 'forbidden', permission: 'orders.write' });
    }
  });

  it("shows the buyer's contact masked to roles without raw contact access", async () => {
    const other = await pd.newBrand({ name: 'Masked Buyers' });
    await setOrdersAutoCreate(pd, other, false);
    const details = buyerDetails({ email: `amina.${Date.now()}@example.com`, phone: '01711000333' });
    const order = await newOrder(pd, other, { customer_details: details });
    for (const role of ['support', 'viewer', 'developer'] as const) {
      const seen = (await ordersApi(pd, await pd.keyFor(other, role)).get(order.id)).json<OrderJson>();
      expect({ role, buyer: seen.buyer, masked: seen.contact_masked }).toEqual({
        role,
        buyer: { name: details.name, email: 'a•••@example.com', phone: '+880•••••••333' },
        masked: true,
      });
    }
    const manager = (await ordersApi(pd, await pd.keyFor(other, 'manager')).get(order.id)).json<OrderJson>();
    expect(manager.buyer).toEqual({ name: details.name, email: details.email, phone: '+8801711000333' });
    const listed = (await ordersApi(pd, await pd.keyFor(other, 'viewer')).list()).json<OrderListJson>();
    expect(JSON.stringify(listed)).not.toContain(String(details.email));
  });

  it("keeps no plaintext of the buyer's email or name in any column of orders (or its timeline and audit)", async () => {
    const other = await pd.newBrand({ name: 'At Rest' });
    const email = `plain.${Date.now()}@example.com`;
    const name = `Plaintext Person ${Date.now()}`;
    const withCustomer = await newOrder(pd, other, { customer_details: { email, name, phone: '01711000444' } });
    await ordersApi(pd, other.token).recordPayment(withCustomer.id, { method: 'cash' });
    await ordersApi(pd, other.token).cancel((await newOrder(pd, other, { customer_details: { email, name } })).id);
    await setOrdersAutoCreate(pd, other, false);
    const kept = await newOrder(pd, other, {
      customer_details: { email: `kept.${email}`, name: `Kept ${name}`, phone: '01711000444' },
    });
    const [row] = await pd.rawQuery('SELECT buyer_enc, data_key_id FROM orders WHERE id = $1', [kept.id]);
    expect(row?.buyer_enc).toBeInstanceOf(Uint8Array);
    expect(row?.data_key_id).not.toBeNull();

    const scan = (table: string, asBytes: string, needle: string) =>
      pd.rawQuery(`SELECT count(*)::int AS n FROM ${table} WHERE position(convert_to($1, 'UTF8') IN ${asBytes}) > 0`, [
        needle,
      ]);
    // The scan sees what is there in clear: the line items.
    expect((await scan('orders', `convert_to(line_items::text, 'UTF8')`, 'Nakshi kantha'))[0]?.n).toBeGreaterThan(0);
    for (const table of ['orders', 'customer_events', 'audit_events', 'transactions', 'idempotency_keys']) {
      const columns = await pd.rawQuery(
        `SELECT column_name, data_type FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1
           AND data_type IN ('text', 'bytea', 'jsonb', 'character varying')`,
        [table],
      );
      expect(columns.length).toBeGreaterThan(0);
      for (const { column_name: column, data_type: type } of columns) {
        const asBytes = type === 'bytea' ? `"${String(column)}"` : `convert_to("${String(column)}"::text, 'UTF8')`;
        for (const needle of [email, name, '8801711000444']) {
          const found = await scan(table, asBytes, needle);
          expect({ table, column, needle, n: found[0]?.n }).toEqual({ table, column, needle, n: 0 });
        }
      }
    }
  });
});
