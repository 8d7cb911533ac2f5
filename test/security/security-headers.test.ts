import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../support/harness.js';
import { chromiumMissing, pageErrorsOf, startBrowserPaydesk, type BrowserPaydesk } from '../browser/support/browser.js';

/* Issue 15: the headers every answer carries (src/http/security-headers.ts). No database behaviour is
   involved, so PGlite only. */

function expectBaseHeaders(response: LightMyRequestResponse, label: string) {
  expect(response.headers['x-content-type-options'], label).toBe('nosniff');
  expect(response.headers['referrer-policy'], label).toBe('no-referrer');
  expect(response.headers['x-frame-options'], label).toBe('DENY');
  expect(String(response.headers['content-security-policy']), label).toMatch(/frame-ancestors 'none'/);
}

describe('security headers', () => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    pd = await startTestPaydesk('pglite', { PAYDESK_TRUST_PROXY: 'true' });
    brand = await pd.newBrand();
  });
  afterAll(() => pd?.close());

  it('every /api answer, errors included, is nosniff, unframeable and never cached', async () => {
    const answers = {
      'list (200)': await pd.request(brand.token, { method: 'GET', url: '/api/v1/customers' }),
      'no key (401)': await pd.request(undefined, { method: 'GET', url: '/api/v1/customers' }),
      'unknown (404)': await pd.request(brand.token, { method: 'GET', url: '/api/v1/nothing-here' }),
      'invalid (422)': await pd.request(brand.token, { method: 'POST', url: '/api/v1/customers', payload: {} }),
      'public page (404)': await pd.request(undefined, { method: 'GET', url: '/api/public/pay/nope' }),
      'sign-in (401)': await pd.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email: 'no@example.com', password: 'wrong password here' },
      }),
      health: await pd.request(undefined, { method: 'GET', url: '/api/health' }),
    };
    for (const [label, response] of Object.entries(answers)) {
      expectBaseHeaders(response, label);
      expect(response.headers['cache-control'], label).toBe('no-store');
      expect(response.headers['content-security-policy'], label).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });

  it('keeps the dashboard its own CSP, without inline script', async () => {
    const page = await pd.app.inject({ method: 'GET', url: '/customers' });
    expectBaseHeaders(page, 'dashboard');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('gives the API docs page a CSP without inline script', async () => {
    const docs = await pd.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expectBaseHeaders(docs, 'docs');
    const csp = String(docs.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(docs.body).not.toMatch(/<script>(?!\s*<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('sends HSTS only when the request came over https', async () => {
    const plain = await pd.request(brand.token, { method: 'GET', url: '/api/v1/customers' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const behindTls = await pd.request(brand.token, {
      method: 'GET',
      url: '/api/v1/customers',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(behindTls.headers['strict-transport-security']).toBe('max-age=31536000');
  });
});

describe.skipIf(chromiumMissing)('the API docs page in a browser', () => {
  let env: BrowserPaydesk;
  beforeAll(async () => {
    env = await startBrowserPaydesk();
  }, 120_000);
  afterAll(() => env?.close());

  it('renders the operations under its CSP with no violation', async () => {
    const page = await env.newPage();
    await page.goto('/api/docs/');
    // The whole document renders at once (a hundred operations): slow on a busy machine, so a long wait.
    await page.locator('.opblock').first().waitFor({ state: 'attached', timeout: 90_000 });
    expect(await page.locator('.info .title').textContent()).toContain('Paydesk API');
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
    expect(pageErrorsOf(page)).toEqual([]);
  }, 120_000);
});
