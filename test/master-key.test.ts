import crypto from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPaydesk } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { KeyringError } from '../src/crypto/keyring.js';
import { createApiKey } from '../src/modules/api-keys/api-key.service.js';
import { createBrand } from '../src/modules/brands/brand.service.js';
import { describeBackends } from './support/backends.js';
import type { CustomerJson } from './support/customers.js';
import { reopenableDatabase, type ReopenableDatabase } from './support/databases.js';

const RIGHT_KEY = crypto.randomBytes(32).toString('base64');
const WRONG_KEY = crypto.randomBytes(32).toString('base64');
const configWith = (key: string) => parseConfig({ PAYDESK_MASTER_KEY: key, PAYDESK_DEMO: '0', LOG_LEVEL: 'silent' });

describeBackends('master key (%s)', (backend) => {
  let database: ReopenableDatabase;
  let token: string;
  let customer: CustomerJson;
  beforeAll(async () => {
    database = await reopenableDatabase(backend);
    const paydesk = await createPaydesk(configWith(RIGHT_KEY), { database: await database.open() });
    try {
      const brand = await createBrand(paydesk.ctx, { name: 'Key Brand', country: 'BD', baseCurrency: 'BDT' });
      token = (await createApiKey(paydesk.ctx, { merchantId: brand.id, name: 'test', role: 'owner' })).token;
      const response = await paydesk.app.inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers: { authorization: `Bearer ${token}` },
        payload: { name: 'Keyed Karim', email: 'keyed.karim@example.com', phone: '01700000000' },
      });
      expect(response.statusCode).toBe(201);
      customer = response.json<CustomerJson>();
    } finally {
      await paydesk.close();
    }
  });
  afterAll(() => database?.destroy());

  it('refuses to start with another master key, naming fingerprints but never a key', async () => {
    const attempt = createPaydesk(configWith(WRONG_KEY), { database: await database.open() });
    await expect(attempt).rejects.toBeInstanceOf(KeyringError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toMatch(/not the one this database was encrypted with/);
    expect(message).toMatch(/fingerprint [0-9a-f]{16}/);
    for (const key of [RIGHT_KEY, WRONG_KEY]) {
      expect(message).not.toContain(key);
      expect(message).not.toContain(Buffer.from(key, 'base64').toString('hex'));
    }
  });

  it('still starts with the right key after a refused start, and decrypts what it wrote', async () => {
    await expect(createPaydesk(configWith(WRONG_KEY), { database: await database.open() })).rejects.toThrow(
      KeyringError,
    );
    const paydesk = await createPaydesk(configWith(RIGHT_KEY), { database: await database.open() });
    try {
      const response = await paydesk.app.inject({
        method: 'GET',
        url: `/api/v1/customers/${customer.id}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(customer);
    } finally {
      await paydesk.close();
    }
  });
});
