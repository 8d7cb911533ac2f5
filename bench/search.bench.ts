import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { CompiledQuery } from 'kysely';
import { parseConfig } from '../src/config.js';
import { createPaydesk } from '../src/app.js';
import { openDatabase } from '../src/db/database.js';
import { newId } from '../src/ids.js';
import type { Principal } from '../src/modules/access/principal.js';
import { createBrand } from '../src/modules/brands/brand.service.js';
import { insertCustomers, listCustomersPage } from '../src/modules/customers/customer.repository.js';
import { sealContact } from '../src/modules/customers/customer.seal.js';
import { listCustomers } from '../src/modules/customers/customer.list.js';
import {
  foldText,
  matchesQuery,
  parseSearchQuery,
  searchForms,
} from '../src/modules/customers/customer.search-text.js';
import { decryptContact } from '../src/modules/customers/customer.view.js';
import { prng, syntheticCustomer } from './dataset.js';
import { ensureDatabase } from './postgres.js';

const BENCH_MASTER_KEY = Buffer.alloc(32, 42).toString('base64');
const DATASET_VERSION = 3; // bump when token derivation changes
const PAGE = 20;

interface Dataset {
  version: number;
  customers: number;
  others: number[];
  mainBrand: string;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string', default: '1000000' },
      others: { type: 'string', default: '200000,100000' },
      queries: { type: 'string', default: '200' },
      'naive-queries': { type: 'string', default: '5' },
      reload: { type: 'boolean', default: false },
    },
  });
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/paydesk_bench';
  await ensureDatabase(url);
  const want = {
    customers: Number(values.customers),
    others: String(values.others).split(',').filter(Boolean).map(Number),
  };

  let captured: CompiledQuery[] = [];
  const database = await openDatabase({ url, poolSize: 4, onQuery: (q) => captured.push(q) });
  const paydesk = await createPaydesk(
    parseConfig({ DATABASE_URL: url, PAYDESK_MASTER_KEY: BENCH_MASTER_KEY, PAYDESK_DEMO: '0', LOG_LEVEL: 'warn' }),
    { database },
  );
  const raw = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const { ctx } = paydesk;
    const dataset = await ensureDataset(ctx, raw, want, values.reload ?? false);
    const principal: Principal = {
      merchantId: dataset.mainBrand,
      role: 'owner',
      actor: { type: 'system', id: 'bench' },
    };
    const queries = await sampleQueries(raw, dataset.mainBrand, Number(values.queries));

    log(
      `\nsearch over ${dataset.customers.toLocaleString()} customers in one brand (+ ${dataset.others.map((n) => n.toLocaleString()).join(' + ')} in other brands), page size ${PAGE}`,
    );
    for (const q of queries.name.slice(0, 20)) await listCustomers(ctx, principal, { q, limit: PAGE }); // warm-up

    const rows: string[][] = [];
    for (const [kind, list] of Object.entries(queries)) {
      const encrypted = await measure(list, (q) =>
        listCustomers(ctx, principal, { q, limit: PAGE }).then((r) => r.data.length),
      );
      const plain = await measure(list, (q) => plainTrigramSearch(raw, dataset.mainBrand, q));
      const naiveList = list.slice(0, Number(values['naive-queries']));
      const naive = await measure(naiveList, (q) => decryptAndFilter(ctx, dataset.mainBrand, q));
      rows.push(
        [kind, 'encrypted tokens (Paydesk)', ...stats(encrypted)],
        [kind, 'plaintext ILIKE + pg_trgm', ...stats(plain)],
        [kind, `decrypt everything and filter (${naiveList.length} queries)`, ...stats(naive)],
      );
      log(`  ${kind}: done`);
    }
    const table = [
      '| queries | method | n | p50 ms | p95 ms | p99 ms | mean results |',
      '|---|---|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
    log(`\n${table}\n`);

    // The plans of both candidate queries (window walk, GIN index), kept in bench/ so a plan
    // change shows in review.
    const plans: string[] = [];
    for (const q of [queries.name[0] ?? 'rah', queries.phone[0] ?? '17123']) {
      captured = [];
      await listCustomers(ctx, principal, { q, limit: PAGE });
      for (const query of captured.filter((c) => c.sql.includes('search_tokens'))) {
        plans.push(`-- q=${q}\n${await explain(raw, query)}\n`);
      }
    }
    fs.writeFileSync(new URL('./search-plan.txt', import.meta.url), plans.join('\n'));
    log('plans of the search queries written to bench/search-plan.txt');
  } finally {
    await raw.end();
    await paydesk.close();
  }
}

