import { customerBody, type TestBrand, type TestPaydesk } from './harness.js';
import { newOrder } from './orders.js';
import { createCheckout, createInvoice, createPaymentLink, openInvoice, pay, payer } from './payments.js';
import { newStaff } from './staff.js';
import { newUser } from './users.js';
import type { IdPool } from './openapi-requests.js';

/*
 * One record of every kind a write endpoint's path can name, made through the API for a brand, so
 * the property tests' paths hit real rows (and paid, finalized, linked ones) rather than only 404s.
 */

export interface BrandRecords {
  /** The path segment before an id → the brand's ids of that kind (as IdPool.bySegment). */
  bySegment: Record<string, string[]>;
}

function created<T>(what: string, response: { statusCode: number; body: string; json: () => unknown }): T {
  if (response.statusCode !== 201 && response.statusCode !== 200) {
    throw new Error(`${what}: ${response.statusCode} ${response.body}`);
  }
  return response.json() as T;
}

export async function makeBrandRecords(pd: TestPaydesk, brand: TestBrand): Promise<BrandRecords> {
  const post = (url: string, payload: Record<string, unknown>) =>
    pd.request(brand.token, { method: 'POST', url: `/api/v1${url}`, payload });

  const customers: { id: string }[] = [];
  for (let i = 0; i < 3; i++)
    customers.push(await created<{ id: string }>('customer', await post('/customers', customerBody())));
  const [first, second] = customers.map((c) => c.id) as [string, string];
  const note = await created<{ id: string }>(
    'note',
    await post(`/customers/${first}/notes`, { body: 'Call after 6 pm' }),
  );
  const tag = await created<{ id: string }>(
    'tag',
    await post('/customer-tags', { name: `VIP ${Date.now() % 100000}` }),
  );
  await created('tag link', await post(`/customers/${first}/tags`, { tag: tag.id }));
  const view = await created<{ id: string }>(
    'view',
    await post('/customer-views', { name: 'Top spenders', shared: true, params: {} }),
  );
  const user = await newUser(pd, brand);
  const link = await createPaymentLink(pd, brand);
  const checkout = await createCheckout(pd, brand);
  const paidCheckout = await createCheckout(pd, brand);
  const payment = (await pay(pd, `/checkout/${paidCheckout.token}`, payer())).json<{ transaction_id: string }>();
  const draft = await createInvoice(pd, brand, { customer_id: second });
  const open = await openInvoice(pd, brand);
  const order = await newOrder(pd, brand);
  const paidOrder = await newOrder(pd, brand);
  await post(`/orders/${paidOrder.id}/payments`, { method: 'cash' });
  const staff = await newStaff(pd, brand, 'support');
  // A second key of the brand's, for DELETE /api-keys/{id}: never the key the requests are sent with.
  await pd.keyFor(brand, 'viewer');
  const spareKeys = (
    await pd.rawQuery('SELECT id FROM api_keys WHERE merchant_id = $1 AND id <> $2', [
      brand.id,
      brand.principal.actor.id,
    ])
  ).map((r) => String(r.id));

  return {
    bySegment: {
      customers: customers.map((c) => c.id),
      notes: [note.id],
      tags: [tag.id],
      'customer-tags': [tag.id],
      'customer-views': [view.id],
      users: [user.id],
      'payment-links': [link.id],
      pay: [link.slug],
      'checkout-sessions': [checkout.id, paidCheckout.id],
      checkout: [checkout.token, paidCheckout.token],
      invoices: [draft.id, open.id],
      invoice: [open.public_url.split('/').pop()!],
      orders: [order.id, paidOrder.id],
      transactions: [payment.transaction_id],
      staff: [staff.id],
      'api-keys': spareKeys,
    },
  };
}

/** The id pool for one brand's requests, with another brand's ids as the foreign ones. */
export function idPool(own: BrandRecords, other: BrandRecords): IdPool {
  const all = [...new Set(Object.values(own.bySegment).flat())];
  return { bySegment: own.bySegment, foreign: [...new Set(Object.values(other.bySegment).flat())], all };
}
