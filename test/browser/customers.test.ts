import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrand } from '../support/harness.js';
import { createPaymentLink, openInvoice, pay, payer } from '../support/payments.js';
import { newStaff, type TestStaff } from '../support/staff.js';
import {
  chromiumMissing,
  pageErrorsOf,
  screenshot,
  startBrowserPaydesk,
  type BrowserPaydesk,
} from './support/browser.js';

/* The Customers page and the profile, as an owner, in Debian's chromium against a real server. */

describe.skipIf(chromiumMissing)('dashboard: customers (browser)', () => {
  let env: BrowserPaydesk;
  let brand: TestBrand;
  let owner: TestStaff;
  let page: Page;
  let rahimId: string;

  beforeAll(async () => {
    env = await startBrowserPaydesk();
    brand = await env.paydesk.newBrand({ name: 'Dhaka Yoga' });
    owner = await newStaff(env.paydesk, brand, 'owner');
    for (const body of [
      { name: 'Sadia Islam', email: 'sadia.islam@example.com', phone: '+8801711000111' },
      { name: 'Rahim Uddin', email: 'rahim.uddin@example.com', phone: '+8801712345678' },
    ]) {
      const response = await env.paydesk.request(brand.token, {
        method: 'POST',
        url: '/api/v1/customers',
        payload: body,
      });
      expect(response.statusCode).toBe(201);
      if (body.name === 'Rahim Uddin') rahimId = response.json<{ id: string }>().id;
    }
    // Rahim pays once through a payment link, as a client would: he is matched by his email.
    const link = await createPaymentLink(env.paydesk, brand, { title: 'Drop-in class', amount: 150000 });
    const paid = await pay(env.paydesk, link.url, payer({ name: 'Rahim Uddin', email: 'Rahim.Uddin@example.com' }));
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().customer_id).toBe(rahimId);
    page = await env.newPage();
  });
  afterAll(() => env?.close());

  it('sends a signed-out visitor to sign in, shows a wrong password, then opens Customers', async () => {
    await page.goto('/customers');
    await page.waitForURL(/\/sign-in\?next=%2Fcustomers$/);
    await screenshot(page, 'sign-in');

    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('The email or the password is wrong.').waitFor();

    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/customers$/);
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    const sidebar = page.getByRole('complementary', { name: 'Main' });
    expect(await sidebar.getByRole('heading', { name: 'People' }).isVisible()).toBe(true);
    for (const link of [
      'Customers',
      'Site users',
      'Staff',
      'Transactions',
      'Orders',
      'Invoices',
      'Payment links',
      'Settings',
    ]) {
      expect(await sidebar.getByRole('link', { name: link }).isVisible(), link).toBe(true);
    }
    const kpi = page.getByRole('region', { name: 'Total Customers' });
    await kpi.getByText('2', { exact: true }).waitFor();
    const rahim = page.getByRole('row', { name: /Rahim Uddin/ });
    await rahim.getByRole('cell', { name: 'BDT 1,500.00' }).waitFor();
    // Shown as the country writes it (the separator is the phone library's choice).
    expect(await rahim.getByRole('cell', { name: /\+880 1712[ -]345678$/ }).isVisible()).toBe(true);
    await screenshot(page, 'customers');
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('adds a customer with field errors shown at the field, then finds it by a fragment of its phone', async () => {
    await page.getByRole('button', { name: 'Add customer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add customer' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Name').getAttribute('placeholder')).toBe('Full name');
    expect(await dialog.getByLabel('Phone').getAttribute('placeholder')).toBe('+880XXXXXXXXXX');
    expect(await dialog.getByLabel('Name').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    await dialog.getByLabel('Name').fill('Nusrat Jahan');
    await dialog.getByLabel('Email').fill('not-an-email');
    await dialog.getByLabel('Phone').fill('01555 123987');
    await dialog.getByRole('button', { name: 'Add customer' }).click();
    const email = dialog.getByLabel('Email');
    await dialog.getByText('is not a valid email address').waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await email.getAttribute('aria-describedby');
    expect(await dialog.locator(`[id="${describedBy}"]`).textContent()).toBe('Email is not a valid email address.');
    await screenshot(page, 'add-customer-errors');

    await email.fill('nusrat.jahan@example.com');
    await dialog.getByRole('button', { name: 'Add customer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('row', { name: /Nusrat Jahan/ }).waitFor();
    await page.getByRole('region', { name: 'Total Customers' }).getByText('3', { exact: true }).waitFor();

    // As-you-type search: one request for the whole fragment (debounced), answered by the server.
    const queries: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/v1/customers' && url.searchParams.has('q')) queries.push(url.searchParams.get('q')!);
    });
    await page.getByRole('searchbox', { name: 'Search customers' }).pressSequentially('123987', { delay: 40 });
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page
      .getByRole('row', { name: /Nusrat Jahan/ })
      .getByRole('cell', { name: /\+880 1555[ -]123987$/ })
      .waitFor();
    expect(queries).toEqual(['123987']);
    await screenshot(page, 'customers-search');

    await page.getByRole('searchbox', { name: 'Search customers' }).fill('zzzz-nobody');
    await page.getByText('No matching customers').waitFor();
    await page.getByRole('button', { name: 'Clear search' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(3);
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('warns that the email already belongs to a customer and opens that profile', async () => {
    await page.getByRole('button', { name: 'Add customer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add customer' });
    await dialog.getByLabel('Name').fill('R. Uddin');
    await dialog.getByLabel('Email').fill('RAHIM.UDDIN@example.com');
    await dialog.getByRole('button', { name: 'Add customer' }).click();
    await dialog.getByText('A customer with this email already exists').waitFor();
    await screenshot(page, 'add-customer-duplicate');
    await dialog.getByRole('link', { name: "Open that customer's profile" }).click();
    await page.waitForURL(new RegExp(`/customers/${rahimId}$`));
    await page.getByRole('heading', { name: 'Rahim Uddin', level: 1 }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('shows the profile: contact, KPIs, payments chart, transactions, invoices, notes, timeline, and edits', async () => {
    await page.goto(`/customers/${rahimId}`);
    await page.getByRole('heading', { name: 'Rahim Uddin', level: 1 }).waitFor();
    const kpis = page.locator('.kpi-row');
    await kpis.getByRole('region', { name: 'Transactions' }).getByText('1', { exact: true }).waitFor();
    expect(await kpis.getByRole('region', { name: 'Total spent' }).getByText('BDT 1,500.00').isVisible()).toBe(true);
    expect(await kpis.getByRole('region', { name: 'Last payment' }).getByText('None yet').count()).toBe(0);
    expect(await page.getByTestId('contact-email').textContent()).toBe('rahim.uddin@example.com');
    await page.getByRole('figure', { name: /Payments over time: BDT 1,500.00 in 1 payment$/ }).waitFor();
    // The bar's tooltip says what it is in words: the day, the amount and how many payments.
    await page.locator('.recharts-bar-rectangle').last().hover();
    await page
      .locator('.chart-tooltip')
      .getByText(/^[A-Z][a-z]{2} \d{1,2}: BDT\s1,500\.00 from 1 payment$/)
      .waitFor();
    const payments = page.locator('section[aria-labelledby="transactions-title"]');
    await payments.getByRole('cell', { name: 'Succeeded' }).waitFor();
    expect(await payments.getByRole('cell', { name: 'BDT 1,500.00' }).isVisible()).toBe(true);
    await page.getByText('No invoices yet').waitFor();
    await page.getByRole('region', { name: 'Notes' }).getByText('No notes yet.').waitFor();
    await page.getByRole('region', { name: 'Timeline' }).getByText('Paid BDT 1,500.00 by payment link').waitFor();
    await page.getByRole('region', { name: 'Orders' }).getByText('No orders yet').waitFor();
    expect(
      await page
        .getByRole('region', { name: 'Site account' })
        .getByText('No account on your site is linked to Rahim Uddin.')
        .isVisible(),
    ).toBe(true);
    await screenshot(page, 'customer-profile');

    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit customer' });
    expect(await dialog.getByLabel('Email').inputValue()).toBe('rahim.uddin@example.com');
    await dialog.getByLabel('Phone').fill('12');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.getByText(/is not a valid phone number/).waitFor();
    await dialog.getByLabel('Phone').fill('+880 1812-000111');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByTestId('contact-phone')
      .getByText(/^\+880 1812[ -]000111$/)
      .waitFor();
    const stored = await env.paydesk.request(brand.token, { method: 'GET', url: `/api/v1/customers/${rahimId}` });
    expect(stored.json().phone).toBe('+8801812000111');
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('refuses to delete a customer with a payment, with the reason, and deletes one without', async () => {
    // Billed but never paid: the list cannot know of the invoice, so the server refuses, in words.
    const billed = await env.paydesk.request(brand.token, {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: 'Karim Billed', email: 'karim.billed@example.com' },
    });
    expect(billed.statusCode).toBe(201);
    const billedId = billed.json<{ id: string }>().id;
    await openInvoice(env.paydesk, brand, {
      customer_id: billedId,
      line_items: [{ description: 'Ten classes', quantity: 1, unit_amount: 500000 }],
    });

    await page.goto('/customers');
    // Rahim has paid: Delete is in his row's menu, disabled, with the reason and the way out.
    const rahimMenu = page.getByRole('button', { name: 'Actions for Rahim Uddin' });
    await rahimMenu.click();
    const menu = page.getByRole('menu', { name: 'Actions for Rahim Uddin' });
    const remove = menu.getByRole('menuitem', { name: 'Delete…' });
    expect(await remove.getAttribute('aria-disabled')).toBe('true');
    const reason =
      'Has 1 payment: a customer with payments, invoices or orders cannot be deleted. Erase their personal data instead.';
    expect(await menu.getByText(reason).isVisible()).toBe(true);
    await menu.getByRole('menuitem', { name: 'Erase personal data…' }).waitFor();
    await screenshot(page, 'delete-disabled-menu');
    // Chosen anyway (a disabled item keeps focus, so its reason is read), it does nothing.
    await remove.focus();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Actions for Karim Billed' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    let dialog = page.getByRole('dialog', { name: 'Delete Karim Billed?' });
    expect(
      await dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === el.ownerDocument.activeElement),
    ).toBe(true);
    await dialog.getByRole('button', { name: 'Delete customer' }).click();
    dialog = page.getByRole('dialog', { name: 'This customer cannot be deleted' });
    await dialog.getByText(reason.replace('1 payment', '1 invoice')).waitFor();
    expect(await dialog.innerText()).not.toContain(billedId);
    await screenshot(page, 'delete-refused');
    await dialog.getByRole('button', { name: 'Erase personal data…' }).click();
    const erase = page.getByRole('dialog', { name: "Erase Karim Billed's personal data?" });
    await erase.getByRole('button', { name: 'Cancel' }).click();
    await erase.waitFor({ state: 'hidden' });
    // Focus is back on the row's menu button, where it started.
    expect(
      await page
        .getByRole('button', { name: 'Actions for Karim Billed' })
        .evaluate((el) => el === el.ownerDocument.activeElement),
    ).toBe(true);
    for (const id of [rahimId, billedId]) {
      expect(
        (await env.paydesk.request(brand.token, { method: 'GET', url: `/api/v1/customers/${id}` })).statusCode,
      ).toBe(200);
    }

    // The profile counts the invoices it shows, so there Delete says why up front.
    await page.goto(`/customers/${billedId}`);
    await page.getByRole('region', { name: 'Invoices' }).getByText('INV-', { exact: false }).first().waitFor();
    await page.getByRole('button', { name: 'More actions for Karim Billed' }).click();
    const profileMenu = page.getByRole('menu', { name: 'More actions for Karim Billed' });
    expect(await profileMenu.getByRole('menuitem', { name: 'Delete…' }).getAttribute('aria-disabled')).toBe('true');
    await profileMenu.getByText(reason.replace('1 payment', '1 invoice')).waitFor();
    await page.keyboard.press('Escape');
    await page.goto('/customers');

    await page.getByRole('button', { name: 'Actions for Nusrat Jahan' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    dialog = page.getByRole('dialog', { name: 'Delete Nusrat Jahan?' });
    await dialog.getByRole('button', { name: 'Delete customer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Nusrat Jahan was deleted').waitFor();
    await expect.poll(() => page.getByRole('row', { name: /Nusrat Jahan/ }).count()).toBe(0);
    // Sadia, Rahim and Karim stay.
    await page.getByRole('region', { name: 'Total Customers' }).getByText('3', { exact: true }).waitFor();
    const list = await env.paydesk.request(brand.token, { method: 'GET', url: '/api/v1/customers?q=nusrat' });
    expect(list.json().data).toEqual([]);
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('pages through the list with Next and Previous without counting', async () => {
    for (let i = 0; i < 21; i++) {
      const response = await env.paydesk.request(brand.token, {
        method: 'POST',
        url: '/api/v1/customers',
        payload: { name: `Paging Person ${String(i).padStart(2, '0')}`, email: `paging.${i}@example.com` },
      });
      expect(response.statusCode).toBe(201);
    }
    await page.reload();
    await page.getByRole('row', { name: /Paging Person 20/ }).waitFor();
    const pager = page.getByRole('navigation', { name: 'Pagination' });
    expect(await pager.getByRole('button', { name: 'Previous' }).isDisabled()).toBe(true);
    expect(await pager.getByTestId('pager-rows').textContent()).toMatch(/^1–20( of \d+)?$/);
    await pager.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('row', { name: /Rahim Uddin/ }).waitFor();
    // Which rows these are, not just "Page 2".
    expect(await pager.getByTestId('pager-rows').textContent()).toMatch(/^21–\d+( of \d+)?$/);
    // The page is in the address: a reload shows the same rows, and Previous still goes back.
    expect(page.url()).toMatch(/[?&]cursor=[^&]+&from=21/);
    await page.reload();
    await page.getByRole('row', { name: /Rahim Uddin/ }).waitFor();
    expect(await pager.getByTestId('pager-rows').textContent()).toMatch(/^21–\d+( of \d+)?$/);
    expect(await pager.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await pager.getByRole('button', { name: 'Previous' }).click();
    await page.getByRole('row', { name: /Paging Person 20/ }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(20);
  });
});
