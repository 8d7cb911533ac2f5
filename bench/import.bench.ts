import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { stringify } from 'csv-stringify/sync';
import pg from 'pg';
import { parseConfig } from '../src/config.js';
import { createPaydesk, type Paydesk } from '../src/app.js';
import { openDatabase } from '../src/db/database.js';
import type { Principal } from '../src/modules/access/principal.js';
import { createBrand } from '../src/modules/brands/brand.service.js';
import { prepareImport, type ImportMode } from '../src/modules/customer-imports/index.js';
import { prng, syntheticCustomer } from './dataset.js';
import { ensureDatabase } from './postgres.js';

const BENCH_MASTER_KEY = Buffer.alloc(32, 42).toString('base64');

/**
 * npm run bench -- import [--rows 100000] [--pglite-rows 100000] [--mode skip_invalid|all_or_nothing]
 *
 * Writes a CSV of synthetic customers (name, email, phone, a metadata column; every 1,000th row
 * invalid) to a temporary file and imports it into a new brand through the service the CLI and the
 * upload both run (prepareImport: the checking read, then batches of 1,000 sealed, matched against
 * the brand's email index and inserted with their timeline events). Not over HTTP: the upload only
 * adds reading the body into memory. PostgreSQL: BENCH_IMPORT_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/paydesk_bench_import, emptied first); then an in-memory PGlite.
 * Reports customers/s and this process's peak RSS (the process that would be the server).
 */
export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string', default: '100000' },
      'pglite-rows': { type: 'string', default: '100000' },
      mode: { type: 'string', default: 'skip_invalid' },
    },
  });
  const mode = values.mode as ImportMode;
  const url = process.env.BENCH_IMPORT_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/paydesk_bench_import';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-bench-import-'));
  const results: string[][] = [];
  try {
    const rows = Number(values.rows);
    const file = writeCsv(dir, rows);
    await ensureDatabase(url);
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    const onPostgres = await open(url);
    try {
      await raw.query('TRUNCATE customers, customer_events, customer_imports CASCADE');
      results.push(['PostgreSQL 15', mode, ...(await measureImport(onPostgres, file, rows, mode))]);
    } finally {
      await onPostgres.close();
      await raw.end();
    }

    const pgliteRows = Number(values['pglite-rows']);
    if (pgliteRows > 0) {
      const pgliteFile = pgliteRows === rows ? file : writeCsv(dir, pgliteRows);
      const onPglite = await open(undefined);
      try {
        results.push(['PGlite (in memory)', mode, ...(await measureImport(onPglite, pgliteFile, pgliteRows, mode))]);
      } finally {
        await onPglite.close();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  log(
    [
      '',
      '| database | mode | rows | imported | failed | check read s | import s | customers/s | peak RSS MB (before the import) | Node CPU µs/row |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...results.map((r) => `| ${r.join(' | ')} |`),
      '',
    ].join('\n'),
  );
}

/** `rows` customers; every 1,000th has a bad email, so the report has something to say. */
function writeCsv(dir: string, rows: number): string {
  const file = path.join(dir, `customers-${rows}.csv`);
  const out = fs.openSync(file, 'w');
  const random = prng(13);
  fs.writeSync(out, 'name,email,phone,metadata.crm_id\n');
  for (let offset = 0; offset < rows; offset += 10_000) {
    const records: string[][] = [];
    for (let serial = offset; serial < Math.min(rows, offset + 10_000); serial++) {
      const c = syntheticCustomer(random, serial);
      records.push([c.name, serial % 1000 === 999 ? 'not-an-email' : c.email, c.phone ?? '', `CRM-${serial}`]);
    }
    fs.writeSync(out, stringify(records));
  }
  fs.closeSync(out);
  log(`wrote ${rows.toLocaleString()} rows (${(fs.statSync(file).size / 1e6).toFixed(1)} MB) to ${file}`);
  return file;
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

/** rows, imported, failed, seconds of the checking read, seconds of the import, customers/s, peak RSS MB, CPU µs/row. */
async function measureImport(paydesk: Paydesk, file: string, rows: number, mode: ImportMode): Promise<string[]> {
  const { ctx } = paydesk;
  const brand = await createBrand(ctx, { name: 'Import bench', country: 'BD', baseCurrency: 'BDT' });
  const principal: Principal = { merchantId: brand.id, role: 'owner', actor: { type: 'system', id: 'bench' } };
  global.gc?.();
  const baseRss = process.memoryUsage.rss();
  let peakRss = baseRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let checked = 0;
  let lastLog = 0;
  try {
    const prepared = await prepareImport(
      ctx,
      principal,
      () => fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
      {
        mode,
      },
    );
    checked = performance.now();
    const job = await prepared.run({
      onProgress: (t) => {
        if (t.rows_done - lastLog >= 20_000) {
          lastLog = t.rows_done;
          const seconds = (performance.now() - checked) / 1000;
          log(`  ${t.rows_done.toLocaleString()} rows, ${Math.round(t.rows_done / seconds).toLocaleString()}/s`);
        }
      },
    });
    if (job.status !== 'succeeded') throw new Error(`import ${job.status}: ${job.error}`);
    const ended = performance.now();
    const cpu = process.cpuUsage(cpuBefore);
    const total = (ended - started) / 1000;
    return [
      rows.toLocaleString('en-US'),
      job.imported.toLocaleString('en-US'),
      job.failed.toLocaleString('en-US'),
      ((checked - started) / 1000).toFixed(1),
      ((ended - checked) / 1000).toFixed(1),
      Math.round(job.imported / total).toLocaleString('en-US'),
      `${(peakRss / 1e6).toFixed(0)} (${(baseRss / 1e6).toFixed(0)} before)`,
      ((cpu.user + cpu.system) / rows).toFixed(1),
    ];
  } finally {
    clearInterval(sampler);
  }
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
