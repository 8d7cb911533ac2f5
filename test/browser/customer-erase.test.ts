import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrand } from '../support/harness.js';
import { createPaymentLink, pay, payer } from '../support/payments.js';
import { newStaff, type TestStaff } from '../support/staff.js';
import {
  chromiumMissing,
  pageErrorsOf,
  screenshot,
  signInThroughForm,
  startBrowserPaydesk,
  type BrowserPaydesk,
} from './support/browser.js';

/* Erase (issue 13): an owner erases a paying customer from the profile's danger zone; a manager never sees it. */

describe.skipIf(chromiumMissing)('dashboard: erase a customer (browser)', () => {
  let env: BrowserPaydesk;
  let brand: TestBrand;
  let owner: TestStaff;
  let manager: TestStaff;
  let customerId: string;
  const NAME = 'Shirin Haque-Lorimer';

  beforeAll(async () => {
    env = await startBrowserPaydesk();
    brand = await env.paydesk.newBrand({ name: 'Forget Me Tea' });
    owner = await newStaff(env.paydesk, brand, 'owner');
    manager = await newStaff(env.paydesk, brand, 'manager');
    const created = await env.paydesk.request(brand.token, {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: NAME, email: 'shirin.hl@example.com', phone: '+8801711000444' },
    });
    expect(created.statusCode).toBe(201);
    customerId = created.json<{ id: string }>().id;
    const link = await createPaymentLink(env.paydesk, brand, { title: 'Tea box', amount: 120000 });
    const paid = await pay(env.paydesk, link.url, payer({ name: NAME, email: 'shirin.hl@example.com' }));
    expect(paid.statusCode, paid.body).toBe(200);
  });
  afterAll(() => env?.close());

  it('offers no erase to a manager', async () => {
    const page = await env.newPage();
    await signInThroughForm(page, manager);
    await page.goto(`/customers/${customerId}`);
    await page.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: 'Erase personal data' }).count()).toBe(0);
  });

  it('erases after a reason and ERASE typed out; the profile and the list show "Erased customer"', async () => {
    const page: Page = await env.newPage();
    await signInThroughForm(page, owner);
    await page.goto(`/customers/${customerId}`);
    await page.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    const zone = page.getByRole('region', { name: 'Danger zone' });
    await zone.getByRole('button', { name: 'Erase personal data' }).click();

    const dialog = page.getByRole('dialog');
    await dialog.getByText('Destroyed for good').waitFor();
    await dialog.getByText('Payments, refunds and the ledger').waitFor();
    const confirm = dialog.getByRole('button', { name: 'Erase personal data' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Reason').fill('Erasure request from shirin.hl@example.com, ticket 77');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type ERASE to confirm').fill('erase');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type ERASE to confirm').fill('ERASE');
    await screenshot(page, 'erase-dialog');
    await confirm.click();

    await page.getByRole('heading', { name: /Erased customer/, level: 1 }).waitFor();
    await page.getByTestId('erased-badge').waitFor();
    expect(await page.getByRole('region', { name: 'Danger zone' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    // Payments stay, and the timeline says what happened.
    await page.getByText('Personal data erased').first().waitFor();
    // The contact card and the notes say the data is gone, not that it is empty or the role's limit.
    expect(await page.getByTestId('contact-email').innerText()).toBe('Erased');
    expect(await page.getByTestId('contact-phone').innerText()).toBe('Erased');
    const notes = page.getByRole('region', { name: 'Notes' });
    await notes.getByText("Notes were erased with this customer's personal data").waitFor();
    expect(await notes.innerText()).not.toMatch(/Your role reads notes only|No notes yet/);
    expect(await page.locator('body').innerText()).not.toContain(NAME);
    await screenshot(page, 'erase-profile');

    await page.goto('/customers');
    await page.getByRole('link', { name: 'Erased customer' }).first().waitFor();
    expect(await page.locator('main').innerText()).not.toContain(NAME);

    const stored = await env.paydesk.request(brand.token, { method: 'GET', url: `/api/v1/customers/${customerId}` });
    expect(stored.json()).toMatchObject({ name: 'Erased customer', transactions_count: 1 });
    expect(pageErrorsOf(page)).toEqual([]);
  });
});
