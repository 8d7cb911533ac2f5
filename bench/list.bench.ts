import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { CompiledQuery } from 'kysely';
import { parseConfig } from '../src/config.js';
import { createPaydesk, type Paydesk } from '../src/app.js';
import { openDatabase } from '../src/db/database.js';
import { newId } from '../src/ids.js';
import type { Principal } from '../src/modules/access/principal.js';
import { createBrand } from '../src/modules/brands/brand.service.js';
import { countCustomerList } from '../src/modules/customers/customer.count.js';
import { listCustomers } from '../src/modules/customers/customer.list.js';
import { encodeListCursor } from '../src/modules/customers/customer.list-cursor.js';
import { parseCustomerListParams } from '../src/modules/customers/customer.list-params.js';
import { inWalkPlan } from '../src/db/walk-plan.js';
import { findWalkEnd } from '../src/modules/customers/customer-list.repository.js';
import { customerStats } from '../src/modules/customers/customer.queries.js';
import { insertCustomers } from '../src/modules/customers/customer.repository.js';
import { CUSTOMER_SORTS, type CustomerListQuery } from '../src/modules/customers/customer.schemas.js';
import { sealContact } from '../src/modules/customers/customer.seal.js';
import type { NewCustomerRow } from '../src/modules/customers/customer.table.js';
import { pickSource, prng, syntheticCustomer } from './dataset.js';
import { ensureDatabase } from './postgres.js';

const BENCH_MASTER_KEY = Buffer.alloc(32, 42).toString('base64');
const DATASET_VERSION = 1;
const LOAD_BATCH = 1000;
const PAGE = 20;
const DAY = 24 * 3600 * 1000;

/**
 * npm run bench -- list [--customers 1000000] [--others 100000] [--repeats 30] [--deep-pages 50]
 *   [--pglite-customers 0] [--reload]
 *
 * The customers list at the service level (listCustomers, countCustomerList, customerStats: what
 * GET /api/v1/customers, /customers/count and /customers/stats call, without HTTP): each sort's
 * page 1, the page after following `deep-pages` cursors, and a page in the middle of the brand
 * (a cursor seeking to row N/2), unfiltered and with a source filter; searches in two sorts, with
 * and without a filter; the filtered count and the KPI. p50/p95 over `repeats` calls each.
 * PostgreSQL: BENCH_LIST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/paydesk_bench_list;
 * the dataset is loaded once (bulk INSERTs: the triggers fill customer_ranks and customer_counts)
 * and NOT analyzed, as after a bulk load on a machine without autovacuum. The plans of page 1 of
 * every sort are written to $TMPDIR/paydesk-list-plan.txt (a run's evidence, not a tracked file).
 */
export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string', default: '1000000' },
      others: { type: 'string', default: '100000' },
      repeats: { type: 'string', default: '30' },
      'deep-pages': { type: 'string', default: '50' },
      'pglite-customers': { type: 'string', default: '0' },
      reload: { type: 'boolean', default: false },
    },
  });
  const options = { repeats: Number(values.repeats), deepPages: Number(values['deep-pages']) };
  const size = Number(values.customers);
  if (size > 0) {
    const url = process.env.BENCH_LIST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/paydesk_bench_list';
    await ensureDatabase(url);
    const captured: CompiledQuery[] = [];
    const paydesk = await open(url, (q) => captured.push(q));
    try {
      const dataset = await ensurePostgresDataset(paydesk, url, size, Number(values.others), values.reload ?? false);
      log(`\nPostgreSQL, ${size.toLocaleString()} customers in the brand, statistics never gathered`);
      await measureAll(paydesk, dataset, options);
      await writePlans(paydesk, url, dataset, captured);
    } finally {
      await paydesk.close();
    }
  }
  const pgliteSize = Number(values['pglite-customers']);
  if (pgliteSize > 0) {
    const paydesk = await open(undefined);
    try {
      log(`\nPGlite (in memory), ${pgliteSize.toLocaleString()} customers`);
      await measureAll(paydesk, await loadBrand(paydesk, pgliteSize, 11), options);
    } finally {
      await paydesk.close();
    }
  }
}

interface Dataset {
  version: number;
  customers: number;
  others: number;
  brand: string;
  /** Search terms taken from real rows: a first name (common), an email piece (rare). */
  common: string;
  rare: string;
}

async function open(url: string | undefined, onQuery?: (q: CompiledQuery) => void): Promise<Paydesk> {
  const database = await openDatabase({ url, poolSize: 4, ...(onQuery ? { onQuery } : {}) });
  return createPaydesk(
    parseConfig({
      ...(url ? { DATABASE_URL: url } : {}),
      PAYDESK_MASTER_KEY: BENCH_MASTER_KEY,
      PAYDESK_DEMO: '0',
      LOG_LEVEL: 'warn',
    }),
    { database },
  );
}

