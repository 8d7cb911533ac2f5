import { afterAll, beforeAll, expect, it } from 'vitest';
import { loggedPath } from '../../app.js';
import { describeBackends } from '../../../test/support/backends.js';
import { expectProblem } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  acceptInvitationRequest,
  asStaff,
  newStaff,
  sessionCookieOf,
  signIn,
  signInRequest,
  staffAudit,
  tokenOf,
  type TestStaff,
} from '../../../test/support/staff.js';

describeBackends('staff invitations (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let other: TestBrand;
  let owner: TestStaff;
  let stranger: TestStaff;
  let ownerCall: ReturnType<typeof asStaff>;
  let counter = 0;
  const email = () => `invitee.${++counter}@example.com`;
  const invite = async (address: string, role = 'support', call = () => ownerCall) => {
    const response = await call()('POST', '/staff', { email: address, role });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string; accept_url: string; expires_at: string }>();
  };
  const preview = (token: string) => paydesk.app.inject({ method: 'GET', url: `/api/public/invitations/${token}` });

  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand({ name: 'Brand A' });
    other = await paydesk.newBrand({ name: 'Brand B' });
    owner = await newStaff(paydesk, brand, 'owner');
    stranger = await newStaff(paydesk, other, 'admin');
    ownerCall = asStaff(paydesk, await signIn(paydesk, owner));
  });
  afterAll(() => paydesk?.close());

  it('answers the same for an email with an account in another brand as for a new one, and reveals nothing of the account', async () => {
    const fresh = await ownerCall('POST', '/staff', { email: email(), role: 'viewer' });
    const theirs = await ownerCall('POST', '/staff', { email: stranger.email.toUpperCase(), role: 'viewer' });
    expect([fresh.statusCode, theirs.statusCode]).toEqual([201, 201]);
    const shape = (body: Record<string, unknown>) => Object.keys(body).sort();
    expect(shape(theirs.json())).toEqual(shape(fresh.json()));
    expect(theirs.json()).toMatchObject({
      object: 'staff_invitation',
      id: expect.stringMatching(/^sinv_/),
      email: stranger.email,
      role: 'viewer',
      status: 'pending',
      accept_url: expect.stringMatching(/^\/invite\/[A-Za-z0-9_-]{43}$/),
    });
    expect(theirs.body).not.toContain(stranger.id);
    expect(theirs.body).not.toMatch(/Staff \d/); // newStaff's names
    const expires = Date.parse(theirs.json().expires_at) - Date.parse(theirs.json().created_at);
    expect(expires).toBe(7 * 24 * 60 * 60_000);
    // Not a member until accepted.
    const ids = (await ownerCall('GET', '/staff')).json().data.map((s: { id: string }) => s.id);
    expect(ids).not.toContain(stranger.id);
  });

  it('stores only a hash of the link token, and keeps the token out of the log path', async () => {
    const token = tokenOf((await invite(email())).accept_url);
    const rows = await paydesk.rawQuery(`SELECT token_hash::text AS hash, email FROM staff_invitations`);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows.every((r) => typeof r.hash === 'string' && (r.hash as string).length === 66)).toBe(true);
    expect(loggedPath(`/invite/${token}`)).toBe('/invite/…');
    expect(loggedPath(`/api/public/invitations/${token}/accept`)).toBe('/api/public/invitations/…/accept');
  });

  it('creates the account on accept, joins the brand with the invited role, signs in and uses up the link', async () => {
    const address = email();
    const created = await invite(address, 'manager');
    const token = tokenOf(created.accept_url);
    const shown = await preview(token);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toEqual({
      object: 'staff_invitation_preview',
      brand: { name: 'Brand A' },
      role: 'manager',
      email: address,
      account: 'new',
      expires_at: created.expires_at,
    } as unknown);

    expect(
      expectProblem(await acceptInvitationRequest(paydesk, token, { password: 'short' }), 422, 'validation_failed')
        .errors!.map((e) => e.field)
        .sort(),
    ).toEqual(['name', 'password']);
    const accepted = await acceptInvitationRequest(paydesk, token, { name: ' Nadia ', password: 'my own password' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const session = accepted.json();
    expect(session).toMatchObject({
      object: 'session',
      staff: { email: address, name: 'Nadia' },
      brands: [{ id: brand.id, name: 'Brand A', role: 'manager' }],
      active_brand_id: brand.id,
    });
    const cookie = sessionCookieOf(accepted);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const call = asStaff(paydesk, { cookie: cookie!.value, csrf: session.csrf_token });
    expect((await call('GET', '/customers')).statusCode).toBe(200);
    expect((await signInRequest(paydesk, address, 'my own password')).statusCode).toBe(200);

    expectProblem(await preview(token), 410, 'invitation_expired');
    expectProblem(
      await acceptInvitationRequest(paydesk, token, { name: 'Again', password: 'my own password' }),
      410,
      'invitation_expired',
    );
    expect((await ownerCall('GET', '/staff-invitations')).json().data.map((i: { id: string }) => i.id)).not.toContain(
      created.id,
    );
    const added = (await staffAudit(paydesk, brand.id)).filter(
      (e) => e.action === 'staff.add' && e.target_id === session.staff.id,
    );
    expect(added).toMatchObject([
      {
        actor_type: 'staff',
        actor_id: session.staff.id,
        details: {
          role: 'manager',
          account: 'created',
          invitation_id: created.id,
          invited_by: { type: 'staff', id: owner.id },
        },
      },
    ]);
  });

  it('lets an existing account join with its own password, counting wrong ones as failed sign-ins', async () => {
    const created = await invite(stranger.email, 'support');
    const token = tokenOf(created.accept_url);
    expect((await preview(token)).json()).toMatchObject({ account: 'existing', email: stranger.email });
    expect(
      expectProblem(
        await acceptInvitationRequest(paydesk, token, { name: 'Someone', password: stranger.password }),
        422,
        'validation_failed',
      ).errors,
    ).toEqual([{ field: 'name', reason: expect.any(String) }]);

    const address = '198.51.100.7';
    for (let i = 0; i < 5; i++) {
      const wrong = await acceptInvitationRequest(paydesk, token, { password: `not it ${i} at all` }, address);
      expect(expectProblem(wrong, 422, 'validation_failed').errors).toEqual([
        { field: 'password', reason: expect.any(String) },
      ]);
    }
    // The same count as sign-in: the pair is refused, even with the right password, there and here.
    expectProblem(
      await acceptInvitationRequest(paydesk, token, { password: stranger.password }, address),
      429,
      'rate_limited',
    );
    expectProblem(await signInRequest(paydesk, stranger.email, stranger.password, address), 429, 'rate_limited');
    const failures = (await staffAudit(paydesk, other.id)).filter((e) => e.action === 'staff.sign_in_failed');
    expect(failures.length).toBeGreaterThanOrEqual(5);
    expect((await staffAudit(paydesk, brand.id)).some((e) => e.action === 'staff.sign_in_failed')).toBe(false);

    const accepted = await acceptInvitationRequest(paydesk, token, { password: stranger.password });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      staff: { id: stranger.id },
      active_brand_id: brand.id,
      brands: expect.arrayContaining([
        expect.objectContaining({ id: brand.id, role: 'support' }),
        expect.objectContaining({ id: other.id, role: 'admin' }),
      ]),
    });
    // Their password is unchanged and still theirs.
    expect((await signInRequest(paydesk, stranger.email, stranger.password)).statusCode).toBe(200);
  });

  it('uses a link once when two people accept at the same time', async () => {
    const token = tokenOf((await invite(email())).accept_url);
    const results = await Promise.all([
      acceptInvitationRequest(paydesk, token, { name: 'First', password: 'first password!' }),
      acceptInvitationRequest(paydesk, token, { name: 'Second', password: 'second password!' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 410]);
    const rows = await paydesk.rawQuery(`SELECT count(*)::int AS n FROM staff WHERE name IN ('First', 'Second')`);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('lists pending invitations, revokes them, replaces one on a second invitation, and lets them expire', async () => {
    const address = email();
    const first = await invite(address, 'viewer');
    const second = await invite(address.toUpperCase(), 'support');
    expectProblem(await preview(tokenOf(first.accept_url)), 410, 'invitation_expired');
    const pending = (await ownerCall('GET', '/staff-invitations')).json().data;
    expect(pending.filter((i: { email: string }) => i.email === address)).toEqual([
      expect.objectContaining({ id: second.id, role: 'support', status: 'pending' }),
    ]);

    expect((await ownerCall('DELETE', `/staff-invitations/${second.id}`)).statusCode).toBe(204);
    expectProblem(await preview(tokenOf(second.accept_url)), 410, 'invitation_expired');
    expectProblem(await ownerCall('DELETE', `/staff-invitations/${second.id}`), 404, 'invitation_not_found');
    expectProblem(await ownerCall('DELETE', '/staff-invitations/sinv_nope'), 404, 'invitation_not_found');

    const lapsed = await invite(email());
    await paydesk.rawQuery(`UPDATE staff_invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      lapsed.id,
    ]);
    expect((await ownerCall('GET', '/staff-invitations')).json().data).toContainEqual(
      expect.objectContaining({ id: lapsed.id, status: 'expired' }),
    );
    expectProblem(
      await acceptInvitationRequest(paydesk, tokenOf(lapsed.accept_url), { name: 'Late', password: 'late password!' }),
      410,
      'invitation_expired',
    );

    const actions = (await staffAudit(paydesk, brand.id)).map((e) => [e.action, e.target_id]);
    expect(actions).toContainEqual(['staff.invite', second.id]);
    expect(actions).toContainEqual(['staff.invite_revoke', second.id]);
  });

  it('answers 404 for an unknown or malformed link', async () => {
    expectProblem(await preview('A'.repeat(43)), 404, 'invitation_not_found');
    expectProblem(await preview('not-a-token'), 404, 'invitation_not_found');
    expectProblem(
      await acceptInvitationRequest(paydesk, 'B'.repeat(43), { name: 'X', password: 'twelve chars!' }),
      404,
      'invitation_not_found',
    );
  });

  it('keeps invitations to the brand and role of the caller', async () => {
    const admin = asStaff(paydesk, await signIn(paydesk, await newStaff(paydesk, brand, 'admin')));
    expectProblem(await admin('POST', '/staff', { email: email(), role: 'owner' }), 403, 'forbidden');
    const toOwner = await invite(email(), 'owner');
    expectProblem(await admin('DELETE', `/staff-invitations/${toOwner.id}`), 403, 'forbidden');
    expectProblem(await ownerCall('POST', '/staff', { email: owner.email, role: 'viewer' }), 409, 'staff_exists');

    const theirs = await paydesk.request(other.token, {
      method: 'POST',
      url: '/api/v1/staff',
      payload: { email: email(), role: 'viewer' },
    });
    expect(theirs.statusCode).toBe(201);
    expectProblem(await ownerCall('DELETE', `/staff-invitations/${theirs.json().id}`), 404, 'invitation_not_found');
    const ours = (await ownerCall('GET', '/staff-invitations')).json().data.map((i: { id: string }) => i.id);
    expect(ours).not.toContain(theirs.json().id);
  });
});
