import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { formatCount, ProgressPrinter } from '../../src/cli/output.js';
import type { Paydesk } from '../../src/app.js';
import { newId } from '../../src/ids.js';
import { createApiKey } from '../../src/modules/api-keys/api-key.service.js';
import { createBrand } from '../../src/modules/brands/brand.service.js';
import { sealContacts } from '../../src/modules/customers/customer-seal.batch.js';
import { insertCustomers } from '../../src/modules/customers/customer.repository.js';
import type { NewCustomerRow } from '../../src/modules/customers/customer.table.js';
import { pickSource, prng, syntheticCustomer, type SyntheticCustomer } from '../dataset.js';

/** Bump when what the seed writes changes: a stored dataset of another version is rebuilt. */
const SEED_VERSION = 3;
const CUSTOMER_BATCH = 2_000;
/** Customers whose payments one INSERT … SELECT writes (about 100,000 transactions). */
const PAYMENT_CHUNK = 10_000;
const DAY = 24 * 3600 * 1000;
/** The seed's "now": every row it writes is older, so a run's own writes can be told apart. */
export const SEED_CLOCK = new Date('2026-12-01T00:00:00Z');

export interface SeedPlan {
  /** Customers per brand, the largest first: the 1M brand and the smaller ones. */
  brandSizes: number[];
}

export interface SeededBrand {
  id: string;
  customers: number;
  transactions: number;
  /** An owner API key's token (a bench database's, not a secret). */
  token: string;
  /** Search terms taken from real rows: a first name (common), an email piece (rare), a digit run. */
  terms: { common: string; rare: string; digits: string };
}

export interface SeededDataset {
  version: number;
  plan: SeedPlan;
  brands: SeededBrand[];
  /** When the payments were written: a dataset is complete once this is set. */
  completedAt: string | null;
}

interface BrandProgress extends SeededBrand {
  /** Customers inserted so far (whole batches; each batch's rows come from its own seed). */
  inserted: number;
  /** The id after which payments are still to be written (customers are walked by id). */
  paymentsAfter: string;
}

interface StoredSeed extends SeededDataset {
  progress: BrandProgress[];
  /** The ledger's secondary indexes, dropped while the payments load and built again after. */
  deferredIndexes?: string[];
}

/**
 * Builds (or finishes, or reuses) the scale dataset: per brand, customers sealed exactly as the
 * API seals them (AES-GCM contact, blind indexes, search tokens; in the worker pool as an import
 * does) with a spending profile, then their succeeded payments as `transactions` rows whose sums
 * are the customers' aggregates to the minor unit (reconcile agrees). Progress is stored in
 * `bench_meta` with each batch, so an interrupted seed goes on where it stopped.
 */
