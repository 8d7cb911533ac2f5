import { sql, type Transaction } from 'kysely';
import type pg from 'pg';
import type { Database, Executor } from './database.js';
import type { DB } from './schema.js';

/**
 * The planner settings of the lists' ordered index walks: no sort, no bitmap scan, nested loops
 * only. Right after a bulk load (no ANALYZE yet; this machine runs without autovacuum) the planner
 * guesses a few hundred rows for a brand of a million and would read and sort all of them for every
 * page: 1 s a page where the walk takes 1 ms (bench/list.bench.ts; it writes the plans to
 * $TMPDIR/paydesk-list-plan.txt). A sort that remains (a driver's few rows) carries the "disabled"
 * cost, which would make PostgreSQL JIT-compile it (100 ms): jit is off too.
 */
export const WALK_SETTINGS: Readonly<Record<string, 'off'>> = {
  enable_sort: 'off',
  enable_bitmapscan: 'off',
  enable_hashjoin: 'off',
  enable_mergejoin: 'off',
  enable_material: 'off',
  jit: 'off',
};

/**
 * The main pool's session settings where sessions are the server's own. JIT compiles a query for
 * tens of milliseconds to save as much on scans of millions of rows: never worth it for the short
 * statements of a payments dashboard.
 */
export const MAIN_SETTINGS: Readonly<Record<string, 'off'>> = { jit: 'off' };

/**
 * Pool options that give every new connection these session settings, with a statement rather
 * than as startup options (PgBouncer refuses those). pg-pool awaits its `onConnect` hook before
 * handing the connection out, so the statement never queues behind another on the same connection
 * (which pg@9 will refuse); a connection whose settings fail is closed, not used.
 */
export function sessionSetUp(settings: Readonly<Record<string, string>>): Pick<pg.PoolConfig, 'onConnect'> {
  const setUp = Object.entries(settings).map(([name, value]) => `SET ${name} = ${value}`);
  if (setUp.length === 0) return {};
  const statement = setUp.join('; ');
  const onConnect = async (client: pg.ClientBase): Promise<void> => {
    await client.query(statement);
  };
  // @types/pg types the hook as returning void; pg-pool awaits the promise it returns.
  return { onConnect: onConnect as (client: pg.ClientBase) => void };
}

/** 'walk': WALK_SETTINGS. 'gin': jit off only, for the search's GIN index (read by bitmap scans only). */
export type WalkPlan = 'walk' | 'gin';

/**
 * On PostgreSQL with sessions of its own, the walks run on a second pool whose connections start
 * with WALK_SETTINGS (and the first pool's with jit off): each statement is one round trip. Without
 * one (PGlite's single connection, a pooler in transaction mode, where a session setting would
 * reach other clients' transactions) the settings are set for one transaction: begin, set_config,
 * the statements, commit.
 */
const walkDatabases = new WeakMap<Database, Database>();

export function registerWalkDatabase(db: Database, walkDb: Database): void {
  walkDatabases.set(db, walkDb);
}

/** Runs `fn` with its statements planned per `plan`. Given a transaction, `fn` runs in it. */
export async function inWalkPlan<T>(
  db: Executor,
  fn: (db: Executor) => Promise<T>,
  plan: WalkPlan = 'walk',
): Promise<T> {
  if (db.isTransaction) {
    const trx = db as Transaction<DB>;
    if (plansInUse.get(trx) !== plan) await usePlan(trx, plan);
    return fn(trx);
  }
  const walkDb = walkDatabases.get(db);
  if (walkDb) return fn(plan === 'walk' ? walkDb : db);
  return db.transaction().execute(async (trx) => {
    await usePlan(trx, plan);
    return fn(trx);
  });
}

/**
 * Runs a scan of several steps (a search's windows, counts and driver): as it is where the walks
 * have their own pool, else in one transaction whose settings change only when a step's plan
 * differs from the previous one's (one begin and commit for the whole scan).
 */
export async function inScan<T>(db: Database, fn: (db: Executor) => Promise<T>): Promise<T> {
  return walkDatabases.has(db) ? fn(db) : db.transaction().execute(fn);
}

const plansInUse = new WeakMap<Transaction<DB>, WalkPlan>();

async function usePlan(trx: Transaction<DB>, plan: WalkPlan): Promise<void> {
  const settings = Object.keys(WALK_SETTINGS).map(
    (name) => sql`set_config(${name}, ${plan === 'walk' || name === 'jit' ? 'off' : 'on'}, true)`,
  );
  await sql`SELECT ${sql.join(settings)}`.execute(trx);
  plansInUse.set(trx, plan);
}
