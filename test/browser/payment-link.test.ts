import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrand } from '../support/harness.js';
import { createPaymentLink } from '../support/payments.js';
import { newStaff, type TestStaff } from '../support/staff.js';
import {
  chromiumMissing,
  pageErrorsOf,
  PHONE,
  screenshot,
  signInThroughForm,
  startBrowserPaydesk,
  type BrowserPaydesk,
} from './support/browser.js';

/*
 * The whole story from the dashboard: an owner creates a payment link, a client opens it (no sign-in),
 * is declined once, pays, and shows up in Customers; then refunds, invoices, settings and staff.
 */

describe.skipIf(chromiumMissing)('dashboard: the payment-link story (browser)', () => {
  let env: BrowserPaydesk;
  let brand: TestBrand;
  let owner: TestStaff;
  let page: Page;
  let client: Page;
  let payUrl: string;

  beforeAll(async () => {
    env = await startBrowserPaydesk();
    brand = await env.paydesk.newBrand({ name: 'Rajshahi Mangoes' });
    owner = await newStaff(env.paydesk, brand, 'owner');
    page = await env.newPage();
    client = await env.newPage();
    await signInThroughForm(page, owner);
  });
  afterAll(() => env?.close());

  it('creates a payment link in the dashboard', async () => {
    await page.getByRole('complementary', { name: 'Main' }).getByRole('link', { name: 'Payment links' }).click();
    await page.getByText('No payment links yet').waitFor();
    await screenshot(page, 'payment-links-empty');

    await page.getByRole('button', { name: 'New payment link' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New payment link' });
    await dialog.getByLabel('Title').fill('Mango box, 5 kg');
    await dialog.getByLabel('Description').fill('Himsagar mangoes, delivered in Dhaka');
    expect(await dialog.getByLabel('Currency').inputValue()).toBe('BDT');
    await dialog.getByLabel('Price (BDT)').fill('abc');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await dialog.getByText('Enter an amount in BDT, like 1500 or 1500.50').waitFor();
    await dialog.getByLabel('Price (BDT)').fill('1,250.50');
    await dialog.getByLabel('Link name').fill('mango-box');
    await screenshot(page, 'payment-link-create');
    await dialog.getByRole('button', { name: 'Create link' }).click();

    const done = page.getByRole('dialog', { name: 'Payment link created' });
    const url = await done.getByTestId('new-link-url').textContent();
    expect(url).toBe(`${env.baseUrl}/pay/mango-box`);
    payUrl = new URL(url!).pathname;
    await done.getByRole('button', { name: 'Done' }).click();

    const row = page.getByRole('row', { name: /Mango box, 5 kg/ });
    await row.getByRole('cell', { name: 'BDT 1,250.50' }).waitFor();
    expect(await row.getByRole('switch').getAttribute('aria-checked')).toBe('true');
    // No promise of a QR code the product does not make.
    expect(await page.locator('main').textContent()).not.toMatch(/QR code/i);
    await screenshot(page, 'payment-links');
    const stored = await env.paydesk.request(brand.token, { method: 'GET', url: '/api/v1/payment-links' });
    expect(stored.json().data[0]).toMatchObject({
      slug: 'mango-box',
      amount: { amount: 125050, currency: 'BDT' },
      active: true,
    });
  });

  it('lets a client pay on /pay/{slug}: declined with 4000…0002, paid with 4242…', async () => {
    await client.goto(payUrl);
    await client.getByRole('heading', { name: 'Mango box, 5 kg' }).waitFor();
    expect(await client.getByText('Rajshahi Mangoes').first().isVisible()).toBe(true);
    expect(await client.getByText('BDT 1,250.50').first().isVisible()).toBe(true);
    expect(await client.getByText(/4242 4242 4242 4242/).isVisible()).toBe(true);
    expect(await client.getByRole('link', { name: 'Customers' }).count()).toBe(0);
    // Nothing sends receipts: the email's hint says what it is for, and that the confirmation is this page.
    expect(await client.locator('body').textContent()).not.toMatch(/receipt goes|we('ll| will) email/i);
    expect(await client.getByText(/No email is sent: your confirmation shows on this page/).isVisible()).toBe(true);
    await screenshot(client, 'pay-page');

    await client.getByLabel('Name').fill('Farida Yasmin');
    await client.getByLabel('Email').fill('farida.yasmin@example.com');
    await client.getByLabel('Phone').fill('01911 222333');
    await client.getByLabel('Card number').fill('4000000000000002');
    expect(await client.getByLabel('Card number').inputValue()).toBe('4000 0000 0000 0002');
    await client.getByLabel('Expiry (MM / YY)').pressSequentially('1230');
    expect(await client.getByLabel('Expiry (MM / YY)').inputValue()).toBe('12 / 30');
    await client.getByLabel('CVC').fill('123');
    await client.getByRole('button', { name: 'Pay BDT 1,250.50' }).click();
    await client.getByRole('heading', { name: 'Payment declined' }).waitFor();
    await screenshot(client, 'pay-declined');

    await client.getByRole('button', { name: 'Try another card' }).click();
    await client.getByLabel('Card number').fill('4242424242424242');
    await client.getByRole('button', { name: 'Pay BDT 1,250.50' }).click();
    await client.getByRole('heading', { name: 'Payment successful' }).waitFor();
    expect(await client.getByText('You paid BDT 1,250.50').isVisible()).toBe(true);
    await screenshot(client, 'pay-success');
    expect(pageErrorsOf(client)).toEqual([]);

    const phone = await env.newPage(PHONE);
    await phone.goto(payUrl);
    await phone.getByRole('button', { name: 'Pay BDT 1,250.50' }).waitFor();
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'pay-page-phone');
  });

  it('shows the new customer in Customers, and the payment in Transactions, which refunds', async () => {
    await page.getByRole('complementary', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
    const row = page.getByRole('row', { name: /Farida Yasmin/ });
    await row.waitFor();
    expect(await row.getByRole('cell', { name: 'farida.yasmin@example.com' }).isVisible()).toBe(true);
    expect(await row.getByRole('cell', { name: '+880 1911 222333' }).isVisible()).toBe(true);
    expect(await row.getByRole('cell', { name: 'BDT 1,250.50' }).isVisible()).toBe(true);
    await page.getByRole('region', { name: 'Total Customers' }).getByText('1', { exact: true }).waitFor();

    await page.getByRole('complementary', { name: 'Main' }).getByRole('link', { name: 'Transactions' }).click();
    const payment = page.getByRole('row', { name: /Farida Yasmin/ }).filter({ hasText: 'Succeeded' });
    await payment.waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'Failed' }).count()).toBe(1);
    await screenshot(page, 'transactions');

    await payment.getByRole('button', { name: /Refund/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Refund payment' });
    expect(await dialog.getByLabel('Amount (BDT)').inputValue()).toBe('1250.50');
    await dialog.getByLabel('Amount (BDT)').fill('250');
    await dialog.getByRole('button', { name: 'Refund BDT 250.00' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('row', { name: /Farida Yasmin/ })
      .filter({ hasText: 'Partially refunded' })
      .waitFor();
    await page.getByRole('button', { name: 'Failed', exact: true }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody tr').textContent()).toContain('The card was declined');
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('makes an invoice for the customer, finalizes it and shows its public page', async () => {
    await page.getByRole('complementary', { name: 'Main' }).getByRole('link', { name: 'Invoices' }).click();
    await page.getByText('No invoices yet').waitFor();
    await page.getByRole('button', { name: 'New invoice' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New invoice' });
    await dialog.getByRole('searchbox').fill('Farida');
    await dialog.getByRole('button', { name: /Farida Yasmin/ }).click();
    await dialog.getByLabel('Description').fill('Mango box, 5 kg');
    await dialog.getByLabel('Qty').fill('2');
    await dialog.getByLabel('Unit price (BDT)').fill('1200');
    await dialog.getByRole('button', { name: 'Add line' }).click();
    await dialog.getByLabel('Description').nth(1).fill('Delivery');
    await dialog.getByLabel('Unit price (BDT)').nth(1).fill('150');
    await dialog.getByText('Total BDT 2,550.00').waitFor();
    await screenshot(page, 'invoice-create');
    await dialog.getByRole('button', { name: 'Save draft' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.getByRole('row', { name: /INV-.*Farida Yasmin/ });
    await row.getByText('draft', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Finalize' }).click();
    await row.getByText('open', { exact: true }).waitFor();
    const open = row.getByRole('link', { name: /Open the payment page/ });
    const href = await open.getAttribute('href');
    expect(href).toMatch(/^\/invoice\/[\w-]+$/);
    await screenshot(page, 'invoices');

    await client.goto(href!);
    await client.getByRole('cell', { name: /Delivery/ }).waitFor();
    expect(await client.getByText('BDT 2,550.00').first().isVisible()).toBe(true);
    expect(await client.getByRole('heading', { name: /INV-/ }).isVisible()).toBe(true);
    await screenshot(client, 'invoice-pay-page');

    // Billed to a known customer: the page asks only for the card.
    expect(await client.getByLabel('Name').count()).toBe(0);
    await client.getByLabel('Card number').fill('4242 4242 4242 4242');
    await client.getByLabel('Expiry (MM / YY)').fill('12 / 30');
    await client.getByLabel('CVC').fill('123');
    await client.getByRole('button', { name: 'Pay BDT 2,550.00' }).click();
    await client.getByRole('heading', { name: 'Payment successful' }).waitFor();
    await page.reload();
    await page
      .getByRole('row', { name: /INV-.*Farida Yasmin/ })
      .getByText('paid', { exact: true })
      .waitFor();
    expect(pageErrorsOf(page)).toEqual([]);
    expect(pageErrorsOf(client)).toEqual([]);
  });

  it('changes brand settings and exchange rates, and lists the staff', async () => {
    await page.getByRole('complementary', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const toggle = page.getByRole('switch', { name: 'Create customers from payments' });
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await page.getByRole('button', { name: 'Add currency' }).click();
    await page.getByLabel('Currency code').fill('usd');
    await page.getByLabel('Rate of USD in BDT').fill('117.25');
    await page.getByRole('button', { name: 'Save rates' }).click();
    await page.getByText('Exchange rates saved').waitFor();
    const rates = await env.paydesk.request(brand.token, { method: 'GET', url: '/api/v1/exchange-rates' });
    expect(rates.json().rates).toEqual([expect.objectContaining({ currency: 'USD', rate: '117.25' })]);

    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');
    const settings = await env.paydesk.request(brand.token, { method: 'GET', url: '/api/v1/brand' });
    expect(settings.json().settings.auto_register_customers).toBe(false);
    expect(settings.json().settings.auto_create_customers).toEqual({
      registrations: true,
      orders: true,
      payments: false,
    });
    await screenshot(page, 'settings');

    await page.getByRole('complementary', { name: 'Main' }).getByRole('link', { name: 'Staff' }).click();
    await page
      .getByRole('row', { name: new RegExp(owner.email.replace('.', '\\.')) })
      .getByText('(you)')
      .waitFor();
    await page.getByRole('button', { name: 'Invite staff member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite staff member' });
    await dialog.getByLabel('Email').fill(owner.email);
    await dialog.getByLabel('Role').selectOption('support');
    await dialog.getByRole('button', { name: 'Invite', exact: true }).click();
    await dialog.getByText('already a member of this brand').waitFor();
    await dialog.getByLabel('Email').fill('kamal@example.com');
    await dialog.getByRole('button', { name: 'Invite', exact: true }).click();
    const shown = page.getByRole('dialog', { name: 'Invitation created' });
    expect(await shown.getByTestId('invitation-url').textContent()).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    await shown.getByRole('button', { name: 'Done' }).click();
    await page
      .getByRole('region', { name: 'Pending invitations' })
      .getByRole('row', { name: /kamal@example\.com/ })
      .waitFor();
    await screenshot(page, 'staff');
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('cuts a long title with an ellipsis, and shows it whole on hover (title) and on keyboard focus', async () => {
    const title = 'Annual wholesale order of handwoven Jamdani sarees and Nakshi kantha quilts for the Dhaka showroom';
    await createPaymentLink(env.paydesk, brand, { title });
    await page.goto('/payment-links');
    const cut = page.getByRole('row', { name: new RegExp(title) }).locator('.truncate', { hasText: title });
    await cut.waitFor();
    const box = () => cut.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    const before = await box();
    expect(before.scroll).toBeGreaterThan(before.client);
    expect(await cut.getAttribute('title')).toBe(title);

    // A cut value is a tab stop (the row's first); focused from the keyboard, it wraps to show every word.
    await page.getByRole('button', { name: 'New payment link' }).focus();
    await page.keyboard.press('Tab');
    expect(await cut.evaluate((el) => el === document.activeElement)).toBe(true);
    const focused = await box();
    expect(focused.scroll).toBeLessThanOrEqual(focused.client);
    await screenshot(page, 'payment-links-long-title-focused');
    expect(pageErrorsOf(page)).toEqual([]);
  });
});
