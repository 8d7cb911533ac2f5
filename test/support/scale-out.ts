import { sql } from 'kysely';
import type { Executor } from '../../src/db/database.js';

/*
 * DESIGN.md "Scale-out", checked against the live catalog: every table either carries merchant_id and
 * is keyed by it (a distributed table on Citus, sharded by brand), or is named below as global (a
 * reference table, or one the coordinator keeps). SCALING.md is the Citus side of the same lists.
 */

export type GlobalPlacement = 'reference' | 'coordinator' | 'distributed by key_hash';

/**
 * Tables that are not sharded by brand, and why. A table with a merchant_id column is brand-owned
 * unless it is listed here; a table without one must be listed here.
 */
export const GLOBAL_TABLES: Record<string, { placement: GlobalPlacement; why: string }> = {
  brands: { placement: 'reference', why: 'the brands themselves: every brand-owned table refers to it' },
  keyring_state: { placement: 'reference', why: 'one row: the master key fingerprint every node checks' },
  kysely_migration: { placement: 'coordinator', why: 'migration bookkeeping; migrations run on the coordinator' },
  kysely_migration_lock: { placement: 'coordinator', why: 'the migration lock, as above' },
  staff: { placement: 'reference', why: 'a person, not a brand row: one login may belong to several brands (0004)' },
  staff_sessions: { placement: 'reference', why: 'found by cookie token before any brand is known (0004)' },
  staff_memberships: {
    placement: 'reference',
    why:
      'carries merchant_id, but sign-in asks "which brands is this person in" and every dashboard request ' +
      'joins the session to its membership by staff id: on a distributed table both would ask every shard. ' +
      'Small (people × brands), written on invitation and role change only',
  },
  staff_invitations: {
    placement: 'reference',
    why:
      'carries merchant_id, but the public accept page knows only the token (unique token_hash, 0014), and ' +
      'Citus refuses a unique index without the distribution column. Small, written rarely',
  },
  staff_password_resets: {
    placement: 'reference',
    why: "keyed by staff_id (the person's account, 0016); merchant_id is only where it was started from",
  },
  api_keys: {
    placement: 'reference',
    why:
      'carries merchant_id, but a request is authenticated by token hash before its brand is known (unique ' +
      'token_hash, 0001), which a distributed table cannot hold. A handful per brand; last_used_at is ' +
      'written at most once a minute per key',
  },
  public_paths: {
    placement: 'reference',
    why: 'the global slug router: /pay/{slug}, /checkout/{token}, /invoice/{token} to brand and record (0005)',
  },
  rate_counters: {
    placement: 'distributed by key_hash',
    why:
      'keyed by an HMAC of a sign-in or client address, which belongs to no brand (0013); hot single-row ' +
      'upserts, so sharded by its own key rather than replicated to every node',
  },
};

/**
 * Non-unique indexes of brand-owned tables that may not lead with merchant_id. Citus allows any
 * non-unique index (each shard keeps its own); a unique one without merchant_id it refuses, so
 * unique indexes have no exceptions.
 */
export const INDEX_EXCEPTIONS: Record<string, string> = {
  customers_search_tokens:
    "GIN over int4[] (intarray's gin__int_ops) cannot lead with a text column without btree_gin; every " +
    'search also says merchant_id = $1, and on Citus each shard holds only its own brands',
  site_users_search_tokens: 'the same GIN search index as customers_search_tokens, for site users',
  webhook_deliveries_due:
    'the dispatcher claims due deliveries of every brand (0015); on Citus the claim must run per shard ' +
    '(SCALING.md, "Webhook dispatcher")',
};

export interface CatalogIndex {
  name: string;
  table: string;
  unique: boolean;
  primary: boolean;
  method: string;
  /** Key columns in order; an expression appears as its text. */
  columns: string[];
}

export interface CatalogForeignKey {
  name: string;
  table: string;
  columns: string[];
  references: string;
  referencedColumns: string[];
}

export interface Catalog {
  /** Every ordinary or partitioned table with its column names. */
  tables: Map<string, string[]>;
  indexes: CatalogIndex[];
  foreignKeys: CatalogForeignKey[];
}

