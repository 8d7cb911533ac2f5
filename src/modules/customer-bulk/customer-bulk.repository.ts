import type { Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { CustomerBulkJobRow, CustomerBulkJobTable, NewCustomerBulkJobRow } from './customer-bulk-job.table.js';

/** The job table holds ids, codes and counts only (no contact data, no search text), so every column is read. */

export async function insertBulkJob(db: Executor, row: NewCustomerBulkJobRow): Promise<void> {
  await db.insertInto('customer_bulk_jobs').values(row).execute();
}

export async function findBulkJob(
  db: Executor,
  merchantId: string,
  id: string,
): Promise<CustomerBulkJobRow | undefined> {
  return db
    .selectFrom('customer_bulk_jobs')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export type BulkJobChanges = Pick<
  Updateable<CustomerBulkJobTable>,
  'status' | 'total' | 'done' | 'succeeded' | 'refused' | 'refusals' | 'error' | 'updated_at' | 'finished_at'
>;

/** Progress after a batch (also the heartbeat that tells a live job from one lost with its server), or the end. */
export async function updateBulkJob(
  db: Executor,
  merchantId: string,
  id: string,
  changes: BulkJobChanges,
): Promise<void> {
  await db
    .updateTable('customer_bulk_jobs')
    .set(changes)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .execute();
}

/**
 * Marks failed the unfinished jobs no live runner holds: those whose heartbeat is older than
 * `staleBefore` (every unfinished one with `staleBefore` null: PGlite has one process). `except`
 * are the jobs this process runs.
 */
export async function failInterruptedBulkJobs(
  db: Executor,
  p: { merchantId?: string | undefined; staleBefore: Date | null; except: string[]; now: Date; error: string },
): Promise<number> {
  let query = db
    .updateTable('customer_bulk_jobs')
    .set({ status: 'failed', error: p.error, updated_at: p.now, finished_at: p.now })
    .where('status', 'in', ['queued', 'running']);
  if (p.merchantId !== undefined) query = query.where('merchant_id', '=', p.merchantId);
  if (p.staleBefore !== null) query = query.where('updated_at', '<', p.staleBefore);
  if (p.except.length > 0) query = query.where('id', 'not in', p.except);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
