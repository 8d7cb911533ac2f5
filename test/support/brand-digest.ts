import crypto from 'node:crypto';
import type { TestPaydesk } from './harness.js';

/*
 * A digest of everything one brand has in the database: every table with a merchant_id column (found
 * from information_schema, so a new table is covered without a change here) plus the brand's own row,
 * each table's rows in primary-key order, hashed in the database. Equal digests before and after a
 * request mean the request wrote nothing of the brand's.
 */

/**
 * Columns a request writes whatever its outcome, by design: authentication stamps the key's
 * last_used_at (at most once a minute), so a rejected request may move it.
 */
const BOOKKEEPING_COLUMNS = new Set(['api_keys.last_used_at']);

interface TablePlan {
  table: string;
  /** A SELECT that returns one md5 for the brand's rows of the table ($1 = the brand). */
  sql: string;
}

export interface BrandDigest {
  /** One hash over all tables. */
  value: string;
  /** Per table, for a message that says where a change was. */
  tables: Record<string, string>;
}

export interface BrandDigester {
  digest(merchantId: string): Promise<BrandDigest>;
  /** The tables covered (for the report and for the test that the net is wide). */
  tables: string[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function brandDigester(paydesk: Pick<TestPaydesk, 'rawQuery'>): Promise<BrandDigester> {
  const columns = await paydesk.rawQuery(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  const keys = await paydesk.rawQuery(
    `SELECT tc.table_name, k.column_name FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage k
         ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name
      WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()
      ORDER BY tc.table_name, k.ordinal_position`,
  );
  const columnsOf = new Map<string, string[]>();
  for (const row of columns) {
    const table = String(row.table_name);
    columnsOf.set(table, [...(columnsOf.get(table) ?? []), String(row.column_name)]);
  }
  const keyOf = new Map<string, string[]>();
  for (const row of keys) {
    const table = String(row.table_name);
    keyOf.set(table, [...(keyOf.get(table) ?? []), String(row.column_name)]);
  }

  const plans: TablePlan[] = [];
  for (const [table, cols] of columnsOf) {
    const scope = cols.includes('merchant_id') ? 'merchant_id' : table === 'brands' ? 'id' : undefined;
    if (!scope) continue;
    const hashed = cols.filter((c) => !BOOKKEEPING_COLUMNS.has(`${table}.${c}`)).map(quote);
    // A table without a primary key is ordered by all its columns: still one order for one content.
    const order = (keyOf.get(table) ?? cols).map(quote).join(', ');
    plans.push({
      table,
      sql: `SELECT md5(coalesce(string_agg(ROW(${hashed.join(', ')})::text, E'\\n' ORDER BY ${order}), ''))
              FROM ${quote(table)} WHERE ${quote(scope)} = $1`,
    });
  }
  plans.sort((a, b) => (a.table < b.table ? -1 : 1));
  // One statement, one round trip: each table a column of one row.
  const sql = `SELECT ${plans.map((p, i) => `(${p.sql}) AS t${i}`).join(',\n')}`;

  return {
    tables: plans.map((p) => p.table),
    async digest(merchantId) {
      const [row] = await paydesk.rawQuery(sql, [merchantId]);
      const tables: Record<string, string> = {};
      plans.forEach((p, i) => (tables[p.table] = String(row?.[`t${i}`])));
      const value = crypto.createHash('sha256').update(JSON.stringify(tables)).digest('hex');
      return { value, tables };
    },
  };
}

/** The tables whose hash differs between two digests. */
export function changedTables(before: BrandDigest, after: BrandDigest): string[] {
  return Object.keys(before.tables).filter((t) => before.tables[t] !== after.tables[t]);
}
