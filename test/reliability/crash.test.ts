import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { describeBackends, type Backend } from '../support/backends.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/*
 * The real server, killed with SIGKILL in the middle of a load of writes, then started again:
 * every write it acknowledged (2xx) is there, whole; no write it did not acknowledge is half there
 * (a customer without its rank row or count, aggregates off the ledger); the PGlite directory (and
 * the lock of the killed process) lets the restart in at once.
 */

const CLIENTS = 6;
/** The load runs at least this long, and until this many writes were acknowledged, before the kill. */
const LOAD_MS = 1_500;
const MIN_ACKNOWLEDGED = 40;
const CARD = { number: '4242 4242 4242 4242', exp_month: 12, exp_year: 2099, cvc: '123' };

interface Acknowledged {
  customers: Array<{ id: string; email: string }>;
  payments: Array<{ transactionId: string; customerId: string | null }>;
  /** Requests that got no answer (the kill cut them): each may or may not have been written. */
  unanswered: number;
  /** Answers that were not 2xx, by status (e.g. 429 from a rate limit): none may be a 5xx. */
  refused: Record<number, number>;
}

describeBackends('SIGKILL during a load of writes (%s)', (backend) => {
  it(
    'loses no acknowledged write, leaves nothing half written, and restarts at once',
    { timeout: 480_000 },
    async () => {
      const started = Date.now();
      const target = await freshDatabase(backend);
      const apiKey = `pdk_${crypto.randomBytes(16).toString('hex')}`;
      const env = { ...target.env, PAYDESK_API_KEY: apiKey, PAYDESK_DEMO: '0', PAYDESK_MASTER_KEY: MASTER_KEY };
      let server: ServerProcess | undefined;
      try {
        server = await startServerProcess(env);
        const firstStartMs = Date.now() - started;
        const api = client(server.url, apiKey);
        const link = await api('POST', '/api/v1/payment-links', { title: 'Crash test', currency: 'BDT', amount: 9900 });
        expect(link.status).toBe(201);
        const slug = (link.body as { slug: string }).slug;

        const acknowledged: Acknowledged = { customers: [], payments: [], unanswered: 0, refused: {} };
        const load = Array.from({ length: CLIENTS }, (_, n) => writer(server!.url, apiKey, slug, n, acknowledged));
        const loadStarted = Date.now();
        while (Date.now() - loadStarted < LOAD_MS || ackCount(acknowledged) < MIN_ACKNOWLEDGED) {
          if (Date.now() - loadStarted > 60_000)
            throw new Error(`too few writes acknowledged: ${ackCount(acknowledged)}`);
          await sleep(50);
        }
        const killedAt = Date.now();
        await server.stop('SIGKILL');
        await Promise.all(load);
        const atKill = ackCount(acknowledged);
        // The killed server's lock is still there: the restart has to take it over, not wait 30 s for it to go stale.
        if (backend === 'pglite') expect(fs.existsSync(`${target.env.PAYDESK_DATA_DIR}/pglite.lock`)).toBe(true);

        const restartStarted = Date.now();
        server = await startServerProcess(env);
        const restartMs = Date.now() - restartStarted;
        const again = client(server.url, apiKey);

        for (const customer of acknowledged.customers) {
          const read = await again('GET', `/api/v1/customers/${customer.id}`);
          expect(read.status, customer.id).toBe(200);
          expect((read.body as { email: string }).email).toBe(customer.email);
        }
        for (const payment of acknowledged.payments) {
          const read = await again('GET', `/api/v1/transactions/${payment.transactionId}`);
          expect(read.status, payment.transactionId).toBe(200);
          expect(read.body).toMatchObject({ status: 'succeeded', customer_id: payment.customerId });
        }
        const reconcile = await again('POST', '/api/v1/reconcile', {});
        expect(reconcile.status).toBe(200);
        expect((reconcile.body as { drift: unknown[] }).drift).toEqual([]);
        expect(Object.keys(acknowledged.refused).filter((status) => Number(status) >= 500)).toEqual([]);

        await server.stop('SIGTERM');
        server = undefined;
        const database = await target.open();
        let pending: number;
        try {
          pending = await expectWhole(database, acknowledged);
        } finally {
          await database.close();
        }
        console.info(
          `crash (${backend}): ${atKill} writes acknowledged (${acknowledged.customers.length} customers, ` +
            `${acknowledged.payments.length} payments) and verified after the restart; ${acknowledged.unanswered} cut by the kill; ` +
            `refused ${JSON.stringify(acknowledged.refused)}; killed ${killedAt - loadStarted} ms into the load; first start ${firstStartMs} ms, restart ${restartMs} ms; ` +
            `${pending} pending transactions; test ${Date.now() - started} ms`,
        );
      } finally {
        await server?.stop('SIGKILL');
        await target.destroy();
      }
    },
  );
});

