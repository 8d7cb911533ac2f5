import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectInvalidFields, expectProblem, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  createCheckout,
  createPaymentLink,
  customerCount,
  fetchJson,
  ledgerRows,
  openInvoice,
  paid,
  pay,
  payer,
  refund,
  setExchangeRates,
  v1,
  type TransactionJson,
} from '../../../test/support/payments.js';

interface RatesJson {
  object: 'exchange_rates';
  base_currency: string;
  rates: { currency: string; rate: string; updated_at: string }[];
}

// Payments in other currencies: priced in the brand's base currency at the rate in force, kept at
// that rate for ever, and refused (nothing written) when the brand has no rate.
describeBackends('multi-currency (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '10' });
    brand = await pd.newBrand({ currency: 'BDT' });
  });
  afterAll(() => pd.close());

  const transaction = (id: string) => fetchJson<TransactionJson>(pd, brand, `/transactions/${id}`);
  const customer = (id: string) => fetchJson<CustomerJson>(pd, brand, `/customers/${id}`);

  it('sets rates and reads them back', async () => {
    const response = await v1(pd, brand.token).put('/exchange-rates', { rates: { USD: '117.25', JPY: '0.780' } });
    expect(response.statusCode, response.body).toBe(200);
    const rates = response.json<RatesJson>();
    expect(rates).toMatchObject({ object: 'exchange_rates', base_currency: 'BDT' });
    expect(rates.rates.map(({ currency, rate }) => ({ currency, rate }))).toEqual([
      { currency: 'JPY', rate: '0.78' },
      { currency: 'USD', rate: '117.25' },
    ]);
    expect(await fetchJson<RatesJson>(pd, brand, '/exchange-rates')).toEqual(rates);
  });

  it('prices a USD payment in BDT and sums the base amounts in total spent', async () => {
    await setExchangeRates(pd, brand, { USD: '117.25' });
    const usd = await createPaymentLink(pd, brand, { currency: 'USD', amount: 1000 });
    const bdt = await createPaymentLink(pd, brand, { currency: 'BDT', amount: 50000 });
    const body = payer();

    const inUsd = paid(await pay(pd, usd.url, body));
    expect(inUsd.amount).toEqual({ amount: 1000, currency: 'USD' });
    expect(await transaction(inUsd.transaction_id)).toMatchObject({
      amount: { amount: 1000, currency: 'USD' },
      base_amount: { amount: 117250, currency: 'BDT' },
      exchange_rate: '117.25',
      amount_refunded: { amount: 0, currency: 'USD' },
    });
    expect(await customer(inUsd.customer_id!)).toMatchObject({ total_spent: { amount: 117250, currency: 'BDT' } });

    const inBdt = paid(await pay(pd, bdt.url, body));
    expect(inBdt.customer_id).toBe(inUsd.customer_id);
    expect(await transaction(inBdt.transaction_id)).toMatchObject({
      base_amount: { amount: 50000, currency: 'BDT' },
      exchange_rate: null,
    });
    expect(await customer(inUsd.customer_id!)).toMatchObject({
      transactions_count: 2,
      total_spent: { amount: 167250, currency: 'BDT' },
    });
  });

  it('keeps the rate a transaction was recorded at when the rate changes later', async () => {
    await setExchangeRates(pd, brand, { USD: '117.25' });
    const usd = await createPaymentLink(pd, brand, { currency: 'USD', amount: 1000 });
    const body = payer();
    const before = paid(await pay(pd, usd.url, body));

    await setExchangeRates(pd, brand, { USD: '120' });
    const after = paid(await pay(pd, usd.url, body));

    expect(await transaction(before.transaction_id)).toMatchObject({
      base_amount: { amount: 117250 },
      exchange_rate: '117.25',
    });
    expect(await transaction(after.transaction_id)).toMatchObject({
      base_amount: { amount: 120000 },
      exchange_rate: '120',
    });
    expect(await customer(before.customer_id!)).toMatchObject({ total_spent: { amount: 237250, currency: 'BDT' } });
  });

  it('converts between currencies with different minor units (JPY has none)', async () => {
    await setExchangeRates(pd, brand, { JPY: '0.78' });
    const yen = await createPaymentLink(pd, brand, { currency: 'JPY', amount: 1000 });
    const result = paid(await pay(pd, yen.url, payer()));
    // ¥1000 × 0.78 = ৳780.00 = 78000 paisa.
    expect(await transaction(result.transaction_id)).toMatchObject({
      amount: { amount: 1000, currency: 'JPY' },
      base_amount: { amount: 78000, currency: 'BDT' },
      exchange_rate: '0.78',
    });
  });

  it('refuses a payment in a currency without a rate (422 exchange_rate_missing) and writes nothing', async () => {
    const eur = await createPaymentLink(pd, brand, { currency: 'EUR', amount: 1000 });
    const page = await pd.request(undefined, { method: 'GET', url: `/api/public${eur.url}` });
    expect(page.json()).toMatchObject({ currency: 'EUR' });
    const customersBefore = await customerCount(pd, brand);

    const problem = expectProblem(await pay(pd, eur.url, payer()), 422, 'exchange_rate_missing');
    expect(problem).toMatchObject({ currency: 'EUR', base_currency: 'BDT' });
    expect(problem.transaction_id).toBeUndefined();
    expect(await ledgerRows(pd, brand, "currency = 'EUR'")).toHaveLength(0);
    expect(await customerCount(pd, brand)).toBe(customersBefore);

    const session = await createCheckout(pd, brand, { currency: 'EUR' });
    expectProblem(await pay(pd, session.url, payer()), 422, 'exchange_rate_missing');
    const invoice = await openInvoice(pd, brand, { currency: 'EUR' });
    expectProblem(await pay(pd, invoice.public_url, payer()), 422, 'exchange_rate_missing');
    expect(await ledgerRows(pd, brand, "currency = 'EUR'")).toHaveLength(0);

    // Once the brand sets a rate, the same session can be paid.
    await setExchangeRates(pd, brand, { EUR: '127.9' });
    const result = paid(await pay(pd, session.url, payer()));
    expect(await transaction(result.transaction_id)).toMatchObject({
      base_amount: { amount: 6395000, currency: 'BDT' },
      exchange_rate: '127.9',
    });
  });

  it('rejects invalid rates with 422 naming rates.<currency>, and stores none of the request', async () => {
    const put = (rates: Record<string, string>) => v1(pd, brand.token).put('/exchange-rates', { rates });
    const stored = await fetchJson<RatesJson>(pd, brand, '/exchange-rates');

    expectInvalidFields(await put({ USD: '-1' }), ['rates.USD']);
    expectInvalidFields(await put({ USD: 'abc' }), ['rates.USD']);
    expectInvalidFields(await put({ USD: '0' }), ['rates.USD']);
    expectInvalidFields(await put({ USD: '1e3' }), ['rates.USD']);
    expectInvalidFields(await put({ BDT: '1' }), ['rates.BDT']);
    expectInvalidFields(await put({ usd: '117.25' }), ['rates.usd']);
    expectInvalidFields(await put({ XYZ: '2' }), ['rates.XYZ']);
    expectInvalidFields(await put({ GBP: '150', USD: '-5', EUR: 'abc' }), ['rates.USD', 'rates.EUR']);
    expect((await put({})).statusCode).toBe(422);
    expect(await fetchJson<RatesJson>(pd, brand, '/exchange-rates')).toEqual(stored);
  });

  it('lets only owners and admins set rates; every role of the brand may read them', async () => {
    for (const role of ['manager', 'support', 'viewer', 'developer'] as const) {
      const token = await pd.keyFor(brand, role);
      expectProblem(await v1(pd, token).put('/exchange-rates', { rates: { USD: '1' } }), 403, 'forbidden');
      expect((await v1(pd, token).get('/exchange-rates')).statusCode).toBe(200);
    }
  });

  it('refunds a foreign-currency payment in base-currency shares that add up exactly', async () => {
    await setExchangeRates(pd, brand, { USD: '117.25' });
    const usd = await createPaymentLink(pd, brand, { currency: 'USD', amount: 1000 });
    const result = paid(await pay(pd, usd.url, payer()));

    const first = await refund(pd, brand.token, result.transaction_id, 333);
    expect(first.statusCode, first.body).toBe(201);
    // 333/1000 of 117 250 = 39 044.25 → 39 044.
    expect(first.json()).toMatchObject({
      amount: { amount: 333, currency: 'USD' },
      base_amount: { amount: 39044, currency: 'BDT' },
    });
    expect(await customer(result.customer_id!)).toMatchObject({ total_spent: { amount: 117250 - 39044 } });

    await setExchangeRates(pd, brand, { USD: '200' });
    const rest = await refund(pd, brand.token, result.transaction_id);
    expect(rest.json()).toMatchObject({
      amount: { amount: 667 },
      base_amount: { amount: 78206 },
      exchange_rate: '117.25',
    });
    expect(await customer(result.customer_id!)).toMatchObject({
      transactions_count: 1,
      total_spent: { amount: 0, currency: 'BDT' },
    });
  });

  // The base amount is not bounded like the amount (MAX_AMOUNT_MINOR): past 2^53 it loses
  // precision, past bigint the success write fails after the card was charged.
  it('refuses, before charging, a payment whose base amount overflows the ledger (never a 500, never stuck)', async () => {
    await setExchangeRates(pd, brand, { USD: '999999999999' });
    const session = await createCheckout(pd, brand, { currency: 'USD', amount: 100_000_000_000_000 });
    const response = await pay(pd, session.url, payer());
    expect(response.statusCode, response.body).toBe(422);
    expect(
      await ledgerRows(pd, brand, "checkout_session_id = $2 AND status IN ('pending', 'succeeded')", [session.id]),
    ).toHaveLength(0);
    const [row] = await pd.rawQuery('SELECT pending_transaction_id FROM checkout_sessions WHERE id = $1', [session.id]);
    expect(row?.pending_transaction_id).toBeNull();
  });

  it('refuses a base amount too large to be exact, rather than recording a rounded one', async () => {
    await setExchangeRates(pd, brand, { USD: '117.25' });
    // 99 999 999 999 999 × 117.25 = 11 724 999 999 999 882.75 → 11 724 999 999 999 883: above 2^53.
    const link = await createPaymentLink(pd, brand, { currency: 'USD', amount: 99_999_999_999_999 });
    const response = await pay(pd, link.url, payer());
    expect(response.statusCode, response.body).toBe(422);
  });
});
