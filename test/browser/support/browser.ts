import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestPaydesk, type TestPaydesk } from '../../support/harness.js';
import type { TestStaff } from '../../support/staff.js';
import { CHROMIUM_PATH } from './chromium.js';

export { chromiumMissing } from './chromium.js';

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));

export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A real server on a free port (PGlite) and one browser for the whole test file. */
export interface BrowserPaydesk {
  paydesk: TestPaydesk;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser profile (no cookies): a staff member, or a client on a pay page. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** env and options go to startTestPaydesk (a test that needs PAYDESK_WEBHOOK_ALLOW_PRIVATE=1, say). */
export async function startBrowserPaydesk(
  env: Parameters<typeof startTestPaydesk>[1] = {},
  options: Parameters<typeof startTestPaydesk>[2] = {},
): Promise<BrowserPaydesk> {
  const paydesk = await startTestPaydesk('pglite', env, options);
  const baseUrl = await paydesk.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const contexts: BrowserContext[] = [];
  return {
    paydesk,
    baseUrl,
    browser,
    async newPage(viewport = LAPTOP) {
      const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: 'en-US', timezoneId: 'UTC' });
      // Generous: with the whole suite on two cores a page can take seconds to settle. The tests check
      // what appears, not how fast (speed is measured by npm run bench).
      context.setDefaultTimeout(20_000);
      contexts.push(context);
      const page = await context.newPage();
      // An exception in the app, or anything the Content-Security-Policy refused, fails the test that caused it.
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.text().includes('Content Security Policy')) errors.push(message.text());
      });
      pageErrors.set(page, errors);
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await paydesk.close();
    },
  };
}

const pageErrors = new WeakMap<Page, string[]>();

/** Uncaught exceptions the page has thrown so far (a React crash, a bad render) and CSP violations. */
export function pageErrorsOf(page: Page): string[] {
  return pageErrors.get(page) ?? [];
}

export async function signInThroughForm(page: Page, staff: Pick<TestStaff, 'email' | 'password'>): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(staff.email);
  await page.getByLabel('Password').fill(staff.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The app's frame (sidebar or, on a phone, the menu button) replaces the form.
  await page.locator('#main').waitFor();
}

/** A picture of what the page shows now, for people to look at (test-results/screenshots, git-ignored). */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // Let transitions and the skeleton-to-content swap settle.
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? false });
}
