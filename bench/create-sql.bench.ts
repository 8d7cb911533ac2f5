import { parseArgs } from 'node:util';
import { CompiledQuery } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { median } from './median.js';
import { recreateDatabase } from './postgres.js';

/**
 * `npm run bench -- create-sql [--creates 2000] [--rounds 4] [--no-postgres] [--no-pglite]`: what a
 * create costs the database alone, without the server or the protocol. The create's own statement
 * (customer, `customer.created` event, site-user look; customers/customer.repository.ts) runs in a
 * PL/pgSQL loop inside one transaction, rolled back, in a new brand of a fresh database
 * (`BENCH_CREATE_SQL_DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/paydesk_bench_create_sql)
 * and on an in-memory PGlite. Each variant takes one part away for that transaction only; the
 * variants alternate, `--rounds` times, so drift (the table's dead rows) touches all alike.
 */
const BRAND = 'brd_0000000000000000000000000b';

const VARIANTS: Array<[label: string, setUp: string]> = [
  ['as migrated', ''],
  [
    'count function in SQL (before 0021)',
    `CREATE OR REPLACE FUNCTION customer_count_add(brand text, delta bigint) RETURNS void LANGUAGE sql AS $f$
       INSERT INTO customer_counts (merchant_id, slot, customers) VALUES (brand, pg_backend_pid() % 16, delta)
       ON CONFLICT (merchant_id, slot) DO UPDATE SET customers = customer_counts.customers + EXCLUDED.customers $f$`,
  ],
  ['without the rank-and-count trigger', 'ALTER TABLE customers DISABLE TRIGGER customers_inserted'],
  ['without the webhook announcement', 'ALTER TABLE customer_events DISABLE TRIGGER customer_events_announce'],
  ['without the live-key guard', 'ALTER TABLE customers DISABLE TRIGGER customers_keys_live_insert'],
];

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      creates: { type: 'string', default: '2000' },
      rounds: { type: 'string', default: '4' },
      'no-postgres': { type: 'boolean', default: false },
      'no-pglite': { type: 'boolean', default: false },
    },
  });
  const creates = Number(values.creates);
  const rounds = Number(values.rounds);
  const url =
    process.env.BENCH_CREATE_SQL_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/paydesk_bench_create_sql';
  const lines = ['| database | variant | µs a create, each round | median |', '|---|---|---|---|'];
  const backends: Array<['PostgreSQL' | 'PGlite', () => Promise<DatabaseHandle>]> = [];
  if (!values['no-postgres']) {
    backends.push([
      'PostgreSQL',
      async () => {
        await recreateDatabase(url);
        return openDatabase({ url });
      },
    ]);
  }
  if (!values['no-pglite']) backends.push(['PGlite', () => openDatabase({})]);
  for (const [name, open] of backends) {
    const database = await open();
    try {
      const timings = await timeVariants(database, creates, rounds);
      for (const [label, times] of timings) {
        lines.push(
          `| ${name} | ${label} | ${times.map((t) => t.toFixed(0)).join(', ')} | ${median(times).toFixed(0)} |`,
        );
      }
    } finally {
      await database.close();
    }
  }
  process.stdout.write(`${creates} creates a loop, ${rounds} rounds.\n\n${lines.join('\n')}\n`);
}

async function timeVariants(database: DatabaseHandle, creates: number, rounds: number): Promise<Map<string, number[]>> {
  const run = (text: string) => database.db.executeQuery(CompiledQuery.raw(text, []));
  await migrateToLatest(database.db);
  await run(`INSERT INTO brands (id, name, country, base_currency) VALUES ('${BRAND}', 'Bench Brand', 'BD', 'BDT')`);
  await run(`INSERT INTO brand_keys (merchant_id, key_id, purpose, state, wrapped_key)
    VALUES ('${BRAND}', 1, 'data', 'active', '\\x00'), ('${BRAND}', 2, 'index', 'active', '\\x00')`);
  await run(createLoop(creates)); // warms the caches and gives the brand its first customers
  const timings = new Map<string, number[]>(VARIANTS.map(([label]) => [label, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [label, setUp] of VARIANTS) {
      await run('BEGIN');
      try {
        if (setUp) await run(setUp);
        await run(createLoop(200));
        const started = performance.now();
        await run(createLoop(creates));
        timings.get(label)!.push(((performance.now() - started) * 1000) / creates);
      } finally {
        await run('ROLLBACK');
      }
    }
  }
  return timings;
}

/** The create's statement as the server sends it, with a sealed-size row of new blind indexes each time. */
function createLoop(creates: number): string {
  const cipher = `'\\x${'ab'.repeat(40)}'`;
  const tokens = Array.from({ length: 49 }, (_, i) => 1000 + i * 37).join(',');
  const bidx = `decode(md5(random()::text), 'hex')`;
  return `DO $$
    DECLARE site_user boolean;
    BEGIN
      FOR i IN 1..${creates} LOOP
        WITH inserted AS (
          INSERT INTO customers (merchant_id, id, name_enc, email_enc, phone_enc, email_bidx, phone_bidx, name_bidx,
            search_tokens, data_key_id, index_key_id, metadata, source, created_at, updated_at)
          VALUES ('${BRAND}', 'cus_' || md5(random()::text), ${cipher}, ${cipher}, ${cipher}, ${bidx}, ${bidx}, ${bidx},
            '{${tokens}}', 1, 2, '{}'::jsonb, 'api', now(), now())
          ON CONFLICT (merchant_id, email_bidx) DO NOTHING
          RETURNING id),
        alongside AS (
          INSERT INTO customer_events (merchant_id, id, customer_id, type, actor_type, actor_id, refs, created_at)
          SELECT '${BRAND}', 'evt_' || md5(random()::text), c.id, 'customer.created', 'api_key', 'key_bench',
            '{"source":"api"}'::jsonb, now()
          FROM (SELECT id FROM inserted) c WHERE c.id IS NOT NULL RETURNING id)
        SELECT paydesk_site_user_with_email('${BRAND}', ${bidx}) INTO site_user FROM inserted;
      END LOOP;
    END $$`;
}
