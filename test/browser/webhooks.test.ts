import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrand } from '../support/harness.js';
import { newStaff, type TestStaff } from '../support/staff.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import {
  chromiumMissing,
  LAPTOP,
  pageErrorsOf,
  PHONE,
  signInThroughForm,
  startBrowserPaydesk,
  type BrowserPaydesk,
} from './support/browser.js';

/* An owner adds a webhook endpoint, sees its secret once, sends a test event and sees it delivered. */

describe.skipIf(chromiumMissing)('dashboard: webhooks (browser)', () => {
  let env: BrowserPaydesk;
  let brand: TestBrand;
  let owner: TestStaff;
  let page: Page;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let secret: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    // The receiver is on 127.0.0.1: private addresses and plain http allowed; the dispatcher polls often.
    env = await startBrowserPaydesk({ PAYDESK_WEBHOOK_ALLOW_PRIVATE: '1' }, { webhooks: { pollMs: 50 } });
    brand = await env.paydesk.newBrand({ name: 'Khulna Leather' });
    owner = await newStaff(env.paydesk, brand, 'owner');
    page = await env.newPage(LAPTOP);
    await signInThroughForm(page, owner);
  });
  afterAll(async () => {
    await env?.close();
    await receiver?.close();
  });

  /** A picture in /tmp (the brief's place for these), after transitions settle. */
  async function shoot(on: Page, name: string, fullPage = true): Promise<void> {
    // From the top, with no row under the pointer: a full-page picture otherwise draws the sticky bar mid-page.
    await on.mouse.move(0, 0);
    await on.waitForTimeout(500);
    if (fullPage) await on.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
    await on.waitForTimeout(150);
    await on.screenshot({ path: `/tmp/webhooks-${name}.png`, fullPage });
  }

  /** The receiver's URL as a pattern for a row's name (the other endpoint's URL contains "hooks" too). */
  const receiverUrlPattern = () => new RegExp(receiver.url.replace(/[.:/?]/g, '\\$&'));

  const isFocused = (locator: ReturnType<Page['getByLabel']>) =>
    locator.evaluate((el) => el === document.activeElement);

  it('adds an endpoint, shows its secret once, and a test event arrives signed with that secret', async () => {
    await page.getByRole('complementary', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'No endpoints yet' }).waitFor();
    await page.getByRole('button', { name: 'Add endpoint' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add webhook endpoint' });

    // The server's reason shows beside the field it names, and focus goes there.
    await dialog.getByLabel('Endpoint URL').fill('not a url');
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    await dialog.getByText('not a valid absolute URL').waitFor();
    expect(await isFocused(dialog.getByLabel('Endpoint URL'))).toBe(true);
    expect(await dialog.getByLabel('Endpoint URL').getAttribute('aria-invalid')).toBe('true');
    await shoot(page, 'add-error-1280', false);

    // No event chosen: said beside the events, focus on their first control.
    await dialog.getByLabel('Endpoint URL').fill(receiver.url);
    await dialog.getByLabel('Only the ones I choose').check();
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    await dialog.getByText('Choose at least one event').waitFor();
    expect(await isFocused(dialog.getByLabel('All events'))).toBe(true);

    await dialog.getByRole('checkbox', { name: /customer\.created/ }).check();
    await dialog.getByRole('checkbox', { name: /payment\.succeeded/ }).check();
    // An owner may choose full contact data (an admin is not offered it).
    expect(await dialog.getByLabel('Email and phone in payloads').locator('option').allTextContents()).toEqual([
      'Masked',
      'Full (owners only)',
    ]);
    await dialog.getByLabel('Description').fill('Shop backend');
    await shoot(page, 'add-form-1280', false);
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();

    const added = page.getByRole('dialog', { name: 'Endpoint added' });
    secret = (await added.getByTestId('webhook-secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(await added.textContent()).toContain("you won't see it again");
    expect(await added.getByRole('button', { name: /^Copy secret/ }).isVisible()).toBe(true);
    await shoot(page, 'secret-1280', false);
    await added.getByRole('button', { name: 'Done' }).click();

    // Listed, chosen, and the secret is nowhere on the page any more (nor after a reload).
    const endpoints = page.getByRole('region', { name: 'Webhook endpoints' });
    const row = endpoints.getByRole('row', { name: receiverUrlPattern() });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/customer\.created.*payment\.succeeded.*Enabled.*Masked/);
    await page.reload();
    await page.getByRole('heading', { name: `Endpoint ${receiver.url}` }).waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.getByRole('button', { name: 'Send test event' }).click();
    const deliveries = page.getByRole('region', { name: 'Recent deliveries' });
    const delivered = deliveries.getByRole('row', { name: /webhook_endpoint\.test/ });
    await delivered.getByText('succeeded').waitFor();
    expect(await delivered.textContent()).toMatch(/200.*\d+ ms.*1/);
    const [hit] = await receiver.waitFor(1);
    const event = new Webhook(secret).verify(hit!.body, hit!.headers) as { type: string };
    expect(event.type).toBe('webhook_endpoint.test');
    await shoot(page, '1280');

    // Resend queues the same event again; the receiver gets it with the same webhook-id.
    await delivered.getByRole('button', { name: /^Resend/ }).click();
    const [, again] = await receiver.waitFor(2);
    expect(again!.headers['webhook-id']).toBe(hit!.headers['webhook-id']);
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('tells an owner, in an alert, that Paydesk turned off a failing endpoint; a phone has no overflow', async () => {
    const longUrl = `http://127.0.0.1:9/paydesk/webhooks/${'very-long-segment/'.repeat(8)}receiver?source=paydesk`;
    const created = await env.paydesk.request(brand.token, {
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: {
        url: longUrl,
        events: ['customer.created', 'customer.updated', 'invoice.paid', 'order.paid', 'refund.created'],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const failing = created.json<{ id: string }>().id;
    // As the dispatcher leaves it after three days of failures.
    await env.paydesk.rawQuery(
      `UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'failing',
         failing_since = '2026-03-01T08:00:00Z', disabled_at = '2026-03-03T20:00:00Z' WHERE id = $1`,
      [failing],
    );

    // Every page of the dashboard tells an owner: a count on the Webhooks item of the sidebar.
    await page.goto('/customers');
    const badge = page.getByRole('status', { name: '1 endpoint turned off for failing' });
    await badge.waitFor();
    await page.goto('/webhooks');
    const alert = page.getByRole('alert').filter({ hasText: 'Turned off: failing since' });
    await alert.waitFor();
    // The newest endpoint (the failing one) is shown first; choose the receiver's, then follow the alert.
    await page.getByRole('button', { name: receiver.url }).click();
    await page.getByRole('heading', { name: `Endpoint ${receiver.url}` }).waitFor();
    expect(await alert.textContent()).toContain(longUrl);
    const row = page.getByRole('region', { name: 'Webhook endpoints' }).getByRole('row', { name: /very-long-segment/ });
    expect(await row.textContent()).toMatch(/\+2 more.*Turned off.*Failing since/);
    // The URL is cut on screen (never widening the table) and whole in its title.
    const urlButton = row.getByRole('button', { name: longUrl });
    expect(await urlButton.getAttribute('title')).toBe(longUrl);
    const cut = () => urlButton.locator('.truncate').evaluate((el) => el.scrollWidth > el.clientWidth);
    expect(await cut()).toBe(true);
    expect(
      await page
        .locator('.table-scroll')
        .first()
        .evaluate((el) => el.scrollWidth - el.clientWidth),
    ).toBe(0);
    await shoot(page, 'failing-1280');
    // Focused, the whole URL shows.
    await urlButton.focus();
    expect(await cut()).toBe(false);

    await alert.getByRole('button', { name: 'Show this endpoint' }).click();
    await page.getByRole('heading', { name: `Endpoint ${longUrl}` }).waitFor();
    expect(await page.getByRole('button', { name: 'Send test event' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Turn on' }).isVisible()).toBe(true);

    const phone = await env.newPage(PHONE);
    await signInThroughForm(phone, owner);
    await phone.goto('/webhooks');
    await phone.getByRole('alert').filter({ hasText: 'Turned off: failing since' }).waitFor();
    await phone.getByRole('button', { name: receiver.url }).click();
    await phone
      .getByRole('region', { name: 'Recent deliveries' })
      .getByRole('row', { name: /webhook_endpoint\.test/ })
      .first()
      .waitFor();
    const overflow = () =>
      phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBe(0);
    await shoot(phone, '390');
    await phone.getByRole('button', { name: 'Add endpoint' }).click();
    await phone.getByRole('dialog', { name: 'Add webhook endpoint' }).getByLabel('Only the ones I choose').check();
    expect(await overflow()).toBe(0);
    await shoot(phone, 'add-form-390', false);
    expect(pageErrorsOf(phone)).toEqual([]);
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('rotates the secret (shown once, the old one signs for 24 h), turns off and on, and deletes', async () => {
    await page.goto('/webhooks');
    await page.getByRole('button', { name: receiver.url }).click();
    await page.getByRole('heading', { name: `Endpoint ${receiver.url}` }).waitFor();

    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const confirm = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
    expect(await confirm.textContent()).toContain('keeps working for 24 hours');
    await confirm.getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = page.getByRole('dialog', { name: 'New signing secret' });
    const next = (await rotated.getByTestId('webhook-secret').textContent())!.trim();
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(secret);
    expect(await rotated.textContent()).toContain('old secret keeps working for 24 hours');
    await rotated.getByRole('button', { name: 'Done' }).click();
    await page.getByText('The previous secret also signs until').waitFor();

    await page.getByRole('button', { name: 'Turn off' }).click();
    const row = page
      .getByRole('region', { name: 'Webhook endpoints' })
      .getByRole('row', { name: receiverUrlPattern() });
    await row.getByText('Turned off').waitFor();
    await page.getByRole('button', { name: 'Turn on' }).click();
    await row.getByText('Enabled').waitFor();

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const remove = page.getByRole('dialog', { name: 'Delete this endpoint?' });
    await remove.getByRole('button', { name: 'Delete endpoint' }).click();
    await page.getByText('Endpoint deleted').waitFor();
    // The toast comes with the answer; the list follows on its refetch.
    await expect.poll(() => page.getByRole('button', { name: receiver.url }).count()).toBe(0);
    const left = await env.paydesk.request(brand.token, { method: 'GET', url: '/api/v1/webhook-endpoints' });
    expect(left.json<{ data: { url: string }[] }>().data.map((e) => e.url)).not.toContain(receiver.url);
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('offers an admin the page but not full contact data', async () => {
    const admin = await newStaff(env.paydesk, brand, 'admin');
    const theirs = await env.newPage();
    await signInThroughForm(theirs, admin);
    await theirs.getByRole('complementary', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await theirs.getByRole('button', { name: 'Add endpoint' }).first().click();
    const dialog = theirs.getByRole('dialog', { name: 'Add webhook endpoint' });
    expect(await dialog.getByLabel('Email and phone in payloads').locator('option').allTextContents()).toEqual([
      'Masked',
    ]);
    expect(await dialog.textContent()).toContain('Only an owner may choose full');
    expect(pageErrorsOf(theirs)).toEqual([]);
  });

  it('is not in the menu of a manager, and its address says the role does not include it', async () => {
    const manager = await newStaff(env.paydesk, brand, 'manager');
    const theirs = await env.newPage();
    await signInThroughForm(theirs, manager);
    const sidebar = theirs.getByRole('complementary', { name: 'Main' });
    await sidebar.getByRole('link', { name: 'Settings' }).waitFor();
    expect(await sidebar.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
    await theirs.goto('/webhooks');
    await theirs.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    expect(pageErrorsOf(theirs)).toEqual([]);
  });
});
