import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { CLI_TEST, keyRows } from '../../../test/support/keys.js';
import { v1 } from '../../../test/support/payments.js';
import { newUser, type SiteUserJson, type SiteUserListJson } from '../../../test/support/users.js';
import { orderBody, type OrderJson } from '../../../test/support/orders.js';
import { Webhook } from 'standardwebhooks';
import { newCustomer } from '../../../test/support/customers.js';
import { startWebhookReceiver } from '../../../test/support/webhook-receiver.js';
import { findEndpointSecrets } from '../webhooks/webhook-endpoint.repository.js';
import { openSecret, signingSecrets } from '../webhooks/webhook-secrets.js';
import { brandKeyStatus } from './key-status.service.js';
import { beginRotation, retireKey, rotateBrandKey } from './key-rotation.service.js';

// Site users are sealed under the brand's keys like customers: a rotation moves them too, and an
// old key is destroyed only when no row of any sealed table uses it.
describeBackends('key rotation of site users (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let users: SiteUserJson[];
  beforeAll(async () => {
    // Webhook endpoints on the loopback receiver (the webhook case below).
    pd = await startTestPaydesk(backend, { PAYDESK_WEBHOOK_ALLOW_PRIVATE: '1' });
    brand = await pd.newBrand();
    users = [];
    for (let i = 0; i < 7; i++) {
      users.push(
        await newUser(pd, brand, { external_id: `rot-${i}`, given_name: `Rotor${i}`, phone: `0171100${1000 + i}` }),
      );
    }
  });
  afterAll(() => pd.close());

  const readAll = async () =>
    Promise.all(users.map(async (u) => (await v1(pd, brand.token).get(`/users/${u.id}`)).json<SiteUserJson>()));

  it('moves every user to the new data key, keeps them readable, and retires the old key', async () => {
    const before = await readAll();
    const { outcome } = await rotateBrandKey(pd.ctx, CLI_TEST, brand.id, 'data', { batchSize: 3, settleMs: 0 });
    expect(outcome).toMatchObject({ status: 'completed', retiredKeyIds: [1] });
    expect(outcome.done).toBeGreaterThanOrEqual(users.length * 2);
    const keys = await pd.rawQuery('SELECT DISTINCT data_key_id FROM site_users WHERE merchant_id = $1', [brand.id]);
    expect(keys).toEqual([{ data_key_id: outcome.activeKeyId }]);
    pd.ctx.keyring.forget(brand.id);
    expect(await readAll()).toEqual(before);
    expect((await keyRows(pd, brand.id)).find((k) => k.key_id === 1)).toMatchObject({ state: 'retired' });
  });

  it('rebuilds their blind indexes and search tokens under the new index key', async () => {
    const { outcome } = await rotateBrandKey(pd.ctx, CLI_TEST, brand.id, 'index', { batchSize: 4, settleMs: 0 });
    expect(outcome.status).toBe('completed');
    const keys = await pd.rawQuery('SELECT DISTINCT index_key_id FROM site_users WHERE merchant_id = $1', [brand.id]);
    expect(keys).toEqual([{ index_key_id: outcome.activeKeyId }]);
    pd.ctx.keyring.forget(brand.id);
    const api = v1(pd, brand.token);
    const byExternal = (await api.get('/users?external_id=rot-3')).json<SiteUserListJson>().data;
    expect(byExternal.map((u) => u.id)).toEqual([users[3]!.id]);
    expect((await api.get('/users?q=Rotor5')).json<SiteUserListJson>().data.map((u) => u.id)).toEqual([users[5]!.id]);
    const byEmail = (await api.get(`/users?q=${encodeURIComponent(users[2]!.email)}`)).json<SiteUserListJson>().data;
    expect(byEmail.map((u) => u.id)).toEqual([users[2]!.id]);
    // Registering an existing external id again still finds it: no duplicate under the new key.
    const again = await api.post('/users', {
      external_id: 'rot-1',
      email: 'x@example.com',
      given_name: 'X',
      family_name: '',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json<SiteUserJson>().id).toBe(users[1]!.id);
  });

  it('counts site users in the key status', async () => {
    const status = await brandKeyStatus(pd.ctx, brand.id);
    const activeData = status.keys.find((k) => k.purpose === 'data' && k.state === 'active')!;
    const customers = await pd.rawQuery('SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1', [brand.id]);
    expect(activeData.rows).toBe(users.length + Number(customers[0]!.n));
  });

  it('never retires a key that only a site user still uses', async () => {
    const shop = await pd.newBrand();
    await v1(pd, shop.token).patch('/brand/settings', { auto_create_customers: { registrations: false } });
    await newUser(pd, shop);
    expect(await pd.rawQuery('SELECT id FROM customers WHERE merchant_id = $1', [shop.id])).toEqual([]);
    await beginRotation(pd.ctx, CLI_TEST, shop.id, 'data');
    expect(await retireKey(pd.ctx, CLI_TEST, shop.id, 'data', 1)).toBe(false);
    expect((await keyRows(pd, shop.id)).find((k) => k.key_id === 1)).toMatchObject({ state: 'decrypt_only' });
  });

  it("moves an order's kept buyer to the new data key before the old one is destroyed", async () => {
    const shop = await pd.newBrand();
    const api = v1(pd, shop.token);
    await api.patch('/brand/settings', { auto_create_customers: { orders: false } });
    const created = await api.post(
      '/orders',
      orderBody({ customer_details: { name: 'Kept Buyer', email: 'kept.buyer@example.com' } }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const order = created.json<OrderJson>();
    expect(order).toMatchObject({ customer: null, buyer: { name: 'Kept Buyer', email: 'kept.buyer@example.com' } });

    await beginRotation(pd.ctx, CLI_TEST, shop.id, 'data');
    expect(await retireKey(pd.ctx, CLI_TEST, shop.id, 'data', 1)).toBe(false);
    const { outcome } = await rotateBrandKey(pd.ctx, CLI_TEST, shop.id, 'data', { settleMs: 0 });
    expect(outcome).toMatchObject({ status: 'completed', retiredKeyIds: expect.arrayContaining([1]) as unknown });
    const keys = await pd.rawQuery('SELECT data_key_id FROM orders WHERE merchant_id = $1', [shop.id]);
    expect(keys).toEqual([{ data_key_id: outcome.activeKeyId }]);
    pd.ctx.keyring.forget(shop.id);
    expect((await api.get(`/orders/${order.id}`)).json<OrderJson>().buyer).toMatchObject({ name: 'Kept Buyer' });
  });

  it("moves a webhook endpoint's secrets to the new data key, and they still sign", async () => {
    const receiver = await startWebhookReceiver();
    try {
      const shop = await pd.newBrand();
      const api = v1(pd, shop.token);
      const create = async (body: Record<string, unknown>) => {
        const response = await api.post('/webhook-endpoints', { url: receiver.url, ...body });
        expect(response.statusCode, response.body).toBe(201);
        return response.json<{ id: string; secret: string }>();
      };
      const plain = await create({ events: ['customer.created'] });
      // A second endpoint mid secret rotation: its previous secret is sealed too and must move with it.
      const rotating = await create({ events: ['invoice.paid'] });
      const rotated = await api.post(`/webhook-endpoints/${rotating.id}/rotate-secret`, { overlap_hours: 24 });
      expect(rotated.statusCode, rotated.body).toBe(200);
      const newSecret = rotated.json<{ secret: string }>().secret;

      // No customer in this brand: only the endpoints keep key 1 in use.
      await beginRotation(pd.ctx, CLI_TEST, shop.id, 'data');
      expect(await retireKey(pd.ctx, CLI_TEST, shop.id, 'data', 1)).toBe(false);
      const { outcome } = await rotateBrandKey(pd.ctx, CLI_TEST, shop.id, 'data', { settleMs: 0 });
      expect(outcome).toMatchObject({ status: 'completed', retiredKeyIds: expect.arrayContaining([1]) as unknown });
      const keys = await pd.rawQuery('SELECT DISTINCT data_key_id FROM webhook_endpoints WHERE merchant_id = $1', [
        shop.id,
      ]);
      expect(keys).toEqual([{ data_key_id: outcome.activeKeyId }]);
      expect((await keyRows(pd, shop.id)).find((k) => k.key_id === 1)).toMatchObject({ state: 'retired' });

      pd.ctx.keyring.forget(shop.id);
      const brandKeys = await pd.ctx.keyring.forBrand(pd.ctx.db, shop.id, [outcome.activeKeyId]);
      const plainRow = (await findEndpointSecrets(pd.ctx.db, shop.id, plain.id))!;
      expect(openSecret(brandKeys, shop.id, plain.id, 'secret', plainRow.secret_enc)).toBe(plain.secret);
      expect(plainRow.previous_secret_enc).toBeNull();
      const rotatingRow = (await findEndpointSecrets(pd.ctx.db, shop.id, rotating.id))!;
      expect(signingSecrets(brandKeys, rotatingRow, new Date())).toEqual([newSecret, rotating.secret]);

      // And the dispatcher signs with it: the secret the create call returned verifies the delivery.
      const customer = await newCustomer(pd, shop, { email: 'after.rotation@example.com' });
      const [hit] = await receiver.waitFor(1);
      const event = new Webhook(plain.secret).verify(hit!.body, hit!.headers) as { data: { object: { id: string } } };
      expect(event.data.object.id).toBe(customer.id);
    } finally {
      await receiver.close();
    }
  });
});
