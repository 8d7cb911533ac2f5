import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { reopenableDatabase, type ReopenableDatabase } from '../../../test/support/databases.js';
import { CLI_TEST } from '../../../test/support/keys.js';
import { createContext, createPaydesk, type Paydesk } from '../../app.js';
import { parseConfig } from '../../config.js';
import { KeyringError } from '../../crypto/keyring.js';
import { masterKeyFingerprint } from '../../crypto/master-key.js';
import { createApiKey } from '../api-keys/api-key.service.js';
import { createBrand } from '../brands/brand.service.js';
import { SYSTEM_MERCHANT_ID } from '../audit/audit.service.js';
import { rotateBrandKey } from './key-rotation.service.js';
import { MasterRotationError, rotateMasterKey } from './master-rotation.service.js';

const OLD_KEY = crypto.randomBytes(32).toString('base64');
const NEW_KEY = crypto.randomBytes(32).toString('base64');
const silent = pino({ level: 'silent' });
const configWith = (env: Record<string, string>) => parseConfig({ PAYDESK_DEMO: '0', LOG_LEVEL: 'silent', ...env });

async function getCustomer(paydesk: Paydesk, token: string, id: string) {
  return paydesk.app.inject({
    method: 'GET',
    url: `/api/v1/customers/${id}`,
    headers: { authorization: `Bearer ${token}` },
  });
}

describeBackends('master key rotation with PAYDESK_NEW_MASTER_KEY (%s)', (backend) => {
  let database: ReopenableDatabase;
  let running: Paydesk;
  let token: string;
  let customerId: string;
  let brands: string[];
  beforeAll(async () => {
    database = await reopenableDatabase(backend);
    running = await createPaydesk(configWith({ PAYDESK_MASTER_KEY: OLD_KEY }), { database: await database.open() });
    brands = [];
    for (const name of ['One', 'Two']) {
      const brand = await createBrand(running.ctx, { name, country: 'BD', baseCurrency: 'BDT' });
      brands.push(brand.id);
    }
    // Brand One has a rotation behind it: a retired key must stay retired, not be re-wrapped.
    token = (await createApiKey(running.ctx, { merchantId: brands[0]!, name: 't', role: 'owner' })).token;
    const created = await running.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'Master Mina', email: 'mina@example.com' },
    });
    customerId = created.json().id;
    await rotateBrandKey(running.ctx, CLI_TEST, brands[0]!, 'data', { settleMs: 0 });
  });
  afterAll(async () => {
    await running?.close();
    await database?.destroy();
  });

  it('needs the new key when the current one comes from the environment', async () => {
    const master = { key: Buffer.from(OLD_KEY, 'base64'), origin: 'environment' as const };
    await expect(rotateMasterKey(running.ctx, CLI_TEST, master, undefined)).rejects.toBeInstanceOf(MasterRotationError);
    await expect(rotateMasterKey(running.ctx, CLI_TEST, master, master.key)).rejects.toThrow(/is the current one/);
  });

  it('re-wraps every live brand key in one go and audits it, for the system and each brand', async () => {
    // A live server has its brands' keys unwrapped in memory.
    expect((await getCustomer(running, token, customerId)).statusCode).toBe(200);
    const master = { key: Buffer.from(OLD_KEY, 'base64'), origin: 'environment' as const };
    const result = await rotateMasterKey(running.ctx, CLI_TEST, master, Buffer.from(NEW_KEY, 'base64'));
    expect(result).toMatchObject({
      brands: 2,
      keys: 4,
      newFingerprint: masterKeyFingerprint(Buffer.from(NEW_KEY, 'base64')),
    });
    expect(result.keyFile).toBeUndefined();

    const db = running.ctx.db;
    const audit = await db
      .selectFrom('audit_events')
      .select(['merchant_id', 'action', 'details'])
      .where('action', '=', 'keys.master_rotated')
      .execute();
    expect(audit.map((a) => a.merchant_id).sort()).toEqual([...brands, SYSTEM_MERCHANT_ID].sort());
    const system = audit.find((a) => a.merchant_id === SYSTEM_MERCHANT_ID);
    expect(system?.details).toMatchObject({ brands: 2, keys: 4, old_fingerprint: result.oldFingerprint });
    const retired = await db
      .selectFrom('brand_keys')
      .select(['state', 'wrapped_key'])
      .where('state', '=', 'retired')
      .execute();
    expect(retired).toEqual([{ state: 'retired', wrapped_key: null }]);
  });

  it('a server still running on the old key keeps serving what it has, but makes no new keys', async () => {
    const response = await getCustomer(running, token, customerId);
    expect(response.statusCode).toBe(200);
    expect(response.json().name).toBe('Master Mina');
    await expect(createBrand(running.ctx, { name: 'Three', country: 'BD', baseCurrency: 'BDT' })).rejects.toMatchObject(
      {
        code: 'master_key_outdated',
      },
    );
  });

  it('restarted with the new key it works; with the old one it is refused', async () => {
    await running.close();
    const refused = createPaydesk(configWith({ PAYDESK_MASTER_KEY: OLD_KEY }), { database: await database.open() });
    await expect(refused).rejects.toBeInstanceOf(KeyringError);
    await expect(refused.catch((e: Error) => e.message)).resolves.toMatch(/PAYDESK_NEW_MASTER_KEY/);

    running = await createPaydesk(configWith({ PAYDESK_MASTER_KEY: NEW_KEY }), { database: await database.open() });
    const response = await getCustomer(running, token, customerId);
    expect(response.statusCode).toBe(200);
    expect(response.json().name).toBe('Master Mina');
    // And it can rotate data keys again (it wraps them under the new master key).
    const { outcome } = await rotateBrandKey(running.ctx, CLI_TEST, brands[0]!, 'data', { settleMs: 0 });
    expect(outcome.status).toBe('completed');
    expect((await getCustomer(running, token, customerId)).json().name).toBe('Master Mina');
  });
});

