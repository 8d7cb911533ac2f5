import { expect } from 'vitest';
import type { Static } from '@sinclair/typebox';
import type { LightMyRequestResponse } from 'fastify';
import type { ListOf, Money } from '../../src/http/common.schemas.js';
import type { CheckoutSessionView } from '../../src/modules/checkout/checkout-session.schemas.js';
import type { InvoiceView } from '../../src/modules/invoices/invoice.schemas.js';
import type { PayResult } from '../../src/modules/payments/public.schemas.js';
import type { TransactionView } from '../../src/modules/transactions/transaction.schemas.js';
import type { TestBrand, TestPaydesk } from './harness.js';

/** Test-mode gateway cards (src/gateways/test-gateway.ts). */
export const CARDS = {
  ok: { number: '4242 4242 4242 4242', exp_month: 12, exp_year: 2099, cvc: '123' },
  declined: { number: '4000 0000 0000 0002', exp_month: 12, exp_year: 2099, cvc: '123' },
  insufficientFunds: { number: '4000000000009995', exp_month: 12, exp_year: 2099, cvc: '123' },
  slowFailure: { number: '4000000000000119', exp_month: 12, exp_year: 2099, cvc: '123' },
};

let counter = 0;
/** A unique payer with the succeeding card; override any field. */
export function payer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  const tag = `${Date.now().toString(36)}${counter}`;
  return { name: `Payer ${tag}`, email: `payer.${tag}@example.com`, card: CARDS.ok, ...overrides };
}

export async function createPaymentLink(pd: TestPaydesk, brand: TestBrand, body: Record<string, unknown> = {}) {
  const response = await pd.request(brand.token, {
    method: 'POST',
    url: '/api/v1/payment-links',
    payload: { title: 'Test link', currency: 'BDT', amount: 150000, ...body },
  });
  if (response.statusCode !== 201) throw new Error(`payment link: ${response.statusCode} ${response.body}`);
  return response.json<{ id: string; slug: string; url: string; currency: string; active: boolean }>();
}

export async function createCheckout(pd: TestPaydesk, brand: TestBrand, body: Record<string, unknown> = {}) {
  const response = await pd.request(brand.token, {
    method: 'POST',
    url: '/api/v1/checkout-sessions',
    payload: { amount: 50000, currency: 'BDT', ...body },
  });
  if (response.statusCode !== 201) throw new Error(`checkout: ${response.statusCode} ${response.body}`);
  const session = response.json<CheckoutSessionJson>();
  return { ...session, token: session.url.split('/').pop()! };
}

/** Pays a public page (`/pay/x`, `/checkout/x`, `/invoice/x`) the way its form does. */
export function pay(pd: TestPaydesk, pagePath: string, body: Record<string, unknown>) {
  return pd.request(undefined, { method: 'POST', url: `/api/public${pagePath}`, payload: body });
}

/* ---------- Issue 5 test helpers: typed views, the authenticated API, small factories. ---------- */

// The response schemas' types: one source for the server and these tests.
export type MoneyJson = Static<typeof Money>;
export type ListJson<T> = Omit<Static<ReturnType<typeof ListOf>>, 'data'> & { data: T[] };
export type PayResultJson = Static<typeof PayResult>;
export type TransactionJson = TransactionView;
export type InvoiceJson = InvoiceView;
export type CheckoutSessionJson = CheckoutSessionView;

type Json = Record<string, unknown>;

/** The authenticated API (`/api/v1`) as one API key sees it. */
export function v1(pd: TestPaydesk, token: string) {
  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: Json) =>
    pd.request(token, { method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload }) });
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload?: Json) => call('POST', url, payload ?? {}),
    put: (url: string, payload: Json) => call('PUT', url, payload),
    patch: (url: string, payload: Json) => call('PATCH', url, payload),
    delete: (url: string) => call('DELETE', url),
  };
}

/** GET an authenticated resource that must exist, as JSON. */
export async function fetchJson<T>(pd: TestPaydesk, brand: TestBrand, url: string): Promise<T> {
  const response = await v1(pd, brand.token).get(url);
  if (response.statusCode !== 200) throw new Error(`GET ${url}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
}

/** Asserts a successful public payment and returns its result. */
export function paid(response: LightMyRequestResponse): PayResultJson {
  expect(response.statusCode, response.body).toBe(200);
  const result = response.json<PayResultJson>();
  expect(result.status).toBe('succeeded');
  return result;
}

/** A draft invoice (one line of 2 × 25 000 unless overridden). */
export async function createInvoice(pd: TestPaydesk, brand: TestBrand, body: Json = {}): Promise<InvoiceJson> {
  const response = await v1(pd, brand.token).post('/invoices', {
    currency: 'BDT',
    line_items: [{ description: 'Consulting', quantity: 2, unit_amount: 25000 }],
    ...body,
  });
  if (response.statusCode !== 201) throw new Error(`invoice: ${response.statusCode} ${response.body}`);
  return response.json<InvoiceJson>();
}

/** A finalized (open) invoice, with its public pay page. */
export async function openInvoice(
  pd: TestPaydesk,
  brand: TestBrand,
  body: Json = {},
): Promise<InvoiceJson & { public_url: string }> {
  const draft = await createInvoice(pd, brand, body);
  const response = await v1(pd, brand.token).post(`/invoices/${draft.id}/finalize`);
  if (response.statusCode !== 200) throw new Error(`finalize: ${response.statusCode} ${response.body}`);
  return response.json<InvoiceJson & { public_url: string }>();
}

export async function setExchangeRates(pd: TestPaydesk, brand: TestBrand, rates: Record<string, string>) {
  const response = await v1(pd, brand.token).put('/exchange-rates', { rates });
  if (response.statusCode !== 200) throw new Error(`exchange rates: ${response.statusCode} ${response.body}`);
}

export async function setAutoRegister(pd: TestPaydesk, brand: TestBrand, on: boolean) {
  const response = await v1(pd, brand.token).patch('/brand/settings', { auto_register_customers: on });
  if (response.statusCode !== 200) throw new Error(`brand settings: ${response.statusCode} ${response.body}`);
  expect(response.json()).toMatchObject({ settings: { auto_register_customers: on } });
}

export function refund(pd: TestPaydesk, token: string, paymentId: string, amount?: number) {
  return v1(pd, token).post(`/transactions/${paymentId}/refunds`, amount === undefined ? {} : { amount });
}

/** Rows of the ledger, straight from the database (the API cannot show a row it failed to write). */
export async function ledgerRows(pd: TestPaydesk, brand: TestBrand, where = 'true', params: unknown[] = []) {
  return pd.rawQuery(
    `SELECT id, type, status, customer_id, checkout_session_id, invoice_id, payment_link_id FROM transactions
    WHERE merchant_id = $1 AND (${where}) ORDER BY created_at, id`,
    [brand.id, ...params],
  );
}

export async function customerCount(pd: TestPaydesk, brand: TestBrand): Promise<number> {
  const [row] = await pd.rawQuery('SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1', [brand.id]);
  return Number(row?.n);
}
