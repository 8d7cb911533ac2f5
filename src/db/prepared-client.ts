import crypto from 'node:crypto';
import type { Compilable } from 'kysely';
import pg from 'pg';
import type { Executor } from './database.js';

/** Put first in a statement's SQL to have it prepared once per connection (see below). */
export const PREPARED = '/* prepared */';

/**
 * A node-postgres client that runs statements marked with PREPARED as named prepared statements,
 * named by a hash of their text. PostgreSQL then parses and plans them once per connection instead
 * of on every call: on the payment path that was half of the database's time per completion
 * (measured: parse + bind ≈ 1 ms of 2 ms). Only marked statements, whose plans do not depend on
 * their parameters (lookups by key, writes), are prepared; a search query, whose best plan depends
 * on the search terms, keeps being planned per call. Kysely passes the SQL text through untouched.
 *
 * A pooler in transaction mode (PgBouncer before 1.21, or without max_prepared_statements) hands each
 * transaction to any server connection, where this connection's statements were never prepared:
 * DATABASE_PREPARED_STATEMENTS=0 makes openDatabase use plain pg.Client instead, and the marked
 * statements run unnamed like the rest (README "Behind PgBouncer").
 */
export class PreparedStatementClient extends pg.Client {
  // pg.Client#query has many overloads; this routes (text, values[, callback]) and leaves the rest.
  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text === 'string' && text.startsWith(PREPARED) && Array.isArray(values)) {
      args.splice(0, 2, { name: statementName(text), text, values });
    }
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `pd_${crypto.createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs a query built with Kysely as a named prepared statement: for lookups by key that run on
 * every request (the API key, the brand, the customer by id), whose planning cost PostgreSQL more
 * than running them. Not for a statement whose best plan depends on a table's size: a generic plan
 * made while the table was empty stays (site users by email scanned every user of the brand). Such
 * a look inside a prepared statement goes through a function that plans it per call (migration 0020).
 */
export async function executePrepared<O>(db: Executor, query: Compilable<O>): Promise<O[]> {
  const compiled = query.compile();
  const { rows } = await db.executeQuery<O>({ ...compiled, sql: PREPARED + compiled.sql });
  return rows;
}
