import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { expectProblem } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { v1 } from '../../../test/support/payments.js';
import { newUser, type SiteUserJson, type SiteUserListJson } from '../../../test/support/users.js';

describeBackends('site users: brands, roles, encryption (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let other: TestBrand;
  let user: SiteUserJson;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand({ name: 'Shop A' });
    other = await pd.newBrand({ name: 'Shop B' });
    user = await newUser(pd, brand, {
      external_id: 'acct-77-secret-login',
      email: 'farzana.private@example.com',
      given_name: 'Farzana',
      family_name: 'Quddus',
      phone: '+8801799887766',
    });
  });
  afterAll(() => pd.close());

  it('another brand sees nothing of them: 404 for the id, nothing in its list or search', async () => {
    const api = v1(pd, other.token);
    expectProblem(await api.get(`/users/${user.id}`), 404, 'user_not_found');
    expectProblem(await api.patch(`/users/${user.id}`, { given_name: 'X' }), 404, 'user_not_found');
    expectProblem(await api.delete(`/users/${user.id}`), 404, 'user_not_found');
    expect((await api.get('/users')).json<SiteUserListJson>().data).toEqual([]);
    expect((await api.get('/users?q=Farzana')).json<SiteUserListJson>().data).toEqual([]);
    expect((await api.get('/users?q=farzana.private%40example.com')).json<SiteUserListJson>().data).toEqual([]);
    expect((await api.get(`/customers/${user.customer}`)).statusCode).toBe(404);
    // The same external id in another brand is another account.
    const twin = await newUser(pd, other, {
      external_id: 'acct-77-secret-login',
      email: 'farzana.private@example.com',
    });
    expect(twin.id).not.toBe(user.id);
    expect(twin.customer).not.toBe(user.customer);
  });

  it('masks email and phone for roles that see customers masked, and lets them search names only', async () => {
    const viewer = await pd.keyFor(brand, 'viewer');
    const seen = (await v1(pd, viewer).get(`/users/${user.id}`)).json<SiteUserJson>();
    expect(seen).toMatchObject({ contact_masked: true, given_name: 'Farzana' });
    expect(seen.email).not.toContain('farzana.private');
    expect(seen.phone).not.toBe('+8801799887766');
    expect((await v1(pd, viewer).get('/users?q=Farza')).json<SiteUserListJson>().data.map((u) => u.id)).toEqual([
      user.id,
    ]);
    expect((await v1(pd, viewer).get('/users?q=private%40exa')).json<SiteUserListJson>().data).toEqual([]);
    expect((await v1(pd, viewer).get('/users?q=99887')).json<SiteUserListJson>().data).toEqual([]);

    const owner = (await v1(pd, brand.token).get('/users?q=private%40exa')).json<SiteUserListJson>();
    expect(owner.data.map((u) => u.id)).toEqual([user.id]);
    expect(owner.data[0]!.email).toBe('farzana.private@example.com');
  });

  it('lets only roles with users.write register, change or delete users', async () => {
    for (const role of ['viewer', 'support'] as const) {
      const token = await pd.keyFor(brand, role);
      expectProblem(
        await v1(pd, token).post('/users', {
          external_id: 'x',
          email: 'x@example.com',
          given_name: 'X',
          family_name: '',
        }),
        403,
        'forbidden',
      );
      expectProblem(await v1(pd, token).patch(`/users/${user.id}`, { given_name: 'Y' }), 403, 'forbidden');
    }
    const developer = await pd.keyFor(brand, 'developer');
    const viaSite = await v1(pd, developer).post('/users', {
      external_id: 'dev-1',
      email: 'dev.one@example.com',
      given_name: 'Dev',
      family_name: 'One',
    });
    expect(viaSite.statusCode).toBe(201);
    expect(viaSite.json<SiteUserJson>().contact_masked).toBe(true);
  });

  it('keeps no personal field of a user in clear in the database', async () => {
    const rows = await pd.rawQuery('SELECT * FROM site_users WHERE merchant_id = $1 AND id = $2', [brand.id, user.id]);
    expect(rows).toHaveLength(1);
    // Every column as text; binary columns as raw bytes, so a UTF-8 plaintext inside them would show.
    const stored = Object.values(rows[0]!)
      .map((value) => (Buffer.isBuffer(value) ? value.toString('latin1') : JSON.stringify(value)))
      .join('\n');
    for (const secret of ['farzana', 'Farzana', 'Quddus', 'acct-77-secret-login', '8801799887766', '1799887766']) {
      expect(stored).not.toContain(secret);
    }
    // Not plaintext in any other table either (the customer made from it is sealed too).
    const anywhere = await pd.rawQuery(
      `SELECT count(*)::int AS n FROM site_users u WHERE u.merchant_id = $1 AND (
         position(convert_to('Farzana', 'UTF8') in u.given_name_enc) > 0 OR position(convert_to('farzana.private', 'UTF8') in u.email_enc) > 0)`,
      [brand.id],
    );
    expect(anywhere[0]!.n).toBe(0);
  });
});
