import { parseArgs } from 'node:util';
import { createPaydesk } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { ensureDatabase } from './postgres.js';
import { ensureSeeded, type SeededDataset } from './scale/seed.js';
import { BENCH_MASTER_KEY, measureScale } from './scale/measure.js';

/**
 * `npm run bench` (or `npm run bench -- scale`): the Customers module at scale on PostgreSQL
 * (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/paydesk_bench_scale).
 *
 * 1. Seeds (once, resumable) one brand of `--customers` customers with ten payments per customer
 *    on average, plus 20 smaller brands (one of 100,000, one of 10,000, 18 of 2,000).
 * 2. Starts the real server (`src/main.ts`) as its own process and loads it with autocannon:
 *    each read at 16 clients beside the bare SQL it issues (the same statements, replayed by
 *    node-postgres at 16 clients), the list beside a GROUP BY over the ledger, reads at every
 *    brand size, creates at 1–64 clients, CreateOrEdit, checkout completions; pgbench in the same
 *    run; the server's RSS throughout.
 * 3. Writes the results to bench/results/scale.json, the tables into BENCHMARKS.md (between its
 *    scale-bench markers) and the plots to docs/bench/*.svg.
 */
export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string', default: '1000000' },
      seconds: { type: 'string', default: '10' },
      'seed-only': { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      // A trial run: results printed, BENCHMARKS.md, the plots and bench/results left as they are.
      'no-report': { type: 'boolean', default: false },
      // Case keys (list-page-1, search, create, checkout, group-by, pgbench, …): a trial of a few.
      only: { type: 'string' },
    },
  });
  const url = scaleDatabaseUrl();
  const dataset = await openScaleDataset(url, Number(values.customers));
  if (values['seed-only']) return;
  await measureScale(url, dataset, {
    seconds: Number(values.seconds),
    write: !values['no-write'],
    report: !values['no-report'],
    ...(values.only ? { only: values.only.split(',') } : {}),
  });
}

/** BENCH_DATABASE_URL, or the local default the scale dataset lives in. */
export function scaleDatabaseUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/paydesk_bench_scale';
}

/** The scale dataset for a main brand of `main` customers: reused when built, else built (or finished). */
export async function openScaleDataset(url: string, main: number): Promise<SeededDataset> {
  await ensureDatabase(url);
  const plan = { brandSizes: [main, ...[100_000, 10_000].filter((n) => n < main), ...Array(18).fill(2_000)] };
  const paydesk = await createPaydesk(
    parseConfig({ DATABASE_URL: url, PAYDESK_MASTER_KEY: BENCH_MASTER_KEY, PAYDESK_DEMO: '0', LOG_LEVEL: 'warn' }),
    { database: await openDatabase({ url, poolSize: 4 }) },
  );
  try {
    return await ensureSeeded(paydesk, url, plan);
  } finally {
    await paydesk.close();
  }
}
