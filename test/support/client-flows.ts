/**
 * The program test/generated-client.test.ts writes next to the types openapi-typescript generates from
 * the served document, type-checks with the compiler and runs against the listening server: what an
 * integrator would write with openapi-fetch. It is text because its types exist only once the test has
 * generated them; it imports nothing but openapi-fetch and those types.
 */
export const CLIENT_FLOWS_SOURCE = String.raw`
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './openapi.js';

type Customer = components['schemas']['Customer'];
type Transaction = components['schemas']['Transaction'];

const CARD = { number: '4242 4242 4242 4242', exp_month: 12, exp_year: 2099, cvc: '123' };

function ok<T>(result: { data?: T; error?: unknown; response: Response }, what: string): T {
  if (result.data === undefined) {
    throw new Error(what + ': ' + result.response.status + ' ' + JSON.stringify(result.error));
  }
  return result.data;
}

export async function runFlows(baseUrl: string, apiKey: string, middleware: Middleware) {
  const client = createClient<paths>({ baseUrl, headers: { authorization: 'Bearer ' + apiKey } });
  const pub = createClient<paths>({ baseUrl });
  client.use(middleware);
  pub.use(middleware);
  const tag = Date.now().toString(36);

  // Create, with an Idempotency-Key: the same call again is a replay of the same customer.
  const body = { name: 'Ayesha Rahman', email: 'ayesha.' + tag + '@example.com', phone: '01700000000' };
  const created: Customer = ok(
    await client.POST('/api/v1/customers', { params: { header: { 'idempotency-key': 'k-' + tag } }, body }),
    'createCustomer',
  );
  const replay = await client.POST('/api/v1/customers', {
    params: { header: { 'idempotency-key': 'k-' + tag } },
    body,
  });
  const replayed = replay.response.headers.get('idempotent-replayed') === 'true' && replay.data?.id === created.id;

  // Search.
  const found = ok(await client.GET('/api/v1/customers', { params: { query: { q: 'ayesha.' + tag, limit: 5 } } }), 'search');

  // CreateOrEdit: 201 when new, 200 when the email (any case) is known.
  const upsertEmail = 'karim.' + tag + '@example.com';
  const first = await client.PUT('/api/v1/customers', { body: { name: 'Karim Ahmed', email: upsertEmail } });
  const second = await client.PUT('/api/v1/customers', {
    body: { name: 'Karim Ahmed Khan', email: upsertEmail.toUpperCase(), metadata: { shop_user: 'u-77' } },
  });
  const upserted = ok(second, 'createOrEditCustomer');

  // List with a cursor, three at a time, to the end: four customers make two pages.
  for (const name of ['Sadia Islam', 'Farhan Chowdhury']) {
    const email = name.split(' ')[0]!.toLowerCase() + '.' + tag + '@example.com';
    ok(await client.POST('/api/v1/customers', { body: { name, email } }), 'createCustomer');
  }
  const listed: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const page = ok(await client.GET('/api/v1/customers', { params: { query: { limit: 3, cursor } } }), 'listCustomers');
    pages++;
    listed.push(...page.data.map((customer) => customer.id));
    if (!page.has_more || page.next_cursor === null) break;
    cursor = page.next_cursor;
  }

  // A payment link, paid on its public page.
  const link = ok(
    await client.POST('/api/v1/payment-links', { body: { title: 'Cooking class ' + tag, currency: 'BDT', amount: 250000 } }),
    'createPaymentLink',
  );
  const linkPage = ok(await pub.GET('/api/public/pay/{slug}', { params: { path: { slug: link.slug } } }), 'getPublicPaymentLink');
  const linkPaid = ok(
    await pub.POST('/api/public/pay/{slug}', {
      params: { path: { slug: link.slug } },
      body: { name: 'Mina Akter', email: 'mina.' + tag + '@example.com', card: CARD },
    }),
    'payPaymentLink',
  );

  // Checkout: a session, paid once through the public pay API by a new client.
  const session = ok(
    await client.POST('/api/v1/checkout-sessions', { body: { amount: 349900, currency: 'BDT', description: 'Order ' + tag } }),
    'createCheckoutSession',
  );
  const token = session.url.split('/').pop() ?? '';
  const paid = ok(
    await pub.POST('/api/public/checkout/{token}', {
      params: { path: { token } },
      body: { name: 'Nadia Islam', email: 'nadia.' + tag + '@example.com', card: CARD },
    }),
    'payCheckout',
  );
  const secondPayment = await pub.POST('/api/public/checkout/{token}', {
    params: { path: { token } },
    body: { name: 'Nadia Islam', email: 'nadia.' + tag + '@example.com', card: CARD },
  });

  // Refund part of it, then read the payment back.
  const refund: Transaction = ok(
    await client.POST('/api/v1/transactions/{id}/refunds', {
      params: { path: { id: paid.transaction_id } },
      body: { amount: 100000 },
    }),
    'refundPayment',
  );
  const payment = ok(
    await client.GET('/api/v1/transactions/{id}', { params: { path: { id: paid.transaction_id } } }),
    'getTransaction',
  );
  const payerOrPointer = paid.customer_id
    ? ok(await client.GET('/api/v1/customers/{id}', { params: { path: { id: paid.customer_id } } }), 'getCustomer')
    : null;
  // A merged customer's id answers a pointer (MergedCustomer) naming the survivor: a client narrows the union.
  const payer = payerOrPointer && !('merged_into' in payerOrPointer) ? payerOrPointer : null;

  // A problem: an unknown customer, typed as the document's Problem.
  const missing = await client.GET('/api/v1/customers/{id}', { params: { path: { id: 'cus_missing' } } });

  return {
    created: { id: created.id, email: created.email, phone: created.phone, replayed },
    search: found.data.map((customer) => customer.id),
    upsert: { firstStatus: first.response.status, secondStatus: second.response.status, sameId: first.data?.id === upserted.id, id: upserted.id,
 name: upserted.name, metadata: upserted.metadata },
    list: { ids: listed, pages },
    link: { amount: linkPage.amount, paid: linkPaid.status, customerId: linkPaid.customer_id },
    checkout: { status: paid.status, amount: paid.amount, secondStatus: secondPayment.response.status, secondCode: secondPayment.error?.code },
    refund: { type: refund.type, amount: refund.amount, of: refund.refunded_transaction_id },
    payment: { status: payment.status, refunded: payment.amount_refunded },
    payer: payer && { email: payer.email, transactions: payer.transactions_count, spent: payer.total_spent },
    missing: { status: missing.response.status, code: missing.error?.code },
  };
}
`;
