import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrand } from '../support/harness.js';
import { newStaff, signInRequest, type TestStaff } from '../support/staff.js';
import {
  chromiumMissing,
  pageErrorsOf,
  screenshot,
  signInThroughForm,
  startBrowserPaydesk,
  type BrowserPaydesk,
} from './support/browser.js';

/* An owner starts a password reset; the member opens the link in a fresh browser, sets a password, is in. */

describe.skipIf(chromiumMissing)('dashboard: staff password reset (browser)', () => {
  let env: BrowserPaydesk;
  let brand: TestBrand;
  let owner: TestStaff;
  let member: TestStaff;
  let page: Page;

  beforeAll(async () => {
    env = await startBrowserPaydesk();
    brand = await env.paydesk.newBrand({ name: 'Dhaka Crafts' });
    owner = await newStaff(env.paydesk, brand, 'owner');
    member = await newStaff(env.paydesk, brand, 'support');
    page = await env.newPage();
    await signInThroughForm(page, owner);
  });
  afterAll(() => env?.close());

  it('gives the owner a one-time link with which the member sets a new password and lands signed in', async () => {
    // The member is signed in elsewhere with the old password.
    const before = await env.newPage();
    await signInThroughForm(before, member);

    await page.goto('/staff');
    const row = page.getByRole('row', { name: new RegExp(member.email.replace(/\./g, '\\.')) });
    await row.waitFor();
    // Not for yourself: the owner changes their own password in Settings.
    const ownRow = page.getByRole('row', { name: new RegExp(owner.email.replace(/\./g, '\\.')) });
    expect(await ownRow.getByRole('button', { name: /Reset the password/ }).count()).toBe(0);

    await row.getByRole('button', { name: /^Reset the password of / }).click();
    const confirm = page.getByRole('dialog', { name: /^Reset the password of / });
    await confirm.getByRole('button', { name: 'Create reset link' }).click();
    const shown = page.getByRole('dialog', { name: 'Password reset link' });
    const url = (await shown.getByTestId('reset-url').textContent())!.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/reset-password\/[A-Za-z0-9_-]{43}$/);
    expect(await shown.textContent()).toContain('shown only this once');
    expect(await shown.textContent()).toContain('pass it on yourself');
    expect(await shown.getByRole('button', { name: /^Copy link/ }).isVisible()).toBe(true);
    await screenshot(page, 'staff-password-reset-link');
    await shown.getByRole('button', { name: 'Done' }).click();

    // A fresh browser: no cookies, only the link.
    const person = await env.newPage();
    await person.goto(url);
    await person.getByRole('heading', { name: 'Set a new password' }).waitFor();
    expect(await person.getByLabel('Email').inputValue()).toBe(member.email);
    const password = person.getByLabel('New password');
    await password.fill('too short');
    await person.getByRole('button', { name: 'Set password and sign in' }).click();
    await person.getByText('New password must be at least 12 characters.').waitFor();
    await expect.poll(() => password.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await screenshot(person, 'staff-password-reset-page');
    await password.fill('a fresh password of mine');
    await person.getByRole('button', { name: 'Set password and sign in' }).click();
    await person.locator('#main').waitFor();
    await person.waitForURL(/\/customers$/);
    expect(await person.getByRole('complementary', { name: 'Main' }).textContent()).toContain('Dhaka Crafts');

    // The old session is over, the old password no longer works, and the link is used up.
    await before.reload();
    await before.waitForURL(/\/sign-in/);
    expect((await signInRequest(env.paydesk, member.email, member.password)).statusCode).toBe(401);
    expect((await signInRequest(env.paydesk, member.email, 'a fresh password of mine')).statusCode).toBe(200);
    const again = await env.newPage();
    await again.goto(url);
    await again.getByText('This link cannot be used').waitFor();
    expect(pageErrorsOf(person)).toEqual([]);
    expect(pageErrorsOf(page)).toEqual([]);
  });
});
