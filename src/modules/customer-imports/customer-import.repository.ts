import type { Executor } from '../../db/database.js';
import type { PageCursor } from '../../db/keyset.js';
import { newestFirstPage } from '../../db/keyset.js';
import type { CustomerImportRow, ImportStatus, NewCustomerImportRow } from './customer-import.table.js';

export async function insertImport(db: Executor, row: NewCustomerImportRow): Promise<void> {
  await db.insertInto('customer_imports').values(row).execute();
}

export async function findImport(db: Executor, merchantId: string, id: string): Promise<CustomerImportRow | undefined> {
  return db
    .selectFrom('customer_imports')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Newest first, by keyset. The table holds no ciphertext and no contact data, so every column is read. */
export async function listImportsPage(
  db: Executor,
  merchantId: string,
  page: { limit: number; after?: PageCursor | undefined },
): Promise<CustomerImportRow[]> {
  const query = db.selectFrom('customer_imports').selectAll().where('merchant_id', '=', merchantId);
  return newestFirstPage(query, page).execute();
}

export interface ImportProgress {
  status: ImportStatus;
  rows_total: number | null;
  rows_done: number;
  imported: number;
  updated: number;
  skipped: number;
  failed: number;
}

/** Progress and counts; also the heartbeat (updated_at) that tells a live job from one lost with its server. */
export async function updateImportProgress(
  db: Executor,
  merchantId: string,
  id: string,
  progress: ImportProgress & { updated_at: Date },
): Promise<void> {
  await db
    .updateTable('customer_imports')
    .set(progress)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .execute();
}

export async function finishImportRow(
  db: Executor,
  merchantId: string,
  id: string,
  end: ImportProgress & { report: string; error: string | null; updated_at: Date; finished_at: Date },
): Promise<void> {
  await db
    .updateTable('customer_imports')
    .set(end)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .execute();
}

/**
 * Marks failed the unfinished jobs no live runner holds: those whose heartbeat is older than
 * `staleBefore` (or every unfinished one, with `staleBefore` null: PGlite has one process).
 * `except` are the jobs this process runs.
 */
export async function failInterruptedImports(
  db: Executor,
  p: { merchantId?: string | undefined; staleBefore: Date | null; except: string[]; now: Date; error: string },
): Promise<number> {
  let query = db
    .updateTable('customer_imports')
    .set({ status: 'failed', error: p.error, updated_at: p.now, finished_at: p.now })
    .where('status', 'in', ['queued', 'running']);
  if (p.merchantId !== undefined) query = query.where('merchant_id', '=', p.merchantId);
  if (p.staleBefore !== null) query = query.where('updated_at', '<', p.staleBefore);
  if (p.except.length > 0) query = query.where('id', 'not in', p.except);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
