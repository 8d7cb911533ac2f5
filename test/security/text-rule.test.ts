import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { describeBackends } from '../support/backends.js';
import { expectInvalidFields, expectProblem, newCustomer } from '../support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../support/harness.js';
import { createCheckout, createPaymentLink, payer } from '../support/payments.js';
import { asStaff, signIn, type TestSession } from '../support/staff.js';
import { ensureOwnerAccount } from '../../src/modules/staff/index.js';
import { findNonText, NOT_SINGLE_LINE_TEXT, NOT_TEXT } from '../../src/http/text-rule.js';

/* Issue 15: one text rule for every string that enters (src/http/text-rule.ts). Each request below
   answered 500 before the rule; now a 422 naming the field, decided before any database lookup. */

const NUL = 'a\u0000b';
const LONE = 'a\ud800b'; // an unpaired surrogate; JSON.stringify writes it as the escape \ud800

describe('the text rule (pure)', () => {
  it('refuses NUL, unpaired surrogates, C0 (but tab, LF, CR), DEL and C1; keeps paired surrogates', () => {
    for (const bad of ['\u0000', '\ud800', 'x\udfff', '\u0001', '\u001b', '\u007f', '\u0085', '\u009f'])
      expect(NOT_TEXT.test(bad), JSON.stringify(bad)).toBe(true);
    for (const good of ['plain', 'tab\there', 'two\nlines\r\n', 'emoji 😀', 'Ünïcødé', '\u00a0nbsp'])
      expect(NOT_TEXT.test(good), JSON.stringify(good)).toBe(false);
    for (const bad of ['\t', '\n', '\r', '\u0000', '\ud800'])
      expect(NOT_SINGLE_LINE_TEXT.test(bad), JSON.stringify(bad)).toBe(true);
  });

  it('names the first bad string by its dotted path, keys included', () => {
    expect(findNonText({ a: [{ b: 'ok' }, { c: NUL }] })).toBe('a.1.c');
    expect(findNonText({ ['k\u0000y']: 1 }, 'query')).toBe('query.k?y');
    expect(findNonText({ fine: ['x', 1, null, true] })).toBeUndefined();
  });
});

