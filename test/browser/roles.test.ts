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

/* A support person: masked contact data, reveal with a reason, what the sidebar hides; brands; phone width. */

describe.skipIf(chromiumMissing)('dashboard: roles and brands (browser)', () => {
  let env: BrowserPaydesk;
  let brand: TestBrand;
  let otherBrand: TestBrand;
  let support: TestStaff;
  let page: Page;
  let ayeshaId: string;

  beforeAll(async () => {
    env = await startBrowserPaydesk();
    brand = await env.paydesk.newBrand({ name: 'Chittagong Books' });
    otherBrand = await env.paydesk.newBrand({ name: 'Sylhet Tea' });
    support = await newStaff(env.paydesk, brand, 'support');
    // The same person owns another brand: the sidebar offers to switch.
    await newStaff(env.paydesk, otherBrand, 'owner', { email: support.email, password: support.password });
    const created = await env.paydesk.request(brand.token, {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: 'Ayesha Rahman', email: 'ayesha.rahman@example.com', phone: '+8801711000222' },
    });
    expect(created.statusCode).toBe(201);
    ayeshaId = created.json().id;
    await env.paydesk.request(otherBrand.token, {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: 'Tanvir Hasan', email: 'tanvir@example.com' },
    });
    page = await env.newPage();
    await signInThroughForm(page, support);
  });
  afterAll(() => env?.close());

  it('shows a support role masked contact data and hides what it may not use', async () => {
    await page.waitForURL(/\/customers$/);
    const row = page.getByRole('row', { name: /Ayesha Rahman/ });
    await row.waitFor();
    // The email / phone column: the masked email, then the masked phone.
    const email = await row.getByRole('cell').nth(1).textContent();
    expect(email).toMatch(/^a•+@example\.com(\+880•+222)?$/);
    expect(await row.textContent()).not.toContain('ayesha.rahman@');
    expect(await row.textContent()).not.toContain('1711000222');
    expect(await row.getByRole('button', { name: /Delete/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add customer' }).isVisible()).toBe(true);
    const sidebar = page.getByRole('complementary', { name: 'Main' });
    expect(await sidebar.getByRole('link', { name: 'Customers' }).isVisible()).toBe(true);
    expect(await sidebar.getByRole('link', { name: 'Staff' }).count()).toBe(0);
    await screenshot(page, 'customers-masked');

    await page.goto('/staff');
    await page.getByText('Not available for your role').waitFor();
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('reveals one customer with a reason, which goes to the audit log', async () => {
    await page.goto(`/customers/${ayeshaId}`);
    const email = page.getByTestId('contact-email');
    await email.waitFor();
    expect(await email.textContent()).toMatch(/^a•+@example\.com$/);
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    await screenshot(page, 'customer-profile-masked');

    await page.getByRole('button', { name: 'Reveal contact details' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reveal contact details' });
    const reveal = dialog.getByRole('button', { name: 'Reveal' });
    await dialog.getByLabel('Reason').fill('ok');
    expect(await reveal.isDisabled()).toBe(true);
    await dialog.getByLabel('Reason').fill('Customer called about ticket 4711');
    await screenshot(page, 'reveal-dialog');
    await reveal.click();
    await dialog.waitFor({ state: 'hidden' });
    await email.getByText('ayesha.rahman@example.com').waitFor();
    expect(await page.getByTestId('contact-phone').textContent()).toBe('+880 1711 000222');
    // The reveal lasts (15 minutes, stated): reopening the profile shows the contact without a new reason.
    await page.getByText(/^Revealed until /).waitFor();
    await page.reload();
    await email.getByText('ayesha.rahman@example.com').waitFor();
    expect(await page.getByRole('button', { name: 'Reveal contact details' }).count()).toBe(0);
    await page.getByText(/^Revealed until /).waitFor();

    const owner = await env.paydesk.keyFor(brand, 'owner');
    const audit = await env.paydesk.request(owner, { method: 'GET', url: '/api/v1/audit?action=customer.reveal' });
    expect(audit.json().data[0]).toMatchObject({
      target: { id: ayeshaId },
      details: { reason: 'Customer called about ticket 4711' },
    });
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it("switches to another brand, where the role and the customers are that brand's", async () => {
    await page.goto('/customers');
    const switcher = page.getByLabel('Brand');
    await switcher.selectOption({ label: 'Sylhet Tea' });
    await page.getByRole('row', { name: /Tanvir Hasan/ }).waitFor();
    expect(await page.getByRole('row', { name: /Ayesha Rahman/ }).count()).toBe(0);
    const sidebar = page.getByRole('complementary', { name: 'Main' });
    await sidebar.getByRole('link', { name: 'Staff' }).waitFor();
    expect(
      await page
        .getByRole('row', { name: /Tanvir Hasan/ })
        .getByText('tanvir@example.com')
        .isVisible(),
    ).toBe(true);

    await switcher.selectOption({ label: 'Chittagong Books' });
    await page.getByRole('row', { name: /Ayesha Rahman/ }).waitFor();
    expect(await sidebar.getByRole('link', { name: 'Staff' }).count()).toBe(0);
  });

  it('fits a phone: the sidebar becomes a menu that opens and closes on Escape', async () => {
    const phone = await env.newPage(PHONE);
    await signInThroughForm(phone, support);
    await phone.getByRole('row', { name: /Ayesha Rahman/ }).waitFor();
    const menu = phone.getByRole('button', { name: 'Open menu' });
    expect(await menu.isVisible()).toBe(true);
    const customersLink = phone.getByRole('complementary', { name: 'Main' }).getByRole('link', { name: 'Customers' });
    expect(await customersLink.isVisible()).toBe(false);
    const width = await phone.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'customers-phone');

    await menu.click();
    await customersLink.waitFor();
    expect(await phone.getByRole('button', { name: 'Close menu' }).getAttribute('aria-expanded')).toBe('true');
    await screenshot(phone, 'menu-phone');
    await phone.keyboard.press('Escape');
    await customersLink.waitFor({ state: 'hidden' });
    expect(await phone.evaluate<string | null>("document.activeElement.getAttribute('aria-label')")).toBe('Open menu');
    expect(pageErrorsOf(phone)).toEqual([]);
  });
});
