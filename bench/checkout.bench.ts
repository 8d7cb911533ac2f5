import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../src/config.js';
import { createPaydesk } from '../src/app.js';
import { openDatabase } from '../src/db/database.js';
import { newId } from '../src/ids.js';
import { createBrand } from '../src/modules/brands/brand.service.js';
import { newPublicToken } from '../src/modules/public-paths/public-token.js';
import { reconcileBrand } from '../src/modules/reconcile/reconcile.service.js';
import { countCustomers } from '../src/modules/customers/customer.repository.js';
import { recreateDatabase } from './postgres.js';
import { processCpuMs } from './proc-cpu.js';

const BENCH_MASTER_KEY = Buffer.alloc(32, 42).toString('base64');

/**
 * `npm run bench -- checkout`: checkout completions per second over HTTP, with automatic
 * registration (half new emails, half returning customers), at N concurrent clients, on
 * PostgreSQL. Sessions are created beforehand (not timed); every completion is a real
 * POST /api/public/checkout/{token} through the test-mode gateway. Afterwards the aggregates are
 * proven against the ledger (reconcile) and the customer count is checked.
 */
export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      completions: { type: 'string', default: '20000' },
      clients: { type: 'string', default: '16' },
      returning: { type: 'string', default: '2000' },
      'pool-size': { type: 'string' },
      'log-level': { type: 'string', default: 'warn' },
    },
  });
  const completions = Number(values.completions);
  const clients = Number(values.clients);
  const returningCount = Number(values.returning);
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/paydesk_bench_checkout';
  await recreateDatabase(url);

  // Without --pool-size, the server's own default pool.
  const poolSize = values['pool-size'] === undefined ? undefined : Number(values['pool-size']);
  const database = await openDatabase({ url, ...(poolSize === undefined ? {} : { poolSize }) });
  const config = parseConfig({
    DATABASE_URL: url,
    PAYDESK_MASTER_KEY: BENCH_MASTER_KEY,
    PAYDESK_DEMO: '0',
    LOG_LEVEL: values['log-level'] ?? 'warn',
    PORT: '0',
    // Every simulated client comes from 127.0.0.1; real payers come from many addresses.
    PAYDESK_RATE_LIMIT_PER_IP: '0',
  });
  const paydesk = await createPaydesk(config, { database });
  try {
    const { ctx, app } = paydesk;
    const brand = await createBrand(ctx, { name: 'Bench Brand', country: 'BD', baseCurrency: 'BDT' });
    const runTag = Date.now().toString(36);
    const returningEmails = Array.from({ length: returningCount }, (_, i) => `returning.${runTag}.${i}@bench.example`);
    const warmupTokens = await createSessions(ctx.db, brand.id, returningCount);
    const tokens = await createSessions(ctx.db, brand.id, completions);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;

    log(
      `checkout bench: ${completions.toLocaleString()} completions, ${clients} concurrent clients, PostgreSQL, pool ${poolSize ?? 'default (10)'}`,
    );
    // Warm-up (not measured): registers the returning customers, one payment each.
    const warm = await load(
      port,
      warmupTokens,
      returningEmails.map((e) => e),
      clients,
      `${runTag}w`,
      true,
    );
    log(
      `warm-up: ${returningCount.toLocaleString()} completions registering the returning customers (${rate(warm)} /s)`,
    );

    const pgBefore = await postgresCpuMs(ctx.db);
    const eluBefore = performance.eventLoopUtilization();
    const result = await load(port, tokens, returningEmails, clients, runTag, false);
    const elu = performance.eventLoopUtilization(eluBefore);
    const pgCpuMs = (await postgresCpuMs(ctx.db)) - pgBefore;
    const sorted = [...result.latencies].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1);
    log(
      `completions/s: ${rate(result)}   (${completions.toLocaleString()} in ${(result.elapsedMs / 1000).toFixed(1)} s)`,
    );
    log(`latency ms: p50 ${pct(50)}  p95 ${pct(95)}  p99 ${pct(99)}  max ${sorted.at(-1)!.toFixed(1)}`);
    log(`non-200 answers: ${JSON.stringify(result.failures)}`);
    // Where the time goes on a 2-core machine: the server's event loop and PostgreSQL's backends.
    log(
      `server event loop busy ${(elu.utilization * 100).toFixed(0)}% (${(elu.active / completions).toFixed(2)} ms per completion); ` +
        `PostgreSQL backends ${(pgCpuMs / completions).toFixed(2)} ms CPU per completion`,
    );

    const customers = await countCustomers(ctx.db, brand.id);
    const expectedCustomers = returningCount + result.newEmails;
    log(
      `customers: ${customers.toLocaleString()} (expected ${expectedCustomers.toLocaleString()}: ${returningCount} returning + ${result.newEmails} new)`,
    );
    const report = await reconcileBrand(ctx, brand.id, { fix: false, actor: { type: 'system', id: 'bench' } });
    log(`reconcile: ${report.customers_checked.toLocaleString()} customers checked, ${report.drift.length} drifted`);
  } finally {
    await paydesk.close();
  }
}

function rate(result: { elapsedMs: number; latencies: number[] }): string {
  return Math.round(result.latencies.length / (result.elapsedMs / 1000)).toLocaleString();
}

interface LoadResult {
  elapsedMs: number;
  latencies: number[];
  failures: Record<string, number>;
  newEmails: number;
}

/** Runs the load generator in a worker thread; `allReturning` makes every email one of the pool. */
function load(
  port: number,
  tokens: string[],
  emails: string[],
  clients: number,
  runTag: string,
  allReturning: boolean,
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./checkout-load.mjs', import.meta.url), {
      workerData: allReturning
        ? { port, tokens, returningEmails: emails, clients, runTag, everyEmail: true }
        : { port, tokens, returningEmails: emails, clients, runTag },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** Open checkout sessions written in bulk (setup, not measured), with their public paths. */
export async function createSessions(
  db: Parameters<typeof reconcileBrand>[0]['db'],
  merchantId: string,
  count: number,
): Promise<string[]> {
  const tokens: string[] = [];
  const now = new Date();
  const expires = new Date(now.getTime() + 24 * 3600_000);
  for (let start = 0; start < count; start += 1000) {
    const sessions = Array.from({ length: Math.min(1000, count - start) }, () => {
      const token = newPublicToken();
      tokens.push(token);
      return {
        merchant_id: merchantId,
        id: newId('cs'),
        token,
        amount_minor: 150000,
        currency: 'BDT',
        description: 'Bench order',
        status: 'open' as const,
        pending_transaction_id: null,
        expires_at: expires,
        transaction_id: null,
        customer_id: null,
        created_at: now,
        completed_at: null,
      };
    });
    await db.insertInto('checkout_sessions').values(sessions).execute();
    await db
      .insertInto('public_paths')
      .values(
        sessions.map((s) => ({ kind: 'checkout' as const, key: s.token, merchant_id: merchantId, target_id: s.id })),
      )
      .execute();
  }
  return tokens;
}

/** CPU time (user + system) of this database's PostgreSQL backends, read from /proc (same machine). */
async function postgresCpuMs(db: Parameters<typeof reconcileBrand>[0]['db']): Promise<number> {
  const { rows } = await sql<{
    pid: number;
  }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(db);
  return rows.reduce((total, { pid }) => total + processCpuMs(pid), 0);
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
