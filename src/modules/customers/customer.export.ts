import { Readable } from 'node:stream';
import type { AppContext } from '../../context.js';
import { checkFields, fieldError } from '../../errors.js';
import { isId } from '../../ids.js';
import type { PageCursor } from '../../db/keyset.js';
import { siblingModuleUrl } from '../../workers/worker-pool.js';
import { getBrand } from '../brands/index.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { walkCustomersForExport, type CustomerExportRow } from './customer.repository.js';
import { findCustomerListPage } from './customer.list.js';
import { isDefaultSort, type ListPosition } from './customer.list-cursor.js';
import {
  isEmptyFilter,
  parseCustomerListParams,
  type CustomerFilter,
  type ParsedCustomerList,
} from './customer.list-params.js';
import { contactAccessOf, decryptContact, toCustomerView, type ContactAccess } from './customer.view.js';
import {
  exportCsvHeader,
  exportCsvLines,
  exportCsvOfRows,
  type ExportCsvTask,
  type ExportRowTuple,
} from './customer-export.csv.js';
import type { CustomerListParams } from './customer.schemas.js';

export { EXPORT_COLUMNS } from './customer-export.csv.js';

/** Rows read, decrypted and written per step: memory holds a few batches, whatever the brand's size. */
export const EXPORT_BATCH_SIZE = 1000;

/** The worker module that decrypts and writes the walk's batches after the first (customer-export.worker.ts). */
export const EXPORT_WORKER_URL = siblingModuleUrl(import.meta.url, 'customer-export.worker');

/** The list's sort, filters and search (as query parameters), or a selection of ids. */
export type CustomerExportFilter = CustomerListParams & {
  /** Comma-separated customer ids (a bulk selection), at most MAX_EXPORT_IDS; others' ids are simply absent. */
  ids?: string | undefined;
};

// A URL holds at most 8 KiB (src/http/request-limits.ts): 200 ids of 30 characters fit with room for the
// filters. A larger selection is exported as a bulk action (POST /customers/bulk, action export).
export const MAX_EXPORT_IDS = 200;

export interface CustomerExport {
  filename: string;
  masked: boolean;
  /** The CSV, produced batch by batch as it is read. */
  csv: Readable;
}

/**
 * GET /customers/export: every customer the list with the same parameters shows (sort, filters,
 * search), or a selection of ids, as CSV, masked like the list for roles without raw contact
 * access. The export is audited before the first row is read, so a file that leaves the server is
 * always on record; the search text is not (it is personal data).
 */
export async function exportCustomers(
  ctx: AppContext,
  principal: Principal,
  filter: CustomerExportFilter,
  options: { ip?: string | undefined; batchSize?: number } = {},
): Promise<CustomerExport> {
  // 1. Who may, and what they asked for.
  requirePermission(principal, 'customers.read');
  const { ids: idsParam, ...params } = filter;
  const [list, ids] = checkFields(
    () => parseCustomerListParams(params, ctx.clock()),
    () => (idsParam === undefined ? undefined : parseIds(idsParam)),
  );
  const { merchantId } = principal;
  const brand = await getBrand(ctx, merchantId);
  const access = contactAccessOf(principal);
  const masked = access === 'masked';

  // 2. On record before any data leaves.
  await recordAudit(ctx.db, {
    merchantId,
    actor: actorOf(principal),
    action: 'customers.export',
    target: { type: 'brand', id: merchantId },
    ip: options.ip,
    details: {
      masked,
      filtered: list.q !== undefined || !isEmptyFilter(list.filter) || ids !== undefined,
      ...(ids ? { selected: ids.length } : {}),
    },
  });

  // 3. The rows, a batch of CSV lines at a time, through the list's own view (and so its masking).
  const batchSize = options.batchSize ?? EXPORT_BATCH_SIZE;
  async function* lines(): AsyncGenerator<string> {
    yield exportCsvHeader();
    if (ids === undefined && isNewestFirstByCreation(list)) {
      const walk = { merchantId, filter: list.filter, batchSize, access, baseCurrency: brand.base_currency };
      yield* newestFirstCsv(ctx, walk);
      return;
    }
    // Any other sort, filter, search or selection: the list's own pages, batch-sized.
    let after: ListPosition | undefined;
    do {
      const page = await findCustomerListPage(ctx, principal, list, { limit: batchSize, after, ids }, brand);
      const missing = page.found.filter((f) => !f.contact).map((f) => f.row.data_key_id);
      const keys = missing.length > 0 ? await ctx.keyring.forBrand(ctx.db, merchantId, missing) : undefined;
      yield exportCsvLines(
        page.found.map(({ row, contact }) =>
          toCustomerView(row, contact ?? decryptContact(keys!, row), brand.base_currency, access),
        ),
      );
      after = page.next ?? undefined;
    } while (after !== undefined);
  }

  // 4. Written while read; a failure mid-file ends the response early (the error is logged by Fastify).
  const day = ctx.clock().toISOString().slice(0, 10);
  return { filename: `customers-${merchantId}-${day}.csv`, masked, csv: Readable.from(lines()) };
}

