import { retryOnConnectionLoss } from '../../db/connection-errors.js';
import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { DomainError, fieldError } from '../../errors.js';
import { newId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { getBrand } from '../brands/index.js';
import { allowBulkSearchIndexing, mergeSearchPendingList } from '../customers/index.js';
import { ImportBatches, type ImportSettings, type ImportTally, type PreparedBatch } from './customer-import.batch.js';
import { checkMapping, planColumns, type ColumnPlan, type ColumnTarget } from './customer-import.columns.js';
import { invalidCsv, readCsvRecords, type CsvRecord } from './customer-import.csv.js';
import { finishImportRow, insertImport, updateImportProgress } from './customer-import.repository.js';
import type { CustomerImportView } from './customer-import.schemas.js';
import type { CustomerImportRow, ImportMode, ImportReport } from './customer-import.table.js';
import { toImportView } from './customer-import.view.js';

/** Rows per batch: one multi-row INSERT each for customers and for their timeline events. */
export const IMPORT_BATCH_SIZE = 1_000;

/**
 * Batches written at once in skip_invalid mode on PostgreSQL: a batch's statements are a chain of
 * round trips, each waiting on the last, and a second chain uses the time between (PGlite is one
 * connection; all-or-nothing is one transaction).
 */
const CONCURRENT_BATCHES = 2;

/** The file's bytes; called once to check it and once to import it. */
export type ByteSource = () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface ImportRequest {
  mode?: ImportMode | undefined;
  update_existing?: boolean | undefined;
  dry_run?: boolean | undefined;
  filename?: string | undefined;
  /** Header → field, for headers not recognised (customer-import.columns.ts). */
  mapping?: Record<string, string> | undefined;
}

export interface ImportHooks {
  /** Stops after the current batch (all-or-nothing: nothing is kept). */
  signal?: AbortSignal | undefined;
  onProgress?: ((tally: ImportTally & { rows_total: number }) => void) | undefined;
  batchSize?: number | undefined;
}

export interface PreparedImport {
  /** The job as created (status running): the file is readable UTF-8 CSV with an email column. */
  job: CustomerImportView;
  /** Does the work; never throws for the file's content: the job's status and error say how it ended. */
  run(hooks?: ImportHooks): Promise<CustomerImportView>;
}

/**
 * 1. Who may: customers.import, and customers.edit to update existing customers.
 * 2. The file is read once through (UTF-8, CSV, a header with an email column; the records are
 *    counted for progress), so a file that cannot be read is refused before anything is written.
 * 3. The job row is created; run() imports.
 */
export async function prepareImport(
  ctx: AppContext,
  principal: Principal,
  open: ByteSource,
  request: ImportRequest,
  options: { id?: string | undefined } = {},
): Promise<PreparedImport> {
  requirePermission(principal, 'customers.import');
  if (request.update_existing) requirePermission(principal, 'customers.edit');
  const explicit = checkMapping(request.mapping ?? {});
  const brand = await getBrand(ctx, principal.merchantId);
  const { plan, rows } = await scanFile(open(), explicit);
  const now = ctx.clock();
  const report: ImportReport = {
    mapping: plan.mapping,
    unknown_columns: plan.unknown,
    rows: [],
    rows_truncated: false,
  };
  const row: CustomerImportRow = {
    merchant_id: principal.merchantId,
    id: options.id ?? newId('imp'),
    status: 'running',
    mode: request.mode ?? 'all_or_nothing',
    update_existing: request.update_existing ?? false,
    dry_run: request.dry_run ?? false,
    filename: request.filename?.slice(0, 200) ?? null,
    actor_type: principal.actor.type,
    actor_id: principal.actor.id,
    rows_total: rows,
    rows_done: 0,
    imported: 0,
    updated: 0,
    skipped: 0,
    failed: 0,
    report,
    error: null,
    created_at: now,
    updated_at: now,
    finished_at: null,
  };
  await insertImport(ctx.db, { ...row, report: JSON.stringify(report) });
  const settings: ImportSettings = {
    merchantId: row.merchant_id,
    importId: row.id,
    mode: row.mode,
    updateExisting: row.update_existing,
    dryRun: row.dry_run,
    country: brand.country,
    actor: actorOf(principal),
  };
  return {
    job: toImportView(row),
    run: (hooks = {}) => runImport(ctx, row, settings, { open, plan }, hooks),
  };
}

/** Reads the whole file once: the header's plan and the number of records after it. */
async function scanFile(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  explicit: Map<string, ColumnTarget>,
): Promise<{ plan: ColumnPlan; rows: number }> {
  let plan: ColumnPlan | undefined;
  let rows = 0;
  for await (const record of readCsvRecords(source)) {
    if (plan === undefined) plan = planColumns(record.fields, explicit);
    else rows++;
  }
  if (!plan) throw invalidCsv('The file is empty: a CSV import needs a header row and customers');
  return { plan, rows };
}

class RolledBack extends Error {}

async function runImport(
  ctx: AppContext,
  job: CustomerImportRow,
  settings: ImportSettings,
  file: { open: ByteSource; plan: ColumnPlan },
  hooks: ImportHooks,
): Promise<CustomerImportView> {
  const { merchant_id: merchantId, id } = job;
  const rowsTotal = job.rows_total ?? 0;
  const keys = await ctx.keyring.forBrand(ctx.db, merchantId);
  const batches = new ImportBatches(ctx, settings, keys, file.plan);
  let stopped = false;

  // PGlite is one connection: while the all-or-nothing transaction holds it, progress stays in memory.
  // Writes of progress go one after another, each with the tally of its turn, so it never goes back.
  let progressWritten = Promise.resolve();
  const progress = async (inTransaction: boolean) => {
    hooks.onProgress?.({ ...batches.tally, rows_total: rowsTotal });
    if (inTransaction && ctx.databaseKind === 'pglite') return;
    progressWritten = progressWritten.then(() =>
      updateImportProgress(ctx.db, merchantId, id, {
        status: 'running',
        rows_total: rowsTotal,
        ...batches.tally,
        updated_at: ctx.clock(),
      }),
    );
    await progressWritten;
  };
  // Batch n+1 is checked and sealed (CPU, yielding) while batch n's statements run (database); with
  // `inFlight` 2, two batches' transactions run at once, on two connections.
  const each = async (write: (batch: PreparedBatch) => Promise<void>, inFlight = 1) => {
    const writing: Array<Promise<void>> = [];
    let failure: unknown;
    try {
      for await (const records of inBatches(readCsvRecords(file.open()), hooks.batchSize ?? IMPORT_BATCH_SIZE)) {
        if (hooks.signal?.aborted) {
          stopped = true;
          break;
        }
        const batch = await batches.prepare(records);
        while (writing.length >= inFlight) await writing.shift();
        const written = write(batch);
        // Awaited later; marked handled now, so a failure meanwhile is not "unhandled".
        written.catch(() => {});
        writing.push(written);
      }
    } catch (err) {
      failure = err;
    }
    // Nothing is reported while a batch is still being written.
    const outcomes = await Promise.allSettled(writing);
    if (failure !== undefined) throw failure;
    const failed = outcomes.find((o) => o.status === 'rejected');
    if (failed) throw failed.reason;
  };

  let error: string | null = null;
  let rolledBack = false;
  try {
    if (settings.dryRun) {
      await each(async (batch) => {
        await batches.write(ctx.db, batch);
        await progress(false);
      });
    } else if (settings.mode === 'skip_invalid') {
      // Each batch commits on its own: a stop keeps what is done, and a rerun skips it. Batches
      // hold different emails (in-file duplicates are set aside first), so two can commit at once.
      await each(
        async (batch) => {
          await ctx.db.transaction().execute(async (trx) => {
            await allowBulkSearchIndexing(trx);
            await batches.write(trx, batch);
          });
          await progress(false);
        },
        ctx.databaseKind === 'postgres' ? CONCURRENT_BATCHES : 1,
      );
    } else {
      await ctx.db.transaction().execute(async (trx) => {
        await allowBulkSearchIndexing(trx);
        await each(async (batch) => {
          await batches.write(trx, batch);
          await progress(true);
        });
        if (batches.tally.failed > 0 || stopped) throw new RolledBack();
      });
    }
  } catch (failure) {
    if (failure instanceof RolledBack) rolledBack = true;
    else if (failure instanceof DomainError) error = failure.message;
    else {
      ctx.logger.error({ err: failure, importId: id }, 'customer import failed');
      error = 'The import stopped on an unexpected error; run the same file again (rows already imported are skipped)';
    }
  }

  if (!settings.dryRun)
    await mergeSearchPendingList(ctx.db).catch((err: unknown) =>
      ctx.logger.warn({ err }, 'search index merge after an import failed'),
    );

  const tally = { ...batches.tally };
  // In the file's order (a batch's in-file duplicates are noted before the batch before it is written).
  let rows = [...batches.report].sort((a, b) => a.line - b.line);
  const wholeFile = settings.mode === 'all_or_nothing';
  if (wholeFile && tally.failed > 0) {
    const would = settings.dryRun ? 'would be' : 'was';
    error = `${tally.failed} ${tally.failed === 1 ? 'row is' : 'rows are'} invalid, so nothing ${would} imported (all-or-nothing); fix ${tally.failed === 1 ? 'it' : 'them'} or import with skip_invalid`;
  } else if (stopped) {
    error = wholeFile
      ? 'Stopped before the end: nothing was imported (all-or-nothing); run the same file again'
      : `Stopped after ${tally.rows_done} of ${rowsTotal} rows; run the same file again: the rows already imported are skipped`;
  }
  if ((rolledBack || (wholeFile && tally.failed > 0)) && tally.imported + tally.updated > 0) {
    tally.imported = 0;
    tally.updated = 0;
    rows = rows.filter((r) => r.status !== 'updated');
  }
  const status = error === null ? 'succeeded' : 'failed';
  const report: ImportReport = {
    mapping: file.plan.mapping,
    unknown_columns: file.plan.unknown,
    rows,
    rows_truncated: batches.truncated,
  };
  const now = ctx.clock();
  const end = { status, rows_total: rowsTotal, ...tally, error, updated_at: now, finished_at: now } as const;
  await retryOnConnectionLoss(() =>
    finishImportRow(ctx.db, merchantId, id, { ...end, report: JSON.stringify(report) }),
  );
  await auditImport(ctx.db, job, settings, { status, ...tally });
  return toImportView({ ...job, ...end, report });
}

/** Counts and options only: the audit log never holds what the file held. */
async function auditImport(
  db: Executor,
  job: CustomerImportRow,
  settings: ImportSettings,
  outcome: ImportTally & { status: string },
): Promise<void> {
  await recordAudit(db, {
    merchantId: job.merchant_id,
    actor: settings.actor,
    action: 'customers.import',
    target: { type: 'customer_import', id: job.id },
    details: {
      status: outcome.status,
      mode: job.mode,
      update_existing: job.update_existing,
      dry_run: job.dry_run,
      rows: outcome.rows_done,
      imported: outcome.imported,
      updated: outcome.updated,
      skipped: outcome.skipped,
      failed: outcome.failed,
    },
  });
}

/** The records after the header, `size` at a time. */
async function* inBatches(records: AsyncIterable<CsvRecord>, size: number): AsyncGenerator<CsvRecord[]> {
  let header = true;
  let batch: CsvRecord[] = [];
  for await (const record of records) {
    if (header) {
      header = false;
      continue;
    }
    batch.push(record);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** The API's `mapping` query parameter: a JSON object of strings. */
export function parseMappingParam(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw fieldError('mapping', 'must be a JSON object: {"header":"field"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw fieldError('mapping', 'must be a JSON object: {"header":"field"}');
  }
  for (const [header, target] of Object.entries(parsed)) {
    if (typeof target !== 'string') throw fieldError(`mapping.${header}`, 'must be a string');
  }
  return parsed as Record<string, string>;
}
