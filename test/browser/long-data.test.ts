import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrand } from '../support/harness.js';
import { newCustomer, type CustomerJson } from '../support/customers.js';
import { byKey, newNote } from '../support/notes.js';
import { newOrder } from '../support/orders.js';
import { createPaymentLink, openInvoice, paid, pay, payer } from '../support/payments.js';
import { acceptInvitationRequest, inviteStaff, newStaff, type TestStaff } from '../support/staff.js';
import { newUser } from '../support/users.js';
import {
  chromiumMissing,
  LAPTOP,
  pageErrorsOf,
  PHONE,
  screenshot,
  signInThroughForm,
  startBrowserPaydesk,
  type BrowserPaydesk,
} from './support/browser.js';

/*
 * Issue 18: real data is longer than demo data. A brand whose customers, links, invoices, orders,
 * site users, staff and webhook endpoints carry long names, long emails and large amounts; every page
 * of the dashboard at 1280×800, 1024×768 and 390×844 must hold it: no horizontal overflow of the document, of
 * any card or of any table, and every action control inside the viewport.
 */

const LONG_NAME = 'Mohammad Abdullah Al-Mamun Chowdhury Siddiqui Rahman Talukder';
const LONG_EMAIL = 'mohammad.abdullah.almamun.chowdhury.siddiqui@accounts.longcompanyname-bangladesh.example';
const LONG_TITLE = 'Annual wholesale order of handwoven Jamdani sarees and Nakshi kantha quilts for the Dhaka showroom';
/** BDT 98,765,432.10: eleven digits of minor units. */
const BIG_AMOUNT = 9_876_543_210;

interface Overflow {
  what: string;
  by: number;
}

/** Everything on the page that is wider than its box, and every visible action outside the viewport. */
async function layoutProblems(page: Page): Promise<Overflow[]> {
  return page.evaluate(() => {
    const problems: { what: string; by: number }[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) problems.push({ what: 'document', by: doc.scrollWidth - doc.clientWidth });
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}${el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : ''}`;
    for (const el of document.querySelectorAll('main .card, main .table-scroll, main table')) {
      const by = el.scrollWidth - el.clientWidth;
      if (by > 1) problems.push({ what: describe(el), by });
    }
    const width = doc.clientWidth;
    for (const el of document.querySelectorAll('main button, main a[href], main select')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      // Controls inside an element that scrolls sideways on purpose are not counted twice: the scroller is.
      if (box.right > width + 1 || box.left < -1) {
        problems.push({
          what: `action "${(el.textContent ?? '').trim().slice(0, 30) || el.getAttribute('aria-label')}"`,
          by: Math.round(Math.max(box.right - width, -box.left)),
        });
      }
    }
    return problems;
  });
}

describe.skipIf(chromiumMissing)('dashboard: long real data at laptop and phone width (browser)', () => {
  let env: BrowserPaydesk;
  let brand: TestBrand;
  let owner: TestStaff;
  let long: CustomerJson;
  let orderId: string;
  const paths: [string, string][] = [];

  beforeAll(async () => {
    env = await startBrowserPaydesk();
    const pd = env.paydesk;
    brand = await pd.newBrand({ name: 'Jamdani and Nakshi Kantha Heritage Weavers Cooperative of Narayanganj' });
    owner = await newStaff(pd, brand, 'owner');
    // A staff member with a long name and email.
    const token = await inviteStaff(pd, brand, LONG_EMAIL, 'support');
    const accepted = await acceptInvitationRequest(pd, token, {
      name: LONG_NAME,
      password: 'a long enough password 1',
    });
    expect(accepted.statusCode, accepted.body).toBe(200);

    long = await newCustomer(pd, brand, { name: LONG_NAME, email: LONG_EMAIL, phone: '01711234567' });
    for (let i = 0; i < 4; i++) {
      await newCustomer(pd, brand, {
        name: `${LONG_NAME} ${i}`,
        email: `${i}.${LONG_EMAIL}`,
      });
    }
    const link = await createPaymentLink(pd, brand, { title: LONG_TITLE, amount: BIG_AMOUNT });
    paid(await pay(pd, link.url, payer({ email: LONG_EMAIL, name: LONG_NAME })));
    paid(await pay(pd, link.url, payer({ email: LONG_EMAIL, name: LONG_NAME })));
    await openInvoice(pd, brand, {
      customer_id: long.id,
      line_items: [{ description: LONG_TITLE, quantity: 1, unit_amount: BIG_AMOUNT }],
    });
    const order = await newOrder(pd, brand, {
      customer: long.id,
      customer_details: undefined,
      line_items: [{ description: LONG_TITLE, quantity: 3, unit_amount: BIG_AMOUNT }],
    });
    orderId = order.id;
    await newUser(pd, brand, { email: LONG_EMAIL, given_name: 'Mohammad Abdullah', family_name: 'Al-Mamun Chowdhury' });
    await newNote(byKey(pd, brand.token), long.id, `${LONG_TITLE} `.repeat(3));
    await pd.request(brand.token, {
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: {
        url: `https://hooks.${'very-long-subdomain-name.'.repeat(4)}example.com/paydesk/webhooks/customers`,
        events: ['*'],
        description: LONG_TITLE,
      },
    });
    paths.push(
      ['/customers', 'customers'],
      [`/customers/${long.id}`, 'profile'],
      ['/transactions', 'transactions'],
      ['/invoices', 'invoices'],
      ['/payment-links', 'payment-links'],
      ['/orders', 'orders'],
      [`/orders/${orderId}`, 'order'],
      ['/users', 'site-users'],
      ['/staff', 'staff'],
      ['/settings', 'settings'],
      ['/webhooks', 'webhooks'],
    );
  }, 120_000);
  afterAll(() => env?.close());

  for (const [label, viewport] of [
    ['laptop', LAPTOP],
    ['small laptop', { width: 1024, height: 768 }],
    ['phone', PHONE],
  ] as const) {
    it(`holds long data on every page at ${label} width (${viewport.width}×${viewport.height})`, async () => {
      const page = await env.newPage(viewport);
      await signInThroughForm(page, owner);
      const found: Record<string, Overflow[]> = {};
      for (const [path, name] of paths) {
        await page.goto(path);
        await page.locator('main').waitFor();
        await page.waitForLoadState('networkidle');
        await screenshot(page, `long-${label.replace(' ', '-')}-${name}`, { fullPage: true });
        const problems = await layoutProblems(page);
        if (problems.length > 0) found[path] = problems;
      }
      expect(found).toEqual({});
      expect(pageErrorsOf(page)).toEqual([]);
    }, 120_000);
  }
});
