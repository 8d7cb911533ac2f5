import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrand } from '../support/harness.js';
import { createPaymentLink, pay, payer } from '../support/payments.js';
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
 * The customers list as a tool (issue 14): sort by a column header, filter by source and date, save the
 * list as a view and open its address in another browser, tag three customers at once, suspend one and
 * see the public pay page refuse them while another payer still pays.
 */

const DAY = 86_400_000;
const day = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().slice(0, 10);

describe.skipIf(chromiumMissing)('dashboard: the customers list as a tool (browser)', () => {
  let env: BrowserPaydesk;
  let brand: TestBrand;
  let owner: TestStaff;
  let page: Page;
  let mediumLink: string;
  let viewUrl: string;
  const ids: Record<string, string> = {};

  /** The names in the table, top to bottom. */
  const names = (p: Page = page) => p.locator('tbody tr .cell-title').allInnerTexts();

  beforeAll(async () => {
    env = await startBrowserPaydesk();
    brand = await env.paydesk.newBrand({ name: 'Chattogram Spices' });
    owner = await newStaff(env.paydesk, brand, 'owner');
    const small = await createPaymentLink(env.paydesk, brand, { title: 'Spice box S', amount: 50000 });
    const medium = await createPaymentLink(env.paydesk, brand, { title: 'Spice box M', amount: 150000 });
    const large = await createPaymentLink(env.paydesk, brand, { title: 'Spice box L', amount: 300000 });
    mediumLink = medium.url;
    // Through payment links: Nadia 3,500 in two payments, Rafiq 3,000, Omar 1,500, Parvin 500.
    for (const [name, links] of [
      ['Nadia Karim', [large, small]],
      ['Rafiq Hasan', [large]],
      ['Omar Faruk', [medium]],
      ['Parvin Akter', [small]],
    ] as const) {
      const email = `${name.split(' ')[0]!.toLowerCase()}@example.com`;
      for (const link of links) {
        const paid = await pay(env.paydesk, link.url, payer({ name, email }));
        expect(paid.statusCode, paid.body).toBe(200);
        ids[name] = paid.json<{ customer_id: string }>().customer_id;
      }
    }
    // Added through the API, never paid.
    for (const name of ['Sadia Islam', 'Tanvir Ahmed']) {
      const response = await env.paydesk.request(brand.token, {
        method: 'POST',
        url: '/api/v1/customers',
        payload: { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com` },
      });
      expect(response.statusCode, response.body).toBe(201);
    }
    // Rafiq became a customer two months ago: the date filter leaves him out.
    await env.paydesk.rawQuery(`UPDATE customers SET created_at = now() - interval '60 days' WHERE id = $1`, [
      ids['Rafiq Hasan'],
    ]);
    page = await env.newPage();
    await signInThroughForm(page, owner);
  });
  afterAll(() => env?.close());

  it('sorts by total spent from the column header, both ways, with aria-sort and the address', async () => {
    await page.goto('/customers');
    await expect.poll(() => names()).toHaveLength(6);
    const header = page.getByRole('columnheader', { name: 'Total spent' });
    expect(await header.getAttribute('aria-sort')).toBe('none');
    expect(await page.getByRole('columnheader', { name: 'Created' }).getAttribute('aria-sort')).toBe('descending');

    await header.getByRole('button').click();
    await page.waitForURL(/[?&]sort=-total_spent\b/);
    await expect
      .poll(() => names().then((n) => n.slice(0, 4)))
      .toEqual(['Nadia Karim', 'Rafiq Hasan', 'Omar Faruk', 'Parvin Akter']);
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    await page
      .getByRole('row', { name: /Nadia Karim/ })
      .getByRole('cell', { name: 'BDT 3,500.00' })
      .waitFor();

    // From the keyboard: the header's button is focusable and Enter sorts the other way.
    await header.getByRole('button').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/[?&]sort=total_spent\b/);
    await expect
      .poll(() => names().then((n) => n.slice(-4)))
      .toEqual(['Parvin Akter', 'Omar Faruk', 'Rafiq Hasan', 'Nadia Karim']);
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    await header.getByRole('button').click();
    await page.waitForURL(/[?&]sort=-total_spent\b/);
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('opens a profile from anywhere on a row, with one tab stop per row and its actions in a menu', async () => {
    const list = '/customers?sort=-total_spent';
    await page.goto(list);
    await expect.poll(() => names()).toHaveLength(6);
    const row = page.getByRole('row', { name: /Nadia Karim/ });
    // Anywhere on the row but its controls: here its amount.
    await row.getByRole('cell', { name: 'BDT 3,500.00' }).click();
    await page.getByRole('heading', { name: 'Nadia Karim', level: 1 }).waitFor();
    expect(page.url()).toContain(`/customers/${ids['Nadia Karim']}`);
    await page.goBack();
    await expect.poll(() => names()).toHaveLength(6);
    // Its checkbox picks the row, and stays on the list.
    await row.getByRole('checkbox').check();
    expect(new URL(page.url()).pathname).toBe('/customers');
    await row.getByRole('checkbox').uncheck();

    // One link per row (the name); from it Tab reaches the row's menu, then the next row.
    expect(await row.getByRole('link').count()).toBe(1);
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '';
      });
    await row.getByRole('link', { name: 'Nadia Karim', exact: true }).focus();
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Actions for Nadia Karim');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe(`Select ${(await names())[1]}`);
    // Focused from the keyboard, the name shows its row's cut values whole (on a laptop: title on hover).
    const email = row.getByTitle('nadia@example.com');
    expect(await email.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('nowrap');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('Nadia Karim');
    expect(await email.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('normal');

    // The menu from the keyboard: Enter opens it on its first item, the arrows move, Escape gives focus back.
    const button = row.getByRole('button', { name: 'Actions for Nadia Karim' });
    await button.focus();
    expect(await button.getAttribute('aria-haspopup')).toBe('menu');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'Actions for Nadia Karim' });
    await menu.waitFor();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await focused()).toBe('View profile');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toMatch(/^Delete…/);
    // Nadia has paid twice: Delete stays, disabled, and says why.
    const remove = menu.getByRole('menuitem', { name: 'Delete…' });
    expect(await remove.getAttribute('aria-disabled')).toBe('true');
    expect(
      await remove.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')!)?.textContent),
    ).toBe(
      'Has 2 payments: a customer with payments, invoices or orders cannot be deleted. Erase their personal data instead.',
    );
    await screenshot(page, 'customer-row-menu');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    expect(await focused()).toBe('Actions for Nadia Karim');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    // ArrowUp opens it on its last item; View profile opens the profile.
    await page.keyboard.press('ArrowUp');
    await menu.waitFor();
    expect(await focused()).toBe('Erase personal data…');
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Nadia Karim', level: 1 }).waitFor();
    // A click outside closes it.
    await page.goto(list);
    await button.click();
    await menu.waitFor();
    await page.getByRole('heading', { name: 'Customers', level: 1 }).click();
    await menu.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe('/customers');
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('keeps a search in the address: it survives a reload and its link opens the same list in another browser', async () => {
    const before = page.url();
    await expect.poll(() => names()).toHaveLength(6);
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('nadia');
    await page.waitForURL(/[?&]q=nadia\b/);
    await expect.poll(() => names()).toEqual(['Nadia Karim']);
    const searched = page.url();

    await page.reload();
    await expect.poll(() => names()).toEqual(['Nadia Karim']);
    expect(await page.getByRole('searchbox', { name: 'Search customers' }).inputValue()).toBe('nadia');

    const other = await env.newPage();
    await signInThroughForm(other, owner);
    await other.goto(searched);
    await other.locator('tbody tr .cell-title').first().waitFor();
    await expect.poll(() => names(other), { timeout: 15_000 }).toEqual(['Nadia Karim']);
    expect(await other.getByRole('searchbox', { name: 'Search customers' }).inputValue()).toBe('nadia');
    expect(pageErrorsOf(other)).toEqual([]);
    // Back to the list the next test starts from.
    await page.goto(before);
    await expect.poll(() => names()).toHaveLength(6);
  });

  it('filters by source and creation date, as removable chips, with the count', async () => {
    await page.getByRole('button', { name: /^Filters/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Filter customers' });
    await dialog.getByRole('checkbox', { name: 'Payment link' }).check();
    await dialog
      .getByRole('group', { name: 'Created' })
      .getByLabel('From')
      .fill(day(7 * DAY));
    await screenshot(page, 'customer-filters-dialog');
    await dialog.getByRole('button', { name: 'Apply filters' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.waitForURL(/source=payment_link/);
    expect(page.url()).toMatch(/created_gte=/);
    expect(page.url()).toMatch(/sort=-total_spent/);
    await expect.poll(() => names()).toEqual(['Nadia Karim', 'Omar Faruk', 'Parvin Akter']);
    const chips = page.getByRole('list', { name: 'Active filters' });
    await chips.getByText('Source: Payment link').waitFor();
    await chips.getByText(/^Created since /).waitFor();
    await page.getByTestId('result-count').getByText('3 customers').waitFor();

    // A chip's × takes its filter off (and Back puts it on again: each list is a history entry).
    await page.getByRole('button', { name: 'Remove filter Source: Payment link' }).click();
    await expect.poll(() => names()).toHaveLength(5);
    expect((await names()).slice(0, 3)).toEqual(['Nadia Karim', 'Omar Faruk', 'Parvin Akter']);
    await page.goBack();
    await expect.poll(() => names()).toEqual(['Nadia Karim', 'Omar Faruk', 'Parvin Akter']);
    await screenshot(page, 'customer-list-filtered');
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('saves the list as a shared view, shown as a tab, which opens the same list in another browser', async () => {
    await page.getByRole('button', { name: 'Save view' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save view' });
    await dialog.getByText(/Saves: .*Source: Payment link/).waitFor();
    await dialog.getByLabel('View name').fill('Recent link payers');
    await dialog.getByRole('checkbox', { name: 'Share with everyone in this brand' }).check();
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const tabs = page.getByRole('navigation', { name: 'Saved views' });
    const tab = tabs.getByRole('link', { name: /Recent link payers/ });
    await page.waitForURL(/[?&]view=view_/);
    expect(await tab.getAttribute('aria-current')).toBe('page');
    expect(await tabs.getByRole('link', { name: 'All customers' }).getAttribute('aria-current')).toBeNull();
    viewUrl = page.url();
    const views = await env.paydesk.request(brand.token, { method: 'GET', url: '/api/v1/customer-views' });
    expect(views.json().data).toEqual([
      expect.objectContaining({
        name: 'Recent link payers',
        shared: true,
        params: expect.objectContaining({ sort: '-total_spent', source: 'payment_link' }),
      }),
    ]);

    // "All customers" is the whole list again; the tab brings the view back.
    await tabs.getByRole('link', { name: 'All customers' }).click();
    await expect.poll(() => names()).toHaveLength(6);
    await tab.click();
    await expect.poll(() => names()).toEqual(['Nadia Karim', 'Omar Faruk', 'Parvin Akter']);

    const other = await env.newPage();
    await signInThroughForm(other, owner);
    await other.goto(viewUrl);
    await expect.poll(() => names(other)).toEqual(['Nadia Karim', 'Omar Faruk', 'Parvin Akter']);
    const otherTab = other
      .getByRole('navigation', { name: 'Saved views' })
      .getByRole('link', { name: /Recent link payers/ });
    expect(await otherTab.getAttribute('aria-current')).toBe('page');
    await other.getByRole('list', { name: 'Active filters' }).getByText('Source: Payment link').waitFor();
    expect(await other.getByRole('columnheader', { name: 'Total spent' }).getAttribute('aria-sort')).toBe('descending');
    expect(pageErrorsOf(other)).toEqual([]);
  });

  it('tags the three customers of the view at once, with a tag made in the picker', async () => {
    await page.getByRole('checkbox', { name: 'Select all customers on this page' }).check();
    const bar = page.getByRole('group', { name: 'Bulk actions' });
    await bar.getByText('3 selected').waitFor();
    // Eight columns, the tags and the bulk bar fit a laptop without sideways scrolling.
    expect(await page.locator('.table-scroll').evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    await screenshot(page, 'customer-list-selection');
    await bar.getByRole('button', { name: 'Tag', exact: true }).click();

    const dialog = page.getByRole('dialog', { name: 'Tag 3 customers' });
    await dialog.getByLabel('Tag name').fill('Spice club');
    await dialog.getByRole('radio', { name: 'Violet' }).check();
    await dialog.getByRole('button', { name: 'Create tag' }).click();
    await dialog.getByRole('radio', { name: /Spice club/ }).waitFor();
    expect(await dialog.getByRole('radio', { name: /Spice club/ }).isChecked()).toBe(true);
    await screenshot(page, 'customer-bulk-tag');
    await dialog.getByRole('button', { name: 'Tag 3 customers' }).click();
    await dialog.getByTestId('bulk-report').getByText('Tagged 3 customers').waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await bar.count()).toBe(0);

    for (const name of ['Nadia Karim', 'Omar Faruk', 'Parvin Akter']) {
      await page
        .getByRole('row', { name: new RegExp(name) })
        .getByRole('list', { name: `Tags of ${name}` })
        .getByText('Spice club')
        .waitFor();
    }
    const tags = (await env.paydesk.request(brand.token, { method: 'GET', url: '/api/v1/customer-tags' })).json<{
      data: { id: string; name: string; color: string; customers: number }[];
    }>().data;
    expect(tags).toEqual([expect.objectContaining({ name: 'Spice club', color: 'violet', customers: 3 })]);
    const tagged = await env.paydesk.request(brand.token, {
      method: 'GET',
      url: `/api/v1/customers?tag=${tags[0]!.id}`,
    });
    expect(
      tagged
        .json<{ data: { name: string }[] }>()
        .data.map((c) => c.name)
        .sort(),
    ).toEqual(['Nadia Karim', 'Omar Faruk', 'Parvin Akter']);
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('fits a phone: the list as cards, the filters and the bulk bar inside the screen', async () => {
    const phone = await env.newPage(PHONE);
    await signInThroughForm(phone, owner);
    await phone.goto(viewUrl);
    // The first load (sign-in, the view, the list) can take longer than a poll's 5 s on a busy machine.
    await phone.locator('tbody tr .cell-title').first().waitFor();
    await expect.poll(() => names(phone), { timeout: 15_000 }).toEqual(['Nadia Karim', 'Omar Faruk', 'Parvin Akter']);
    await phone.getByRole('checkbox', { name: 'Select Omar Faruk' }).check();
    await phone.getByRole('checkbox', { name: 'Select Parvin Akter' }).check();
    await phone.getByRole('group', { name: 'Bulk actions' }).getByText('2 selected').waitFor();
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await phone.evaluate('window.scrollTo(0, 0)');
    await screenshot(phone, 'customer-list-phone', { fullPage: true });
    await phone.getByRole('button', { name: /^Filters/ }).click();
    const filters = phone.getByRole('dialog', { name: 'Filter customers' });
    expect(await filters.getByRole('checkbox', { name: 'Payment link' }).isChecked()).toBe(true);
    await screenshot(phone, 'customer-filters-phone');
    await phone.keyboard.press('Escape');
    await filters.waitFor({ state: 'hidden' });
    expect(pageErrorsOf(phone)).toEqual([]);
  });

  it("suspends a customer from the profile; the pay page refuses their payment and takes another payer's", async () => {
    await page.getByRole('link', { name: 'Omar Faruk', exact: true }).click();
    await page.getByRole('heading', { name: 'Omar Faruk', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Suspend', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Suspend Omar Faruk?' });
    await dialog.getByRole('button', { name: 'Suspend customer' }).click();
    await dialog.getByText('Choose a reason', { exact: true }).waitFor();
    expect(await dialog.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Reason').selectOption('fraudulent');
    await dialog.getByLabel(/Note for your team/).fill('Card testing from this address');
    await dialog.getByRole('button', { name: 'Suspend customer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('suspended-badge').waitFor();
    expect(await page.getByTestId('suspension').innerText()).toContain('Reason: Fraudulent payments');
    await page.getByRole('button', { name: 'Resume', exact: true }).waitFor();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText(/^Suspended \(Fraudulent payments\) by /).waitFor();
    await timeline.locator('.event-text', { hasText: /^Tagged Spice club by / }).waitFor();
    await screenshot(page, 'customer-suspended');
    const stored = await env.paydesk.request(brand.token, {
      method: 'GET',
      url: `/api/v1/customers/${ids['Omar Faruk']}`,
    });
    expect(stored.json()).toMatchObject({ status: 'suspended', suspension: { reason: 'fraudulent' } });

    const client = await env.newPage();
    const payAs = async (name: string, email: string) => {
      await client.goto(mediumLink);
      await client.getByLabel('Name').fill(name);
      await client.getByLabel('Email').fill(email);
      await client.getByLabel('Card number').fill('4242424242424242');
      await client.getByLabel('Expiry (MM / YY)').fill('12 / 30');
      await client.getByLabel('CVC').fill('123');
      await client.getByRole('button', { name: 'Pay BDT 1,500.00' }).click();
    };
    await payAs('Omar Faruk', 'OMAR@example.com');
    await client.getByRole('heading', { name: 'Payment not accepted' }).waitFor();
    // The page does not say why.
    expect(await client.getByRole('alert').innerText()).not.toMatch(/fraud|suspend/i);
    await screenshot(client, 'pay-refused');
    await payAs('Parvin Akter', 'parvin@example.com');
    await client.getByRole('heading', { name: 'Payment successful' }).waitFor();
    expect(pageErrorsOf(client)).toEqual([]);

    const phone = await env.newPage(PHONE);
    await signInThroughForm(phone, owner);
    await phone.goto(`/customers/${ids['Omar Faruk']}`);
    await phone.getByTestId('suspended-badge').waitFor();
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'customer-suspended-phone');

    await page.goto(viewUrl);
    await page
      .getByRole('row', { name: /Omar Faruk/ })
      .getByText('Suspended')
      .waitFor();
    const omar = await env.paydesk.request(brand.token, {
      method: 'GET',
      url: `/api/v1/customers/${ids['Omar Faruk']}`,
    });
    expect(omar.json().transactions_count).toBe(1);
    expect(pageErrorsOf(page)).toEqual([]);
  });
  it('untags and tags one customer from the profile, and resumes them: their payment goes through', async () => {
    await page.goto(`/customers/${ids['Omar Faruk']}`);
    const header = page.locator('header.profile-header');
    await header.getByRole('button', { name: 'Remove tag Spice club' }).click();
    await expect.poll(() => header.getByText('Spice club').count()).toBe(0);
    await header.getByRole('button', { name: 'Add tag' }).click();
    const tagDialog = page.getByRole('dialog', { name: 'Tag Omar Faruk' });
    await tagDialog.getByRole('radio', { name: /Spice club/ }).check();
    await tagDialog.getByRole('button', { name: 'Add tag' }).click();
    await tagDialog.waitFor({ state: 'hidden' });
    await header.getByRole('list', { name: 'Tags' }).getByText('Spice club').waitFor();

    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Resume Omar Faruk?' });
    await dialog.getByRole('button', { name: 'Resume customer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Suspend', exact: true }).waitFor();
    expect(await page.getByTestId('suspended-badge').count()).toBe(0);

    const client = await env.newPage();
    await client.goto(mediumLink);
    await client.getByLabel('Name').fill('Omar Faruk');
    await client.getByLabel('Email').fill('omar@example.com');
    await client.getByLabel('Card number').fill('4242424242424242');
    await client.getByLabel('Expiry (MM / YY)').fill('12 / 30');
    await client.getByLabel('CVC').fill('123');
    await client.getByRole('button', { name: 'Pay BDT 1,500.00' }).click();
    await client.getByRole('heading', { name: 'Payment successful' }).waitFor();
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('deletes everything the list matches, past the first page, and lists each customer it left alone', async () => {
    for (let i = 0; i < 20; i++) {
      const response = await env.paydesk.request(brand.token, {
        method: 'POST',
        url: '/api/v1/customers',
        payload: { name: `Bulk Person ${String(i).padStart(2, '0')}`, email: `bulk.${i}@example.com` },
      });
      expect(response.statusCode, response.body).toBe(201);
    }
    await page.goto('/customers');
    await expect.poll(() => names()).toHaveLength(20);
    await page.getByRole('checkbox', { name: 'Select all customers on this page' }).check();
    await page.getByText('All 20 customers on this page are selected.').waitFor();
    await page.getByRole('button', { name: /^Select (all 26 customers|every customer) in this list$/ }).click();
    const bar = page.getByRole('group', { name: 'Bulk actions' });
    await bar.getByText(/^All (26 )?selected/).waitFor();
    await bar.getByRole('button', { name: 'Delete', exact: true }).click();

    const dialog = page.getByRole('dialog', { name: /^Delete (all 26 customers|every matching customer)$/ });
    await dialog.getByRole('button', { name: /^Delete / }).click();
    const report = dialog.getByTestId('bulk-report');
    await report.getByText('Deleted 22 customers').waitFor();
    await report.getByText('4 customers were left alone:').waitFor();
    const refusals = report.getByRole('list', { name: 'Left alone' }).getByRole('listitem');
    expect(await refusals.count()).toBe(4);
    const refused = await refusals.allInnerTexts();
    for (const name of ['Nadia Karim', 'Rafiq Hasan', 'Omar Faruk', 'Parvin Akter']) {
      // Each with the reason in words, by name when the page knew it, else by id; never the server's own text.
      expect(
        refused.some(
          (text) =>
            (text.includes(name) || text.includes(ids[name]!)) && / — has payments, invoices or orders/.test(text),
        ),
      ).toBe(true);
      expect(refused.join('\n')).not.toMatch(/has \d+ transactions?,/);
    }
    await screenshot(page, 'customer-bulk-delete-report');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect
      .poll(() => names().then((n) => [...n].sort()))
      .toEqual(['Nadia Karim', 'Omar Faruk', 'Parvin Akter', 'Rafiq Hasan']);

    // The view goes away with its tab; the list it showed stays in the address.
    await page.goto(viewUrl);
    await page.getByRole('button', { name: 'Delete view Recent link payers' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete the view Recent link payers?' });
    await confirm.getByRole('button', { name: 'Delete view' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByRole('link', { name: /Recent link payers/ }).count()).toBe(0);
    expect(page.url()).not.toMatch(/view=/);
    expect(page.url()).toMatch(/source=payment_link/);
    const views = await env.paydesk.request(brand.token, { method: 'GET', url: '/api/v1/customer-views' });
    expect(views.json().data).toEqual([]);
    expect(pageErrorsOf(page)).toEqual([]);
  });
});
