import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBrand } from '../support/harness.js';
import { newStaff, type TestStaff } from '../support/staff.js';
import {
  chromiumMissing,
  pageErrorsOf,
  screenshot,
  signInThroughForm,
  startBrowserPaydesk,
  type BrowserPaydesk,
} from './support/browser.js';

/* Issue 13: import a CSV file with a bad row from the Customers page, follow it to the end, read the report. */

const FILE = [
  'First Name,Last Name,Email,Phone,Loyalty Tier',
  'Nusrat,Jahan,nusrat.jahan@example.com,01711000401,gold',
  'Broken,Row,not-an-email,,silver',
  'Tanvir,Hasan,tanvir.hasan@example.com,,bronze',
].join('\r\n');

describe.skipIf(chromiumMissing)('dashboard: customer import (browser)', () => {
  let env: BrowserPaydesk;
  let brand: TestBrand;
  let owner: TestStaff;
  let page: Page;

  beforeAll(async () => {
    env = await startBrowserPaydesk();
    brand = await env.paydesk.newBrand({ name: 'Import Shop' });
    owner = await newStaff(env.paydesk, brand, 'owner');
    page = await env.newPage();
    await signInThroughForm(page, owner);
  });
  afterAll(() => env?.close());

  it('imports the good rows, shows the progress to the end, the counts and the bad row; the report downloads', async () => {
    await page.goto('/customers');
    await page.getByRole('button', { name: 'Import' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import customers' });
    await dialog.getByLabel('CSV file').setInputFiles({
      name: 'shopify.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(FILE),
    });
    await dialog.getByLabel('Skip it, import the others').check();
    await screenshot(page, 'customer-import-options');
    await dialog.getByRole('button', { name: 'Upload and import' }).click();

    // The progress bar reaches the end, and the counts replace it.
    await dialog.getByText('Imported 2, updated 0, skipped 0, failed 1').waitFor();
    const bar = dialog.getByRole('progressbar');
    expect(await bar.getAttribute('value')).toBe('3');
    expect(await bar.getAttribute('max')).toBe('3');
    expect(await dialog.getByText('Finished: 3 of 3 rows').isVisible()).toBe(true);
    expect(await dialog.getByText('Columns not imported: Loyalty Tier').isVisible()).toBe(true);

    // The problem row, by its line in the file; never the value.
    const problems = dialog.getByRole('region', { name: 'Rows with problems' });
    const rows = problems.getByRole('row');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(1).innerText()).toMatch(/3\s+failed\s+email\s+is not a valid email address/);
    expect(await problems.innerText()).not.toContain('not-an-email');
    await screenshot(page, 'customer-import-result');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      problems.getByRole('link', { name: 'Download report' }).click(),
    ]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(
      'line,status,field,reason,customer\n3,failed,email,is not a valid email address,\n',
    );

    // Done: the list shows the imported customers.
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('row', { name: /Nusrat Jahan/ }).waitFor();
    await page.getByRole('row', { name: /Tanvir Hasan/ }).waitFor();
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('says why a file that is not UTF-8 is refused, and keeps the form', async () => {
    await page.goto('/customers');
    await page.getByRole('button', { name: 'Import' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import customers' });
    await dialog.getByLabel('CSV file').setInputFiles({
      name: 'latin1.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('name,email\nRené,rene@example.com\n', 'latin1'),
    });
    await dialog.getByRole('button', { name: 'Upload and import' }).click();
    await dialog
      .getByRole('alert')
      .getByText(/not valid UTF-8/)
      .waitFor();
    expect(await dialog.getByLabel('CSV file').isVisible()).toBe(true);
    expect(pageErrorsOf(page)).toEqual([]);
  });
});