async function ensureDataset(
  ctx: Parameters<typeof createBrand>[0],
  raw: pg.Pool,
  want: { customers: number; others: number[] },
  reload: boolean,
): Promise<Dataset> {
  await raw.query('CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb NOT NULL)');
  const found = await raw.query<{ value: Dataset }>("SELECT value FROM bench_meta WHERE key = 'search'");
  const current = found.rows[0]?.value;
  if (
    !reload &&
    current &&
    current.version === DATASET_VERSION &&
    current.customers === want.customers &&
    current.others.join() === want.others.join()
  ) {
    log(`reusing the loaded dataset (brand ${current.mainBrand}); --reload to rebuild`);
    return current;
  }
  log('loading the dataset (once; later runs reuse it)…');
  await raw.query(`TRUNCATE customers, idempotency_keys; DROP TABLE IF EXISTS bench_plain_customers`);
  await raw.query(`
    CREATE TABLE bench_plain_customers (
      merchant_id text NOT NULL, id text NOT NULL, name text NOT NULL, email text NOT NULL, phone text,
      created_at timestamptz NOT NULL, PRIMARY KEY (merchant_id, id))`);
  // Indexes are built after the load: far faster than maintaining them row by row.
  await raw.query('DROP INDEX IF EXISTS customers_search_tokens');

  const started = performance.now();
  const sizes = [want.customers, ...want.others];
  let mainBrand = '';
  for (const [i, size] of sizes.entries()) {
    const brand = await createBrand(ctx, { name: `Bench brand ${i}`, country: 'BD', baseCurrency: 'BDT' });
    if (i === 0) mainBrand = brand.id;
    await loadBrand(ctx, raw, brand.id, size, 1000 + i);
  }
  log(`  rows loaded in ${((performance.now() - started) / 1000).toFixed(0)} s; building indexes…`);
  const indexStarted = performance.now();
  await raw.query("SET maintenance_work_mem = '1GB'");
  await raw.query('CREATE INDEX customers_search_tokens ON customers USING gin (search_tokens gin__int_ops)');
  for (const column of ['name', 'email', 'phone']) {
    await raw.query(`CREATE INDEX bench_plain_${column} ON bench_plain_customers USING gin (${column} gin_trgm_ops)`);
  }
  await raw.query('CREATE INDEX bench_plain_newest ON bench_plain_customers (merchant_id, created_at DESC, id DESC)');
  await raw.query('VACUUM ANALYZE customers');
  await raw.query('VACUUM ANALYZE bench_plain_customers');
  log(`  indexes built in ${((performance.now() - indexStarted) / 1000).toFixed(0)} s`);
  const dataset: Dataset = { version: DATASET_VERSION, customers: want.customers, others: want.others, mainBrand };
  await raw.query(
    "INSERT INTO bench_meta (key, value) VALUES ('search', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
    [JSON.stringify(dataset)],
  );
  return dataset;
}

async function loadBrand(
  ctx: Parameters<typeof createBrand>[0],
  raw: pg.Pool,
  merchantId: string,
  size: number,
  seed: number,
) {
  const random = prng(seed);
  const keys = await ctx.keyring.forBrand(ctx.db, merchantId);
  const start = Date.now() - 2 * 365 * 24 * 3600 * 1000;
  const step = (2 * 365 * 24 * 3600 * 1000) / size;
  const CHUNK = 2000;
  for (let offset = 0; offset < size; offset += CHUNK) {
    const rows = [];
    const plain: unknown[][] = [[], [], [], [], []];
    for (let serial = offset; serial < Math.min(size, offset + CHUNK); serial++) {
      const contact = syntheticCustomer(random, serial);
      const id = newId('cus');
      const createdAt = new Date(start + serial * step);
      rows.push({
        merchant_id: merchantId,
        id,
        ...sealContact(keys, merchantId, id, contact),
        metadata: '{}',
        source: 'import' as const,
        created_at: createdAt,
        updated_at: createdAt,
      });
      plain[0]!.push(id);
      plain[1]!.push(foldText(contact.name));
      plain[2]!.push(contact.email);
      plain[3]!.push(contact.phone ? contact.phone.replace(/\D/g, '') : null);
      plain[4]!.push(createdAt);
    }
    await insertCustomers(ctx.db, rows);
    await raw.query(
      `INSERT INTO bench_plain_customers (merchant_id, id, name, email, phone, created_at)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])`,
      [merchantId, ...plain],
    );
    if ((offset / CHUNK) % 50 === 0)
      log(`  ${merchantId}: ${(offset + rows.length).toLocaleString()} / ${size.toLocaleString()}`);
  }
}

