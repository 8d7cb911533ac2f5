import crypto from 'node:crypto';
import pg from 'pg';
import { CompiledQuery } from 'kysely';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { parseConfig } from '../../src/config.js';
import { createPaydesk, type Paydesk, type PaydeskOptions } from '../../src/app.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { openMigratedPglite } from './pglite-template.js';
import type { Role } from '../../src/modules/access/permissions.js';
import type { Principal } from '../../src/modules/access/principal.js';
import { createApiKey } from '../../src/modules/api-keys/api-key.service.js';
import { createBrand } from '../../src/modules/brands/brand.service.js';
import type { Backend } from './backends.js';

export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestBrand {
  id: string;
  token: string;
  principal: Principal;
}

export interface TestPaydesk extends Paydesk {
  backend: Backend;
  /** The test's own database handle (same database the app uses). */
  database: DatabaseHandle;
  /** Raw SQL against the test database, bypassing the application. */
  rawQuery(sqlText: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  newBrand(options?: { name?: string; country?: string; currency?: string; role?: Role }): Promise<TestBrand>;
  /** A key of another role for an existing brand. */
  keyFor(brand: TestBrand, role: Role): Promise<string>;
  request(token: string | undefined, options: InjectOptions): Promise<LightMyRequestResponse>;
}

/**
 * A whole Paydesk on a fresh database: an in-memory PGlite, or a new schema in the PostgreSQL
 * named by TEST_DATABASE_URL (dropped on close).
 */
export async function startTestPaydesk(
  backend: Backend,
  env: Record<string, string> = {},
  options: Pick<PaydeskOptions, 'webhooks' | 'clock'> = {},
): Promise<TestPaydesk> {
  let database: DatabaseHandle;
  let dropSchema = async () => {};
  if (backend === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    database = await openDatabase({ url, schema, poolSize: 20 });
    dropSchema = async () => {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    };
  } else {
    database = await openMigratedPglite();
  }
  const rawQuery: TestPaydesk['rawQuery'] = async (text, params = []) =>
    (await database.db.executeQuery(CompiledQuery.raw(text, params))).rows as Record<string, unknown>[];
  const config = parseConfig({
    PAYDESK_MASTER_KEY: TEST_MASTER_KEY,
    PAYDESK_DEMO: '0',
    LOG_LEVEL: 'silent',
    // Request rate limits off: a test sends hundreds of requests a minute from one key and one address.
    // The rate-limit tests (src/modules/rate-limits) turn them on with their own figures.
    PAYDESK_RATE_LIMIT_PER_KEY: '0',
    PAYDESK_RATE_LIMIT_PER_IP: '0',
    ...env,
  });
  const paydesk = await createPaydesk(config, { database, ...options });
  const { ctx, app } = paydesk;

  const keyFor = async (brand: TestBrand, role: Role) =>
    (await createApiKey(ctx, { merchantId: brand.id, name: `test ${role}`, role })).token;

  return {
    ...paydesk,
    backend,
    database,
    rawQuery,
    async close() {
      await paydesk.close();
      await dropSchema();
    },
    async newBrand(options = {}) {
      const brand = await createBrand(ctx, {
        name: options.name ?? 'Test Brand',
        country: options.country ?? 'BD',
        baseCurrency: options.currency ?? 'BDT',
      });
      const role = options.role ?? 'owner';
      const { token, id } = await createApiKey(ctx, { merchantId: brand.id, name: 'test', role });
      return { id: brand.id, token, principal: { merchantId: brand.id, role, actor: { type: 'api_key', id } } };
    },
    keyFor,
    request(token, options) {
      const headers = { ...(options.headers ?? {}) } as Record<string, string>;
      if (token) headers.authorization = `Bearer ${token}`;
      return app.inject({ ...options, headers });
    },
  };
}

let counter = 0;
/** A unique, valid customer body; override any field. */
export function customerBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  const tag = `${Date.now().toString(36)}${counter}`;
  return { name: `Customer ${tag}`, email: `customer.${tag}@example.com`, ...overrides };
}