/** The tables, indexes and foreign keys of one schema, from pg_catalog. */
export async function readCatalog(db: Executor, schema: string): Promise<Catalog> {
  const { rows: columns } = await sql<{ table: string; column: string }>`
    SELECT c.relname AS table, a.attname AS column
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = ${schema} AND c.relkind IN ('r', 'p')
    ORDER BY c.relname, a.attnum`.execute(db);
  const tables = new Map<string, string[]>();
  for (const { table, column } of columns) tables.set(table, [...(tables.get(table) ?? []), column]);

  // pg_get_indexdef(index, k, true) names the k-th key column, or prints its expression.
  const { rows: indexes } = await sql<CatalogIndex>`
    SELECT i.relname AS name, t.relname AS table, x.indisunique AS unique, x.indisprimary AS primary,
      am.amname AS method,
      ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnkeyatts) AS k ORDER BY k)
        AS columns
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = i.relam
    WHERE n.nspname = ${schema} AND t.relkind IN ('r', 'p')
    ORDER BY t.relname, i.relname`.execute(db);

  const { rows: foreignKeys } = await sql<CatalogForeignKey>`
    SELECT con.conname AS name, t.relname AS table, r.relname AS references,
      ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k (attnum, n)
            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.n) AS columns,
      ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k (attnum, n)
            JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.n)
        AS "referencedColumns"
    FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = ${schema} AND con.contype = 'f'
    ORDER BY t.relname, con.conname`.execute(db);

  return { tables, indexes, foreignKeys };
}

export interface ScaleOutPolicy {
  globalTables: Record<string, unknown>;
  indexExceptions: Record<string, string>;
}

export const PAYDESK_POLICY: ScaleOutPolicy = { globalTables: GLOBAL_TABLES, indexExceptions: INDEX_EXCEPTIONS };

/** Tables sharded by brand: those with merchant_id that are not declared global. */
export function brandOwnedTables(catalog: Catalog, policy: ScaleOutPolicy = PAYDESK_POLICY): string[] {
  return [...catalog.tables]
    .filter(([table, columns]) => columns.includes('merchant_id') && !(table in policy.globalTables))
    .map(([table]) => table);
}

const list = (columns: string[]) => `(${columns.join(', ')})`;

/** Every way the catalog breaks the scale-out rules, one sentence each; empty when it keeps them. */
export function scaleOutViolations(catalog: Catalog, policy: ScaleOutPolicy = PAYDESK_POLICY): string[] {
  const owned = new Set(brandOwnedTables(catalog, policy));
  const problems: string[] = [];
  for (const [table, columns] of catalog.tables) {
    if (!owned.has(table) && !columns.includes('merchant_id') && !(table in policy.globalTables)) {
      problems.push(
        `${table} has no merchant_id and is not declared global: add merchant_id and key the table by it, ` +
          'or add it to GLOBAL_TABLES in test/support/scale-out.ts with the reason and to SCALING.md',
      );
    }
  }
  for (const table of owned) {
    if (!catalog.indexes.some((index) => index.table === table && index.primary)) {
      problems.push(`${table} is brand-owned and has no primary key: give it one that starts with merchant_id`);
    }
  }
  for (const index of catalog.indexes) {
    if (!owned.has(index.table) || index.columns[0] === 'merchant_id') continue;
    const what = index.primary ? 'primary key' : index.unique ? 'unique index' : 'index';
    if (!index.unique && index.name in policy.indexExceptions) continue;
    problems.push(
      `${what} ${index.name} of brand-owned ${index.table} is on ${list(index.columns)}, ` +
        'which does not start with merchant_id' +
        (index.unique ? ' (Citus refuses a unique key without the distribution column)' : ''),
    );
  }
  for (const fk of catalog.foreignKeys) {
    if (owned.has(fk.table) && owned.has(fk.references)) {
      if (fk.columns[0] !== 'merchant_id' || fk.referencedColumns[0] !== 'merchant_id') {
        problems.push(
          `foreign key ${fk.name} of ${fk.table} ${list(fk.columns)} references ${fk.references} ` +
            `${list(fk.referencedColumns)}: both sides must start with merchant_id, so the rows it ties are one brand's`,
        );
      }
    } else if (!owned.has(fk.table) && owned.has(fk.references)) {
      problems.push(
        `foreign key ${fk.name} of global ${fk.table} references brand-owned ${fk.references}: ` +
          'Citus allows no foreign key from a reference table to a distributed one',
      );
    }
  }
  return problems;
}

/**
 * Foreign keys SCALING.md drops before distributing and adds back after: customers and site_users
 * refer to each other (a customer's linked user, a user's suggested customer), and
 * create_distributed_table accepts a foreign key only to a table that is already distributed.
 */
export const DEFERRED_FOREIGN_KEYS = ['customers_user_fk'];
