import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'csv-stringify/sync';
import { startServerProcess, type ServerProcess } from '../test/reliability/server-process.js';
import { prng, syntheticCustomer } from './dataset.js';
import { recreateDatabase } from './postgres.js';
import { rssMb } from './scale/load.js';
import pg from 'pg';
import { countCpu, processCpuMs } from './proc-cpu.js';

const BENCH_MASTER_KEY = Buffer.alloc(32, 42).toString('base64');

/**
 * npm run bench -- import [--rows 100000] [--pglite-rows 100000] [--mode skip_invalid|all_or_nothing]
 *
 * Writes a CSV of synthetic customers (name, email, phone, a metadata column; every 1,000th row
 * invalid) to a temporary file and imports it as a user does: the compiled server (`npm start`'s
 * build) started on an empty database, the file uploaded to POST /api/v1/customer-imports, the job
 * polled until it ends. The import runs in the server: the checking read, then batches of 1,000
 * sealed (in its worker threads), matched against the brand's email index and inserted with their
 * timeline events. PostgreSQL: BENCH_IMPORT_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/paydesk_bench_import, dropped and created again); then PGlite
 * in a temporary data directory. Reports customers/s from the upload to the job's end, and the
 * server's RSS (all its threads) and CPU.
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
  const mode = values.mode!;
  const url = process.env.BENCH_IMPORT_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/paydesk_bench_import';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-bench-import-'));
  const results: string[][] = [];
  try {
    const rows = Number(values.rows);
    const file = writeCsv(dir, rows);
    await recreateDatabase(url);
    results.push(['PostgreSQL 15', mode, ...(await measureImport({ DATABASE_URL: url }, file, rows, mode))]);

    const pgliteRows = Number(values['pglite-rows']);
    if (pgliteRows > 0) {
      const pgliteFile = pgliteRows === rows ? file : writeCsv(dir, pgliteRows);
      const dataDir = path.join(dir, 'pglite');
      results.push([
        'PGlite',
        mode,
        ...(await measureImport({ PAYDESK_DATA_DIR: dataDir }, pgliteFile, pgliteRows, mode)),
      ]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  log(
    [
      '',
      '| database | mode | rows | imported | failed | import s | customers/s | server RSS MB: idle / peak | server CPU µs/row (all threads) | PostgreSQL CPU µs/row | machine busy |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
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

interface ImportJob {
  id: string;
  status: string;
  error: string | null;
  rows_done: number;
  imported: number;
  failed: number;
}

/** rows, imported, failed, seconds, customers/s, RSS idle / peak, server and PostgreSQL CPU µs/row, machine busy. */
async function measureImport(
  database: Record<string, string>,
  file: string,
  rows: number,
  mode: string,
): Promise<string[]> {
  const token = `pdk_import_bench_${randomBytes(12).toString('base64url')}`;
  // A first start on an empty database: one brand, owned by this key, no demo data.
  const server = await startServerProcess(
    {
      ...database,
      PAYDESK_MASTER_KEY: BENCH_MASTER_KEY,
      PAYDESK_API_KEY: token,
      PAYDESK_DEMO: '0',
      PAYDESK_RATE_LIMIT_PER_KEY: '0',
      PAYDESK_RATE_LIMIT_PER_IP: '0',
    },
    undefined,
    'compiled',
  );
  const pid = server.child.pid!;
  try {
    await sleep(1000);
    const idleRss = rssMb(pid);
    let peakRss = idleRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 50);
    const cpuBefore = processCpuMs(pid);
    // On PostgreSQL, its CPU too: the import's limit is the two together on the same cores.
    const postgres = database.DATABASE_URL
      ? new pg.Pool({ connectionString: database.DATABASE_URL, max: 1 })
      : undefined;
    const counting = postgres ? await countCpu(pid, postgres) : undefined;
    const started = performance.now();
    let job: ImportJob;
    try {
      job = await upload(server, token, file, mode);
      let lastLog = 0;
      while (job.status === 'running') {
        await sleep(100);
        job = await get<ImportJob>(server, token, `/api/v1/customer-imports/${job.id}`);
        if (job.rows_done - lastLog >= 20_000) {
          lastLog = job.rows_done;
          const seconds = (performance.now() - started) / 1000;
          log(`  ${job.rows_done.toLocaleString()} rows, ${Math.round(job.rows_done / seconds).toLocaleString()}/s`);
        }
      }
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = processCpuMs(pid) - cpuBefore;
    const spent = await counting?.stop();
    await postgres?.end();
    if (job.status !== 'succeeded') throw new Error(`import ${job.status}: ${job.error}\n${server.output()}`);
    return [
      rows.toLocaleString('en-US'),
      job.imported.toLocaleString('en-US'),
      job.failed.toLocaleString('en-US'),
      seconds.toFixed(1),
      Math.round(job.imported / seconds).toLocaleString('en-US'),
      `${idleRss.toFixed(0)} / ${Math.max(peakRss, rssMb(pid)).toFixed(0)}`,
      ((cpu * 1000) / rows).toFixed(1),
      spent ? ((spent.postgresMs * 1000) / rows).toFixed(1) : '—',
      spent ? `${Math.round(spent.machineBusy * 100)} %` : '—',
    ];
  } finally {
    await server.stop('SIGTERM');
  }
}

async function upload(server: ServerProcess, token: string, file: string, mode: string): Promise<ImportJob> {
  const response = await fetch(`${server.url}/api/v1/customer-imports?mode=${mode}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: fs.readFileSync(file),
  });
  if (response.status !== 202) throw new Error(`upload: ${response.status} ${await response.text()}`);
  return (await response.json()) as ImportJob;
}

async function get<T>(server: ServerProcess, token: string, pathname: string): Promise<T> {
  const response = await fetch(`${server.url}${pathname}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET ${pathname}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
