import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { testClock } from '../../../test/support/clock.js';
import { expectProblem } from '../../../test/support/customers.js';
import { customerBody, startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  asStaff,
  newStaff,
  sessionCookieOf,
  signIn,
  signInRequest,
  staffAudit,
  type TestStaff,
} from '../../../test/support/staff.js';
import { ROLE_PERMISSIONS } from '../access/permissions.js';
import { SYSTEM_MERCHANT_ID } from '../audit/audit.service.js';

describeBackends('staff sessions (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let owner: TestStaff;
  const clock = testClock();
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend, {}, { clock: clock.now });
    brand = await paydesk.newBrand({ name: 'Brand A' });
    owner = await newStaff(paydesk, brand, 'owner', { email: 'Owner.A@Example.com' });
  });
  afterAll(() => paydesk?.close());
  afterEach(() => {
    clock.reset();
  });

  it('signs in with an HTTP-only SameSite=Lax cookie, stores only its hash, and signs out', async () => {
    const response = await signInRequest(paydesk, 'OWNER.a@example.COM', owner.password);
    expect(response.statusCode).toBe(200);
    const cookie = sessionCookieOf(response)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
    expect(Buffer.from(cookie.value, 'base64url')).toHaveLength(32);
    const body = response.json();
    expect(body).toEqual({
      object: 'session',
      staff: { id: owner.id, email: 'owner.a@example.com', name: expect.any(String) },
      brands: [{ id: brand.id, name: 'Brand A', role: 'owner', permissions: [...ROLE_PERMISSIONS.owner] }],
      active_brand_id: brand.id,
      csrf_token: expect.stringMatching(/^[\w-]{43}$/),
    });

    const rows = await paydesk.rawQuery(`SELECT token_hash, staff_id FROM staff_sessions WHERE staff_id = $1`, [
      owner.id,
    ]);
    const hashes = rows.map((r) => Buffer.from(r.token_hash as Uint8Array).toString('hex'));
    expect(hashes).toContain(crypto.createHash('sha256').update(cookie.value).digest('hex'));
    const dump = JSON.stringify(await paydesk.rawQuery(`SELECT * FROM staff_sessions`));
    expect(dump).not.toContain(cookie.value);
    expect(dump).not.toContain(body.csrf_token);
    const stored = await paydesk.rawQuery(`SELECT password_hash FROM staff WHERE id = $1`, [owner.id]);
    expect(stored[0]!.password_hash).toMatch(/^\$argon2id\$/);

    const session = { cookie: cookie.value, csrf: body.csrf_token };

    const me = await asStaff(paydesk, session)('GET', '/session');
    expect(me.statusCode).toBe(200);
    expect(me.json().csrf_token).toBe(body.csrf_token);

    const out = await asStaff(paydesk, session)('DELETE', '/session');
    expect(out.statusCode).toBe(204);
    expect(sessionCookieOf(out)?.value).toBe('');
    expectProblem(await asStaff(paydesk, session)('GET', '/session'), 401, 'unauthenticated');
    expectProblem(await asStaff(paydesk, session)('GET', '/customers'), 401, 'unauthenticated');

    const events = await staffAudit(paydesk, brand.id);
    const signedIn = events.filter((e) => e.action === 'staff.sign_in').at(-1);
    expect(signedIn).toMatchObject({ actor_type: 'staff', actor_id: owner.id, target_id: owner.id, ip: '127.0.0.1' });
    expect(events.at(-1)).toMatchObject({ action: 'staff.sign_out', actor_id: owner.id });
  });

  it("carries the permissions of the caller's role in each brand, from the one role table", async () => {
    const support = await newStaff(paydesk, brand, 'support');
    const { body } = await signIn(paydesk, support);
    expect(body.brands).toEqual([
      { id: brand.id, name: 'Brand A', role: 'support', permissions: [...ROLE_PERMISSIONS.support] },
    ]);
    expect(body.brands[0]!.permissions).not.toContain('customers.edit');
  });

  it('ignores X-Forwarded-Proto from a client that is no trusted proxy (PAYDESK_TRUST_PROXY unset)', async () => {
    const response = await paydesk.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: owner.email, password: owner.password },
    });
    expect(response.statusCode).toBe(200);
    expect(sessionCookieOf(response)?.secure).toBeFalsy();
  });

  it('answers a wrong password or an unknown email with 401 and audits both without the email', async () => {
    const wrong = await signInRequest(paydesk, owner.email, 'not the password at all', '198.51.100.1');
    expectProblem(wrong, 401, 'invalid_credentials');
    expect(sessionCookieOf(wrong)).toBeUndefined();
    const unknown = await signInRequest(paydesk, 'nobody.here@example.com', 'whatever password', '198.51.100.1');
    expectProblem(unknown, 401, 'invalid_credentials');
    expect(unknown.json().detail).toBe(wrong.json().detail);

    const failed = (await staffAudit(paydesk, brand.id)).filter((e) => e.action === 'staff.sign_in_failed');
    expect(failed.at(-1)).toMatchObject({
      target_type: 'staff',
      target_id: owner.id,
      ip: '198.51.100.1',
      details: { reason: 'wrong_password' },
    });
    const system = (await staffAudit(paydesk, SYSTEM_MERCHANT_ID)).filter((e) => e.action === 'staff.sign_in_failed');
    expect(system.at(-1)).toMatchObject({
      ip: '198.51.100.1',
      details: { reason: 'unknown_email', email_hash: expect.stringMatching(/^[0-9a-f]{32}$/) },
    });
    const trail = JSON.stringify(await paydesk.rawQuery(`SELECT * FROM audit_events`));
    expect(trail).not.toContain('nobody.here');
    expect(trail).not.toContain('owner.a@');
    expect(trail).not.toContain('not the password');
  });

  it('ends a session after 12 idle hours, and after 7 days whatever the activity', async () => {
    const start = new Date('2030-01-01T00:00:00Z');
    clock.set(start);
    const idle = asStaff(paydesk, await signIn(paydesk, owner, '198.51.100.2'));
    const busy = asStaff(paydesk, await signIn(paydesk, owner, '198.51.100.2'));
    const hours = (h: number) => clock.set(new Date(start.getTime() + h * 3_600_000));

    hours(11);
    expect((await busy('GET', '/customers')).statusCode).toBe(200);
    hours(12.5);
    expectProblem(await idle('GET', '/customers'), 401, 'session_expired');
    expectProblem(await idle('GET', '/customers'), 401, 'unauthenticated'); // ended, not just refused
    expect((await busy('GET', '/customers')).statusCode).toBe(200); // seen 1.5 h ago

    for (let h = 22; h < 7 * 24; h += 11) {
      hours(h);
      expect((await busy('GET', '/session')).statusCode).toBe(200);
    }
    hours(7 * 24);
    expectProblem(await busy('GET', '/session'), 401, 'session_expired');
  });

  it('needs the CSRF token on cookie requests that change state; API keys need none', async () => {
    const session = await signIn(paydesk, owner, '198.51.100.3');
    const call = asStaff(paydesk, session);
    expectProblem(await call('POST', '/customers', customerBody(), { csrf: false }), 403, 'csrf_failed');
    expectProblem(await call('POST', '/customers', customerBody(), { csrf: 'x'.repeat(43) }), 403, 'csrf_failed');
    const other = await signIn(paydesk, owner, '198.51.100.3');
    expectProblem(await call('POST', '/customers', customerBody(), { csrf: other.csrf }), 403, 'csrf_failed');
    expectProblem(await call('DELETE', '/session', undefined, { csrf: false }), 403, 'csrf_failed');
    expect((await call('GET', '/session')).statusCode).toBe(200); // still signed in
    expect((await call('GET', '/customers', undefined, { csrf: false })).statusCode).toBe(200);
    const created = await call('POST', '/customers', customerBody());
    expect(created.statusCode).toBe(201);

    const byKey = await paydesk.request(brand.token, {
      method: 'POST',
      url: '/api/v1/customers',
      payload: customerBody(),
    });
    expect(byKey.statusCode).toBe(201);
    // A bearer key wins over a cookie sent along with it, and is not held to the cookie's CSRF rule.
    const both = await paydesk.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { authorization: `Bearer ${brand.token}` },
      cookies: { paydesk_session: session.cookie },
      payload: customerBody(),
    });
    expect(both.statusCode).toBe(201);
  });

  it('refuses a sixth failed sign-in for an email from one address within 15 minutes with 429, even with the right password', async () => {
    clock.set(new Date('2031-01-01T00:00:00Z'));
    const victim = await newStaff(paydesk, brand, 'viewer');
    for (let i = 0; i < 5; i++)
      expectProblem(
        await signInRequest(paydesk, victim.email, `guess number ${i}`, '203.0.113.7'),
        401,
        'invalid_credentials',
      );
    const limited = await signInRequest(paydesk, victim.email.toUpperCase(), victim.password, '203.0.113.7');
    const problem = expectProblem(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(problem.retry_after).toBe(Number(limited.headers['retry-after']));
    // The owner of the account, elsewhere, signs in while the guesser is held up.
    expect((await signInRequest(paydesk, victim.email, victim.password, '203.0.113.99')).statusCode).toBe(200);
    // Another person at the guesser's address is not held up.
    expect((await signInRequest(paydesk, owner.email, owner.password, '203.0.113.7')).statusCode).toBe(200);

    clock.set(new Date('2031-01-01T00:15:01Z'));
    expect((await signInRequest(paydesk, victim.email, victim.password, '203.0.113.7')).statusCode).toBe(200);
  });

  it('refuses an email after fifty failures spread over many addresses, the owner too', async () => {
    const victim = await newStaff(paydesk, brand, 'viewer');
    for (let i = 0; i < 50; i++)
      expectProblem(
        await signInRequest(paydesk, victim.email, 'spread guess', `198.18.${Math.floor(i / 2)}.${i % 2}`),
        401,
        'invalid_credentials',
      );
    expectProblem(await signInRequest(paydesk, victim.email, victim.password, '198.18.200.1'), 429, 'rate_limited');
  });

  it('refuses an address after twenty failures, whatever the emails', async () => {
    for (let i = 0; i < 20; i++) {
      expectProblem(
        await signInRequest(paydesk, `spray${i}@example.com`, 'password guess', '192.0.2.50'),
        401,
        'invalid_credentials',
      );
    }
    expectProblem(await signInRequest(paydesk, owner.email, owner.password, '192.0.2.50'), 429, 'rate_limited');
    expect((await signInRequest(paydesk, owner.email, owner.password, '192.0.2.51')).statusCode).toBe(200);
  });

  it('changes the password with the current one and signs out every other session', async () => {
    const person = await newStaff(paydesk, brand, 'manager');
    const here = await signIn(paydesk, person, '198.51.100.4');
    const elsewhere = await signIn(paydesk, person, '198.51.100.5');
    const call = asStaff(paydesk, here);

    const wrong = await call('POST', '/session/password', {
      current_password: 'not my password',
      new_password: 'a much longer secret',
    });
    expect(expectProblem(wrong, 422, 'validation_failed').errors).toEqual([
      { field: 'current_password', reason: expect.any(String) },
    ]);
    const short = await call('POST', '/session/password', {
      current_password: person.password,
      new_password: 'short pw 11',
    });
    expect(expectProblem(short, 422, 'validation_failed').errors).toEqual([
      { field: 'new_password', reason: expect.stringMatching(/12/) },
    ]);
    expect((await asStaff(paydesk, elsewhere)('GET', '/session')).statusCode).toBe(200);

    expect(
      (
        await call(
          'POST',
          '/session/password',
          { current_password: person.password, new_password: 'twelve chars' },
          { csrf: false },
        )
      ).statusCode,
    ).toBe(403);
    expect(
      (await call('POST', '/session/password', { current_password: person.password, new_password: 'twelve chars' }))
        .statusCode,
    ).toBe(204);
    expectProblem(await asStaff(paydesk, elsewhere)('GET', '/session'), 401, 'unauthenticated');
    expect((await call('GET', '/session')).statusCode).toBe(200);
    expectProblem(
      await signInRequest(paydesk, person.email, person.password, '198.51.100.4'),
      401,
      'invalid_credentials',
    );
    expect((await signInRequest(paydesk, person.email, 'twelve chars', '198.51.100.4')).statusCode).toBe(200);
    const changed = (await staffAudit(paydesk, brand.id)).filter((e) => e.action === 'staff.password_change');
    expect(changed.at(-1)).toMatchObject({
      actor_id: person.id,
      target_id: person.id,
      details: { signed_out_sessions: 1 },
    });
  });

  it('is for staff sessions only: an API key has no session', async () => {
    expectProblem(
      await paydesk.request(brand.token, { method: 'GET', url: '/api/v1/session' }),
      401,
      'unauthenticated',
    );
    expectProblem(await paydesk.app.inject({ method: 'GET', url: '/api/v1/session' }), 401, 'unauthenticated');
  });
});
