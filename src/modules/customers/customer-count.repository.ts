import { sql } from 'kysely';
import type { Database, Executor } from '../../db/database.js';
import { allOf, driverCustomers, rowConditions, type Driver, type ListScope } from './customer-list.sql.js';

/** How many of the brand's customers match, counting to `cap + 1` at most (reads every row until then). */
export async function countMatchingUpTo(db: Executor, scope: ListScope, cap: number): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`SELECT count(*) AS n FROM (
      SELECT 1 FROM customers c WHERE c.merchant_id = ${scope.merchantId} AND ${allOf(rowConditions(scope))}
      LIMIT ${cap + 1}) matching`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Like countMatchingUpTo, reading only the rows one driver proposes (few: the caller has counted
 * them), each by primary key (run it in inWalkPlan).
 */
export async function countDriverMatches(db: Executor, scope: ListScope, driver: Driver): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${driverCustomers(scope, driver)}
    WHERE ${allOf(rowConditions(scope))}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * countMatchingUpTo within a time limit (PostgreSQL's statement_timeout, for this statement's
 * transaction only): null when the limit cuts it short.
 */
export async function countMatchingWithin(
  db: Database,
  scope: ListScope,
  cap: number,
  timeoutMs: number,
): Promise<number | null> {
  try {
    return await db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('statement_timeout', ${String(timeoutMs)}, true)`.execute(trx);
      return countMatchingUpTo(trx, scope, cap);
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === QUERY_CANCELED) return null;
    throw error;
  }
}

/** SQLSTATE of a statement cancelled by statement_timeout. */
const QUERY_CANCELED = '57014';
