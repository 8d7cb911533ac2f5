import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../../context.js';
import {
  fillPage,
  pageOf,
  rewriteTable,
  sessionsOlderThan,
  vacuumTable,
  type ScrubbedTable,
} from './erase-storage.repository.js';

/** Where an erased customer's old row versions lay, as the erase transaction found them. */
export interface ScrubTarget {
  table: ScrubbedTable;
  /** Heap addresses (ctid) of the row versions the erase replaced or deleted. */
  ctids: string[];
  /** The old versions were (or may have been) stored out of line (TOAST): rewrite the table. */
  rewrite: boolean;
}

/** How long the physical step waits for transactions older than the erase to end. */
const SNAPSHOT_WAIT_MS = 15_000;

/**
 * The physical half of an erase, after its transaction committed (numbered steps; SECURITY.md
 * "Erasure" says why each is needed):
 * 1. wait until no transaction that could still see the old row versions is open;
 * 2. VACUUM each table that held them, so they are pruned (their bytes stay in the page's free space);
 * 3. fill the free space of each page that held one, with row versions that are then rolled back;
 *    a page with no live row left to do it with makes its table a rewrite; steps 2 and 3 run twice;
 * 4. VACUUM again (the rolled-back versions), and rewrite (VACUUM FULL) the tables whose old data was
 *    stored out of line (images, long notes) or could not be filled.
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
    const filled = targets.filter((t) => !t.rewrite && t.ctids.length > 0);
    const rewrite = new Set(targets.filter((t) => t.rewrite).map((t) => t.table));
    // Twice: VACUUM prunes a page only if it can take the page's cleanup lock at once, and skips it while
    // anyone holds a pin (the background writer flushing the erase's own dirty page, say). A skipped page
    // would be pruned by the next VACUUM, after its fill, leaving the bytes in its free space; a second
    // round fills after that VACUUM. The second round touches only the pages the first one wrote.
    for (let round = 0; round < 2; round++) {
      for (const target of filled) if (!rewrite.has(target.table)) await vacuumTable(ctx.db, target.table);
      for (const target of filled) {
        if (rewrite.has(target.table)) continue;
        for (const page of new Set(target.ctids.map(pageOf))) {
          if ((await fillPage(ctx.db, target.table, page)) === 'no_live_row') rewrite.add(target.table);
        }
      }
    }
    for (const target of filled) if (!rewrite.has(target.table)) await vacuumTable(ctx.db, target.table);
    for (const table of rewrite) await rewriteTable(ctx.db, table);
    ctx.logger.info(
      { customer: customerId, ms: Date.now() - started, rewritten: [...rewrite] },
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

async function waitForOlderSnapshots(ctx: AppContext, xid: string): Promise<void> {
  const deadline = Date.now() + SNAPSHOT_WAIT_MS;
  while ((await sessionsOlderThan(ctx.db, xid)).length > 0) {
    if (Date.now() > deadline) throw new Error('a transaction older than the erase is still open');
    await sleep(100);
  }
}
