import { sql } from 'kysely';
import type { Database, Executor } from '../../db/database.js';

/*
 * Storage statements of an erase's physical step (erase.scrub.ts). They act on the files under a
 * table, not on its rows' meaning: VACUUM, a rewrite, and a page fill whose row writes are always
 * rolled back. So they live here, for the closed list of tables an erase touches, rather than as one
 * more statement in each owning module.
 */

/** The tables that may hold an erased customer's old row versions. */
export const SCRUBBED_TABLES = ['customers', 'site_users', 'orders', 'customer_notes', 'customer_images'] as const;
export type ScrubbedTable = (typeof SCRUBBED_TABLES)[number];

/**
 * Prunes dead row versions (and their index entries). Runs outside any transaction. FREEZE: a plain
 * VACUUM skips pruning a page while another process holds a pin on it (the background writer, a
 * reader); one that must freeze a row there waits for the page instead, and with FREEZE every row
 * older than the erase must be frozen, the erased versions' neighbours and successors included.
 * The first erase after a bulk load freezes the whole table once; later ones find it frozen.
 */
export async function vacuumTable(db: Database, table: ScrubbedTable): Promise<void> {
  await sql`VACUUM (FREEZE) ${sql.table(table)}`.execute(db);
}

/** The table with its TOAST relation and indexes, in MB. */
export async function tableSizeMb(db: Database, table: ScrubbedTable): Promise<number> {
  const { rows } = await sql<{ bytes: string }>`
    SELECT pg_total_relation_size(${table}::regclass)::text AS bytes`.execute(db);
  return Number(rows[0]!.bytes) / 2 ** 20;
}

/** Rewrites the table, its TOAST relation and its indexes into new files; the old files are dropped. */
export async function rewriteTable(db: Database, table: ScrubbedTable): Promise<void> {
  await sql`VACUUM FULL ${sql.table(table)}`.execute(db);
}

/** The transaction id of the caller's transaction (it is assigned one by then: it wrote). */
export async function currentTransactionId(db: Executor): Promise<string> {
  const { rows } = await sql<{ xid: string }>`SELECT (txid_current() % 4294967296)::text AS xid`.execute(db);
  return rows[0]!.xid;
}

/**
 * The pids of sessions whose snapshot, or whose own running transaction, is older than the transaction `xid`:
 * while one is open, VACUUM keeps the row versions `xid` replaced (its horizon is the oldest of both).
 * A transaction idle between statements holds no snapshot but still has its id, so both are looked
 * at. (Sessions of other roles show neither without pg_read_all_stats; SECURITY.md says so.)
 */
export async function sessionsOlderThan(db: Database, xid: string): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`
    SELECT pid FROM pg_stat_activity
     WHERE pid <> pg_backend_pid()
       AND ((backend_xmin IS NOT NULL AND age(backend_xmin) >= age(${xid}::text::xid))
         OR (backend_xid IS NOT NULL AND age(backend_xid) > age(${xid}::text::xid)))`.execute(db);
  return rows.map((row) => row.pid);
}

/** Thrown to end a fill's transaction with a rollback. */
class RolledBack extends Error {}

/**
 * Overwrites the free space of heap page `page`: one live row of the page is updated to itself again
 * and again (each version is written at the top of the page's free space, where VACUUM left the
 * pruned bytes) until a version no longer fits there, then everything is rolled back, so nothing
 * changed logically. A page with no live row (or only locked ones) is left as it is. `SKIP LOCKED`
 * and a lock timeout keep it from waiting on a busy row.
 */
export async function fillPage(db: Database, table: ScrubbedTable, page: number, maxWrites = 2000): Promise<void> {
  const from = `(${page},0)`;
  const to = `(${page + 1},0)`;
  try {
    await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL lock_timeout = '2s'`.execute(trx);
      const { rows } = await sql<{ ctid: string }>`
        SELECT ctid::text AS ctid FROM ${sql.table(table)}
         WHERE ctid >= ${from}::tid AND ctid < ${to}::tid
         LIMIT 1 FOR UPDATE SKIP LOCKED`.execute(trx);
      let tid = rows[0]?.ctid;
      if (tid === undefined) return;
      for (let writes = 0; writes < maxWrites; writes++) {
        const next = await sql<{ ctid: string }>`
          UPDATE ${sql.table(table)} SET merchant_id = merchant_id WHERE ctid = ${tid}::tid RETURNING ctid::text AS ctid`.execute(
          trx,
        );
        const written: string | undefined = next.rows[0]?.ctid;
        if (written === undefined || pageOf(written) !== page) break;
        tid = written;
      }
      throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
}

/** The heap page of a ctid text such as "(12,7)". */
export function pageOf(ctid: string): number {
  const match = /^\((\d+),\d+\)$/.exec(ctid);
  if (!match) throw new Error(`not a ctid: ${ctid}`);
  return Number(match[1]);
}
