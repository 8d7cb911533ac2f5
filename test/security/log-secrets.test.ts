import { afterAll, beforeAll, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { CompiledQuery } from 'kysely';
import { createPaydesk, type Paydesk } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createApiKey } from '../../src/modules/api-keys/api-key.service.js';
import { createBrand } from '../../src/modules/brands/brand.service.js';
import { ensureOwnerAccount } from '../../src/modules/staff/index.js';
import { describeBackends } from '../support/backends.js';
import { contactBody, contactNeedles } from '../support/contact-data.js';
import { reopenableDatabase, type ReopenableDatabase } from '../support/databases.js';
import { TEST_MASTER_KEY } from '../support/harness.js';
import { CARDS } from '../support/payments.js';

/* Issue 15: nothing personal or secret in any log line, a 500's included. A mixed workload runs with
   the log captured at its most verbose level; then the whole log is searched for every secret it saw. */

describeBackends('secrets never reach the log', (backend) => {
  let store: ReopenableDatabase;
  let paydesk: Paydesk;
  const lines: string[] = [];
  const secrets: string[] = [];
  const responses: Record<string, number> = {};

  beforeAll(async () => {
    store = await reopenableDatabase(backend);
    const config = parseConfig({ PAYDESK_MASTER_KEY: TEST_MASTER_KEY, PAYDESK_DEMO: '0', LOG_LEVEL: 'trace' });
    paydesk = await createPaydesk(config, {
      database: await store.open(),
      logStream: { write: (line: string) => void lines.push(line) },
    });
    await runWorkload();
  }, 120_000);
  afterAll(async () => {
    await paydesk?.close();
    await store?.destroy();
  });

  const keep = (...values: string[]) => secrets.push(...values);
  async function call(label: string, options: InjectOptions & { token?: string }) {
    const { token, ...rest } = options;
    const headers = { ...(rest.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const response = await paydesk.app.inject({ ...rest, headers });
    responses[label] = response.statusCode;
    return response;
  }
  const sql = (text: string) => paydesk.ctx.db.executeQuery(CompiledQuery.raw(text));

  async function runWorkload() {
    const { ctx } = paydesk;
    const brand = await createBrand(ctx, { name: 'Log Brand', country: 'BD', baseCurrency: 'BDT' });
    const { token } = await createApiKey(ctx, { merchantId: brand.id, name: 'log test', role: 'owner' });
    // The secret after the `pdk_` prefix (base64url, so it may itself hold `_`).
    keep(token, token.slice('pdk_'.length));

    // Customers with contact data, a search, a reveal.
    const contacts = [contactBody(), contactBody(), contactBody()];
    const ids: string[] = [];
    for (const [i, contact] of contacts.entries()) {
      const created = await call(`create ${i}`, { method: 'POST', url: '/api/v1/customers', token, payload: contact });
      ids.push(created.json<{ id: string }>().id);
      keep(contact.name, ...contactNeedles(contact));
    }
    const searchText = 'Quixotrian';
    keep(searchText);
    await call('search', { method: 'GET', url: `/api/v1/customers?q=${searchText}&limit=5`, token });
    await call('reveal', {
      method: 'POST',
      url: `/api/v1/customers/${ids[0]}/reveal`,
      token,
      payload: { reason: `Called back ${contacts[1]!.phone}` },
    });

    // Sign-in: the right password and a wrong one.
    const owner = { email: 'log.owner@example.com', password: 'the owner password Kq7!' };
    const wrongPassword = 'not the password Zr3?';
    keep(owner.email, owner.password, wrongPassword, '$argon2');
    await ensureOwnerAccount(ctx, { merchantId: brand.id, name: 'Owner Lamia', ...owner });
    await call('sign-in wrong', {
      method: 'POST',
      url: '/api/v1/session',
      payload: { ...owner, password: wrongPassword },
    });
    const signedIn = await call('sign-in', { method: 'POST', url: '/api/v1/session', payload: owner });
    const cookie = signedIn.cookies.find((c) => c.name === 'paydesk_session')!.value;
    const csrf = signedIn.json<{ csrf_token: string }>().csrf_token;
    keep(cookie, csrf);

    // Card payments on public pages: a payment link and a checkout session.
    const link = await call('link', {
      method: 'POST',
      url: '/api/v1/payment-links',
      token,
      payload: { title: 'Log link', currency: 'BDT', amount: 150000 },
    });
    const payer = { name: 'Payer Rokeya', email: 'payer.rokeya@example.com', phone: '+8801712345678', card: CARDS.ok };
    keep(payer.name, payer.email, ...contactNeedles(payer), CARDS.ok.number, CARDS.ok.number.replace(/ /g, ''));
    await call('pay link', {
      method: 'POST',
      url: `/api/public/pay/${link.json<{ slug: string }>().slug}`,
      payload: payer,
    });
    const checkout = await call('checkout', {
      method: 'POST',
      url: '/api/v1/checkout-sessions',
      token,
      payload: { amount: 50000, currency: 'BDT' },
    });
    const checkoutToken = checkout.json<{ url: string }>().url.split('/').pop()!;
    keep(checkoutToken);
    await call('checkout page', { method: 'GET', url: `/api/public/checkout/${checkoutToken}` });

    // Forced 500s whose failing statements carry secrets: PGlite attaches the parameters to its error,
    // PostgreSQL quotes the failing row in `detail`.
    const newPassword = 'a brand new password Wx9%';
    keep(newPassword);
    await sql('ALTER TABLE staff ADD CONSTRAINT log_test_no_writes CHECK (length(password_hash) < 0) NOT VALID');
    await call('password change (500)', {
      method: 'POST',
      url: '/api/v1/session/password',
      cookies: { paydesk_session: cookie },
      headers: { 'x-csrf-token': csrf },
      payload: { current_password: owner.password, new_password: newPassword },
    });
    await sql('ALTER TABLE staff DROP CONSTRAINT log_test_no_writes');
    await sql('ALTER TABLE checkout_sessions RENAME TO log_test_hidden');
    await call('checkout page (500)', { method: 'GET', url: `/api/public/checkout/${checkoutToken}` });
    await sql('ALTER TABLE log_test_hidden RENAME TO checkout_sessions');
    await sql('ALTER TABLE staff RENAME TO log_test_hidden');
    await call('sign-in (500)', { method: 'POST', url: '/api/v1/session', payload: owner });
    await sql('ALTER TABLE log_test_hidden RENAME TO staff');
  }

  it('ran the workload it claims: successes, refusals and three 500s', () => {
    expect(responses).toMatchObject({
      'create 0': 201,
      search: 200,
      reveal: 200,
      'sign-in wrong': 401,
      'sign-in': 200,
      'pay link': 200,
      'checkout page': 200,
      'password change (500)': 500,
      'checkout page (500)': 500,
      'sign-in (500)': 500,
    });
  });

  it('logged each 500 with the error type, message, stack and SQLSTATE, nothing more', () => {
    const failures = lines.map((line) => JSON.parse(line) as { msg: string; err?: Record<string, unknown> });
    const errors = failures.filter((entry) => entry.msg === 'request failed').map((entry) => entry.err!);
    expect(errors.map((err) => err.code).sort()).toEqual(['23514', '42P01', '42P01']);
    for (const err of errors) {
      expect(err).toMatchObject({ type: expect.any(String), message: expect.any(String), stack: expect.any(String) });
      for (const field of ['query', 'params', 'detail', 'where', 'parameters']) expect(err).not.toHaveProperty(field);
    }
  });

  it('has no email, phone, name, card number, password, hash, key, token or search text anywhere', () => {
    expect(lines.length).toBeGreaterThan(30);
    const log = lines.join('').toLowerCase();
    const found = secrets.filter((secret) => log.includes(secret.toLowerCase()));
    expect(found).toEqual([]);
  });
});
