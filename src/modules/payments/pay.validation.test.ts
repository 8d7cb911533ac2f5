import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectInvalidFields, expectProblem } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  CARDS,
  createCheckout,
  createPaymentLink,
  customerCount,
  ledgerRows,
  openInvoice,
  paid,
  pay,
  payer,
  v1,
} from '../../../test/support/payments.js';

const card = (overrides: Record<string, unknown>) => ({ ...CARDS.ok, ...overrides });

// What a pay form can get wrong is a 422 naming the field (problem+json), checked before any
// charge: nothing reaches the ledger and no customer is made. Odd bodies are 4xx, never a 500.
describeBackends('pay page validation (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let link: { url: string };
  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '10' });
    brand = await pd.newBrand();
    link = await createPaymentLink(pd, brand, { amount: 1000 });
  });
  afterAll(() => pd.close());

  it('names card.number for a number failing the Luhn check, or not a card number at all', async () => {
    for (const number of ['4242 4242 4242 4241', '4242', '4242-4242-4242-424x', '']) {
      expectInvalidFields(await pay(pd, link.url, payer({ card: card({ number }) })), ['card.number']);
    }
    // Spaces and dashes are how people type them: accepted.
    paid(await pay(pd, link.url, payer({ card: card({ number: '4242-4242-4242-4242' }) })));
    // Any other Luhn-valid number succeeds in test mode.
    paid(await pay(pd, link.url, payer({ card: card({ number: '5555555555554444' }) })));
  });

  it('names card.exp_year for an expired card, and accepts one expiring this month', async () => {
    expectInvalidFields(await pay(pd, link.url, payer({ card: card({ exp_month: 1, exp_year: 2020 }) })), [
      'card.exp_year',
    ]);
    expectInvalidFields(await pay(pd, link.url, payer({ card: card({ exp_month: 12, exp_year: 20 }) })), [
      'card.exp_year',
    ]);
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    expectInvalidFields(
      await pay(
        pd,
        link.url,
        payer({ card: card({ exp_month: lastMonth.getUTCMonth() + 1, exp_year: lastMonth.getUTCFullYear() }) }),
      ),
      ['card.exp_year'],
    );
    paid(
      await pay(
        pd,
        link.url,
        payer({ card: card({ exp_month: now.getUTCMonth() + 1, exp_year: now.getUTCFullYear() }) }),
      ),
    );
    expectInvalidFields(await pay(pd, link.url, payer({ card: card({ exp_month: 13 }) })), ['card.exp_month']);
    expectInvalidFields(await pay(pd, link.url, payer({ card: card({ cvc: '12' }) })), ['card.cvc']);
    expectInvalidFields(await pay(pd, link.url, payer({ card: card({ cvc: 'abc' }) })), ['card.cvc']);
  });

  it('names email, name and phone when missing or invalid', async () => {
    const body = payer();
    delete body.email;
    expectInvalidFields(await pay(pd, link.url, body), ['email']);
    expectInvalidFields(await pay(pd, link.url, payer({ email: null })), ['email']);
    expectInvalidFields(await pay(pd, link.url, payer({ email: '   ' })), ['email']);
    expectInvalidFields(await pay(pd, link.url, payer({ email: 'not-an-email' })), ['email']);
    expectInvalidFields(await pay(pd, link.url, payer({ name: '' })), ['name']);
    expectInvalidFields(await pay(pd, link.url, payer({ phone: '12' })), ['phone']);
    // Every field at once, so the form can mark them all.
    expectInvalidFields(
      await pay(pd, link.url, { name: '', email: 'x', phone: 'abc', card: card({ number: '1234', cvc: '1' }) }),
      ['name', 'email', 'phone', 'card.number', 'card.cvc'],
    );
  });

  it('checks the form before any charge: a declined card with a bad email writes nothing', async () => {
    const session = await createCheckout(pd, brand);
    const invoice = await openInvoice(pd, brand);
    const before = { customers: await customerCount(pd, brand), ledger: (await ledgerRows(pd, brand)).length };
    for (const url of [link.url, session.url, invoice.public_url]) {
      expectInvalidFields(await pay(pd, url, payer({ email: 'nope', card: CARDS.declined })), ['email']);
      expectInvalidFields(await pay(pd, url, payer({ card: card({ number: '4000000000000003' }) })), ['card.number']);
    }
    expect((await ledgerRows(pd, brand)).length).toBe(before.ledger);
    expect(await customerCount(pd, brand)).toBe(before.customers);
    // And the session and invoice are still payable.
    paid(await pay(pd, session.url, payer()));
    paid(await pay(pd, invoice.public_url, payer()));
  });

  it('answers malformed bodies with a 4xx problem, never a 500', async () => {
    const send = (payload: unknown, contentType = 'application/json') =>
      pd.request(undefined, {
        method: 'POST',
        url: `/api/public${link.url}`,
        headers: { 'content-type': contentType },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
    const bodies: [unknown, string?][] = [
      [{ name: 'A', email: 'a@example.com' }],
      [{ ...payer(), card: 'card' }],
      [{ ...payer(), card: { number: 4242424242424242, exp_month: 12, exp_year: 2099, cvc: '123' } }],
      [{ ...payer(), amount: '1000' }],
      [{ ...payer(), amount: 1.5 }],
      [{ ...payer(), extra: true }],
      [{ ...payer(), card: { ...CARDS.ok, holder: 'x' } }],
      [{ ...payer(), name: 'x'.repeat(5000) }],
      [{ ...payer(), email: `${'x'.repeat(990)}@example.com` }],
      [{ ...payer(), name: 'Nul\u0000Byte' }],
      [[]],
      ['{"name":'],
      ['name=x', 'application/x-www-form-urlencoded'],
      [''],
    ];
    for (const [body, type] of bodies) {
      const response = await send(body, type);
      expect(response.statusCode, `${JSON.stringify(body)} → ${response.body}`).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, `${JSON.stringify(body)} → ${response.body}`).toBeLessThan(500);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expectInvalidFields(await send({ name: 'A', email: 'a@example.com' }), ['card']);
    expectProblem(await send('{"name":'), 400, 'invalid_json');
  });

  it('validates what staff create: links, checkout sessions and invoices', async () => {
    const api = v1(pd, brand.token);
    expectInvalidFields(
      await api.post('/payment-links', { title: 'x', currency: 'BDT', min_amount: 500, max_amount: 100 }),
      ['max_amount'],
    );
    expectInvalidFields(
      await api.post('/payment-links', { title: 'x', currency: 'BDT', amount: 100, min_amount: 50 }),
      ['min_amount'],
    );
    expectInvalidFields(await api.post('/payment-links', { title: 'x', currency: 'ZZZ', amount: 100 }), ['currency']);
    expectInvalidFields(
      await api.post('/payment-links', { title: 'x', currency: 'BDT', amount: 100, slug: 'Not A Slug' }),
      ['slug'],
    );
    expectInvalidFields(await api.post('/payment-links', { title: '   ', currency: 'BDT', amount: 100 }), ['title']);
    expectInvalidFields(await api.post('/checkout-sessions', { amount: 100, currency: 'BDT', expires_in_minutes: 4 }), [
      'expires_in_minutes',
    ]);
    expectInvalidFields(await api.post('/checkout-sessions', { amount: 0, currency: 'BDT' }), ['amount']);
    expectInvalidFields(await api.post('/invoices', { currency: 'BDT', line_items: [] }), ['line_items']);
    expectInvalidFields(
      await api.post('/invoices', { currency: 'BDT', line_items: [{ description: ' ', quantity: 1, unit_amount: 1 }] }),
      ['line_items.0.description'],
    );
    expectInvalidFields(
      await api.post('/invoices', { currency: 'BDT', line_items: [{ description: 'x', quantity: 0, unit_amount: 1 }] }),
      ['line_items.0.quantity'],
    );
    const huge = { description: 'x', quantity: 100_000, unit_amount: 100_000_000_000 };
    expectInvalidFields(await api.post('/invoices', { currency: 'BDT', line_items: [huge] }), ['line_items']);
    expectInvalidFields(
      await api.post('/invoices', {
        currency: 'BDT',
        due_date: 'tomorrow',
        line_items: [{ description: 'x', quantity: 1, unit_amount: 1 }],
      }),
      ['due_date'],
    );
    expectProblem(await pd.request(undefined, { method: 'GET', url: '/api/v1/transactions' }), 401, 'unauthenticated');
  });

  it('names the field that is wrong when a fixed-amount link is given a max_amount', async () => {
    const response = await v1(pd, brand.token).post('/payment-links', {
      title: 'x',
      currency: 'BDT',
      amount: 100,
      max_amount: 500,
    });
    expectInvalidFields(response, ['max_amount']);
  });
});