describeBackends('the text rule on every way in', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let customerId: string;
  let linkId: string;
  let staffSession: TestSession;

  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    customerId = (await newCustomer(pd, brand)).id;
    linkId = (await createPaymentLink(pd, brand)).id;
    await createCheckout(pd, brand);
    const owner = { email: 'owner.text@example.com', password: 'a long owner password 1' };
    await ensureOwnerAccount(pd.ctx, { merchantId: brand.id, name: 'Owner', ...owner });
    staffSession = await signIn(pd, owner);
  });
  afterAll(() => pd?.close());

  const api = (method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    pd.request(brand.token, {
      method,
      url: `/api/v1${url}`,
      headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  const anonymous = (method: InjectOptions['method'], url: string, payload?: unknown) =>
    pd.app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

  function expectField(response: LightMyRequestResponse, field: string) {
    expect(response.statusCode, response.body).not.toBe(500);
    expectInvalidFields(response, [field]);
  }

  const publicPaths = ['pay', 'checkout', 'invoice'] as const;
  it.each(publicPaths)('public %s paths with NUL are a 422 on path, unauthenticated', async (kind) => {
    const param = kind === 'pay' ? 'slug' : 'token';
    expectField(await anonymous('GET', `/api/public/${kind}/%00`), `path.${param}`);
    expectField(await anonymous('POST', `/api/public/${kind}/x%00y`, payer()), `path.${param}`);
    // After the rule, an id that does not exist is still the plain 404.
    expect((await anonymous('GET', `/api/public/${kind}/no-such-thing`)).statusCode).toBe(404);
  });

  it('payment-link title and description, on create and update', async () => {
    expectField(await api('POST', '/payment-links', { title: NUL, currency: 'BDT' }), 'title');
    expectField(
      await api('POST', '/payment-links', { title: 'ok', description: LONE, currency: 'BDT' }),
      'description',
    );
    expectField(await api('PATCH', `/payment-links/${linkId}`, { title: LONE }), 'title');
    expectField(await api('PATCH', `/payment-links/${linkId}`, { description: NUL }), 'description');
  });

  it('checkout description', async () => {
    for (const description of [NUL, LONE, 'C1 \u0085 control'])
      expectField(
        await api('POST', '/checkout-sessions', { amount: 100, currency: 'BDT', description }),
        'description',
      );
  });

  it('invoice memo and line descriptions', async () => {
    const line = { description: 'Work', quantity: 1, unit_amount: 100 };
    expectField(await api('POST', '/invoices', { currency: 'BDT', line_items: [line], memo: NUL }), 'memo');
    expectField(
      await api('POST', '/invoices', { currency: 'BDT', line_items: [line, { ...line, description: LONE }] }),
      'line_items.1.description',
    );
  });

  it('staff name and email', async () => {
    const staff = { email: 'new.staff@example.com', role: 'viewer' };
    // The body rule runs before the schema: a NUL is named even in a field the schema would refuse.
    expectField(await api('POST', '/staff', { ...staff, name: NUL }), 'name');
    expectField(await api('POST', '/staff', { ...staff, email: `x${LONE}@example.com` }), 'email');
  });

  it('the sign-in email, unauthenticated', async () => {
    const response = await pd.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":"\\ud800","password":"whatever it is"}',
    });
    expectField(response, 'email');
  });

  it('session/active-brand and the reveal reason', async () => {
    const staff = asStaff(pd, staffSession);
    expectField(await staff('POST', '/session/active-brand', { brand_id: NUL }), 'brand_id');
    expectField(await api('POST', `/customers/${customerId}/reveal`, { reason: `why ${LONE} not` }), 'reason');
  });

  it.each(['/transactions', '/invoices', '/checkout-sessions', '/orders'])(
    'GET %s with a NUL customer_id is a 422 on query.customer_id',
    async (path) => {
      expectField(await api('GET', `${path}?customer_id=%00`), 'query.customer_id');
    },
  );

  it('ids in paths, keys of bodies and queries, and the headers read', async () => {
    expectField(await api('GET', '/customers/%00'), 'path.id');
    expectField(await api('GET', '/customers/cus_%C2%85'), 'path.id');
    expectField(await api('GET', '/customers?%01=1'), 'query.?');
    expectField(await api('POST', '/customers', { name: 'Key', email: 'key@example.com', ['e\u0000x']: 1 }), 'e?x');
    expectField(
      await api('POST', '/customers', { name: 'K', email: 'k@example.com', metadata: { k: NUL } }),
      'metadata.k',
    );
    const withKey = await api(
      'POST',
      '/customers',
      { name: 'Idem', email: 'idem@example.com' },
      {
        'idempotency-key': 'key\u007f1',
      },
    );
    expectField(withKey, 'header.idempotency-key');
    const csrf = await asStaff(pd, staffSession)('POST', '/customers', { name: 'C' }, { csrf: 'tok\u0001' });
    expectField(csrf, 'header.x-csrf-token');
    // A bad Authorization header is refused before it is looked up.
    const auth = await pd.app.inject({
      method: 'GET',
      url: '/api/v1/customers',
      headers: { authorization: 'Bearer \u0085' },
    });
    expectField(auth, 'header.authorization');
  });

  it('single-line fields refuse tab and line breaks; multi-line ones keep them', async () => {
    const tabbed = await api('POST', '/payment-links', { title: 'Yoga\tclass', currency: 'BDT' });
    expectInvalidFields(tabbed, ['title']);
    expect(tabbed.json<{ errors: { reason: string }[] }>().errors[0]!.reason).toMatch(/one line/);
    const signInTab = await pd.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'owner.text@example.com\t', password: 'a long owner password 1' },
    });
    expectInvalidFields(signInTab, ['email']);
    const line = { description: 'Hours\nweek 1', quantity: 1, unit_amount: 100 };
    const invoice = await api('POST', '/invoices', { currency: 'BDT', line_items: [line], memo: 'Thanks!\r\nSee you' });
    expect(invoice.statusCode, invoice.body).toBe(201);
  });

  it('a percent-encoded invalid UTF-8 path is a 400, not a 500', async () => {
    expectProblem(await anonymous('GET', '/api/public/checkout/%ED%A0%80'), 400, 'invalid_request');
  });
});
