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

/* Duplicates and merge (issue 13): review a suggested pair, merge it, land on the survivor. */

describe.skipIf(chromiumMissing)('dashboard: duplicates and merge (browser)', () => {
  let env: BrowserPaydesk;
  let brand: TestBrand;
  let manager: TestStaff;
  let page: Page;
  let older: { id: string; email: string };
  let newer: { id: string; email: string };

  const create = async (body: Record<string, unknown>) => {
    const response = await env.paydesk.request(brand.token, {
      method: 'POST',
      url: '/api/v1/customers',
      payload: body,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string; email: string }>();
  };

  beforeAll(async () => {
    env = await startBrowserPaydesk();
    brand = await env.paydesk.newBrand({ name: 'Sylhet Tea' });
    manager = await newStaff(env.paydesk, brand, 'manager');
    older = await create({ name: 'Rahim Uddin', email: 'rahim.uddin@example.com', phone: '+8801711000444' });
    newer = await create({ name: 'rahim  uddin', email: 'rahim.uddin@gmail.com' });
    await create({ name: 'Karim Ahmed', email: 'karim@example.com' });
    const link = await createPaymentLink(env.paydesk, brand, { amount: 150000 });
    const paid = await pay(env.paydesk, link.url, payer({ name: 'Rahim Uddin', email: newer.email }));
    expect(paid.json().customer_id).toBe(newer.id);
    page = await env.newPage();
    await signInThroughForm(page, manager);
  });
  afterAll(() => env?.close());

  it('reviews a suggested pair, merges it taking one field, and lands on the survivor', async () => {
    await page.getByRole('link', { name: 'Duplicates' }).click();
    await page.getByRole('heading', { name: 'Duplicates', level: 1 }).waitFor();
    // The menu marks Duplicates as the current page, not Customers too (its path holds /customers).
    const nav = page.getByRole('navigation');
    expect(await nav.getByRole('link', { name: 'Duplicates' }).getAttribute('aria-current')).toBe('page');
    expect(await nav.getByRole('link', { name: 'Customers', exact: true }).getAttribute('aria-current')).toBeNull();
    const pairs = page.getByTestId('duplicate-pair');
    await pairs.first().waitFor();
    expect(await pairs.count()).toBe(1);
    const pair = pairs.first();
    await pair.getByText('Same name, similar email').waitFor();
    await pair.getByText('rahim.uddin@example.com').waitFor();
    await pair.getByText('rahim.uddin@gmail.com').waitFor();
    await screenshot(page, 'duplicates-list');

    await pair.getByRole('button', { name: 'Review' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge customers' });
    await dialog.waitFor();
    // The older customer stays; it takes the newer one's email.
    expect(await dialog.getByRole('radio', { name: `Rahim Uddin ${older.id}` }).isChecked()).toBe(true);
    expect(await dialog.getByRole('radio', { name: `rahim uddin ${newer.id}` }).isChecked()).toBe(false);
    await dialog.getByRole('radio', { name: 'Email: take rahim.uddin@gmail.com' }).check();
    await screenshot(page, 'merge-dialog');
    await dialog.getByRole('button', { name: 'Merge' }).click();

    await page.waitForURL(`**/customers/${older.id}`);
    await page.getByRole('heading', { name: 'Rahim Uddin', level: 1 }).waitFor();
    expect(await nav.getByRole('link', { name: 'Customers', exact: true }).getAttribute('aria-current')).toBe('page');
    await page.getByText('rahim.uddin@gmail.com').first().waitFor();
    // The merged customer's events join the survivor's timeline, each saying whose they were: its
    // creation and its payment, not the survivor's own creation.
    const events = page.getByRole('list', { name: 'Events, newest first' }).getByRole('listitem');
    await events
      .filter({ hasText: `on ${newer.id} before the merge` })
      .first()
      .waitFor();
    const created = await page.locator('li.event[data-type="customer.created"]').allInnerTexts();
    expect(created).toHaveLength(2);
    expect(created.filter((text) => text.includes(`on ${newer.id} before the merge`))).toHaveLength(1);
    expect(
      await page.locator('li.event[data-type="payment.succeeded"]').filter({ hasText: 'before the merge' }).count(),
    ).toBe(1);
    const survivor = (
      await env.paydesk.request(brand.token, { method: 'GET', url: `/api/v1/customers/${older.id}` })
    ).json<{ email: string; phone: string; transactions_count: number }>();
    expect(survivor).toMatchObject({ email: 'rahim.uddin@gmail.com', phone: '+8801711000444', transactions_count: 1 });
    await screenshot(page, 'merge-survivor');
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it("opens the survivor, with a notice, from the merged customer's address; the pair is gone", async () => {
    await page.goto(`/customers/${newer.id}`);
    await page.waitForURL(`**/customers/${older.id}`);
    const notice = page.getByTestId('merged-notice');
    await notice.waitFor();
    expect(await notice.innerText()).toContain(newer.id);
    await page.getByRole('heading', { name: 'Rahim Uddin', level: 1 }).waitFor();

    await page.goto('/customers/duplicates');
    await page.getByText('No duplicates found').waitFor();
    expect(pageErrorsOf(page)).toEqual([]);
  });
});
