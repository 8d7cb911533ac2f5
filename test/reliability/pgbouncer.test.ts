import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createPaydesk, type Paydesk } from '../../src/app.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { PREPARED } from '../../src/db/prepared-client.js';
import { createApiKey } from '../../src/modules/api-keys/api-key.service.js';
import { createBrand } from '../../src/modules/brands/brand.service.js';
import { POSTGRES_SKIP_REASON } from '../support/backends.js';
import { CARDS } from '../support/payments.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { PGBOUNCER, query, startPgbouncer, type Bouncer } from './pgbouncer-process.js';

/*
 * Paydesk behind Debian's PgBouncer (1.18) in transaction mode, two server connections for the
 * database, so that one client connection's transactions land on either. With
 * DATABASE_PREPARED_STATEMENTS=0 everything answers and the data is whole: migrations (their lock),
 * creates, search, list, checkout payments, webhook delivery and an erasure, 16 requests at a time.
 * With named prepared statements on, the same pooler breaks them: that is what the switch is for.
 */
const STRICT = process.env.PAYDESK_TEST_STRICT === '1';
const MISSING = fs.existsSync(PGBOUNCER)
  ? undefined
  : `${PGBOUNCER} is not installed (Debian: apt-get install pgbouncer)`;
const SKIP = POSTGRES_SKIP_REASON ?? (MISSING !== undefined && !STRICT ? MISSING : false);
const name = `PgBouncer in transaction mode (PostgreSQL only${SKIP ? `; skipped: ${SKIP}` : ''})`;

/** Server connections PgBouncer may open to the database: fewer than the app's pool, so they are shared. */
const SERVER_CONNECTIONS = 2;
const CLIENTS = 16;
const CUSTOMERS = 64;
const PAYMENTS = 32;
const MASTER_KEY = Buffer.alloc(32, 17).toString('base64');

