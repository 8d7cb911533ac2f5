import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../support/harness.js';
import { newStaff, sessionCookieOf, signIn, type TestStaff } from '../support/staff.js';

/*
 * Session fixation: whoever plants a session id in a victim's browser before the victim signs in
 * must not share the victim's session afterwards. Sign-in always mints a new id and ignores the
 * one the request carried, whether made up or someone else's live session.
 */
describeBackends('session fixation (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let victim: TestStaff;
  let attacker: TestStaff;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
    victim = await newStaff(pd, brand, 'admin');
    attacker = await newStaff(pd, brand, 'viewer');
  });
  afterAll(() => pd.close());

  const signInWithCookie = (staff: TestStaff, planted: string) =>
    pd.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: staff.email, password: staff.password },
      cookies: { paydesk_session: planted },
    });
  const whoIs = async (cookie: string) => {
    const response = await pd.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      cookies: { paydesk_session: cookie },
    });
    return {
      status: response.statusCode,
      email: response.statusCode === 200 ? response.json<{ staff: { email: string } }>().staff.email : null,
    };
  };

  it('a made-up session id planted before sign-in is replaced and never becomes valid', async () => {
    const planted = 'planted-by-an-attacker-0123456789abcdef';
    const response = await signInWithCookie(victim, planted);
    expect(response.statusCode, response.body).toBe(200);
    const issued = sessionCookieOf(response)?.value;
    expect(issued).toBeDefined();
    expect(issued).not.toBe(planted);
    expect((await whoIs(planted)).status).toBe(401);
    expect(await whoIs(issued!)).toEqual({ status: 200, email: victim.email });
  });

  it("the attacker's own live session, planted in the victim's browser, stays the attacker's", async () => {
    const attackerSession = await signIn(pd, attacker);
    const response = await signInWithCookie(victim, attackerSession.cookie);
    expect(response.statusCode, response.body).toBe(200);
    const issued = sessionCookieOf(response)?.value;
    expect(issued).not.toBe(attackerSession.cookie);
    expect(await whoIs(attackerSession.cookie)).toEqual({ status: 200, email: attacker.email });
    expect(await whoIs(issued!)).toEqual({ status: 200, email: victim.email });
  });
});
