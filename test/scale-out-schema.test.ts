import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle, Executor } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { describeBackends } from './support/backends.js';
import { filesUnder, reopenableDatabase, type ReopenableDatabase } from './support/databases.js';
import { openMigratedPglite } from './support/pglite-template.js';
import {
  DEFERRED_FOREIGN_KEYS,
  GLOBAL_TABLES,
  INDEX_EXCEPTIONS,
  brandOwnedTables,
  readCatalog,
  scaleOutViolations,
  type Catalog,
  type ScaleOutPolicy,
} from './support/scale-out.js';
import {
  JOIN_EXCEPTIONS,
  kyselyJoinProblems,
  sqlJoinProblems,
  withoutCommentLines,
  type JoinProblem,
} from './support/scale-out-joins.js';

// DESIGN.md "Scale-out": the schema can be distributed by merchant_id on Citus unchanged, and no
// query joins one brand's rows to another's. SCALING.md says how; this file keeps both true.

const root = path.resolve(import.meta.dirname, '..');
const globalNames = new Set(Object.keys(GLOBAL_TABLES));

async function currentSchema(db: Executor): Promise<string> {
  const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
  return rows[0]!.schema;
}

describeBackends('scale-out: every brand-owned table is keyed by merchant_id (%s)', (backend) => {
  let store: ReopenableDatabase | undefined;
  let database: DatabaseHandle;
  let schema: string;
  let catalog: Catalog;

  beforeAll(async () => {
    if (backend === 'pglite') {
      database = await openMigratedPglite();
    } else {
      store = await reopenableDatabase(backend);
      database = await store.open();
      await migrateToLatest(database.db);
    }
    schema = await currentSchema(database.db);
    catalog = await readCatalog(database.db, schema);
  });
  afterAll(async () => {
    await database?.close();
    await store?.destroy();
  });

  it('finds every primary key, unique key, foreign key and index of a brand-owned table led by merchant_id', () => {
    const owned = brandOwnedTables(catalog);
    expect(owned).toEqual(expect.arrayContaining(['customers', 'transactions', 'customer_events', 'webhook_events']));
    expect(owned.length).toBeGreaterThan(20);
    expect(scaleOutViolations(catalog)).toEqual([]);
  });

  it('names in its lists only tables and indexes that exist, and excuses no unique index', () => {
    for (const table of Object.keys(GLOBAL_TABLES)) expect(catalog.tables.has(table), table).toBe(true);
    const owned = new Set(brandOwnedTables(catalog));
    for (const name of Object.keys(INDEX_EXCEPTIONS)) {
      const index = catalog.indexes.find((i) => i.name === name);
      expect(index, name).toBeDefined();
      expect(index!.unique, name).toBe(false);
      expect(owned.has(index!.table), name).toBe(true);
      expect(index!.columns[0], name).not.toBe('merchant_id');
    }
  });

  it('reports each kind of break in a schema that has them (created in a transaction, rolled back)', async () => {
    const bad = `scale_out_bad_${crypto.randomBytes(4).toString('hex')}`;
    const policy: ScaleOutPolicy = {
      globalTables: { brands: {}, lookups: {} },
      indexExceptions: {
        widgets_created: 'a non-unique index may be excused',
        parts_widget_unique: 'but not a unique one',
      },
    };
    let found: string[] = [];
    const rollback = new Error('roll back');
    await expect(
      database.db.transaction().execute(async (trx) => {
        for (const statement of [
          `CREATE SCHEMA ${bad}`,
          `CREATE TABLE ${bad}.brands (id text PRIMARY KEY)`,
          `CREATE TABLE ${bad}.widgets (merchant_id text NOT NULL REFERENCES ${bad}.brands (id), id text NOT NULL,
             code text NOT NULL UNIQUE, created_at timestamptz, PRIMARY KEY (id, merchant_id))`,
          `CREATE INDEX widgets_created ON ${bad}.widgets (created_at)`,
          `CREATE TABLE ${bad}.parts (merchant_id text NOT NULL, id text NOT NULL, widget_id text,
             PRIMARY KEY (merchant_id, id),
             CONSTRAINT parts_widget_fk FOREIGN KEY (widget_id, merchant_id) REFERENCES ${bad}.widgets (id, merchant_id))`,
          `CREATE UNIQUE INDEX parts_widget_unique ON ${bad}.parts (widget_id)`,
          `CREATE INDEX parts_newest ON ${bad}.parts (merchant_id, id DESC)`,
          `CREATE TABLE ${bad}.notes (merchant_id text NOT NULL, body text)`,
          `CREATE TABLE ${bad}.mystery (id integer PRIMARY KEY)`,
          `CREATE TABLE ${bad}.lookups (id text PRIMARY KEY, part_merchant text, part_id text,
             CONSTRAINT lookups_part_fk FOREIGN KEY (part_merchant, part_id) REFERENCES ${bad}.parts (merchant_id, id))`,
        ]) {
          await sql.raw(statement).execute(trx);
        }
        found = scaleOutViolations(await readCatalog(trx, bad), policy);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(found.sort()).toEqual(
      [
        expect.stringMatching(/^foreign key lookups_part_fk of global lookups references brand-owned parts/),
        expect.stringMatching(
          /^foreign key parts_widget_fk of parts \(widget_id, merchant_id\) references widgets \(id, merchant_id\)/,
        ),
        expect.stringMatching(/^mystery has no merchant_id and is not declared global/),
        expect.stringMatching(/^notes is brand-owned and has no primary key/),
        expect.stringMatching(/^primary key widgets_pkey of brand-owned widgets is on \(id, merchant_id\)/),
        expect.stringMatching(/^unique index parts_widget_unique of brand-owned parts is on \(widget_id\)/),
        expect.stringMatching(/^unique index widgets_code_key of brand-owned widgets is on \(code\)/),
      ].sort(),
    );
    expect(found).toHaveLength(7);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = ${bad}`.execute(database.db);
    expect(rows[0]!.n).toBe(0);
  });

  it('finds no join across brands in the database functions (triggers)', async () => {
    const { rows } = await sql<{ name: string; body: string }>`
      SELECT p.proname AS name, p.prosrc AS body
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
      WHERE n.nspname = ${schema} AND l.lanname IN ('plpgsql', 'sql')`.execute(database.db);
    // The webhook fan-out's join to endpoints is one of them: the check reads real bodies.
    expect(rows.map((r) => r.name)).toContain('webhook_events_fan_out');
    const problems = rows.flatMap((r) => sqlJoinProblems(r.body, `function ${r.name}`, globalNames));
    expect(problems.map((p) => p.message)).toEqual([]);
  });

  it('SCALING.md distributes every brand-owned table by merchant_id and makes the global ones reference tables, in an order Citus accepts', () => {
    const text = fs.readFileSync(path.join(root, 'SCALING.md'), 'utf8');
    const at = (pattern: RegExp) => [...text.matchAll(pattern)].map((m) => ({ table: m[1]!, index: m.index }));
    const distributed = at(/create_distributed_table\('(\w+)', 'merchant_id'/g);
    const references = at(/create_reference_table\('(\w+)'\)/g);
    expect(distributed.map((d) => d.table).sort()).toEqual(brandOwnedTables(catalog).sort());
    expect(new Set(distributed.map((d) => d.table)).size).toBe(distributed.length);
    expect(references.map((r) => r.table).sort()).toEqual(
      Object.entries(GLOBAL_TABLES)
        .filter(([, t]) => t.placement === 'reference')
        .map(([name]) => name)
        .sort(),
    );
    expect(text).toContain("create_distributed_table('rate_counters', 'key_hash'");
    // Reference tables first: a distributed table's foreign key to brands needs brands replicated.
    expect(Math.max(...references.map((r) => r.index))).toBeLessThan(Math.min(...distributed.map((d) => d.index)));
    const position = new Map(distributed.map((d, i) => [d.table, i]));
    for (const fk of catalog.foreignKeys) {
      if (!position.has(fk.table) || !position.has(fk.references) || fk.table === fk.references) continue;
      if (DEFERRED_FOREIGN_KEYS.includes(fk.name)) {
        expect(text, `${fk.name} is dropped and added back`).toContain(fk.name);
        continue;
      }
      expect(position.get(fk.references)!, `${fk.table} after ${fk.references} (${fk.name})`).toBeLessThan(
        position.get(fk.table)!,
      );
    }
  });
});

describe('scale-out: no query joins across brands', () => {
  const sources = filesUnder(path.join(root, 'src'))
    .filter(
      (file) =>
        file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.includes(`${path.sep}migrations${path.sep}`),
    )
    .map((file) => ({ where: path.relative(root, file), text: withoutCommentLines(fs.readFileSync(file, 'utf8')) }));
  const problems: JoinProblem[] = sources.flatMap(({ where, text }) => [
    ...kyselyJoinProblems(text, where, globalNames),
    ...sqlJoinProblems(text, where, globalNames),
  ]);

  it('joins brand-owned rows only on merchant_id, but for the named exceptions', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(problems.filter((p) => !(p.key in JOIN_EXCEPTIONS)).map((p) => p.message)).toEqual([]);
  });

  it('names in its exceptions only joins that are still there', () => {
    for (const key of Object.keys(JOIN_EXCEPTIONS)) expect(problems.map((p) => p.key)).toContain(key);
  });

  it('reports a join that does not say both sides are one brand', () => {
    const sqlText = `
      SELECT * FROM customers c
      JOIN transactions t ON t.customer_id = c.id
      LEFT JOIN invoices i ON i.merchant_id = c.merchant_id AND i.customer_id = c.id
      JOIN brands b ON b.id = c.merchant_id
      JOIN (SELECT customer_id FROM orders) o ON o.customer_id = c.id
      CROSS JOIN LATERAL (SELECT * FROM notes n WHERE n.customer_id = c.id) n
      CROSS JOIN LATERAL (SELECT * FROM notes n WHERE n.merchant_id = c.merchant_id) pinned
      JOIN (VALUES (1), (2)) AS v (x) ON v.x = 1
      JOIN pg_catalog.pg_class k ON k.oid = 1
      WHERE c.merchant_id = $1`;
    expect(sqlJoinProblems(sqlText, 'fixture.sql', globalNames).map((p) => p.key)).toEqual([
      'fixture.sql: JOIN transactions t',
      'fixture.sql: JOIN (subquery) o',
      'fixture.sql: CROSS JOIN LATERAL (subquery) n',
    ]);
    const kysely = `db.selectFrom('customers as c')
      .innerJoin('transactions as t', 't.customer_id', 'c.id')
      .leftJoin('invoices as i', (join) => join.onRef('i.merchant_id', '=', 'c.merchant_id').onRef('i.id', '=', 'c.x'))
      .innerJoin('orders as o', (join) => join.onRef('o.customer_id', '=', 'c.id'))
      .innerJoin('brands as b', 'b.id', 'c.merchant_id')`;
    expect(kyselyJoinProblems(kysely, 'fixture.ts', globalNames).map((p) => p.key)).toEqual([
      "fixture.ts: innerJoin('transactions as t')",
      "fixture.ts: innerJoin('orders as o')",
    ]);
  });
});
