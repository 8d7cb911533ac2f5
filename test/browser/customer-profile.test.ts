import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrand } from '../support/harness.js';
import { allNotes, byKey, notesApi } from '../support/notes.js';
import { newOrder } from '../support/orders.js';
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

/** As patient as a locator: a busy machine answers slowly. */
const POLL = { timeout: 10_000 };

/* The customer profile of issue 12: notes, the image, the timeline, and the order of cards on a phone. */

describe.skipIf(chromiumMissing)('dashboard: customer profile (browser)', () => {
  let env: BrowserPaydesk;
  let brand: TestBrand;
  let owner: TestStaff;
  let ownerName: string;
  let page: Page;
  let customerId: string;
  let orderId: string;
  let orderNumber: string;
  let portrait: Buffer;

  const profile = () => page.goto(`/customers/${customerId}`);
  const notesCard = (p = page) => p.getByRole('region', { name: 'Notes' });
  const timelineCard = (p = page) => p.getByRole('region', { name: 'Timeline' });
  const customer = async () =>
    (await env.paydesk.request(brand.token, { method: 'GET', url: `/api/v1/customers/${customerId}` })).json<{
      image_url: string | null;
      phone: string | null;
    }>();

  beforeAll(async () => {
    env = await startBrowserPaydesk();
    brand = await env.paydesk.newBrand({ name: 'Dhaka Yoga' });
    owner = await newStaff(env.paydesk, brand, 'owner');
    const staff = await env.paydesk.request(brand.token, { method: 'GET', url: '/api/v1/staff' });
    ownerName = staff.json<{ data: { id: string; name: string }[] }>().data.find((s) => s.id === owner.id)!.name;

    const created = await env.paydesk.request(brand.token, {
      method: 'POST',
      url: '/api/v1/customers',
      payload: { name: 'Farhana Akter', email: 'farhana.akter@example.com', phone: '+8801711000333' },
    });
    expect(created.statusCode).toBe(201);
    customerId = created.json<{ id: string }>().id;
    // She pays a payment link with her email (matched to her), and orders through the API.
    const link = await createPaymentLink(env.paydesk, brand, { title: 'Monthly pass', amount: 150000 });
    const paid = await pay(env.paydesk, link.url, payer({ name: 'Farhana Akter', email: 'farhana.akter@example.com' }));
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().customer_id).toBe(customerId);
    const order = await newOrder(env.paydesk, brand, { customer: customerId, customer_details: undefined });
    expect(order.customer).toBe(customerId);
    orderId = order.id;
    orderNumber = order.number;

    // A two-colour square, so a crop to the circle shows in the screenshots.
    portrait = await sharp({ create: { width: 96, height: 96, channels: 3, background: '#0f766e' } })
      .composite([
        {
          input: await sharp({ create: { width: 96, height: 40, channels: 3, background: '#f59e0b' } })
            .png()
            .toBuffer(),
          top: 56,
          left: 0,
        },
      ])
      .png()
      .toBuffer();

    page = await env.newPage();
    await signInThroughForm(page, owner);
  });
  afterAll(() => env?.close());

  it('adds a note with its author and time, edits it inline, and deletes it after confirming', async () => {
    await profile();
    await page.getByRole('heading', { name: 'Farhana Akter', level: 1 }).waitFor();
    const notes = notesCard();
    await notes.getByText('No notes yet.').waitFor();
    expect(await notes.getByRole('button', { name: 'Add note' }).isDisabled()).toBe(true);

    // Plain text with its line breaks; markup stays text.
    await notes.getByLabel('New note').fill('Prefers a call after 6 pm.\nAsks for <b>receipts</b> by email.');
    await notes.getByRole('button', { name: 'Add note' }).click();
    const note = notes.getByRole('listitem');
    await note.getByText(`${ownerName} (you)`).waitFor();
    expect(await notes.getByLabel('New note').inputValue()).toBe('');
    const body = note.locator('.note-body');
    expect(await body.innerText()).toBe('Prefers a call after 6 pm.\nAsks for <b>receipts</b> by email.');
    expect(await body.locator('b').count()).toBe(0);
    expect(await body.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('pre-wrap');
    const [stored] = await allNotes(byKey(env.paydesk, brand.token), customerId);
    expect(stored!.body).toBe('Prefers a call after 6 pm.\nAsks for <b>receipts</b> by email.');
    const time = note.locator('time');
    expect(await time.textContent()).toBe('just now');
    expect(await time.getAttribute('datetime')).toBe(stored!.created_at);
    expect(await time.getAttribute('title')).toMatch(/20\d\d/);
    await screenshot(page, 'profile-note-added');

    await note.getByRole('button', { name: 'Edit note' }).click();
    const editor = note.getByLabel('Edit note');
    expect(await editor.inputValue()).toBe(stored!.body);
    expect(await editor.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    // Escape leaves the note as it was.
    await editor.fill('thrown away');
    await editor.press('Escape');
    await body.getByText('Prefers a call after 6 pm.').waitFor();

    await note.getByRole('button', { name: 'Edit note' }).click();
    await note.getByLabel('Edit note').fill('Prefers a call after 7 pm.\nReceipts by email.');
    await screenshot(page, 'profile-note-editing');
    await note.getByRole('button', { name: 'Save' }).click();
    await body.getByText('Prefers a call after 7 pm.').waitFor();
    await note.getByText('· edited').waitFor();
    expect((await allNotes(byKey(env.paydesk, brand.token), customerId))[0]!.body).toBe(
      'Prefers a call after 7 pm.\nReceipts by email.',
    );

    await note.getByRole('button', { name: 'Delete note' }).click();
    let dialog = page.getByRole('dialog', { name: 'Delete this note?' });
    await dialog.getByText('Prefers a call after 7 pm.').waitFor();
    expect(
      await dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === el.ownerDocument.activeElement),
    ).toBe(true);
    await screenshot(page, 'profile-note-delete');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await allNotes(byKey(env.paydesk, brand.token), customerId)).toHaveLength(1);

    await note.getByRole('button', { name: 'Delete note' }).click();
    dialog = page.getByRole('dialog', { name: 'Delete this note?' });
    await dialog.getByRole('button', { name: 'Delete note' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await notes.getByText('No notes yet.').waitFor();
    expect(await allNotes(byKey(env.paydesk, brand.token), customerId)).toEqual([]);
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('uploads an image, shows it on the profile and in the list, refuses a non-image, and removes it', async () => {
    await profile();
    const header = page.locator('header.profile-header');
    await header.getByTestId('customer-initials').getByText('FA').waitFor();
    const fileInput = header.locator('input[type="file"]');
    expect(await fileInput.getAttribute('accept')).toBe('image/png,image/jpeg,image/webp');

    // Too large: refused here, before anything is sent.
    const puts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PUT') puts.push(request.url());
    });
    await fileInput.setInputFiles({
      name: 'huge.png',
      mimeType: 'image/png',
      buffer: Buffer.alloc(2 * 1024 * 1024 + 1),
    });
    await header.getByRole('alert').getByText('The image is larger than 2 MB. Choose a smaller one.').waitFor();
    expect(puts).toEqual([]);

    // Not an image: the server's reason, next to the buttons.
    await fileInput.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just some text') });
    await header
      .getByRole('alert')
      .getByText(/not a PNG, JPEG or WebP image/)
      .waitFor();
    expect(puts).toHaveLength(1);
    expect((await customer()).image_url).toBeNull();
    await screenshot(page, 'profile-image-refused');

    await fileInput.setInputFiles({ name: 'farhana.png', mimeType: 'image/png', buffer: portrait });
    await page.getByText('Image added').waitFor();
    const image = header.getByTestId('customer-image');
    await expect.poll(() => image.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth), POLL).toBe(96);
    const imageUrl = (await customer()).image_url;
    expect(imageUrl).toMatch(new RegExp(`^/api/v1/customers/${customerId}/image\\?v=`));
    expect(await image.getAttribute('src')).toBe(imageUrl);
    expect(await header.getByRole('alert').count()).toBe(0);
    expect(await header.getByRole('button', { name: 'Replace image' }).isVisible()).toBe(true);
    await screenshot(page, 'profile-image');

    await page.goto('/customers');
    const row = page.getByRole('row', { name: /Farhana Akter/ });
    const avatar = row.getByTestId('customer-image');
    await expect.poll(() => avatar.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth), POLL).toBe(96);
    expect(await avatar.getAttribute('src')).toBe(imageUrl);
    expect(await avatar.evaluate((el: HTMLElement) => [el.offsetWidth, el.offsetHeight])).toEqual([32, 32]);
    // The avatar takes room from the name column, not from the row's actions (no sideways scrolling).
    expect(await page.locator('.table-scroll').evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    await screenshot(page, 'customers-avatar');

    await row.getByRole('link', { name: 'Farhana Akter', exact: true }).click();
    await header.getByRole('button', { name: 'Remove image' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove the image?' });
    await dialog.getByRole('button', { name: 'Remove image' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await header.getByTestId('customer-initials').waitFor();
    expect(await header.getByTestId('customer-image').count()).toBe(0);
    expect(await header.getByRole('button', { name: 'Upload image' }).isVisible()).toBe(true);
    expect((await customer()).image_url).toBeNull();
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('tells the customer’s story on the timeline, with links, and filters it by kind', async () => {
    await profile();
    // An edit through the dashboard, to see who made it and what changed.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Edit customer' });
    await edit.getByLabel('Phone').fill('+8801811000444');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'hidden' });

    const timeline = timelineCard();
    const events = timeline.getByRole('listitem');
    await timeline.getByText(`Edited phone by ${ownerName} (you)`).waitFor();
    // Orders are named by their numbers once the profile's order list has loaded.
    await timeline.getByRole('link', { name: orderNumber }).waitFor();
    // Money is formatted with a no-break space (BDT 1,500.00).
    const sentences = (await events.locator('.event-text').allInnerTexts()).map((text) => text.replace(/\s/g, ' '));
    expect(sentences).toEqual([
      `Edited phone by ${ownerName} (you)`,
      `Image removed by ${ownerName} (you)`,
      `Image updated by ${ownerName} (you)`,
      `Note deleted by ${ownerName} (you)`,
      `Note edited by ${ownerName} (you)`,
      `Note added by ${ownerName} (you)`,
      `Order ${orderNumber} placed by test (API key)`,
      'Paid BDT 1,500.00 by payment link',
      'Created through the API by test (API key)',
    ]);
    expect(await events.evaluateAll((items) => items.map((item) => item.getAttribute('data-type')))).toEqual([
      'customer.updated',
      'image.removed',
      'image.updated',
      'note.deleted',
      'note.edited',
      'note.added',
      'order.created',
      'payment.succeeded',
      'customer.created',
    ]);
    // Each kind has its own icon.
    const icons = await events.evaluateAll((items) =>
      items.map((item) => item.querySelector('.event-icon svg')?.getAttribute('class') ?? ''),
    );
    expect(new Set(icons).size).toBe(7);
    const newest = events.first().locator('time');
    expect(await newest.textContent()).toMatch(/^(just now|1 minute ago|\d+ minutes ago)$/);
    expect(await newest.getAttribute('title')).toMatch(/20\d\d/);
    await screenshot(page, 'profile-timeline', { fullPage: true });

    // The payment names its transaction (no page of its own: the link opens Transactions).
    const payment = events.filter({ hasText: 'Paid BDT 1,500.00' });
    const transaction = payment.getByRole('link', { name: /^txn_/ });
    expect(await transaction.getAttribute('href')).toBe('/transactions');
    // The order is named by its number and opens.
    await events.filter({ hasText: 'placed by' }).getByRole('link', { name: orderNumber }).click();
    await page.waitForURL(new RegExp(`/orders/${orderId}$`));
    await page.getByRole('heading', { name: new RegExp(orderNumber), level: 1 }).waitFor();
    await page.goBack();

    const select = timeline.getByLabel('Show events');
    const asked = page.waitForRequest((request) => request.url().includes('/timeline?kind=payment'));
    await select.selectOption('payment');
    await asked;
    await expect.poll(() => events.count(), POLL).toBe(1);
    expect(await events.first().getAttribute('data-type')).toBe('payment.succeeded');
    await select.selectOption('image');
    await expect
      .poll(() => events.evaluateAll((items) => items.map((i) => i.getAttribute('data-type'))), POLL)
      .toEqual(['image.removed', 'image.updated']);
    await select.selectOption('refund');
    await timeline.getByText('Nothing of this kind yet.').waitFor();

    // Notes made through the API (by the key): more than a page of events, fetched on "Show more".
    const api = notesApi(byKey(env.paydesk, brand.token), customerId);
    for (let i = 1; i <= 14; i++) expect((await api.add(`Call log ${i}`)).statusCode).toBe(201);
    await select.selectOption('note');
    await expect.poll(() => events.count(), POLL).toBe(10);
    expect(await events.first().locator('.event-text').innerText()).toBe('Note added by test (API key)');
    await timeline.getByRole('button', { name: 'Show more' }).click();
    await expect.poll(() => events.count(), POLL).toBe(17);
    expect(await timeline.getByRole('button', { name: 'Show more' }).count()).toBe(0);
    const types = await events.evaluateAll((items) => items.map((i) => i.getAttribute('data-type')));
    expect(types.every((type) => type?.startsWith('note.'))).toBe(true);
    expect(types.slice(-3)).toEqual(['note.deleted', 'note.edited', 'note.added']);
    // All events again: the cached list is brought up to date, with the key's notes on top.
    await select.selectOption('');
    await expect.poll(() => events.first().getAttribute('data-type'), POLL).toBe('note.added');
    expect(await events.count()).toBe(10);
    expect(await timeline.getByRole('button', { name: 'Show more' }).isVisible()).toBe(true);
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('shows a viewer the image and the notes, with nothing to change', async () => {
    const viewer = await newStaff(env.paydesk, brand, 'viewer');
    const uploaded = await env.paydesk.request(brand.token, {
      method: 'PUT',
      url: `/api/v1/customers/${customerId}/image`,
      payload: portrait,
      headers: { 'content-type': 'image/png' },
    });
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    const viewerPage = await env.newPage();
    await signInThroughForm(viewerPage, viewer);
    await viewerPage.goto(`/customers/${customerId}`);
    const header = viewerPage.locator('header.profile-header');
    const image = header.getByTestId('customer-image');
    await expect.poll(() => image.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth), POLL).toBe(96);
    expect(await header.getByRole('button', { name: /image/ }).count()).toBe(0);
    expect(await header.locator('input[type="file"]').count()).toBe(0);

    const notes = notesCard(viewerPage);
    await notes.getByText('Call log 14').waitFor();
    // The latest five, then the rest on "Show more".
    expect(await notes.getByRole('listitem').count()).toBe(5);
    await notes.getByRole('button', { name: 'Show more' }).click();
    await expect.poll(() => notes.getByRole('listitem').count(), POLL).toBe(14);
    await notes.getByText('Call log 1', { exact: true }).waitFor();
    expect(await notes.getByText('Your role reads notes only.').isVisible()).toBe(true);
    expect(await notes.getByRole('textbox').count()).toBe(0);
    expect(await notes.getByRole('button', { name: /Edit note|Delete note/ }).count()).toBe(0);
    expect(await notes.getByText('test (API key)').count()).toBeGreaterThan(0);
    expect(pageErrorsOf(viewerPage)).toEqual([]);
  });

  it('on a phone puts contact and notes first, then the timeline, then the money, without overflow', async () => {
    const phone = await env.newPage(PHONE);
    await signInThroughForm(phone, owner);
    await phone.goto(`/customers/${customerId}`);
    await timelineCard(phone).getByRole('listitem').first().waitFor();
    await phone.locator('section[aria-labelledby="transactions-title"]').getByRole('cell').first().waitFor();

    const top = async (selector: string) => (await phone.locator(selector).boundingBox())!.y;
    const order = [
      await top('header.profile-header'),
      await top('section[aria-labelledby="contact-title"]'),
      await top('section[aria-labelledby="notes-title"]'),
      await top('section[aria-labelledby="timeline-title"]'),
      await top('.profile-kpis'),
      await top('section[aria-labelledby="transactions-title"]'),
      await top('section[aria-labelledby="orders-title"]'),
      await top('section[aria-labelledby="invoices-title"]'),
      await top('section[aria-labelledby="site-account-title"]'),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[2]).toBeLessThan(order[5]!);
    const overflow = () =>
      phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBe(0);
    // The money tables are cards: no header row, and each row's actions inside the screen.
    const payments = phone.locator('section[aria-labelledby="transactions-title"]');
    expect(await payments.locator('thead').evaluate((el) => el.getBoundingClientRect().height)).toBeLessThanOrEqual(1);
    const refund = payments.getByRole('button', { name: /^Refund / }).first();
    const box = (await refund.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    const view = phone.locator('section[aria-labelledby="orders-title"]').getByRole('link', { name: /^View order / });
    expect((await view.boundingBox())!.x + (await view.boundingBox())!.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'profile-phone', { fullPage: true });

    await phone.goto('/customers');
    const card = phone.getByRole('row', { name: /Farhana Akter/ });
    await expect
      .poll(() => card.getByTestId('customer-image').evaluate((el: HTMLImageElement) => el.naturalWidth), POLL)
      .toBe(96);
    expect(await overflow()).toBe(0);
    await screenshot(phone, 'customers-phone');

    await page.goto(`/customers/${customerId}`);
    await timelineCard().getByRole('listitem').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(
      0,
    );
    await screenshot(page, 'profile-laptop', { fullPage: true });
    expect(pageErrorsOf(phone)).toEqual([]);
  });
});