/** Fragments of real customers of the brand: a name piece, an email piece, a run of phone digits. */
async function sampleQueries(raw: pg.Pool, merchantId: string, count: number) {
  const random = prng(7);
  const { rows } = await raw.query<{ name: string; email: string; phone: string | null }>(
    'SELECT name, email, phone FROM bench_plain_customers WHERE merchant_id = $1 AND phone IS NOT NULL ORDER BY md5(id) LIMIT $2',
    [merchantId, count],
  );
  const piece = (text: string, min: number, max: number) => {
    const length = min + Math.floor(random() * (max - min + 1));
    const at = Math.floor(random() * Math.max(1, text.length - length + 1));
    return text.slice(at, at + length);
  };
  return {
    name: rows.map((r) => piece(r.name, 3, 6)),
    email: rows.map((r) => piece(r.email, 4, 8)),
    // National form, as staff type it: 880 1712345678 → 01712345678
    phone: rows.map((r) => piece(`0${(r.phone ?? '').slice(3)}`, 4, 7)),
  };
}

async function plainTrigramSearch(raw: pg.Pool, merchantId: string, q: string): Promise<number> {
  // The same reading of the query as Paydesk's (folded text; digits only for phone-like queries).
  const query = parseSearchQuery(q);
  if (!query) return 0;
  const like = `%${query.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const digits = query.digits ?? '';
  const { rows } = await raw.query(
    `SELECT id, name, email, phone FROM bench_plain_customers
     WHERE merchant_id = $1 AND (name ILIKE $2 OR email ILIKE $2 OR ($3 <> '' AND phone LIKE $4))
     ORDER BY created_at DESC, id DESC LIMIT ${PAGE + 1}`,
    [merchantId, like, digits, `%${digits}%`],
  );
  return Math.min(rows.length, PAGE);
}

/** The baseline without an index: walk the brand newest first, decrypt, keep matches. */
async function decryptAndFilter(
  ctx: Parameters<typeof createBrand>[0],
  merchantId: string,
  q: string,
): Promise<number> {
  const query = parseSearchQuery(q);
  if (!query) return 0;
  let after: { createdAt: Date; id: string } | undefined;
  let found = 0;
  for (;;) {
    const rows = await listCustomersPage(ctx.db, merchantId, { limit: 5000, after });
    if (rows.length === 0) return found;
    const keys = await ctx.keyring.forBrand(
      ctx.db,
      merchantId,
      rows.map((r) => r.data_key_id),
    );
    for (const row of rows) {
      if (matchesQuery(searchForms(decryptContact(keys, row)), query) && ++found > PAGE) return PAGE;
    }
    const last = rows.at(-1)!;
    after = { createdAt: last.created_at, id: last.id };
  }
}

async function measure(queries: string[], fn: (q: string) => Promise<number>) {
  const times: number[] = [];
  let results = 0;
  for (const q of queries) {
    const t0 = performance.now();
    results += await fn(q);
    times.push(performance.now() - t0);
  }
  return { times, results };
}

function stats({ times, results }: { times: number[]; results: number }): string[] {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
  return [
    String(times.length),
    fmt(at(50)),
    fmt(at(95)),
    fmt(at(99)),
    (results / Math.max(1, times.length)).toFixed(1),
  ];
}

async function explain(raw: pg.Pool, query: CompiledQuery): Promise<string> {
  const { rows } = await raw.query(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, [...query.parameters]);
  return [query.sql, '', ...rows.map((r: Record<string, string>) => r['QUERY PLAN'])].join('\n');
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
