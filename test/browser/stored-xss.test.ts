import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrand } from '../support/harness.js';
import { byKey, newNote } from '../support/notes.js';
import { newOrder } from '../support/orders.js';
import { createCheckout, createPaymentLink, pay, payer } from '../support/payments.js';
import { newStaff, type TestStaff } from '../support/staff.js';
import {
  chromiumMissing,
  pageErrorsOf,
  signInThroughForm,
  startBrowserPaydesk,
  type BrowserPaydesk,
} from './support/browser.js';

/*
 * Stored XSS: every text a person can store (a brand, a customer, a note, an order line, a payment
 * link, an invoice, a site user) is set to markup, then every page that shows it is opened. The
 * markup must arrive as text: no element it describes exists in the page, no dialog opens, no
 * handler runs (the CSP would also refuse an inline handler; the test checks the DOM, so it holds
 * without that second net).
 */
const IMG = '<img src=x onerror=alert(1)>';
const SVG = '"><svg onload=alert(2)>';
const SCRIPT = '<script>window.__xss=1</script>';

describe.skipIf(chromiumMissing)('dashboard: stored markup renders as text (browser)', () => {
  let env: BrowserPaydesk;
  let brand: TestBrand;
  let owner: TestStaff;
  let page: Page;
  const dialogs: string[] = [];
  let customerId = '';
  let orderId = '';
  let linkPath = '';
  let checkoutPath = '';
  let invoicePath = '';

  beforeAll(async () => {
    env = await startBrowserPaydesk();
    const pd = env.paydesk;
    brand = await pd.newBrand({ name: `Brand ${IMG}` });
    owner = await newStaff(pd, brand, 'owner');
    const api = (method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>) =>
      pd.request(brand.token, { method, url: `/api/v1${url}`, payload });

    const created = await api('POST', '/customers', { name: `Rahim ${IMG}`, email: 'xss.rahim@example.com' });
    expect(created.statusCode, created.body).toBe(201);
    customerId = created.json<{ id: string }>().id;
    await newNote(byKey(pd, brand.token), customerId, `Note ${SCRIPT} ${SVG}`);
    const order = await newOrder(pd, brand, {
      customer: customerId,
      customer_details: undefined,
      line_items: [{ description: `Line ${IMG}`, quantity: 1, unit_amount: 1000 }],
    });
    orderId = order.id;
    const link = await createPaymentLink(pd, brand, { title: `Link ${IMG}`, description: `About ${SVG}` });
    linkPath = link.url;
    const paid = await pay(pd, link.url, payer({ name: `Payer ${SVG}` }));
    expect(paid.statusCode, paid.body).toBe(200);
    const checkout = await createCheckout(pd, brand, { description: `Checkout ${IMG}` });
    checkoutPath = `/checkout/${checkout.token}`;
    const invoice = await api('POST', '/invoices', {
      customer_id: customerId,
      currency: 'BDT',
      line_items: [{ description: `Consulting ${IMG}`, quantity: 1, unit_amount: 5000 }],
      memo: `Memo ${SCRIPT}`,
    });
    expect(invoice.statusCode, invoice.body).toBe(201);
    const finalized = await api('POST', `/invoices/${invoice.json<{ id: string }>().id}/finalize`, {});
    expect(finalized.statusCode, finalized.body).toBe(200);
    invoicePath = new URL(finalized.json<{ public_url: string }>().public_url, 'http://x').pathname;
    const user = await api('POST', '/users', {
      external_id: 'xss-user-1',
      email: 'xss.user@example.com',
      given_name: `Given ${IMG}`,
      family_name: `Family ${SVG}`,
    });
    expect(user.statusCode, user.body).toBe(201);

    page = await env.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signInThroughForm(page, owner);
  });
  afterAll(() => env?.close());

  async function expectInert(p: Page, shows: string) {
    await p.getByText(shows, { exact: false }).filter({ visible: true }).first().waitFor();
    expect(await p.locator('img[src="x"], svg[onload], script:not([src])').count()).toBe(0);
    expect(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
  }

  const dashboardPages: [string, () => string, string][] = [
    ['customers list', () => '/customers', `Rahim ${IMG}`],
    ['customer profile', () => `/customers/${customerId}`, `Note ${SCRIPT}`],
    ['orders', () => '/orders', `Rahim ${IMG}`],
    ['order', () => `/orders/${orderId}`, `Line ${IMG}`],
    ['payment links', () => '/payment-links', `Link ${IMG}`],
    ['invoices', () => '/invoices', `Rahim ${IMG}`],
    ['transactions', () => '/transactions', 'Payer'],
    ['site users', () => '/users', `Given ${IMG}`],
    ['settings', () => '/settings', 'Settings'],
  ];

  it.each(dashboardPages)('%s', async (_name, path, shows) => {
    await page.goto(path());
    await expectInert(page, shows);
    // The brand's name is in the frame of every page.
    expect(await page.locator('#main, nav').first().isVisible()).toBe(true);
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('the brand name shows as text in the frame', async () => {
    await page.goto('/customers');
    await expectInert(page, `Brand ${IMG}`);
  });

  it.each([
    ['pay page', () => linkPath, `Link ${IMG}`],
    ['checkout page', () => checkoutPath, `Checkout ${IMG}`],
    ['invoice page', () => invoicePath, `Consulting ${IMG}`],
  ])('public %s', async (_name, path, shows) => {
    const client = await env.newPage();
    client.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await client.goto(path());
    await expectInert(client, shows);
    expect(pageErrorsOf(client)).toEqual([]);
  });
});
