import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DB } from '../../db/schema.js';
import { newId } from '../../ids.js';
import { describeBackends } from '../../../test/support/backends.js';
import { customersApi, expectProblem, newCustomer } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { newOrder, orderCheckout, ordersApi } from '../../../test/support/orders.js';
import {
  CARDS,
  createCheckout,
  createPaymentLink,
  ledgerRows,
  openInvoice,
  paid,
  pay,
  payer,
  refund,
  v1,
} from '../../../test/support/payments.js';
import { newUser } from '../../../test/support/users.js';
import { startWebhookReceiver } from '../../../test/support/webhook-receiver.js';

// What migration 0015's triggers write to the outbox, read back through GET /events: one event per
// change, about the right object; nothing for a change that rolled back or a request refused; and
// nothing personal in the outbox, nor in an erased customer's events.

interface EventJson {
  id: string;
  type: string;
  data: { object: { id: string; object: string; deleted?: boolean }; merged_customer?: string };
}
interface DeliveryJson {
  id: string;
  event_id: string;
  event_type: string;
  status: string;
}

describeBackends('Webhook events (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    paydesk = await startTestPaydesk(
      backend,
      { PAYDESK_WEBHOOK_ALLOW_PRIVATE: '1', PAYDESK_WEBHOOK_TIMEOUT_MS: '2000' },
      { webhooks: { pollMs: 20, retryDelaysMs: [50, 50, 50] } },
    );
    brand = await paydesk.newBrand();
  });
  afterAll(async () => {
    await paydesk?.close();
    await receiver?.close();
  });

  /** The brand's events about one object (of one type), through the API as the owner sees them. */
  const eventsOf = async (objectId: string, type?: string, of: TestBrand = brand) => {
    const query = new URLSearchParams({ object_id: objectId, limit: '100', ...(type ? { type } : {}) });
    const response = await v1(paydesk, of.token).get(`/events?${query.toString()}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ data: EventJson[] }>().data;
  };
  /** Exactly one event of this type about this object, and its object is that one. */
  const expectOneEvent = async (objectId: string, type: string, objectType: string) => {
    const events = await eventsOf(objectId, type);
    expect(events.map((e) => e.type)).toEqual([type]);
    expect(events[0]!.data.object).toMatchObject({ id: objectId, object: objectType });
    return events[0]!;
  };
  /** Every type announced about an object, oldest first. */
  const typesOf = async (objectId: string) => (await eventsOf(objectId)).map((e) => e.type).reverse();
  /** Every event of a brand (one that stays under a page). */
  const allEvents = async (of: TestBrand) => {
    const response = await v1(paydesk, of.token).get('/events?limit=100');
    const page = response.json<{ data: EventJson[]; has_more: boolean }>();
    expect(page.has_more).toBe(false);
    return page.data;
  };
  const declinedPayment = async (path: string) => {
    const problem = expectProblem(await pay(paydesk, path, payer({ card: CARDS.declined })), 402, 'card_declined');
    return problem.transaction_id as string;
  };

  it('customer.created: once for an API create, with the customer as its object', async () => {
    const customer = await newCustomer(paydesk, brand);
    await expectOneEvent(customer.id, 'customer.created', 'customer');
    expect(await typesOf(customer.id)).toEqual(['customer.created']);
  });

  it('a payment link and a checkout paid by a new payer: customer.created and payment.succeeded once each', async () => {
    const link = await createPaymentLink(paydesk, brand);
    const checkout = await createCheckout(paydesk, brand);
    for (const path of [link.url, checkout.url]) {
      const result = paid(await pay(paydesk, path, payer()));
      expect(await typesOf(result.customer_id!)).toEqual(['customer.created']);
      await expectOneEvent(result.customer_id!, 'customer.created', 'customer');
      expect(await typesOf(result.transaction_id)).toEqual(['payment.succeeded']);
      await expectOneEvent(result.transaction_id, 'payment.succeeded', 'transaction');
    }
  });

  it('payment.failed: once for a declined card on a payment link and on a checkout', async () => {
    const link = await createPaymentLink(paydesk, brand);
    const checkout = await createCheckout(paydesk, brand);
    for (const path of [link.url, checkout.url]) {
      const transactionId = await declinedPayment(path);
      expect(await typesOf(transactionId)).toEqual(['payment.failed']);
      const event = await expectOneEvent(transactionId, 'payment.failed', 'transaction');
      expect(event.data.object).toMatchObject({ status: 'failed' });
    }
  });

  it('customer.updated: once per change (name, suspension, tag), none for an edit that changes nothing', async () => {
    const customer = await newCustomer(paydesk, brand);
    const api = v1(paydesk, brand.token);
    const updates = async () => (await eventsOf(customer.id, 'customer.updated')).length;

    expect((await api.patch(`/customers/${customer.id}`, { name: 'Renamed Person' })).statusCode).toBe(200);
    expect(await updates()).toBe(1);
    expect((await api.patch(`/customers/${customer.id}`, { name: 'Renamed Person' })).statusCode).toBe(200);
    expect(await updates()).toBe(1);

    expect((await api.post(`/customers/${customer.id}/suspend`, { reason: 'abuse' })).statusCode).toBe(200);
    expect(await updates()).toBe(2);
    expect((await api.post(`/customers/${customer.id}/suspend`, { reason: 'abuse' })).statusCode).toBe(200);
    expect(await updates()).toBe(2);

    const tag = await api.post('/customer-tags', { name: `VIP ${backend}` });
    expect(tag.statusCode, tag.body).toBe(201);
    const tagId = tag.json<{ id: string }>().id;
    expect((await api.post(`/customers/${customer.id}/tags`, { tag: tagId })).statusCode).toBe(200);
    expect(await updates()).toBe(3);

    const events = await eventsOf(customer.id, 'customer.updated');
    for (const event of events) expect(event.data.object).toMatchObject({ id: customer.id, object: 'customer' });
    expect(await typesOf(customer.id)).toEqual(['customer.created', ...events.map(() => 'customer.updated')]);
  });

  // Known gap (see the report): fillMissingPhone (customer.service.ts) changes the customer without a
  // timeline row, so the timeline-fed trigger of migration 0015 announces nothing. Left failing on purpose.
  it('BUG customer.updated missing: a returning payer’s phone filling the customer’s empty phone', async () => {
    const customer = await newCustomer(paydesk, brand);
    expect(customer.phone).toBeNull();
    const link = await createPaymentLink(paydesk, brand);
    const body = payer({ name: customer.name, email: customer.email, phone: '01712345601' });
    expect(paid(await pay(paydesk, link.url, body)).customer_id).toBe(customer.id);
    const filled = await v1(paydesk, brand.token).get(`/customers/${customer.id}`);
    expect(filled.json<{ phone: string | null }>().phone).toBe('+8801712345601');
    expect((await eventsOf(customer.id, 'customer.updated')).length).toBe(1);
  });

  it('customer.deleted: once for a deleted customer without payments, its object marked deleted', async () => {
    const customer = await newCustomer(paydesk, brand);
    expect((await customersApi(paydesk, brand.token).remove(customer.id)).statusCode).toBe(204);
    const event = await expectOneEvent(customer.id, 'customer.deleted', 'customer');
    expect(event.data.object).toEqual({ id: customer.id, object: 'customer', deleted: true });
    expect(await typesOf(customer.id)).toEqual(['customer.created', 'customer.deleted']);
  });

  it('customer.merged: once, about the survivor, naming the merged customer; nothing deleted', async () => {
    const survivor = await newCustomer(paydesk, brand);
    const merged = await newCustomer(paydesk, brand);
    const response = await v1(paydesk, brand.token).post(`/customers/${survivor.id}/merge`, {
      source_customer: merged.id,
    });
    expect(response.statusCode, response.body).toBe(200);
    const event = await expectOneEvent(survivor.id, 'customer.merged', 'customer');
    expect(event.data.merged_customer).toBe(merged.id);
    expect(await typesOf(survivor.id)).toEqual(['customer.created', 'customer.merged']);
    expect(await typesOf(merged.id)).toEqual(['customer.created']);
  });

  it('customer.user_linked: once when a site user registers with a customer’s verified email', async () => {
    const customer = await newCustomer(paydesk, brand);
    const user = await newUser(paydesk, brand, { email: customer.email });
    await expectOneEvent(customer.id, 'customer.user_linked', 'customer');
    expect(await typesOf(customer.id)).toEqual(['customer.created', 'customer.user_linked']);
    const linked = await customersApi(paydesk, brand.token).get(customer.id);
    expect(linked.json<{ user: unknown }>().user).toBe(user.id);
  });

  it('refund.created: once, about the refund; the refunded payment announces nothing more', async () => {
    const link = await createPaymentLink(paydesk, brand);
    const payment = paid(await pay(paydesk, link.url, payer()));
    const response = await refund(paydesk, brand.token, payment.transaction_id, 1000);
    expect(response.statusCode, response.body).toBe(201);
    const refundId = response.json<{ id: string }>().id;
    await expectOneEvent(refundId, 'refund.created', 'transaction');
    expect(await typesOf(refundId)).toEqual(['refund.created']);
    expect(await typesOf(payment.transaction_id)).toEqual(['payment.succeeded']);
  });

  it('invoice.created and invoice.paid: once each (finalizing announces nothing)', async () => {
    const invoice = await openInvoice(paydesk, brand);
    await expectOneEvent(invoice.id, 'invoice.created', 'invoice');
    const payment = paid(await pay(paydesk, invoice.public_url, payer()));
    await expectOneEvent(invoice.id, 'invoice.paid', 'invoice');
    expect(await typesOf(invoice.id)).toEqual(['invoice.created', 'invoice.paid']);
    expect(await typesOf(payment.transaction_id)).toEqual(['payment.succeeded']);
  });

  it('order.created and order.paid: once each, paid by card at checkout or in cash; fulfilling adds nothing', async () => {
    const byCard = await newOrder(paydesk, brand);
    await expectOneEvent(byCard.id, 'order.created', 'order');
    expect(await typesOf(byCard.customer!)).toEqual(['customer.created']);
    const session = await orderCheckout(paydesk, brand, byCard.id);
    const payment = paid(await pay(paydesk, session.url, payer()));
    await expectOneEvent(byCard.id, 'order.paid', 'order');
    expect(await typesOf(payment.transaction_id)).toEqual(['payment.succeeded']);

    const inCash = await newOrder(paydesk, brand);
    const orders = ordersApi(paydesk, brand.token);
    const cash = await orders.recordPayment(inCash.id);
    expect(cash.statusCode, cash.body).toBe(200);
    await expectOneEvent(inCash.id, 'order.paid', 'order');
    expect((await orders.fulfil(inCash.id)).statusCode).toBe(200);
    expect(await typesOf(inCash.id)).toEqual(['order.created', 'order.paid']);
    const [cashPayment] = await ledgerRows(paydesk, brand, 'order_id = $2', [inCash.id]);
    expect(await typesOf(String(cashPayment!.id))).toEqual(['payment.succeeded']);
  });

  /* ---------- Rolled back and refused changes announce nothing. ---------- */

  /** A timeline edit of the customer, and a pending payment that succeeds: the statements a change makes. */
  const changes = async (trx: Transaction<DB>, customerId: string, transactionId: string, linkId: string) => {
    await sql`INSERT INTO customer_events (merchant_id, id, customer_id, type, actor_type, actor_id, refs, created_at)
      VALUES (${brand.id}, ${newId('evt')}, ${customerId}, 'customer.updated', 'system', 'test', '{}'::jsonb, now())`.execute(
      trx,
    );
    await sql`INSERT INTO transactions (merchant_id, id, type, status, source, amount_minor, currency, base_currency,
        payment_link_id, gateway, created_at, updated_at)
      VALUES (${brand.id}, ${transactionId}, 'payment', 'pending', 'payment_link', 5000, 'BDT', 'BDT', ${linkId},
        'test', now(), now())`.execute(trx);
    await sql`UPDATE transactions SET status = 'succeeded', base_amount_minor = 5000, succeeded_at = now()
      WHERE merchant_id = ${brand.id} AND id = ${transactionId}`.execute(trx);
  };

  it('a change that rolls back announces nothing; the same statements committed announce once each', async () => {
    const customer = await newCustomer(paydesk, brand);
    const link = await createPaymentLink(paydesk, brand);
    const lost = newId('txn');
    await expect(
      paydesk.database.db.transaction().execute(async (trx) => {
        await changes(trx, customer.id, lost, link.id);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await typesOf(customer.id)).toEqual(['customer.created']);
    expect(await eventsOf(lost)).toEqual([]);

    const kept = newId('txn');
    await paydesk.database.db.transaction().execute((trx) => changes(trx, customer.id, kept, link.id));
    await expectOneEvent(customer.id, 'customer.updated', 'customer');
    await expectOneEvent(kept, 'payment.succeeded', 'transaction');
    expect(await typesOf(kept)).toEqual(['payment.succeeded']);
  });

  it('a refused request adds no event (deleting a customer with payments, a taken email)', async () => {
    const quiet = await paydesk.newBrand({ name: 'Quiet' });
    const link = await createPaymentLink(paydesk, quiet);
    const payment = paid(await pay(paydesk, link.url, payer()));
    const other = await newCustomer(paydesk, quiet);
    const before = await allEvents(quiet);
    expect(before.length).toBe(3);

    const api = customersApi(paydesk, quiet.token);
    expectProblem(await api.remove(payment.customer_id!), 409, 'has_transactions');
    expectProblem(await api.create({ name: 'Copy', email: other.email }), 409, 'email_taken');
    expectProblem(
      await api.update(other.id, { email: (await api.get(payment.customer_id!)).json<{ email: string }>().email }),
      409,
      'email_taken',
    );
    expect(await allEvents(quiet)).toEqual(before);
  });

  /* ---------- Delivery follows the endpoint's choice; nothing personal leaves after erasure. ---------- */

  it('an endpoint asking for payment.succeeded gets one delivery per payment and none for customer.created', async () => {
    const response = await v1(paydesk, brand.token).post('/webhook-endpoints', {
      url: receiver.url,
      events: ['payment.succeeded'],
    });
    expect(response.statusCode, response.body).toBe(201);
    const endpoint = response.json<{ id: string }>();
    receiver.received.length = 0;
    await newCustomer(paydesk, brand);
    const link = await createPaymentLink(paydesk, brand);
    const payment = paid(await pay(paydesk, link.url, payer()));

    const [hit] = await receiver.waitFor(1);
    expect(JSON.parse(hit!.body)).toMatchObject({
      type: 'payment.succeeded',
      data: { object: { id: payment.transaction_id } },
    });
    const url = `/webhook-endpoints/${endpoint.id}/deliveries`;
    await expect
      .poll(async () => (await v1(paydesk, brand.token).get(url)).json<{ data: DeliveryJson[] }>().data)
      .toEqual([expect.objectContaining({ event_type: 'payment.succeeded', status: 'succeeded' })]);
    expect(receiver.received).toHaveLength(1);
    expect((await v1(paydesk, brand.token).delete(`/webhook-endpoints/${endpoint.id}`)).statusCode).toBe(204);
  });

  it('customer.erased: once; after it, the customer’s events and a resent delivery hold nothing personal', async () => {
    const personal = { name: 'Tahmina Rahman', email: 'tahmina.erase@example.com', phone: '+8801712345699' };
    const response = await v1(paydesk, brand.token).post('/webhook-endpoints', {
      url: receiver.url,
      events: ['customer.created'],
      contact_data: 'full',
    });
    expect(response.statusCode, response.body).toBe(201);
    const endpoint = response.json<{ id: string }>();
    receiver.received.length = 0;
    const customer = await newCustomer(paydesk, brand, personal);
    const [first] = await receiver.waitFor(1);
    expect(first!.body).toContain(personal.email);

    const erased = await v1(paydesk, brand.token).post(`/customers/${customer.id}/erase`, { reason: 'Ticket 5120' });
    expect(erased.statusCode, erased.body).toBe(200);
    await expectOneEvent(customer.id, 'customer.erased', 'customer');
    const events = JSON.stringify(await eventsOf(customer.id));
    const deliveries = `/webhook-endpoints/${endpoint.id}/deliveries`;
    const [delivery] = (await v1(paydesk, brand.token).get(deliveries)).json<{ data: DeliveryJson[] }>().data;
    expect((await v1(paydesk, brand.token).post(`${deliveries}/${delivery!.id}/resend`)).statusCode).toBe(202);
    const [, resent] = await receiver.waitFor(2);
    expect(JSON.parse(resent!.body)).toMatchObject({ type: 'customer.created', data: { object: { id: customer.id } } });
    for (const text of [events, resent!.body]) {
      for (const value of [personal.name, personal.email, '1712345699', 'Tahmina', 'tahmina']) {
        expect(text).not.toContain(value);
      }
    }
    expect((await v1(paydesk, brand.token).delete(`/webhook-endpoints/${endpoint.id}`)).statusCode).toBe(204);
  });

  it('the outbox and its deliveries hold no personal data', async () => {
    const response = await v1(paydesk, brand.token).post('/webhook-endpoints', { url: receiver.url, events: ['*'] });
    expect(response.statusCode, response.body).toBe(201);
    const personal = { name: 'Outbox Karim', email: 'outbox.karim@example.com', phone: '+8801812345677' };
    const customer = await newCustomer(paydesk, brand, personal);
    const link = await createPaymentLink(paydesk, brand);
    paid(await pay(paydesk, link.url, payer({ name: 'Outbox Payer', email: 'outbox.payer@example.com' })));
    await v1(paydesk, brand.token).patch(`/customers/${customer.id}`, { name: 'Outbox Karim Renamed' });
    const rows = await paydesk.rawQuery(
      `SELECT (SELECT string_agg(e::text, ' ') FROM webhook_events e) AS events,
        (SELECT string_agg(d::text, ' ') FROM webhook_deliveries d) AS deliveries,
        (SELECT string_agg(a::text, ' ') FROM webhook_attempts a) AS attempts`,
    );
    const text = JSON.stringify(rows);
    expect(text).toContain(customer.id);
    for (const value of ['Outbox', 'outbox', 'karim', 'Karim', '1812345677', '@example.com']) {
      expect(text).not.toContain(value);
    }
  });
});
