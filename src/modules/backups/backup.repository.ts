import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

/** True when the database has no table of its own (only the system catalogs): a restore may go into it. */
export async function isDatabaseEmpty(db: Executor): Promise<boolean> {
  const { rows } = await sql<{ tables: number }>`
    SELECT count(*)::int AS tables FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg_toast%'`.execute(db);
  return rows[0]?.tables === 0;
}
