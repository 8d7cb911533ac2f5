import { afterAll, beforeAll, expect, it } from 'vitest';
import { loggedPath } from '../../app.js';
import { describeBackends } from '../../../test/support/backends.js';
import { expectInvalidFields, expectProblem } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  asStaff,
  newStaff,
  sessionCookieOf,
  signIn,
  signInRequest,
  staffAudit,
  type TestStaff,
} from '../../../test/support/staff.js';

function resetTokenOf(url: string): string {
  const match = /^\/reset-password\/([A-Za-z0-9_-]{43})$/.exec(url);
  if (!match?.[1]) throw new Error(`not a reset link: ${url}`);
  return match[1];
}

describeBackends('staff password resets (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let other: TestBrand;
  let owner: TestStaff;
  let admin: TestStaff;
  let ownerCall: ReturnType<typeof asStaff>;

  const start = (call: ReturnType<typeof asStaff>, staffId: string) => call('POST', `/staff/${staffId}/password-reset`);
  const startOk = async (staffId: string) => {
    const response = await start(ownerCall, staffId);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ staff_id: string; reset_url: string; expires_at: string }>();
  };
  const preview = (token: string) => paydesk.app.inject({ method: 'GET', url: `/api/public/password-resets/${token}` });
  const complete = (token: string, password: string) =>
    paydesk.app.inject({ method: 'POST', url: `/api/public/password-resets/${token}`, payload: { password } });

  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand({ name: 'Brand A' });
    other = await paydesk.newBrand({ name: 'Brand B' });
    owner = await newStaff(paydesk, brand, 'owner');
    admin = await newStaff(paydesk, brand, 'admin');
    ownerCall = asStaff(paydesk, await signIn(paydesk, owner));
  });
  afterAll(() => paydesk?.close());

  it('sets a new password from the link, signs out every old session and signs the person in', async () => {
    const member = await newStaff(paydesk, brand, 'support');
    const oldSessions = [await signIn(paydesk, member), await signIn(paydesk, member)];
    const started = await startOk(member.id);
    expect(started).toMatchObject({ object: 'staff_password_reset', staff_id: member.id });
    expect(Date.parse(started.expires_at) - Date.now()).toBeGreaterThan(24 * 60 * 60_000 - 60_000);
    expect(Date.parse(started.expires_at) - Date.now()).toBeLessThanOrEqual(24 * 60 * 60_000);
    const token = resetTokenOf(started.reset_url);

    // Nothing changes until the link is used.
    expect((await asStaff(paydesk, oldSessions[0]!)('GET', '/customers')).statusCode).toBe(200);
    const shown = await preview(token);
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toEqual({
      object: 'staff_password_reset_preview',
      email: member.email,
      name: expect.stringMatching(/^Staff \d+$/),
      expires_at: started.expires_at,
    });

    const short = expectInvalidFields(await complete(token, 'too short'), ['password']);
    expect(short.errors![0]!.reason).toBe('must be at least 12 characters');
    const done = await complete(token, 'my brand new password');
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({
      object: 'session',
      staff: { id: member.id, email: member.email },
      active_brand_id: brand.id,
    });
    const cookie = sessionCookieOf(done);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(
      (await asStaff(paydesk, { cookie: cookie!.value, csrf: done.json().csrf_token })('GET', '/customers')).statusCode,
    ).toBe(200);

    for (const old of oldSessions)
      expectProblem(await asStaff(paydesk, old)('GET', '/customers'), 401, 'unauthenticated');
    expectProblem(await signInRequest(paydesk, member.email, member.password), 401, 'invalid_credentials');
    expect((await signInRequest(paydesk, member.email, 'my brand new password')).statusCode).toBe(200);

    const events = (await staffAudit(paydesk, brand.id)).filter((e) => e.target_id === member.id);
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'staff.password_reset_started',
        actor_type: 'staff',
        actor_id: owner.id,
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'staff.password_reset',
        actor_id: member.id,
        details: expect.objectContaining({ signed_out_sessions: 2, started_by: { type: 'staff', id: owner.id } }),
      }),
    );
  });

  it('uses a link once, and a newer link replaces the older one', async () => {
    const member = await newStaff(paydesk, brand, 'viewer');
    const first = resetTokenOf((await startOk(member.id)).reset_url);
    const second = resetTokenOf((await startOk(member.id)).reset_url);
    expectProblem(await preview(first), 410, 'password_reset_expired');
    expectProblem(await complete(first, 'replaced link password'), 410, 'password_reset_expired');

    const results = await Promise.all([
      complete(second, 'first password here'),
      complete(second, 'second password here'),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 410]);
    expectProblem(await complete(second, 'third password here'), 410, 'password_reset_expired');
    expectProblem(await preview(second), 410, 'password_reset_expired');
  });

  it('refuses a link past its 24 hours, or once the person left the brand that started it', async () => {
    const member = await newStaff(paydesk, brand, 'viewer');
    const lapsed = resetTokenOf((await startOk(member.id)).reset_url);
    await paydesk.rawQuery(
      `UPDATE staff_password_resets SET expires_at = now() - interval '1 second' WHERE staff_id = $1`,
      [member.id],
    );
    expectProblem(await preview(lapsed), 410, 'password_reset_expired');
    expectProblem(await complete(lapsed, 'a late new password'), 410, 'password_reset_expired');
    expect((await signInRequest(paydesk, member.email, member.password)).statusCode).toBe(200);

    // Removed from the brand that started it, but still in another: the link no longer works.
    const moving = await newStaff(paydesk, brand, 'viewer');
    const left = resetTokenOf((await startOk(moving.id)).reset_url);
    await newStaff(paydesk, other, 'viewer', { email: moving.email, password: moving.password });
    expect((await ownerCall('DELETE', `/staff/${moving.id}`)).statusCode).toBe(204);
    expectProblem(await preview(left), 410, 'password_reset_expired');
    expectProblem(await complete(left, 'a moved new password'), 410, 'password_reset_expired');

    // Removed from their only brand: the account and its link are gone.
    const gone = await newStaff(paydesk, brand, 'viewer');
    const deleted = resetTokenOf((await startOk(gone.id)).reset_url);
    expect((await ownerCall('DELETE', `/staff/${gone.id}`)).statusCode).toBe(204);
    expectProblem(await preview(deleted), 404, 'password_reset_not_found');
  });

  it('answers 404 for an unknown or malformed link', async () => {
    expectProblem(await preview('A'.repeat(43)), 404, 'password_reset_not_found');
    expectProblem(await preview('not-a-token'), 404, 'password_reset_not_found');
    expectProblem(await complete('B'.repeat(43), 'twelve chars long'), 404, 'password_reset_not_found');
  });

  it("keeps resets to the caller's brand and rank, and never to the caller", async () => {
    const theirs = await newStaff(paydesk, other, 'support');
    expectProblem(await start(ownerCall, theirs.id), 404, 'staff_not_found');
    expectProblem(await start(ownerCall, 'stf_nope'), 404, 'staff_not_found');
    expectProblem(await start(ownerCall, owner.id), 409, 'password_reset_self');

    const adminCall = asStaff(paydesk, await signIn(paydesk, admin));
    expectProblem(await start(adminCall, owner.id), 403, 'forbidden');
    expectProblem(await start(adminCall, admin.id), 409, 'password_reset_self');
    const support = await newStaff(paydesk, brand, 'support');
    expect((await start(adminCall, support.id)).statusCode).toBe(201);
    const supportCall = asStaff(paydesk, await signIn(paydesk, support));
    expectProblem(await start(supportCall, admin.id), 403, 'forbidden');

    // One account in both brands: brand A's owner does not manage it in brand B, so cannot take it over.
    const shared = await newStaff(paydesk, brand, 'support');
    await newStaff(paydesk, other, 'owner', { email: shared.email, password: shared.password });
    expectProblem(await start(ownerCall, shared.id), 403, 'forbidden');
    expect(await paydesk.rawQuery(`SELECT id FROM staff_password_resets WHERE staff_id = $1`, [shared.id])).toEqual([]);
  });

  it('stores only a hash of the link token, and keeps the token out of the log path', async () => {
    const member = await newStaff(paydesk, brand, 'viewer');
    const token = resetTokenOf((await startOk(member.id)).reset_url);
    const rows = await paydesk.rawQuery(`SELECT token_hash::text AS hash FROM staff_password_resets`);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows.every((r) => typeof r.hash === 'string' && (r.hash as string).length === 66)).toBe(true);
    expect(loggedPath(`/reset-password/${token}`)).toBe('/reset-password/…');
    expect(loggedPath(`/api/public/password-resets/${token}`)).toBe('/api/public/password-resets/…');
  });
});