async function ensurePostgresDataset(
  paydesk: Paydesk,
  url: string,
  size: number,
  others: number,
  reload: boolean,
): Promise<Dataset> {
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  try {
    await raw.query('CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb NOT NULL)');
    const found = await raw.query<{ value: Dataset }>("SELECT value FROM bench_meta WHERE key = 'list'");
    const current = found.rows[0]?.value;
    if (!reload && current?.version === DATASET_VERSION && current.customers === size && current.others === others) {
      log(`reusing the loaded dataset (brand ${current.brand}); --reload to rebuild`);
      return current;
    }
    log(`loading ${size.toLocaleString()} + ${others.toLocaleString()} customers (once; later runs reuse them)…`);
    // TRUNCATE fires no row or statement DELETE triggers: the maintained counts go with it.
    await raw.query('TRUNCATE customers, customer_counts CASCADE');
    const dataset = await loadBrand(paydesk, size, 7);
    if (others > 0) await loadBrand(paydesk, others, 8);
    await raw.query(
      `INSERT INTO bench_meta (key, value) VALUES ('list', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [JSON.stringify({ ...dataset, others })],
    );
    return { ...dataset, others };
  } finally {
    await raw.end();
  }
}

/**
 * One brand: creation times over two years (millisecond precision, as the app writes them); 60%
 * never paid (0 spent); the rest a long tail of spenders (a Pareto-like total, 1 to 60 payments,
 * the last one between creation and now); one in 10,000 suspended.
 */
async function loadBrand(paydesk: Paydesk, size: number, seed: number): Promise<Dataset> {
  const { ctx } = paydesk;
  const brand = await createBrand(ctx, { name: `List bench ${seed}`, country: 'BD', baseCurrency: 'BDT' });
  const keys = await ctx.keyring.forBrand(ctx.db, brand.id);
  const random = prng(seed);
  const now = Date.now();
  const start = now - 730 * DAY;
  const step = (730 * DAY) / size;
  const samples: { common: string; rare: string } = { common: 'rahim', rare: 'rahim' };
  const started = performance.now();
  for (let offset = 0; offset < size; offset += LOAD_BATCH) {
    const rows: NewCustomerRow[] = [];
    for (let serial = offset; serial < Math.min(size, offset + LOAD_BATCH); serial++) {
      const id = newId('cus');
      const contact = syntheticCustomer(random, serial);
      if (serial === Math.floor(size / 3)) {
        samples.common = contact.name.split(' ')[0]!.toLowerCase();
        samples.rare = contact.email.split('@')[0]!.slice(-8);
      }
      const createdAt = new Date(Math.floor(start + serial * step));
      const paid = random() < 0.4;
      const count = paid ? 1 + Math.floor(60 * random() ** 4) : 0;
      const total = paid ? Math.round(500 / Math.max(0.01, random()) ** 0.8) * 100 : 0;
      const lastPayment = paid
        ? new Date(Math.floor(createdAt.getTime() + random() * (now - createdAt.getTime())))
        : null;
      const suspended = random() < 0.0001;
      rows.push({
        merchant_id: brand.id,
        id,
        ...sealContact(keys, brand.id, id, contact),
        metadata: '{}',
        source: pickSource(random()),
        transactions_count: count,
        total_spent_minor: total,
        last_payment_at: lastPayment,
        suspended_at: suspended ? createdAt : null,
        suspension_reason: suspended ? 'fraudulent' : null,
        created_at: createdAt,
        updated_at: createdAt,
      });
    }
    await insertCustomers(ctx.db, rows);
    if (offset % 100_000 === 0 && offset > 0) log(`  ${offset.toLocaleString()} rows…`);
  }
  log(`  ${size.toLocaleString()} loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return { version: DATASET_VERSION, customers: size, others: 0, brand: brand.id, ...samples };
}

async function measureAll(
  paydesk: Paydesk,
  dataset: Dataset,
  options: { repeats: number; deepPages: number },
): Promise<void> {
  const { ctx } = paydesk;
  const principal: Principal = { merchantId: dataset.brand, role: 'owner', actor: { type: 'system', id: 'bench' } };
  const list = (query: Omit<CustomerListQuery, 'limit'>) => listCustomers(ctx, principal, { limit: PAGE, ...query });
  const rows: string[][] = [];
  const time = async (name: string, call: () => Promise<number | null>) => {
    await call(); // warm: keys cached, plan pages read
    const times: number[] = [];
    let last: number | null = 0;
    for (let i = 0; i < options.repeats; i++) {
      const t0 = performance.now();
      last = await call();
      times.push(performance.now() - t0);
    }
    rows.push([name, ...percentiles(times), last === null ? 'null' : String(last)]);
  };
  /** The cursor after following `pages` pages (a staff member paging on). */
  const deepCursor = async (query: Omit<CustomerListQuery, 'limit'>) => {
    let cursor: string | undefined;
    for (let i = 0; i < options.deepPages; i++) cursor = (await list({ ...query, cursor })).next_cursor ?? undefined;
    return cursor;
  };
  const sized = (query: Omit<CustomerListQuery, 'limit'>) => async () => (await list(query)).data.length;

  for (const sort of CUSTOMER_SORTS) {
    await time(`sort=${sort} page 1`, sized({ sort }));
    await time(`sort=${sort} after ${options.deepPages} pages`, sized({ sort, cursor: await deepCursor({ sort }) }));
    const parsed = parseCustomerListParams({ sort });
    const scope = { merchantId: dataset.brand, sort: parsed.sort, filter: {} };
    const half = { walk: Math.floor(dataset.customers / 2) };
    const middle = await inWalkPlan(ctx.db, (trx) => findWalkEnd(trx, scope, half));
    const cursor = middle ? encodeListCursor(parsed.sort, middle) : undefined;
    await time(`sort=${sort} middle of the brand`, sized({ sort, cursor }));
    const filtered = { sort, source: 'payment_link' };
    await time(`sort=${sort}&source=payment_link page 1`, sized(filtered));
    await time(
      `sort=${sort}&source=payment_link after ${options.deepPages} pages`,
      sized({ ...filtered, cursor: await deepCursor(filtered) }),
    );
  }
  for (const sort of ['-created_at', '-total_spent', 'last_payment_at'] as const) {
    await time(`q=${dataset.common} sort=${sort}`, sized({ sort, q: dataset.common }));
    await time(`q=${dataset.rare} sort=${sort}`, sized({ sort, q: dataset.rare }));
    await time(
      `q=${dataset.common}&source=checkout sort=${sort}`,
      sized({ sort, q: dataset.common, source: 'checkout' }),
    );
  }
  await time('sort=-total_spent&status=suspended', sized({ sort: '-total_spent', status: 'suspended' }));
  await time(
    'sort=-created_at&created_gte=30 days ago&has_payments=true',
    sized({
      created_gte: new Date(Date.now() - 30 * DAY).toISOString(),
      has_payments: true,
    }),
  );
  const count = (params: Parameters<typeof countCustomerList>[2]) => async () =>
    (await countCustomerList(ctx, principal, params)).count;
  await time('count (no filter: the maintained counter)', count({}));
  await time('count status=suspended', count({ status: 'suspended' }));
  await time('count source=payment_link', count({ source: 'payment_link' }));
  await time(`count q=${dataset.rare}`, count({ q: dataset.rare }));
  await time('KPI (GET /customers/stats)', async () => (await customerStats(ctx, principal)).total_customers);

  log(
    [
      '',
      `| case (page size ${PAGE}, ${options.repeats} calls) | p50 ms | p95 ms | max ms | rows (or count) |`,
      '|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
      '',
    ].join('\n'),
  );
}

/** EXPLAIN ANALYZE of the statements behind page 1 of each sort, kept in bench/ for review. */
async function writePlans(paydesk: Paydesk, url: string, dataset: Dataset, captured: CompiledQuery[]): Promise<void> {
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  const principal: Principal = { merchantId: dataset.brand, role: 'owner', actor: { type: 'system', id: 'bench' } };
  const plans: string[] = [];
  try {
    const cases: Array<Omit<CustomerListQuery, 'limit'>> = [
      ...CUSTOMER_SORTS.map((sort) => ({ sort })),
      ...CUSTOMER_SORTS.map((sort) => ({ sort, source: 'payment_link' })),
      { q: dataset.common },
      { q: dataset.rare, sort: '-total_spent' },
      { status: 'suspended', sort: '-total_spent' },
    ];
    for (const query of cases) {
      captured.length = 0;
      await listCustomers(paydesk.ctx, principal, { limit: PAGE, ...query });
      // Each statement is explained under the planner settings its transaction ran it with.
      let settings: string | undefined;
      for (const statement of captured) {
        if (/^select set_config/i.test(statement.sql)) settings = statement.sql;
        else if (/^(commit|rollback)/i.test(statement.sql)) settings = undefined;
        if (!/from "?customers/i.test(statement.sql) || /^select set_config/i.test(statement.sql)) continue;
        await raw.query('BEGIN');
        if (settings) await raw.query(settings);
        const { rows } = await raw.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, [...statement.parameters]);
        await raw.query('ROLLBACK');
        const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
        plans.push(`-- ${JSON.stringify(query)}${settings ? ' (walk plan)' : ''}\n${statement.sql}\n\n${plan}\n`);
      }
    }
  } finally {
    await raw.end();
  }
  const planFile = path.join(os.tmpdir(), 'paydesk-list-plan.txt');
  fs.writeFileSync(planFile, plans.join('\n'));
  log(`plans of the list queries written to ${planFile}`);
}

function percentiles(times: number[]): string[] {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
  return [fmt(at(50)), fmt(at(95)), fmt(sorted.at(-1) ?? NaN)];
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
