import { expect } from 'vitest';
import type { OrderListView, OrderView } from '../../src/modules/orders/order.schemas.js';
import type { TestBrand, TestPaydesk } from './harness.js';
import type { CheckoutSessionJson } from './payments.js';

/* Orders for tests (src/modules/orders): the authenticated API, bodies and factories. */

export type OrderJson = OrderView;
export type OrderListJson = OrderListView;

type Body = Record<string, unknown>;

let counter = 0;
/** A unique buyer's details: a new email each call. */
export function buyerDetails(overrides: Body = {}): Body {
  counter++;
  const tag = `${Date.now().toString(36)}${counter}`;
  return { email: `buyer.${tag}@example.com`, name: `Buyer ${tag}`, ...overrides };
}

/** An order body of 2 × 25 000 + 1 × 10 000 BDT (60 000) for a new buyer, unless overridden. */
export function orderBody(overrides: Body = {}): Body {
  return {
    currency: 'BDT',
    line_items: [
      { description: 'Nakshi kantha', quantity: 2, unit_amount: 25000 },
      { description: 'Delivery', quantity: 1, unit_amount: 10000 },
    ],
    customer_details: buyerDetails(),
    ...overrides,
  };
}

/** The orders API as one API key sees it. */
export function ordersApi(pd: TestPaydesk, token: string) {
  const call = (method: 'GET' | 'POST', url: string, payload?: Body, headers?: Record<string, string>) =>
    pd.request(token, {
      method,
      url: `/api/v1${url}`,
      ...(payload === undefined ? {} : { payload }),
      ...(headers ? { headers } : {}),
    });
  return {
    create: (body: Body, headers?: Record<string, string>) => call('POST', '/orders', body, headers),
    get: (id: string) => call('GET', `/orders/${id}`),
    list: (query = '') => call('GET', `/orders${query ? `?${query}` : ''}`),
    ofCustomer: (customerId: string, query = '') =>
      call('GET', `/customers/${customerId}/orders${query ? `?${query}` : ''}`),
    checkout: (id: string) => call('POST', `/orders/${id}/checkout-session`),
    recordPayment: (id: string, body: Body = { method: 'cash' }) => call('POST', `/orders/${id}/payments`, body),
    fulfil: (id: string) => call('POST', `/orders/${id}/fulfil`),
    cancel: (id: string) => call('POST', `/orders/${id}/cancel`),
  };
}

/** Creates an order that must succeed (201) and returns it. */
export async function newOrder(pd: TestPaydesk, brand: TestBrand, overrides: Body = {}): Promise<OrderJson> {
  const response = await ordersApi(pd, brand.token).create(orderBody(overrides));
  if (response.statusCode !== 201) throw new Error(`order: ${response.statusCode} ${response.body}`);
  return response.json<OrderJson>();
}

/** A checkout session for the order, with its public token. */
export async function orderCheckout(pd: TestPaydesk, brand: TestBrand, orderId: string) {
  const response = await ordersApi(pd, brand.token).checkout(orderId);
  expect([200, 201], response.body).toContain(response.statusCode);
  const session = response.json<CheckoutSessionJson>();
  return { ...session, token: session.url.split('/').pop()! };
}

/** The brand's orders switch of automatic customer creation. */
export async function setOrdersAutoCreate(pd: TestPaydesk, brand: TestBrand, on: boolean) {
  const response = await pd.request(brand.token, {
    method: 'PATCH',
    url: '/api/v1/brand/settings',
    payload: { auto_create_customers: { orders: on } },
  });
  expect(response.statusCode, response.body).toBe(200);
}
