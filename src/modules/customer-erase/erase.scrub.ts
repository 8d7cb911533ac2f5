import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../../context.js';
import {
  fillPage,
  pageOf,
  rewriteTable,
  sessionsOlderThan,
  tableSizeMb,
  vacuumTable,
  type ScrubbedTable,
} from './erase-storage.repository.js';

/** Where an erased customer's old row versions lay, as the erase transaction found them. */
export interface ScrubTarget {
  table: ScrubbedTable;
  /** Heap addresses (ctid) of the row versions the erase replaced or deleted. */
  ctids: string[];
  /** The old versions were (or may have been) stored out of line (TOAST), where no page fill reaches. */
  rewrite: boolean;
}

/** How long the physical step waits for transactions older than the erase to end. */
const SNAPSHOT_WAIT_MS = 15_000;

/**
 * The physical half of an erase, after its transaction committed (SECURITY.md "Erasure" says why):
 * 1. wait until no transaction that could still see the old row versions is open;
 * 2. rewrite (VACUUM FULL) each table that held them while it is at most `eraseRewriteLimitMb`:
 *    new files hold only live rows, the old files are dropped. This is the only step that leaves
 *    nothing behind: a row's earlier versions may lie on any page it lived on, and the free space
 *    VACUUM leaves in a page keeps the bytes of what it pruned;
 * 3. a larger table is not locked that long: its erased rows' pages are pruned and filled (row
 *    versions written over their free space, then rolled back), which overwrites most of the old
 *    bytes but cannot promise all of them, and the answer is false: the operator rewrites it.
 * Never throws: a failure leaves the erase itself done, is logged, and answers false.
 */
export async function scrubErased(
  ctx: AppContext,
  customerId: string,
  xid: string,
  targets: ScrubTarget[],
): Promise<boolean> {
  const started = Date.now();
  try {
    await waitForOlderSnapshots(ctx, xid);
    const held = targets.filter((t) => t.rewrite || t.ctids.length > 0);
    const rewritten: ScrubbedTable[] = [];
    const left: ScrubTarget[] = [];
    for (const target of held) {
      if ((await tableSizeMb(ctx.db, target.table)) <= ctx.config.eraseRewriteLimitMb) rewritten.push(target.table);
      else left.push(target);
    }
    for (const table of rewritten) await rewriteTable(ctx.db, table);
    await fillPagesOf(
      ctx,
      left.filter((t) => !t.rewrite),
    );
    if (left.length > 0) {
      ctx.logger.warn(
        { customer: customerId, ms: Date.now() - started, rewritten, left: left.map((t) => t.table) },
        `erase: tables over PAYDESK_ERASE_REWRITE_LIMIT_MB (${ctx.config.eraseRewriteLimitMb}) were filled, not rewritten; ` +
          'old row versions may remain until the operator rewrites them (SECURITY.md "Erasure")',
      );
      return false;
    }
    ctx.logger.info(
      { customer: customerId, ms: Date.now() - started, rewritten },
      'erase: old row versions removed from the database files',
    );
    return true;
  } catch (error) {
    ctx.logger.error(
      { err: error, customer: customerId },
      'erase: the personal data is erased, but removing its old row versions from the database files failed; ' +
        'run VACUUM FULL on customers, site_users, orders, customer_notes and customer_images (SECURITY.md "Erasure")',
    );
    return false;
  }
}

/**
 * Best effort for a table too large to rewrite: VACUUM (FREEZE) prunes the erased rows' old
 * versions, then each page that held one has its free space written over, twice.
 */
async function fillPagesOf(ctx: AppContext, targets: ScrubTarget[]): Promise<void> {
  for (let round = 0; round < 2; round++) {
    for (const target of targets) {
      await vacuumTable(ctx.db, target.table);
      for (const page of new Set(target.ctids.map(pageOf))) await fillPage(ctx.db, target.table, page);
    }
  }
  for (const target of targets) await vacuumTable(ctx.db, target.table);
}

async function waitForOlderSnapshots(ctx: AppContext, xid: string): Promise<void> {
  const deadline = Date.now() + SNAPSHOT_WAIT_MS;
  while ((await sessionsOlderThan(ctx.db, xid)).length > 0) {
    if (Date.now() > deadline) throw new Error('a transaction older than the erase is still open');
    await sleep(100);
  }
}
