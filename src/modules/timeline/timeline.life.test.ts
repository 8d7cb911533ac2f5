import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { customersApi, expectInvalidFields, expectProblem } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { byKey, notesApi } from '../../../test/support/notes.js';
import {
  CARDS,
  createCheckout,
  createPaymentLink,
  openInvoice,
  paid,
  pay,
  payer,
  refund,
  v1,
  type ListJson,
} from '../../../test/support/payments.js';
import { newUser } from '../../../test/support/users.js';
import { imagesApi, sampleImage } from '../../../test/support/images.js';
import type { CustomerEventView } from './customer-event.schemas.js';

type EventJson = CustomerEventView;

// The life of one customer, scripted through the API: every change leaves its event, in order,
// written with the change; a change that rolls back leaves none.
describeBackends('the customer timeline (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let customerId: string;
  const email = `life.${Date.now()}@example.com`;
  const timeline = async (query = 'limit=100') =>
    (await v1(pd, brand.token).get(`/customers/${customerId}/timeline?${query}`)).json<ListJson<EventJson>>();

  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '1' });
    brand = await pd.newBrand();
    const api = v1(pd, brand.token);
    // Created by a checkout.
    const checkout = await createCheckout(pd, brand, { amount: 30000 });
    customerId = paid(await pay(pd, `/checkout/${checkout.token}`, payer({ email, name: 'Life Person' }))).customer_id!;
    // Edited (the phone), linked to a site account, paid again, declined, refunded.
    expect((await customersApi(pd, brand.token).update(customerId, { phone: '01711000999' })).statusCode).toBe(200);
    const user = await newUser(pd, brand, { email });
    expect(user.customer).toBe(customerId);
    const link = await createPaymentLink(pd, brand, { amount: 12000 });
    const payment = paid(await pay(pd, link.url, payer({ email })));
    expect((await pay(pd, link.url, payer({ email, card: CARDS.declined }))).statusCode).toBe(402);
    expect((await refund(pd, brand.token, payment.transaction_id, 2000)).statusCode).toBe(201);
    // Invoiced (issued, then paid), and another invoice voided.
    const invoice = await openInvoice(pd, brand, { customer_id: customerId });
    paid(await pay(pd, invoice.public_url, { card: CARDS.ok }));
    const second = await openInvoice(pd, brand, { customer_id: customerId });
    expect((await api.post(`/invoices/${second.id}/void`)).statusCode).toBe(200);
    // A note, a reveal by a masked role, an order paid offline.
    expect((await notesApi(byKey(pd, brand.token), customerId).add('Called about delivery')).statusCode).toBe(201);
    const support = await pd.keyFor(brand, 'support');
    const revealed = await v1(pd, support).post(`/customers/${customerId}/reveal`, {
      reason: 'Delivery question, ticket 88',
    });
    expect(revealed.statusCode).toBe(200);
    const order = await api.post('/orders', {
      currency: 'BDT',
      line_items: [{ description: 'Tea', quantity: 1, unit_amount: 5000 }],
      customer: customerId,
    });
    expect(order.statusCode).toBe(201);
    expect((await api.post(`/orders/${order.json<{ id: string }>().id}/payments`, { method: 'cash' })).statusCode).toBe(
      200,
    );
    // An image, then a new one, then none.
    const images = imagesApi(pd, brand.token);
    expect((await images.put(customerId, await sampleImage('png'), 'image/png')).statusCode).toBe(200);
    expect((await images.put(customerId, await sampleImage('jpeg'), 'image/jpeg')).statusCode).toBe(200);
    expect((await images.remove(customerId)).statusCode).toBe(204);
  });
  afterAll(() => pd.close());

  it('holds every event of that life, newest first, with what each is about', async () => {
    const events = (await timeline()).data;
    expect(events.map((e) => e.type).reverse()).toEqual([
      'customer.created',
      'payment.succeeded',
      'customer.updated',
      'customer.user_linked',
      'payment.succeeded',
      'payment.failed',
      'refund.created',
      'invoice.issued',
      'payment.succeeded',
      'invoice.paid',
      'invoice.issued',
      'invoice.voided',
      'note.added',
      'customer.revealed',
      'order.created',
      'order.paid',
      'image.updated',
      'image.updated',
      'image.removed',
    ]);
    const byType = (type: string) => events.filter((e) => e.type === type).reverse();
    expect(byType('customer.created')[0]).toMatchObject({ source: 'checkout', actor: { type: 'system' } });
    expect(byType('customer.updated')[0]).toMatchObject({
      fields: ['phone'],
      actor: { type: 'api_key', name: 'test' },
    });
    expect(byType('customer.user_linked')[0]).toMatchObject({ how: 'registration' });
    expect(byType('payment.succeeded')[1]).toMatchObject({
      source: 'payment_link',
      amount: { amount: 12000, currency: 'BDT' },
    });
    expect(byType('refund.created')[0]).toMatchObject({ amount: { amount: 2000, currency: 'BDT' } });
    expect(byType('customer.revealed')[0]).toMatchObject({ actor: { type: 'api_key', name: 'test support' } });
    expect(byType('order.paid')[0]!.order).toMatch(/^ord_/);
    const times = events.map((e) => Date.parse(e.created_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('keeps personal data out of the stored events', async () => {
    const rows = await pd.rawQuery('SELECT refs::text AS refs, type FROM customer_events WHERE customer_id = $1', [
      customerId,
    ]);
    const stored = JSON.stringify(rows).toLowerCase();
    for (const secret of [email, 'life person', '1711000999', 'ticket 88', 'called about delivery']) {
      expect(stored).not.toContain(secret);
    }
  });

  it('filters by kind and pages by cursor without repeats', async () => {
    expect((await timeline('kind=invoice')).data.map((e) => e.type)).toEqual([
      'invoice.voided',
      'invoice.issued',
      'invoice.paid',
      'invoice.issued',
    ]);
    const all = (await timeline()).data.map((e) => e.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ListJson<EventJson> = await timeline(`limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expectInvalidFields(await v1(pd, brand.token).get(`/customers/${customerId}/timeline?kind=gossip`), ['kind']);
  });

  it('leaves no event for a change that rolled back', async () => {
    const before = (await timeline()).data.length;
    // The phone would change and its event be written, then the link to an unknown user fails: all rolls back.
    const refused = await customersApi(pd, brand.token).update(customerId, {
      phone: '01711000111',
      user: 'usr_000000000000000000000000zz',
    });
    expectInvalidFields(refused, ['user']);
    expect((await timeline()).data.length).toBe(before);
    expect((await customersApi(pd, brand.token).get(customerId)).json<{ phone: string }>().phone).toBe(
      '+8801711000999',
    );
  });

  it('shows the timeline to every role that reads the customer, and to no other brand', async () => {
    const viewer = await pd.keyFor(brand, 'viewer');
    expect((await v1(pd, viewer).get(`/customers/${customerId}/timeline`)).statusCode).toBe(200);
    const developer = await pd.keyFor(brand, 'developer');
    expectProblem(await v1(pd, developer).get(`/customers/${customerId}/timeline`), 403, 'forbidden');
    const other = await pd.newBrand();
    expectProblem(await v1(pd, other.token).get(`/customers/${customerId}/timeline`), 404, 'customer_not_found');
  });
});
