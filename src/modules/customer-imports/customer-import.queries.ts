import { stringify } from 'csv-stringify/sync';
import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { decodePageCursor, toPage } from '../../http/page-cursor.js';
import { isId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import type { ImportTally } from './customer-import.batch.js';
import { failInterruptedImports, findImport, listImportsPage } from './customer-import.repository.js';
import type { CustomerImportListView, CustomerImportView, ImportListQuery } from './customer-import.schemas.js';
import type { CustomerImportRow } from './customer-import.table.js';
import { toImportView } from './customer-import.view.js';

/** What a server knows of the imports it runs: their progress runs ahead of their rows. */
export interface LiveImports {
  progress(id: string): ImportTally | undefined;
  ids(): string[];
}

/**
 * A job runs in the process that started it. On PostgreSQL it writes a heartbeat (updated_at) each
 * batch; one silent this long died with its process. PGlite has one process: a job it does not
 * run is dead.
 */
export const IMPORT_STALE_MS = 2 * 60_000;

export const INTERRUPTED =
  'Interrupted: the process running it stopped. Run the same file again; the rows already imported are skipped.';

function importNotFound(id: string): DomainError {
  return new DomainError('import_not_found', `No import ${id.slice(0, 60)} in this brand`);
}

/** Marks failed the unfinished jobs no process runs any more (at start, and before a job is read). */
export async function failInterrupted(ctx: AppContext, live: LiveImports, merchantId?: string): Promise<number> {
  const now = ctx.clock();
  return failInterruptedImports(ctx.db, {
    merchantId,
    staleBefore: ctx.databaseKind === 'pglite' ? null : new Date(now.getTime() - IMPORT_STALE_MS),
    except: live.ids(),
    now,
    error: INTERRUPTED,
  });
}

async function readableImport(
  ctx: AppContext,
  principal: Principal,
  id: string,
  live: LiveImports,
): Promise<CustomerImportRow> {
  requirePermission(principal, 'customers.import');
  if (!isId('imp', id)) throw importNotFound(id);
  let row = await findImport(ctx.db, principal.merchantId, id);
  if (!row) throw importNotFound(id);
  if (!row.finished_at && live.progress(id) === undefined) {
    if ((await failInterrupted(ctx, live, principal.merchantId)) > 0)
      row = (await findImport(ctx.db, principal.merchantId, id)) ?? row;
  }
  return row;
}

/** GET /customer-imports/{id}. */
export async function getImport(
  ctx: AppContext,
  principal: Principal,
  id: string,
  live: LiveImports,
): Promise<CustomerImportView> {
  const row = await readableImport(ctx, principal, id, live);
  return toImportView(row, row.finished_at ? undefined : live.progress(id));
}

/** GET /customer-imports: newest first. */
export async function listImports(
  ctx: AppContext,
  principal: Principal,
  query: ImportListQuery,
  live: LiveImports,
): Promise<CustomerImportListView> {
  requirePermission(principal, 'customers.import');
  const after = query.cursor === undefined ? undefined : decodePageCursor(query.cursor, 'imp');
  await failInterrupted(ctx, live, principal.merchantId);
  const rows = await listImportsPage(ctx.db, principal.merchantId, { limit: query.limit + 1, after });
  return toPage(rows, query.limit, (row) => toImportView(row, row.finished_at ? undefined : live.progress(row.id)));
}

export const REPORT_COLUMNS = ['line', 'status', 'field', 'reason', 'customer'] as const;

/**
 * GET /customer-imports/{id}/report: the problem rows as CSV. Lines, fields and reasons only (the
 * reasons never quote a value), so the report holds no contact data.
 */
export async function importReport(
  ctx: AppContext,
  principal: Principal,
  id: string,
  live: LiveImports,
): Promise<{ filename: string; csv: string }> {
  const row = await readableImport(ctx, principal, id, live);
  const records = (row.report.rows ?? []).map((r) => [
    r.line,
    r.status,
    textCell(r.field),
    textCell(r.reason),
    r.customer,
  ]);
  const csv = stringify([[...REPORT_COLUMNS], ...records]);
  return { filename: `${row.id}-report.csv`, csv };
}

/** A cell a spreadsheet would run as a formula (a metadata key from a header) gets a leading apostrophe. */
function textCell(value: string | null): string {
  if (value === null) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
