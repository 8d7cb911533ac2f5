import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrand } from '../support/harness.js';
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
 * Issue 11 from the dashboard: an owner makes a second brand and lands in it; the merchant's site
 * registers accounts (site users) that become customers, linked or suggested; an order for a new
 * email is paid in cash and shows on the customer's profile; the brand's profile and switches.
 */

const NEW_BRAND = 'Cox Bazar Pearls';

describe.skipIf(chromiumMissing)('dashboard: brands, site users and orders (browser)', () => {
  let env: BrowserPaydesk;
  let first: TestBrand;
  let owner: TestStaff;
  let page: Page;
  /** An owner API key of the brand made in the dashboard: the "merchant's site". */
  let siteKey: string;
  let orderPath: string;

  const sidebar = () => page.getByRole('complementary', { name: 'Main' });

  beforeAll(async () => {
    env = await startBrowserPaydesk();
    first = await env.paydesk.newBrand({ name: 'Sylhet Tea Estates' });
    owner = await newStaff(env.paydesk, first, 'owner');
    page = await env.newPage();
    await signInThroughForm(page, owner);
  });
  afterAll(() => env?.close());

  it('lets an owner create a brand with "New brand" and switches to it, empty', async () => {
    await sidebar().getByRole('button', { name: 'New brand' }).click();
    const dialog = page.getByRole('dialog', { name: 'New brand' });
    // The active brand's country and currency are the defaults.
    expect(await dialog.getByLabel('Country').inputValue()).toBe('BD');
    expect(await dialog.getByLabel('Base currency').inputValue()).toBe('BDT');
    await dialog.getByRole('button', { name: 'Create brand' }).click();
    await dialog.getByText('must not be empty').waitFor();
    await dialog.getByLabel('Name').fill(NEW_BRAND);
    await dialog.getByLabel('Logo URL').fill('ftp://example.com/logo.png');
    await dialog.getByRole('button', { name: 'Create brand' }).click();
    await dialog.getByText('must be an https:// URL').waitFor();
    await dialog.getByLabel('Logo URL').fill('');
    await screenshot(page, 'new-brand-dialog');
    await dialog.getByRole('button', { name: 'Create brand' }).click();

    await page.waitForURL(/\/customers$/);
    await page.getByText(`${NEW_BRAND} was created; you are its owner`).waitFor();
    await page.getByText('No customers yet').waitFor();
    const select = sidebar().getByLabel('Brand');
    expect(await select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe(NEW_BRAND);
    expect(await select.locator('option').count()).toBe(2);
    await page.getByRole('region', { name: 'Total Customers' }).getByText('0', { exact: true }).waitFor();
    await screenshot(page, 'new-brand-customers');

    const [brand] = await env.paydesk.rawQuery('SELECT id, country, base_currency FROM brands WHERE name = $1', [
      NEW_BRAND,
    ]);
    expect(brand).toMatchObject({ country: 'BD', base_currency: 'BDT' });
    const roles = await env.paydesk.rawQuery('SELECT role FROM staff_memberships WHERE merchant_id = $1', [brand!.id]);
    expect(roles).toEqual([{ role: 'owner' }]);
    siteKey = await env.paydesk.keyFor({ id: brand!.id as string } as TestBrand, 'owner');
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('shows a registered site user as a customer with its linked site account', async () => {
    const registered = await env.paydesk.request(siteKey, {
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        external_id: 'site-1',
        email: 'nadia.karim@example.com',
        email_verified: true,
        given_name: 'Nadia',
        family_name: 'Karim',
      },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    expect(registered.json().customer).toMatch(/^cus_/);

    await page.reload();
    const row = page.getByRole('row', { name: /Nadia Karim/ });
    await row.getByRole('cell', { name: 'nadia.karim@example.com' }).waitFor();
    await row.getByRole('link', { name: 'Nadia Karim', exact: true }).click();
    await page.getByRole('heading', { name: 'Nadia Karim', level: 1 }).waitFor();
    expect(await page.getByText('Added when they registered on your site').isVisible()).toBe(true);
    const account = page.getByRole('region', { name: 'Site account' });
    await account.getByTestId('site-account-name').getByText('Nadia Karim').waitFor();
    expect(await account.getByText('site-1').isVisible()).toBe(true);
    expect(await account.getByText('Verified').isVisible()).toBe(true);
    await page.getByRole('heading', { name: 'No orders yet' }).waitFor();
    await screenshot(page, 'customer-site-account');
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('lists site users, filters the unlinked, and links a suggested account on the profile', async () => {
    // A customer first, then an account with the same email the site has not verified: a suggestion only.
    const customer = await env.paydesk.request(siteKey, {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: 'Rafiq Hasan', email: 'rafiq.hasan@example.com' },
    });
    expect(customer.statusCode, customer.body).toBe(201);
    const rafiqId = customer.json<{ id: string }>().id;
    const user = await env.paydesk.request(siteKey, {
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        external_id: 'site-2',
        email: 'rafiq.hasan@example.com',
        email_verified: false,
        given_name: 'Rafiq',
        family_name: 'Hasan',
        phone: '+8801712345678',
      },
    });
    expect(user.statusCode, user.body).toBe(201);
    expect(user.json()).toMatchObject({ customer: null, suggested_customer: rafiqId });

    await sidebar().getByRole('link', { name: 'Site users' }).click();
    await page.getByRole('heading', { name: 'Site users', level: 1 }).waitFor();
    const nadia = page.getByRole('row', { name: /Nadia Karim/ });
    await nadia.getByRole('link', { name: 'Customer Nadia Karim' }).waitFor();
    expect(await nadia.getByText('verified', { exact: true }).isVisible()).toBe(true);
    const rafiq = page.getByRole('row', { name: /Rafiq Hasan/ });
    expect(await rafiq.getByText('unverified', { exact: true }).isVisible()).toBe(true);
    // The phone as its country writes it, not raw E.164.
    expect(await rafiq.getByText('+880 1712 345678', { exact: true }).isVisible()).toBe(true);
    expect(await rafiq.getByRole('link', { name: 'Rafiq Hasan' }).getAttribute('href')).toBe(`/customers/${rafiqId}`);
    await screenshot(page, 'site-users');

    await page.getByRole('button', { name: 'Not linked', exact: true }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody tr').textContent()).toContain('site-2');
    await page.getByLabel('Search site users').fill('Nadia');
    await page.getByText('No matching site users').waitFor();
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.getByRole('row', { name: /Nadia Karim/ }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);

    await page.goto(`/customers/${rafiqId}`);
    const account = page.getByRole('region', { name: 'Site account' });
    await account.getByText('Suggested: same email, not verified').waitFor();
    await screenshot(page, 'customer-site-account-suggested');
    await account.getByRole('button', { name: 'Link Rafiq Hasan' }).click();
    await account.getByTestId('site-account-name').getByText('Rafiq Hasan').waitFor();
    expect(await account.getByText('Suggested: same email, not verified').count()).toBe(0);

    await account.getByRole('button', { name: 'Unlink' }).click();
    const confirm = page.getByRole('dialog', { name: "Unlink Rafiq Hasan's site account?" });
    await confirm.getByRole('button', { name: 'Unlink' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await account.getByText('No account on your site is linked to Rafiq Hasan.').waitFor();
    const stored = await env.paydesk.request(siteKey, { method: 'GET', url: `/api/v1/customers/${rafiqId}` });
    expect(stored.json().user).toBeNull();

    // Nadia's account is linked to her customer: linking it here is refused, and the reason is shown.
    await account.getByLabel('Link a site account').fill('Nadia');
    await account.getByRole('button', { name: /Nadia Karim/ }).click();
    await account.getByText(/is linked to customer cus_/).waitFor();
    expect(await account.getByRole('link', { name: 'Open that customer' }).isVisible()).toBe(true);

    // The site closed Rafiq's account: deleting it keeps the customer.
    await sidebar().getByRole('link', { name: 'Site users' }).click();
    await page.getByRole('button', { name: 'Delete Rafiq Hasan' }).click();
    const remove = page.getByRole('dialog', { name: "Delete Rafiq Hasan's site account?" });
    await remove.getByRole('button', { name: 'Delete account' }).click();
    await remove.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByRole('row', { name: /Rafiq Hasan/ }).count()).toBe(0);
    const gone = await env.paydesk.request(siteKey, { method: 'GET', url: `/api/v1/users/${user.json().id}` });
    expect(gone.statusCode).toBe(404);
    const kept = await env.paydesk.request(siteKey, { method: 'GET', url: `/api/v1/customers/${rafiqId}` });
    expect(kept.statusCode).toBe(200);
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('creates an order for a new email, offers a card link, records it paid in cash', async () => {
    await sidebar().getByRole('link', { name: 'Orders' }).click();
    await page.getByText('No orders yet').waitFor();
    await page.getByRole('button', { name: 'New order' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New order' });
    await dialog.getByLabel('New buyer').check();
    await dialog.getByLabel('Name').fill('Tania Sultana');
    await dialog.getByLabel('Email').fill('tania.sultana@example.com');
    await dialog.getByLabel('Description').fill('Pearl earrings');
    await dialog.getByLabel('Qty').fill('2');
    await dialog.getByLabel('Unit price (BDT)').fill('1,450');
    await dialog.getByText('Total BDT 2,900.00').waitFor();
    await screenshot(page, 'order-create');
    await dialog.getByRole('button', { name: 'Create order' }).click();

    await page.waitForURL(/\/orders\/ord_\w+$/);
    orderPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: /Order ORD-000001/, level: 1 }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).getByText('open').isVisible()).toBe(true);
    await page
      .getByRole('row', { name: /Pearl earrings/ })
      .getByRole('cell', { name: 'BDT 2,900.00' })
      .waitFor();

    await page.getByRole('button', { name: 'Pay online' }).click();
    const online = page.getByRole('dialog', { name: 'Pay online' });
    expect(await online.getByTestId('checkout-url').textContent()).toMatch(
      new RegExp(`^${env.baseUrl}/checkout/[\\w-]+$`),
    );
    await screenshot(page, 'order-pay-online');
    await online.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'Record payment' }).click();
    const record = page.getByRole('dialog', { name: 'Record payment' });
    expect(await record.getByLabel('Method').inputValue()).toBe('cash');
    await record.getByLabel('Reference').fill('receipt 17');
    await record.getByRole('button', { name: 'Record BDT 2,900.00' }).click();
    await record.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { level: 1 }).getByText('paid').waitFor();
    const payment = page.getByRole('region', { name: 'Payment' });
    expect(await payment.getByText('Cash').isVisible()).toBe(true);
    expect(await payment.getByText('receipt 17').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Record payment' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Mark fulfilled' }).waitFor();
    await screenshot(page, 'order-paid');

    // The buyer became a customer (orders create customers): one payment, and the order, paid.
    await page.getByRole('region', { name: 'Customer' }).getByRole('link', { name: 'Tania Sultana' }).click();
    await page.getByRole('heading', { name: 'Tania Sultana', level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Transactions' }).getByText('1', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Total spent' }).getByText('BDT 2,900.00').waitFor();
    const order = page.getByRole('row', { name: /ORD-000001/ });
    expect(await order.getByText('paid', { exact: true }).isVisible()).toBe(true);
    expect(await order.getByText('Cash').isVisible()).toBe(true);
    const ledger = page.getByRole('table').filter({ hasText: 'Succeeded' });
    expect(await ledger.getByText('Cash').isVisible()).toBe(true);
    await order.scrollIntoViewIfNeeded();
    await screenshot(page, 'customer-order-paid');
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('orders for a picked customer and cancels with confirmation; the list filters by status', async () => {
    await sidebar().getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('button', { name: 'New order' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New order' });
    await dialog.getByRole('button', { name: 'Create order' }).click();
    await dialog.getByText('Choose the customer, or enter a new buyer').waitFor();
    await dialog.getByRole('searchbox').fill('Nadia');
    await dialog.getByRole('button', { name: /Nadia Karim/ }).click();
    await dialog.getByLabel('Description').fill('Pearl necklace');
    await dialog.getByLabel('Unit price (BDT)').fill('5200');
    await dialog.getByRole('button', { name: 'Create order' }).click();
    await page.getByRole('heading', { name: /Order ORD-000002/, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Cancel order' }).click();
    const confirm = page.getByRole('dialog', { name: 'Cancel ORD-000002?' });
    await confirm.getByRole('button', { name: 'Cancel order' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { level: 1 }).getByText('cancelled').waitFor();
    expect(await page.getByRole('button', { name: 'Pay online' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Orders', exact: true }).first().click();
    await page
      .getByRole('row', { name: /ORD-000002/ })
      .getByRole('link', { name: 'Nadia Karim' })
      .waitFor();
    await page
      .getByRole('row', { name: /ORD-000001/ })
      .getByRole('link', { name: 'Tania Sultana' })
      .waitFor();
    await screenshot(page, 'orders');
    await page.getByRole('button', { name: 'Paid', exact: true }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody tr').textContent()).toContain('ORD-000001');
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('edits the brand profile, refuses a new base currency after a payment, and switches creation off', async () => {
    await sidebar().getByRole('link', { name: 'Settings' }).click();
    const profile = page.getByRole('region', { name: 'Brand profile' });
    await profile.getByText('Bangladesh').waitFor();
    await profile.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit brand profile' });
    await dialog.getByLabel('Name').fill('Cox Bazar Pearl House');
    await dialog.getByLabel('Base currency').fill('USD');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText(/its base currency can no longer change/).waitFor();
    expect(await dialog.getByLabel('Base currency').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'brand-profile-currency-locked');
    await dialog.getByLabel('Base currency').fill('BDT');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await profile.getByText('Cox Bazar Pearl House').waitFor();
    // The sidebar's brand menu reads the session, which names the brand anew.
    await sidebar().getByRole('option', { name: 'Cox Bazar Pearl House' }).waitFor({ state: 'attached' });

    const orders = page.getByRole('switch', { name: 'Create customers from orders' });
    expect(await orders.getAttribute('aria-checked')).toBe('true');
    await orders.click();
    await expect.poll(() => orders.getAttribute('aria-checked')).toBe('false');
    const brand = await env.paydesk.request(siteKey, { method: 'GET', url: '/api/v1/brand' });
    expect(brand.json()).toMatchObject({
      name: 'Cox Bazar Pearl House',
      base_currency: 'BDT',
      settings: { auto_create_customers: { registrations: true, orders: false, payments: true } },
    });
    await screenshot(page, 'settings-brand');
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('fits the new pages on a phone without sideways scrolling', async () => {
    const phone = await env.newPage(PHONE);
    await signInThroughForm(phone, owner);
    // The landing page's route change closes the menu: open it once the app has arrived there.
    await phone.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    await phone.getByRole('button', { name: 'Open menu' }).click();
    const drawer = phone.getByRole('complementary', { name: 'Main' });
    await drawer.getByRole('button', { name: 'New brand' }).waitFor();
    await screenshot(phone, 'phone-menu');
    await drawer.getByLabel('Brand').selectOption({ label: 'Cox Bazar Pearl House' });
    await phone.getByText('Switched to Cox Bazar Pearl House').waitFor();

    const pages: [string, string, (p: Page) => Promise<unknown>][] = [
      ['/users', 'phone-site-users', (p) => p.getByRole('row', { name: /Nadia Karim/ }).waitFor()],
      ['/orders', 'phone-orders', (p) => p.getByRole('row', { name: /ORD-000001/ }).waitFor()],
      [orderPath, 'phone-order', (p) => p.getByRole('row', { name: /Pearl earrings/ }).waitFor()],
      ['/settings', 'phone-settings', (p) => p.getByRole('switch', { name: 'Create customers from orders' }).waitFor()],
    ];
    for (const [path, name, ready] of pages) {
      await phone.goto(path);
      await ready(phone);
      await screenshot(phone, name);
      expect(await phone.evaluate<number>('document.documentElement.scrollWidth'), path).toBeLessThanOrEqual(
        PHONE.width,
      );
    }
    await phone.goto('/customers');
    await phone.getByRole('link', { name: 'Nadia Karim' }).first().click();
    const account = phone.getByRole('region', { name: 'Site account' });
    await account.getByText('site-1').waitFor();
    await account.scrollIntoViewIfNeeded();
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'phone-customer-profile');
    expect(pageErrorsOf(phone)).toEqual([]);
  });
});