/** Newest first with no filter but a creation range: the export's fast walk (newestFirstCsv). */
function isNewestFirstByCreation(list: ParsedCustomerList): boolean {
  const held = Object.keys(list.filter).every((key) => key === 'createdGte' || key === 'createdLt');
  return list.q === undefined && isDefaultSort(list.sort) && held;
}

interface ExportWalk {
  merchantId: string;
  filter: CustomerFilter;
  batchSize: number;
  access: ContactAccess;
  baseCurrency: string;
}

/**
 * The whole brand newest first, the export's common case and the one that must be fast at a million
 * rows. Decryption is most of the work (three AES-GCM fields a row), so batches after the first go
 * to the worker pool, one per core, while this thread reads the batches after them; the CSV comes
 * back and is written in order. The first batch is done here: a small brand never starts a worker.
 */
async function* newestFirstCsv(ctx: AppContext, walk: ExportWalk): AsyncGenerator<string> {
  const { merchantId, batchSize } = walk;
  const range = { createdGte: walk.filter.createdGte, createdLt: walk.filter.createdLt };
  const pool = ctx.workers.pool<ExportCsvTask, string>(EXPORT_WORKER_URL);
  // Batches read and handed to a worker, oldest first: the pool's size plus one keeps every worker busy.
  const inFlight: Array<Promise<string>> = [];
  let after: PageCursor | undefined;
  let first = true;
  for (;;) {
    const rows = await walkCustomersForExport(ctx.db, merchantId, { limit: batchSize, after, ...range });
    if (rows.length > 0) {
      const task = await csvTask(ctx, walk, rows);
      if (first) yield exportCsvOfRows(task);
      else {
        const csv = pool.run(task);
        csv.catch(() => {}); // awaited below in order; a download stopped early leaves it unawaited
        inFlight.push(csv);
      }
      first = false;
    }
    const last = rows[rows.length - 1];
    const more = last !== undefined && rows.length === batchSize;
    while (inFlight.length > (more ? pool.size : 0)) yield await inFlight.shift()!;
    if (!more) return;
    after = { createdAt: new Date(last.created_ms), id: last.id };
  }
}

async function csvTask(ctx: AppContext, walk: ExportWalk, rows: CustomerExportRow[]): Promise<ExportCsvTask> {
  const keys = await ctx.keyring.forBrand(ctx.db, walk.merchantId, [...new Set(rows.map((r) => r.data_key_id))]);
  return {
    merchantId: walk.merchantId,
    keys: { activeDataKeyId: keys.activeDataKeyId, dataKeys: keys.dataKeys },
    access: walk.access,
    baseCurrency: walk.baseCurrency,
    rows: rows.map((r): ExportRowTuple => [
      r.id,
      r.source,
      r.transactions_count,
      r.total_spent_minor,
      r.last_payment_ms,
      r.created_ms,
      r.metadata_json,
      r.name_base64,
      r.email_base64,
      r.phone_base64,
    ]),
  };
}

function parseIds(text: string): string[] {
  const ids = [...new Set(text.split(',').map((id) => id.trim()))];
  if (ids.length === 0 || ids.some((id) => !isId('cus', id))) {
    throw fieldError('ids', 'must be customer ids (cus_…), comma-separated');
  }
  if (ids.length > MAX_EXPORT_IDS) throw fieldError('ids', `must name at most ${MAX_EXPORT_IDS} customers`);
  return ids;
}
