import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { parseConfig } from '../src/config.js';
import { createPaydesk, type Paydesk } from '../src/app.js';
import { openDatabase } from '../src/db/database.js';
import { newId } from '../src/ids.js';
import type { Principal } from '../src/modules/access/principal.js';
import { createBrand } from '../src/modules/brands/brand.service.js';
import { exportCustomers } from '../src/modules/customers/customer.export.js';
import { insertCustomers } from '../src/modules/customers/customer.repository.js';
import { sealContact } from '../src/modules/customers/customer.seal.js';
import { prng, syntheticCustomer } from './dataset.js';
import { ensureDatabase } from './postgres.js';

const BENCH_MASTER_KEY = Buffer.alloc(32, 42).toString('base64');
const DATASET_VERSION = 1;
// Rows per INSERT: PGlite's protocol parser fails on a statement of 2,000 rows × 16 parameters.
const LOAD_BATCH = 1000;

/**
 * npm run bench -- export [--customers 1000000] [--pglite-customers 100000] [--reload]
 *
 * Streams the customers CSV (the service behind GET /api/v1/customers/export: keyset batches,
 * decryption, masking rules, csv-stringify) of one brand into a sink that only counts bytes, and
 * reports rows/s and the process's peak RSS, on PostgreSQL (BENCH_EXPORT_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/paydesk_bench_export; the dataset is kept for later runs) and
 * on an in-memory PGlite beside it.
 */
export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string', default: '1000000' },
      'pglite-customers': { type: 'string', default: '100000' },
      reload: { type: 'boolean', default: false },
    },
  });
  const url = process.env.BENCH_EXPORT_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/paydesk_bench_export';
  await ensureDatabase(url);
  const results: string[][] = [];

  const onPostgres = await open(url);
  try {
    const brand = await ensurePostgresDataset(onPostgres, url, Number(values.customers), values.reload ?? false);
    for (const role of ['owner', 'support'] as const) {
      results.push(['PostgreSQL 15', role, ...(await measureExport(onPostgres, brand, role))]);
    }
  } finally {
    await onPostgres.close();
  }

  const pgliteSize = Number(values['pglite-customers']);
  if (pgliteSize > 0) {
    const onPglite = await open(undefined);
    try {
      log(`loading ${pgliteSize.toLocaleString()} customers into an in-memory PGlite…`);
      const brand = await loadBrand(onPglite, pgliteSize);
      results.push(['PGlite (in memory)', 'owner', ...(await measureExport(onPglite, brand, 'owner'))]);
    } finally {
      await onPglite.close();
    }
  }

  log(
    [
      '',
      '| database | role | rows | seconds | rows/s | MB of CSV | peak RSS MB | Node CPU µs/row |',
      '|---|---|---|---|---|---|---|---|',
      ...results.map((r) => `| ${r.join(' | ')} |`),
      '',
    ].join('\n'),
  );
}

async function open(url: string | undefined): Promise<Paydesk> {
  const database = await openDatabase({ url, poolSize: 4 });
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

/** One brand of `size` customers, loaded once and reused while its size and version match. */
async function ensurePostgresDataset(paydesk: Paydesk, url: string, size: number, reload: boolean): Promise<string> {
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  try {
    await raw.query('CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb NOT NULL)');
    const found = await raw.query<{ value: { version: number; customers: number; brand: string } }>(
      "SELECT value FROM bench_meta WHERE key = 'export'",
    );
    const current = found.rows[0]?.value;
    if (!reload && current?.version === DATASET_VERSION && current.customers === size) {
      const { rows } = await raw.query<{ n: string }>('SELECT count(*) AS n FROM customers WHERE merchant_id = $1', [
        current.brand,
      ]);
      if (Number(rows[0]?.n) === size) {
        log(
          `reusing the loaded dataset (${size.toLocaleString()} customers, brand ${current.brand}); --reload to rebuild`,
        );
        return current.brand;
      }
    }
    log(`loading ${size.toLocaleString()} customers into PostgreSQL (once; later runs reuse them)…`);
    await raw.query('TRUNCATE customers CASCADE');
    const brand = await loadBrand(paydesk, size);
    // What a user meets right after a bulk load on this machine (autovacuum off) is no statistics;
    // the export's keyset walk must not need them, so none are gathered here.
    await raw.query(
      `INSERT INTO bench_meta (key, value) VALUES ('export', $1)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [JSON.stringify({ version: DATASET_VERSION, customers: size, brand })],
    );
    return brand;
  } finally {
    await raw.end();
  }
}

async function loadBrand(paydesk: Paydesk, size: number): Promise<string> {
  const { ctx } = paydesk;
  const brand = await createBrand(ctx, { name: 'Export bench', country: 'BD', baseCurrency: 'BDT' });
  const keys = await ctx.keyring.forBrand(ctx.db, brand.id);
  const random = prng(7);
  const start = Date.now() - 2 * 365 * 24 * 3600 * 1000;
  const step = (2 * 365 * 24 * 3600 * 1000) / size;
  const started = performance.now();
  for (let offset = 0; offset < size; offset += LOAD_BATCH) {
    const rows = [];
    for (let serial = offset; serial < Math.min(size, offset + LOAD_BATCH); serial++) {
      const id = newId('cus');
      const createdAt = new Date(start + serial * step);
      rows.push({
        merchant_id: brand.id,
        id,
        ...sealContact(keys, brand.id, id, syntheticCustomer(random, serial)),
        metadata: '{}',
        source: 'import' as const,
        transactions_count: serial % 7,
        total_spent_minor: (serial % 7) * 125_000,
        created_at: createdAt,
        updated_at: createdAt,
      });
    }
    await insertCustomers(ctx.db, rows);
    if (offset % 100_000 === 0 && offset > 0) log(`  ${offset.toLocaleString()} rows…`);
  }
  log(`  loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return brand.id;
}

/** rows, seconds, rows/s, MB written, peak RSS MB. */
async function measureExport(paydesk: Paydesk, merchantId: string, role: 'owner' | 'support'): Promise<string[]> {
  const principal: Principal = { merchantId, role, actor: { type: 'system', id: 'bench' } };
  let bytes = 0;
  let lines = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      done();
    },
  });
  global.gc?.();
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  try {
    const { csv } = await exportCustomers(paydesk.ctx, principal, {});
    await pipeline(csv, sink);
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const rows = lines - 1; // the header; the synthetic data has no line breaks inside fields
  log(`  ${role}: ${rows.toLocaleString()} rows in ${seconds.toFixed(1)} s`);
  return [
    rows.toLocaleString('en-US'),
    seconds.toFixed(1),
    Math.round(rows / seconds).toLocaleString('en-US'),
    (bytes / 1e6).toFixed(0),
    (peakRss / 1e6).toFixed(0),
    ((cpu.user + cpu.system) / rows).toFixed(1),
  ];
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
