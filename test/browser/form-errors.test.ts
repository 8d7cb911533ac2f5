import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newStaff } from '../support/staff.js';
import {
  chromiumMissing,
  pageErrorsOf,
  screenshot,
  signInThroughForm,
  startBrowserPaydesk,
  type BrowserPaydesk,
} from './support/browser.js';

/*
 * Field errors read as sentences that name the field, and after a failed submit focus goes to the
 * first invalid field (Field.tsx does it for every form; no form asks for it).
 */

const isFocused = (control: Locator) => control.evaluate((el) => el === el.ownerDocument.activeElement);

/** The text of the message the control points to with aria-describedby. */
async function messageOf(page: Page, control: Locator): Promise<string | null> {
  const id = await control.getAttribute('aria-describedby');
  return id ? page.locator(`[id="${id}"]`).textContent() : null;
}

describe.skipIf(chromiumMissing)('dashboard: field errors and focus (browser)', () => {
  let env: BrowserPaydesk;
  let page: Page;

  beforeAll(async () => {
    env = await startBrowserPaydesk();
    const brand = await env.paydesk.newBrand({ name: 'Dhaka Yoga' });
    const owner = await newStaff(env.paydesk, brand, 'owner');
    page = await env.newPage();
    await signInThroughForm(page, owner);
  });
  afterAll(() => env?.close());

  it('Add customer: names the field in a sentence and focuses the first invalid field after each submit', async () => {
    await page.getByRole('button', { name: 'Add customer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add customer' });
    const name = dialog.getByLabel('Name');
    const email = dialog.getByLabel('Email');
    await email.fill('not-an-email');
    await dialog.getByRole('button', { name: 'Add customer' }).click();

    await dialog.getByText('Name must not be empty.').waitFor();
    expect(await messageOf(page, name)).toBe('Name must not be empty.');
    expect(await messageOf(page, email)).toBe('Email is not a valid email address.');
    // The fragment is still findable as it was.
    await dialog.getByText('is not a valid email address').waitFor();
    await expect.poll(() => isFocused(name)).toBe(true);
    expect(await isFocused(email)).toBe(false);
    await screenshot(page, 'form-errors-add-customer');

    await name.fill('Nusrat Jahan');
    await dialog.getByRole('button', { name: 'Add customer' }).click();
    // While the request is in flight no field is marked (the last answer's errors are cleared): wait
    // for the state only this answer gives, name valid and email not, rather than each in turn.
    const marks = async () => [await name.getAttribute('aria-invalid'), await email.getAttribute('aria-invalid')];
    await expect.poll(marks).toEqual(['false', 'true']);
    await expect.poll(() => isFocused(email)).toBe(true);

    await email.fill('nusrat.jahan@example.com');
    await dialog.getByRole('button', { name: 'Add customer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('New payment link: the browser check and the server check both bring focus to the field, every submit', async () => {
    await page.goto('/payment-links');
    await page.getByRole('button', { name: 'New payment link' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New payment link' });
    const title = dialog.getByLabel('Title');
    const price = dialog.getByLabel('Price (BDT)');
    await price.fill('abc');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    // The dashboard's own check reads as a sentence already and is shown as it is.
    await dialog.getByText('Enter an amount in BDT, like 1500 or 1500.50').waitFor();
    await expect.poll(() => isFocused(price)).toBe(true);

    await price.fill('1500');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await dialog.getByText('Title must not be empty.').waitFor();
    await expect.poll(() => isFocused(title)).toBe(true);

    // The same error again, after focus went elsewhere: the submit still brings it back.
    await dialog.getByLabel('Description').focus();
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await expect.poll(() => isFocused(title)).toBe(true);
    await screenshot(page, 'form-errors-payment-link');

    // An error that appears while typing does not pull focus away from where one types (to Title, the
    // first invalid field, still marked from the last submit).
    await price.fill('');
    await price.pressSequentially('x');
    await dialog.getByText('Enter an amount in BDT, like 1500 or 1500.50').waitFor();
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    expect(await isFocused(price)).toBe(true);
    expect(pageErrorsOf(page)).toEqual([]);
  });
});