const MASTER_KEY = Buffer.alloc(32, 11).toString('base64');

/** One client: customers by the API and card payments on the public page, in turn, until the server dies. */
async function writer(url: string, apiKey: string, slug: string, n: number, into: Acknowledged): Promise<void> {
  const api = client(url, apiKey);
  for (let i = 0; ; i++) {
    const tag = `${n}-${i}-${crypto.randomBytes(3).toString('hex')}`;
    let answer: { status: number; body: unknown };
    const payment = i % 2 === 1;
    try {
      answer = payment
        ? await api(
            'POST',
            `/api/public/pay/${slug}`,
            { name: `Crash Payer ${tag}`, email: `payer.${tag}@crash.example`, card: CARD },
            false,
          )
        : await api('POST', '/api/v1/customers', {
            name: `Crash Customer ${tag}`,
            email: `customer.${tag}@crash.example`,
            phone: `01${String(crypto.randomInt(300_000_000, 999_999_999))}`,
          });
    } catch {
      into.unanswered++;
      return;
    }
    if (answer.status >= 200 && answer.status < 300) {
      if (payment) {
        const body = answer.body as { transaction_id: string; customer_id: string | null };
        into.payments.push({ transactionId: body.transaction_id, customerId: body.customer_id });
      } else {
        const body = answer.body as { id: string };
        into.customers.push({ id: body.id, email: `customer.${tag}@crash.example` });
      }
    } else {
      into.refused[answer.status] = (into.refused[answer.status] ?? 0) + 1;
    }
  }
}

function client(url: string, apiKey: string) {
  return async (method: 'GET' | 'POST', route: string, body?: unknown, authenticated = true) => {
    const response = await fetch(new URL(route, url), {
      method,
      headers: {
        ...(authenticated ? { authorization: `Bearer ${apiKey}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: response.status, body: (await response.json().catch(() => null)) as unknown };
  };
}

/**
 * The database read directly after a clean stop: every live customer has its rank row with the
 * customer's aggregates, each brand's count is its live customers; returns the pending transactions
 * (a charge cut between gateway and record: the settle job's work, reported, not asserted here).
 */
async function expectWhole(database: DatabaseHandle, acknowledged: Acknowledged): Promise<number> {
  const { db } = database;
  const withoutRank = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM customers c WHERE c.merged_into IS NULL AND NOT EXISTS (
      SELECT 1 FROM customer_ranks r WHERE r.merchant_id = c.merchant_id AND r.customer_id = c.id)`.execute(db);
  expect(withoutRank.rows[0]?.n).toBe(0);
  const rankOff = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM customers c JOIN customer_ranks r ON r.merchant_id = c.merchant_id AND r.customer_id = c.id
    WHERE r.transactions_count <> c.transactions_count OR r.total_spent_minor <> c.total_spent_minor`.execute(db);
  expect(rankOff.rows[0]?.n).toBe(0);
  const counts = await sql<{ merchant_id: string; live: number; counted: number }>`
    SELECT b.id AS merchant_id,
      (SELECT count(*)::int FROM customers c WHERE c.merchant_id = b.id AND c.merged_into IS NULL) AS live,
      (SELECT COALESCE(sum(customers), 0)::int FROM customer_counts k WHERE k.merchant_id = b.id) AS counted
    FROM brands b`.execute(db);
  for (const row of counts.rows) expect(row.counted, row.merchant_id).toBe(row.live);
  const live = counts.rows.reduce((sum, row) => sum + row.live, 0);
  expect(live).toBeGreaterThanOrEqual(acknowledged.customers.length + acknowledged.payments.length);
  const pending = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM transactions WHERE status = 'pending'`.execute(db);
  return pending.rows[0]?.n ?? 0;
}

interface CrashTarget {
  /** What the server process is given to find the database. */
  env: Record<string, string>;
  open(): Promise<DatabaseHandle>;
  destroy(): Promise<void>;
}

/** A new PGlite data directory, or a new database in the PostgreSQL of TEST_DATABASE_URL (dropped afterwards). */
async function freshDatabase(backend: Backend): Promise<CrashTarget> {
  if (backend === 'pglite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-crash-'));
    return {
      env: { PAYDESK_DATA_DIR: dataDir },
      open: () => openDatabase({ dataDir: path.join(dataDir, 'pglite') }),
      destroy: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const admin = process.env.TEST_DATABASE_URL!;
  const name = `paydesk_crash_${crypto.randomBytes(5).toString('hex')}`;
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-crash-'));
  return {
    env: { DATABASE_URL: url.toString(), PAYDESK_DATA_DIR: dataDir },
    open: () => openDatabase({ url: url.toString(), poolSize: 2 }),
    destroy: async () => {
      await adminQuery(admin, `DROP DATABASE ${name} WITH (FORCE)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function ackCount(acknowledged: Acknowledged): number {
  return acknowledged.customers.length + acknowledged.payments.length;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
