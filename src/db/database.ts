import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, type Dialect, type Transaction } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { intarray } from '@electric-sql/pglite/contrib/intarray';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { DB } from './schema.js';

// int8 (bigint) comes back as text by default; money sums fit well inside 2^53 minor units.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

const BYTEA_OID = 17;

export type Database = Kysely<DB>;
/** The database or an open transaction on it: what repositories take. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface DatabaseOptions {
  /** PostgreSQL URL; without it, PGlite. */
  url?: string | undefined;
  /** PGlite data directory; without it (and without url) an in-memory PGlite, for tests. */
  dataDir?: string | undefined;
  /** PostgreSQL schema to work in (tests use one per file). */
  schema?: string | undefined;
  poolSize?: number;
}

export interface DatabaseHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema},public` } : {}),
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (options.dataDir) fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
  const client = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    extensions: { pg_trgm, intarray },
    // PGlite gives bytea as Uint8Array; node-postgres gives Buffer. Everything above expects Buffer.
    parsers: { [BYTEA_OID]: (text: string) => Buffer.from(text.slice(2), 'hex') },
  });
  const dialect: Dialect = new PGliteDialect(client);
  const db = new Kysely<DB>({ dialect });
  return { db, kind: 'pglite', close: () => db.destroy() };
}
