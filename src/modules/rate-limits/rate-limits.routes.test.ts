import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createPaydesk, type Paydesk } from '../../app.js';
import { parseConfig } from '../../config.js';
import { describeBackends } from '../../../test/support/backends.js';
import { testClock } from '../../../test/support/clock.js';
import { expectProblem } from '../../../test/support/customers.js';
import { startTestPaydesk, TEST_MASTER_KEY, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { CARDS, createPaymentLink, payer } from '../../../test/support/payments.js';
import { newStaff, sessionCookieOf } from '../../../test/support/staff.js';

const TRUSTED = { PAYDESK_TRUST_PROXY: '127.0.0.1' };
const NO_REQUEST_LIMITS = { PAYDESK_RATE_LIMIT_PER_IP: '0', PAYDESK_RATE_LIMIT_PER_KEY: '0' };
const SMALL_REQUEST_LIMITS = { PAYDESK_RATE_LIMIT_PER_IP: '4', PAYDESK_RATE_LIMIT_PER_KEY: '4' };

describeBackends('rate limits over HTTP, shared by server processes (%s)', (backend) => {
  // `pd` and `other` are two servers on one database (each with its own memory), behind a trusted proxy.
  let pd: TestPaydesk;
  let other: Paydesk;
  let limited: Paydesk;
  let limitedToo: Paydesk;
  let untrusting: Paydesk;
  let brand: TestBrand;
  // Every server's time, moved by the tests that need a fresh rate window.
  const clock = testClock();
  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { ...TRUSTED, ...NO_REQUEST_LIMITS }, { clock: clock.now });
    const server = async (env: Record<string, string>) =>
      createPaydesk(
        parseConfig({ PAYDESK_MASTER_KEY: TEST_MASTER_KEY, PAYDESK_DEMO: '0', LOG_LEVEL: 'silent', ...env }),
        {
          // The test's handle, shared: closing a server must leave the database to `pd`.
          database: { ...pd.database, close: async () => {} },
          clock: clock.now,
        },
      );
    other = await server({ ...TRUSTED, ...NO_REQUEST_LIMITS });
    limited = await server({ ...TRUSTED, ...SMALL_REQUEST_LIMITS });
    limitedToo = await server({ ...TRUSTED, ...SMALL_REQUEST_LIMITS });
    untrusting = await server(SMALL_REQUEST_LIMITS);
    brand = await pd.newBrand();
  });
  afterAll(async () => {
    for (const server of [other, limited, limitedToo, untrusting]) await server?.close();
    await pd?.close();
  });
  afterEach(() => {
    clock.reset();
  });

  const signIn = (server: Paydesk, email: string, password: string, client: string, headers = {}) =>
    server.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'x-forwarded-for': client, ...headers },
      payload: { email, password },
    });
  const publicPage = (server: Paydesk, client: string) =>
    server.app.inject({ method: 'GET', url: '/api/public/pay/no-such-link', headers: { 'x-forwarded-for': client } });

  it('counts failed sign-ins on the database: five from one address over two servers lock that address out', async () => {
    const person = await newStaff(pd, brand, 'viewer');
    for (let i = 0; i < 5; i++)
      expectProblem(
        await signIn(i % 2 ? other : pd, person.email, 'a wrong guess', '203.0.113.10'),
        401,
        'invalid_credentials',
      );
    const refused = await signIn(pd, person.email, person.password, '203.0.113.10');
    expectProblem(refused, 429, 'rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The owner, from their own address (as the trusted proxy forwards it), is not locked out.
    expect((await signIn(other, person.email, person.password, '198.51.100.10')).statusCode).toBe(200);
  });

  it('marks the session cookie Secure when a trusted proxy says the browser came over https', async () => {
    const person = await newStaff(pd, brand, 'viewer');
    const https = await signIn(pd, person.email, person.password, '198.51.100.11', { 'x-forwarded-proto': 'https' });
    expect(sessionCookieOf(https)?.secure).toBe(true);
    const http = await signIn(pd, person.email, person.password, '198.51.100.11', { 'x-forwarded-proto': 'http' });
    expect(sessionCookieOf(http)?.secure).toBeFalsy();
  });

  it('counts declines per client address as the proxy forwards it, over both servers', async () => {
    const link = await createPaymentLink(pd, brand);
    const payFrom = (server: Paydesk, client: string, card: (typeof CARDS)[keyof typeof CARDS]) =>
      server.app.inject({
        method: 'POST',
        url: `/api/public${link.url}`,
        headers: { 'x-forwarded-for': client },
        payload: payer({ card }),
      });
    for (let i = 0; i < 20; i++)
      expect((await payFrom(i % 2 ? other : pd, '203.0.113.20', CARDS.declined)).statusCode).toBe(402);
    expectProblem(await payFrom(pd, '203.0.113.20', CARDS.ok), 429, 'rate_limited');
    expectProblem(await payFrom(other, '203.0.113.20', CARDS.ok), 429, 'rate_limited');
    // Another payer behind the same proxy pays.
    expect((await payFrom(pd, '203.0.113.21', CARDS.ok)).statusCode).toBe(200);
  });

  it('limits requests per client address behind a trusted proxy, counting two forwarded clients apart', async () => {
    clock.set(new Date('2031-04-01T00:00:05Z'));
    for (let i = 0; i < 4; i++) {
      const response = await publicPage(limited, '203.0.113.30');
      expect(response.statusCode).toBe(404);
      expect(response.headers['ratelimit-remaining']).toBe(String(3 - i));
    }
    const refused = await publicPage(limited, '203.0.113.30');
    expectProblem(refused, 429, 'rate_limited');
    expect(refused.headers['retry-after']).toBe('55');
    expect((await publicPage(limited, '203.0.113.31')).statusCode).toBe(404);
  });

  it('ignores X-Forwarded-For from a client that is no trusted proxy', async () => {
    clock.set(new Date('2031-04-01T00:01:05Z'));
    for (let i = 0; i < 4; i++) expect((await publicPage(untrusting, `203.0.113.${40 + i}`)).statusCode).toBe(404);
    expectProblem(await publicPage(untrusting, '203.0.113.50'), 429, 'rate_limited');
  });

  it('shares request counts between servers through the database', async () => {
    clock.set(new Date('2031-04-01T00:02:05Z'));
    for (let i = 0; i < 2; i++) expect((await publicPage(limited, '203.0.113.60')).statusCode).toBe(404);
    for (let i = 0; i < 2; i++) expect((await publicPage(limitedToo, '203.0.113.60')).statusCode).toBe(404);
    await limited.services.requestLimiter.flush();
    await limitedToo.services.requestLimiter.flush();
    // The server that flushed last heard both servers' counts; the other learns them with its next
    // flush: the explicit one below, or its own timer's (every second), which may come first.
    expectProblem(await publicPage(limitedToo, '203.0.113.60'), 429, 'rate_limited');
    expect([404, 429]).toContain((await publicPage(limited, '203.0.113.60')).statusCode);
    await limited.services.requestLimiter.flush();
    expectProblem(await publicPage(limited, '203.0.113.60'), 429, 'rate_limited');
  });

  it('limits requests per API key, and counts wrong keys against the address', async () => {
    clock.set(new Date('2031-04-01T00:03:05Z'));
    const other = await pd.newBrand();
    const list = (token: string, client = '198.51.100.70') =>
      limited.app.inject({
        method: 'GET',
        url: '/api/v1/customers',
        headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client },
      });
    for (let i = 0; i < 4; i++) expect((await list(brand.token)).statusCode).toBe(200);
    const refused = await list(brand.token, '198.51.100.71');
    expectProblem(refused, 429, 'rate_limited');
    expect(refused.headers['ratelimit-limit']).toBe('4');
    expect((await list(other.token)).statusCode).toBe(200);

    for (let i = 0; i < 4; i++) expect((await list('pdk_not_a_real_key_at_all', '198.51.100.72')).statusCode).toBe(401);
    expectProblem(await publicPage(limited, '198.51.100.72'), 429, 'rate_limited');
  });
});