describe.skipIf(SKIP !== false)(name, () => {
  let database: TestDatabase | undefined;
  let bouncer: Bouncer | undefined;
  let paydesk: Paydesk | undefined;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
  let brandId = '';
  let token = '';
  let dataDir: string | undefined;

  beforeAll(async () => {
    if (MISSING) throw new Error(`${MISSING}; PAYDESK_TEST_STRICT=1 forbids skipping.`);
    // Nothing should land there (the key and the database are elsewhere); a directory of its own anyway.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-pgbouncer-data-'));
    database = await freshDatabase();
    bouncer = await startPgbouncer(database.url, SERVER_CONNECTIONS);
    receiver = await startWebhookReceiver();
    paydesk = await createPaydesk(
      parseConfig({
        DATABASE_URL: bouncer.url,
        DATABASE_PREPARED_STATEMENTS: '0',
        PAYDESK_DATA_DIR: dataDir,
        PAYDESK_MASTER_KEY: MASTER_KEY,
        PAYDESK_DEMO: '0',
        LOG_LEVEL: 'silent',
        PAYDESK_RATE_LIMIT_PER_KEY: '0',
        PAYDESK_RATE_LIMIT_PER_IP: '0',
        PAYDESK_WEBHOOK_ALLOW_PRIVATE: '1',
      }),
    );
    const brand = await createBrand(paydesk.ctx, { name: 'Pooled Brand', country: 'BD', baseCurrency: 'BDT' });
    brandId = brand.id;
    token = (await createApiKey(paydesk.ctx, { merchantId: brand.id, name: 'pgbouncer', role: 'owner' })).token;
  }, 60_000);

  afterAll(async () => {
    // Each step even if an earlier one failed: no pgbouncer, database or directory left behind.
    await paydesk?.close().catch(() => {});
    await receiver?.close().catch(() => {});
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    try {
      await bouncer?.stop();
    } finally {
      await database?.destroy();
    }
  }, 30_000);

  const call = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>, auth = true) =>
    paydesk!.app.inject({
      method,
      url,
      headers: auth ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });

  it('answers creates, searches, lists, payments and webhooks with prepared statements off', async () => {
    const endpoint = await call('POST', '/api/v1/webhook-endpoints', {
      url: receiver!.url,
      events: ['customer.created'],
    });
    expect(endpoint.statusCode, endpoint.body).toBe(201);

    const tag = crypto.randomBytes(3).toString('hex');
    const created = await inParallel(CUSTOMERS, async (i) => {
      const answer = await call('POST', '/api/v1/customers', {
        name: `Pooled Customer ${tag} ${i}`,
        email: `pooled.${tag}.${i}@pgbouncer.example`,
      });
      expect(answer.statusCode, answer.body).toBe(201);
      return answer.json<{ id: string }>().id;
    });

    await inParallel(CLIENTS, async (i) => {
      const found = await call('GET', `/api/v1/customers?q=${encodeURIComponent(`pooled.${tag}.${i}@`)}`);
      expect(found.statusCode, found.body).toBe(200);
      expect(found.json<{ data: { id: string }[] }>().data.map((c) => c.id)).toEqual([created[i]]);
    });
    const listed: string[] = [];
    for (let cursor: string | null = null, pages = 0; pages === 0 || cursor; pages++) {
      const page = await call('GET', `/api/v1/customers?limit=25${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.statusCode, page.body).toBe(200);
      const body = page.json<{ data: { id: string }[]; next_cursor: string | null }>();
      listed.push(...body.data.map((c) => c.id));
      cursor = body.next_cursor;
    }
    expect(listed.sort()).toEqual([...created].sort());

    // The payment path: the statements marked PREPARED, each completion registering its payer.
    await inParallel(PAYMENTS, async (i) => {
      const session = await call('POST', '/api/v1/checkout-sessions', { amount: 50000 + i, currency: 'BDT' });
      expect(session.statusCode, session.body).toBe(201);
      const checkoutToken = session.json<{ url: string }>().url.split('/').pop()!;
      const payment = await call(
        'POST',
        `/api/public/checkout/${checkoutToken}`,
        { name: `Payer ${tag} ${i}`, email: `payer.${tag}.${i}@pgbouncer.example`, card: CARDS.ok },
        false,
      );
      expect(payment.statusCode, payment.body).toBe(200);
      expect(payment.json<{ status: string }>().status).toBe('succeeded');
    });

    const [counts] = await database!.query<{ customers: number; payments: number; total: number }>(
      `SELECT (SELECT count(*)::int FROM customers WHERE merchant_id = $1) AS customers,
              (SELECT count(*)::int FROM transactions WHERE merchant_id = $1 AND status = 'succeeded') AS payments,
              (SELECT sum(total_spent_minor)::int FROM customers WHERE merchant_id = $1) AS total`,
      [brandId],
    );
    expect(counts).toEqual({
      customers: CUSTOMERS + PAYMENTS,
      payments: PAYMENTS,
      total: PAYMENTS * 50000 + (PAYMENTS * (PAYMENTS - 1)) / 2,
    });

    // Every create announced once, by the dispatcher polling through the pooler.
    const hooks = await receiver!.waitFor(CUSTOMERS + PAYMENTS, 20_000);
    const announced = hooks.map(
      (hook) => (JSON.parse(hook.body) as { data: { object: { id: string } } }).data.object.id,
    );
    expect(new Set(announced).size).toBe(CUSTOMERS + PAYMENTS);
    expect(announced).toEqual(expect.arrayContaining(created));

    // The migrations' lock went with their transaction: none stays on a pooled server connection,
    // where the next start's migrations would wait for it.
    const locks = await database!.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks JOIN pg_database d ON d.oid = pg_locks.database
        WHERE locktype = 'advisory' AND d.datname = current_database()`,
      [],
    );
    expect(locks).toEqual([{ n: 0 }]);

    // The transactions really were spread over both server connections.
    const servers = await bouncer!.admin<{ database: string }>('SHOW SERVERS');
    expect(servers.filter((server) => server.database === 'paydesk')).toHaveLength(SERVER_CONNECTIONS);
  }, 60_000);

  it('erases a customer with its physical scrub (VACUUM and page fills) through the pooler', async () => {
    const created = await call('POST', '/api/v1/customers', {
      name: 'Erased Pooled',
      email: 'erased@pgbouncer.example',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json<{ id: string }>();
    const erased = await call('POST', `/api/v1/customers/${id}/erase`, { reason: 'Erasure request, pooler test' });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json<{ scrubbed: boolean }>().scrubbed).toBe(true);
  }, 30_000);

  it('runs migrations while other transactions share the server connections, leaving no lock behind', async () => {
    const busy = await openDatabase({ url: bouncer!.url, poolSize: 6, preparedStatements: false });
    const migrating = await openDatabase({ url: bouncer!.url, poolSize: 1, preparedStatements: false });
    let loading = true;
    const load = Array.from({ length: 6 }, async () => {
      while (loading) {
        await busy.db.transaction().execute((trx) => sql`SELECT pg_sleep(0.002)`.execute(trx));
      }
    });
    try {
      // Each start migrates (nothing is left to apply, but the lock is taken and released). A lock
      // left on a server connection would hold the next run up: each must finish promptly.
      for (let run = 0; run < 20; run++) {
        await withTimeout(migrateToLatest(migrating.db), 5_000, `migration run ${run} waited for a lock`);
      }
    } finally {
      loading = false;
      await Promise.all(load);
      await busy.close();
      // A run stuck on a lock keeps its connection busy, and close() waiting for it; stopping
      // pgbouncer (afterAll) ends that connection.
      await withTimeout(migrating.close(), 2_000, 'stuck').catch(() => {});
    }
    const locks = await database!.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks JOIN pg_database d ON d.oid = pg_locks.database
        WHERE locktype = 'advisory' AND d.datname = current_database()`,
      [],
    );
    expect(locks).toEqual([{ n: 0 }]);
  }, 30_000);

  it('breaks named prepared statements without the switch (what DATABASE_PREPARED_STATEMENTS=0 avoids)', async () => {
    const prepared = await openDatabase({ url: bouncer!.url, poolSize: 8 });
    const codes = new Set<string>();
    try {
      await inParallel(64, async (i) => {
        try {
          await prepared.db.transaction().execute(async (trx) => {
            await sql`${sql.raw(PREPARED)}SELECT ${i}::int AS n, pg_sleep(0.005)`.execute(trx);
          });
        } catch (error) {
          codes.add((error as { code?: string }).code ?? String(error));
        }
      });
    } finally {
      await prepared.close();
    }
    // 26000: "prepared statement … does not exist"; 42P05: "prepared statement … already exists".
    expect(codes.size).toBeGreaterThan(0);
    expect(
      [...codes].every((code) => code === '26000' || code === '42P05'),
      [...codes].join(', '),
    ).toBe(true);
  }, 30_000);
});

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs task(0 … count-1), CLIENTS at a time; their results in order. */
async function inParallel<T>(count: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const client = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(CLIENTS, count) }, client));
  return results;
}

interface TestDatabase {
  url: string;
  query<Row>(text: string, params: unknown[]): Promise<Row[]>;
  destroy(): Promise<void>;
}

/** A new database beside TEST_DATABASE_URL's (the app migrates it through the pooler). */
async function freshDatabase(): Promise<TestDatabase> {
  const admin = process.env.TEST_DATABASE_URL!;
  const dbName = `paydesk_pgb_${crypto.randomBytes(5).toString('hex')}`;
  await query(admin, `CREATE DATABASE ${dbName}`);
  const url = new URL(admin);
  url.pathname = `/${dbName}`;
  return {
    url: url.toString(),
    query: (text, params) => query(url.toString(), text, params),
    destroy: async () => {
      await query(admin, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    },
  };
}