export async function ensureSeeded(paydesk: Paydesk, url: string, plan: SeedPlan): Promise<SeededDataset> {
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  try {
    await raw.query('CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb NOT NULL)');
    let seed = (await raw.query<{ value: StoredSeed }>("SELECT value FROM bench_meta WHERE key = 'scale'")).rows[0]
      ?.value;
    if (seed && (seed.version !== SEED_VERSION || JSON.stringify(seed.plan) !== JSON.stringify(plan))) {
      log('the stored dataset was built for another plan: rebuilding it');
      await raw.query("DELETE FROM bench_meta WHERE key = 'scale'");
      seed = undefined;
    }
    if (seed?.completedAt) {
      log(`reusing the dataset built ${seed.completedAt} (${describe(seed)})`);
      return seed;
    }
    if (!seed) {
      // A fresh start: whatever an earlier, other plan left goes (TRUNCATE fires no row triggers).
      await raw.query('TRUNCATE customers, customer_counts, transactions, webhook_events CASCADE');
      seed = { version: SEED_VERSION, plan, brands: [], progress: [], completedAt: null };
    }
    const save = (s: StoredSeed) =>
      raw.query(
        `INSERT INTO bench_meta (key, value) VALUES ('scale', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
        [JSON.stringify(s)],
      );
    const started = performance.now();
    for (const [index, size] of plan.brandSizes.entries()) {
      if (!seed.progress[index]) {
        seed.progress[index] = await startBrand(paydesk, index, size);
        await save(seed);
      }
      await insertBrandCustomers(paydesk, seed, index, save);
    }
    await deferLedgerIndexes(raw, seed, save);
    // Each payment names a customer the same statement read from customers: the foreign key's
    // per-row check (nine tenths of the load's time: 10,000 rows/s with it, 88,000 without, on this
    // machine) is skipped, as pg_restore --disable-triggers does; so is the webhook announcement of
    // each historical payment (nobody subscribed to them).
    await raw.query('SET session_replication_role = replica');
    for (const index of plan.brandSizes.keys()) await insertBrandPayments(raw, seed, index, save);
    await raw.query('SET session_replication_role = DEFAULT');
    await rebuildLedgerIndexes(raw, seed, save);
    seed.brands = seed.progress.map(({ inserted: _i, paymentsAfter: _p, ...brand }) => brand);
    seed.completedAt = new Date().toISOString();
    await save(seed);
    log(`dataset built in ${((performance.now() - started) / 1000).toFixed(0)} s: ${describe(seed)}`);
    return seed;
  } finally {
    await raw.end();
  }
}

function describe(seed: SeededDataset): string {
  const customers = seed.brands.reduce((n, b) => n + b.customers, 0);
  const transactions = seed.brands.reduce((n, b) => n + b.transactions, 0);
  return `${seed.brands.length} brands, ${formatCount(customers)} customers, ${formatCount(transactions)} transactions`;
}

async function startBrand(paydesk: Paydesk, index: number, size: number): Promise<BrandProgress> {
  const brand = await createBrand(paydesk.ctx, {
    name: `Scale bench ${index} (${formatCount(size)})`,
    country: 'BD',
    baseCurrency: 'BDT',
  });
  const key = await createApiKey(paydesk.ctx, { merchantId: brand.id, name: 'bench', role: 'owner' });
  return {
    id: brand.id,
    customers: size,
    transactions: 0,
    token: key.token,
    terms: { common: 'rahim', rare: 'rahim', digits: '1712' },
    inserted: 0,
    paymentsAfter: '',
  };
}

/**
 * Creation times spread over two years; 40% have paid, 1 to 100 payments each (ten per customer
 * on average over the brand), totals with a long tail; the last payment between creation and now.
 */
async function insertBrandCustomers(
  paydesk: Paydesk,
  seed: StoredSeed,
  index: number,
  save: (s: StoredSeed) => Promise<unknown>,
): Promise<void> {
  const brand = seed.progress[index]!;
  if (brand.inserted >= brand.customers) return;
  const { ctx } = paydesk;
  const keys = await ctx.keyring.forBrand(ctx.db, brand.id);
  const progress = new Meter(
    `brand ${index + 1}/${seed.plan.brandSizes.length} customers`,
    brand.customers,
    brand.inserted,
  );
  const now = SEED_CLOCK.getTime();
  const start = now - 730 * DAY;
  const step = (730 * DAY) / brand.customers;
  while (brand.inserted < brand.customers) {
    const from = brand.inserted;
    const to = Math.min(brand.customers, from + CUSTOMER_BATCH);
    const random = prng(index * 1_000_003 + from);
    const people: Array<{
      id: string;
      contact: SyntheticCustomer;
      createdAt: Date;
      count: number;
      total: number;
      last: Date | null;
      source: number;
    }> = [];
    for (let serial = from; serial < to; serial++) {
      const contact = syntheticCustomer(random, serial);
      if (serial === Math.floor(brand.customers / 3)) {
        brand.terms = {
          common: contact.name.split(' ')[0]!.toLowerCase(),
          rare: contact.email.split('@')[0]!.slice(-8),
          digits: contact.phone ? contact.phone.slice(-6, -2) : '1712',
        };
      }
      const createdAt = new Date(Math.floor(start + serial * step));
      const paid = random() < 0.4;
      const count = paid ? 1 + Math.floor(100 * random() ** 3) : 0;
      const average = Math.round(500 / Math.max(0.01, random()) ** 0.8) * 100;
      const last = paid ? new Date(Math.floor(createdAt.getTime() + random() * (now - createdAt.getTime()))) : null;
      people.push({ id: newId('cus'), contact, createdAt, count, total: count * average, last, source: random() });
    }
    const sealed = await sealContacts(ctx, keys, brand.id, people);
    const rows: NewCustomerRow[] = people.map((p, i) => ({
      merchant_id: brand.id,
      id: p.id,
      ...sealed[i]!,
      metadata: '{}',
      source: pickSource(p.source),
      transactions_count: p.count,
      total_spent_minor: p.total,
      last_payment_at: p.last,
      created_at: p.createdAt,
      updated_at: p.createdAt,
    }));
    // The batch and the progress that names it commit together: a rerun never inserts it twice.
    await ctx.db.transaction().execute(async (trx) => {
      await insertCustomers(trx, rows);
      brand.inserted = to;
      brand.transactions += people.reduce((n, p) => n + p.count, 0);
      await sql`UPDATE bench_meta SET value = ${JSON.stringify(seed)} WHERE key = 'scale'`.execute(trx);
    });
    progress.show(to);
  }
  progress.done();
  await save(seed);
}

/**
 * The payments behind the aggregates, written by PostgreSQL itself: for each paying customer,
 * `transactions_count` succeeded payments whose base amounts add up to `total_spent_minor`, spread
 * from creation to `last_payment_at` (the last one at it). One statement per chunk of customers,
 * committed with its progress.
 */
async function insertBrandPayments(
  raw: pg.Client,
  seed: StoredSeed,
  index: number,
  save: (s: StoredSeed) => Promise<unknown>,
): Promise<void> {
  const brand = seed.progress[index]!;
  let done = Number(
    (await raw.query<{ n: string }>('SELECT count(*) AS n FROM transactions WHERE merchant_id = $1', [brand.id]))
      .rows[0]!.n,
  );
  if (done >= brand.transactions) return;
  const progress = new Meter(`brand ${index + 1}/${seed.plan.brandSizes.length} payments`, brand.transactions, done);
  for (;;) {
    await raw.query('BEGIN');
    const chunk = await raw.query<{ last_id: string | null; written: string }>(
      `WITH chunk AS (
         SELECT id, transactions_count, total_spent_minor, created_at, last_payment_at
         FROM customers WHERE merchant_id = $1 AND id > $2 ORDER BY id LIMIT ${PAYMENT_CHUNK}
       ), written AS (
         INSERT INTO transactions (merchant_id, id, type, status, source, amount_minor, currency,
           base_amount_minor, base_currency, exchange_rate, customer_id, gateway, gateway_reference,
           created_at, succeeded_at, updated_at)
         SELECT $1, 'txn_' || substr(c.id, 5) || lpad(n::text, 3, '0'), 'payment', 'succeeded',
           (ARRAY['checkout', 'payment_link', 'invoice'])[1 + n % 3],
           amount, 'BDT', amount, 'BDT', 1, c.id, 'test', 'bench_' || n, at, at, at
         FROM chunk c
         CROSS JOIN LATERAL generate_series(1, c.transactions_count) AS n
         CROSS JOIN LATERAL (SELECT c.total_spent_minor / c.transactions_count
             + CASE WHEN n <= c.total_spent_minor % c.transactions_count THEN 1 ELSE 0 END AS amount,
           c.created_at + (c.last_payment_at - c.created_at) * n / c.transactions_count AS at) p
         WHERE c.transactions_count > 0
         RETURNING 1
       )
       SELECT (SELECT max(id) FROM chunk) AS last_id, (SELECT count(*) FROM written) AS written`,
      [brand.id, brand.paymentsAfter],
    );
    const { last_id: lastId, written } = chunk.rows[0]!;
    if (lastId === null) {
      await raw.query('COMMIT');
      break;
    }
    brand.paymentsAfter = lastId;
    await raw.query(`UPDATE bench_meta SET value = $1 WHERE key = 'scale'`, [JSON.stringify(seed)]);
    await raw.query('COMMIT');
    done += Number(written);
    progress.show(done);
  }
  progress.done();
  await save(seed);
}

/**
 * Ten million rows load several times faster without the ledger's two secondary indexes, whose
 * keys (a customer, a date) arrive in no order: as pg_restore does, they are dropped first and
 * built once at the end (their definitions kept in the progress, so a resumed seed rebuilds them).
 */
async function deferLedgerIndexes(raw: pg.Client, seed: StoredSeed, save: (s: StoredSeed) => Promise<unknown>) {
  if (seed.deferredIndexes) return;
  const { rows } = await raw.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename = 'transactions' AND indexname IN ('transactions_newest', 'transactions_customer')`,
  );
  seed.deferredIndexes = rows.map((r) => r.definition);
  await save(seed);
  for (const { name } of rows) await raw.query(`DROP INDEX ${name}`);
}

async function rebuildLedgerIndexes(raw: pg.Client, seed: StoredSeed, save: (s: StoredSeed) => Promise<unknown>) {
  for (const definition of seed.deferredIndexes ?? []) {
    const started = performance.now();
    await raw.query("SET maintenance_work_mem = '512MB'");
    await raw.query(definition.replace(/^CREATE INDEX/, 'CREATE INDEX IF NOT EXISTS'));
    log(`  ${definition.split(' ON ')[0]} built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  delete seed.deferredIndexes;
  await save(seed);
}

/** A progress bar with rows/s and ETA on stderr (the CLI's printer: plain lines without a terminal). */
class Meter {
  private readonly printer = new ProgressPrinter(process.stderr);
  private readonly startedAt = performance.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly first: number,
  ) {}

  show(done: number): void {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const rate = seconds > 0 ? (done - this.first) / seconds : 0;
    const share = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const left = rate > 0 ? Math.ceil((this.total - done) / rate) : null;
    const bar = process.stderr.isTTY ? `[${'#'.repeat(Math.round(share * 24)).padEnd(24, '-')}] ` : '';
    this.printer.update(
      `${this.label}: ${bar}${formatCount(done)}/${formatCount(this.total)} (${Math.round(share * 100)}%) · ` +
        `${formatCount(Math.round(rate))}/s · ETA ${left === null ? '?' : `${left}s`}`,
      this.label,
    );
  }

  done(): void {
    this.printer.done();
  }
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