describe('master key rotation with the key file (pglite)', () => {
  let dataDir: string;
  const config = () => configWith({ PAYDESK_DATA_DIR: dataDir });
  const keyFile = () => path.join(dataDir, 'master.key');
  let merchantId: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-master-'));
    const first = await createContext(config(), { logger: silent });
    try {
      expect(first.master.origin).toBe('key-file-created');
      merchantId = (await createBrand(first.ctx, { name: 'File Brand', country: 'BD', baseCurrency: 'BDT' })).id;
    } finally {
      await first.close();
    }
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const unwrapsAll = async () => {
    const opened = await createContext(config(), { logger: silent });
    try {
      const keys = await opened.ctx.keyring.forBrand(opened.ctx.db, merchantId);
      return keys.dataKeys.size;
    } finally {
      await opened.close();
    }
  };

  it('writes a new key file, destroys the old one and leaves no .new or .previous behind', async () => {
    const oldText = fs.readFileSync(keyFile(), 'utf8');
    const opened = await createContext(config(), { logger: silent });
    try {
      const result = await rotateMasterKey(opened.ctx, CLI_TEST, opened.master, undefined);
      expect(result.keyFile).toBe(keyFile());
    } finally {
      await opened.close();
    }
    const newText = fs.readFileSync(keyFile(), 'utf8');
    expect(newText).not.toBe(oldText);
    expect(fs.statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('master.key'))).toEqual(['master.key']);
    expect(await unwrapsAll()).toBe(1);

    // The old key file put back is refused.
    fs.writeFileSync(keyFile(), oldText, { mode: 0o600 });
    await expect(createContext(config(), { logger: silent })).rejects.toBeInstanceOf(KeyringError);
    fs.writeFileSync(keyFile(), newText, { mode: 0o600 });
  });

  it('a rotation stopped after the database switched but before the file rename is finished at the next start', async () => {
    const opened = await createContext(config(), { logger: silent });
    const before = fs.readFileSync(keyFile(), 'utf8');
    try {
      await rotateMasterKey(opened.ctx, CLI_TEST, opened.master, undefined);
    } finally {
      await opened.close();
    }
    // Recreate the crash window: the new key still in master.key.new, the old one in master.key.
    fs.renameSync(keyFile(), `${keyFile()}.new`);
    fs.writeFileSync(keyFile(), before, { mode: 0o600 });
    expect(await unwrapsAll()).toBe(1);
    expect(fs.existsSync(`${keyFile()}.new`)).toBe(false);
    expect(fs.readFileSync(keyFile(), 'utf8')).not.toBe(before);
  });
});
