import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { AppContext } from '../../context.js';
import { checkFields, fieldError } from '../../errors.js';
import { isId } from '../../ids.js';
import { minorDigits } from '../../money/currency.js';
import type { PageCursor } from '../../db/keyset.js';
import { getBrand } from '../brands/index.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { walkCustomersNewestFirst, type CustomerRecord } from './customer.repository.js';
import { findCustomerListPage } from './customer.list.js';
import { isDefaultSort, type ListPosition } from './customer.list-cursor.js';
import {
  isEmptyFilter,
  parseCustomerListParams,
  type CustomerFilter,
  type ParsedCustomerList,
} from './customer.list-params.js';
import { contactAccessOf, decryptContact, toCustomerView } from './customer.view.js';
import type { CustomerListParams, CustomerView } from './customer.schemas.js';

/** Rows read, decrypted and written per step: memory holds one batch, whatever the brand's size. */
export const EXPORT_BATCH_SIZE = 1000;

export const EXPORT_COLUMNS = [
  'id',
  'name',
  'email',
  'phone',
  'source',
  'transactions_count',
  'total_spent',
  'total_spent_minor',
  'currency',
  'last_payment_at',
  'created_at',
  'metadata',
] as const;
type ExportRecord = Record<(typeof EXPORT_COLUMNS)[number], string | number | null>;

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

  // 3. The rows, a batch at a time, through the list's own view (and so its masking).
  const batchSize = options.batchSize ?? EXPORT_BATCH_SIZE;
  const toViews = async (rows: CustomerRecord[]): Promise<CustomerView[]> => {
    const keys = await ctx.keyring.forBrand(
      ctx.db,
      merchantId,
      rows.map((r) => r.data_key_id),
    );
    return rows.map((row) => toCustomerView(row, decryptContact(keys, row), brand.base_currency, access));
  };
  async function* views(): AsyncGenerator<CustomerView[]> {
    if (ids === undefined && isNewestFirstByCreation(list)) {
      yield* newestFirstBatches(ctx, merchantId, list.filter, batchSize, toViews);
      return;
    }
    // Any other sort, filter, search or selection: the list's own pages, batch-sized.
    let after: ListPosition | undefined;
    do {
      const page = await findCustomerListPage(ctx, principal, list, { limit: batchSize, after, ids }, brand);
      const contacts = page.found.filter((f) => f.contact);
      yield contacts.length === page.found.length
        ? page.found.map(({ row, contact }) => toCustomerView(row, contact!, brand.base_currency, access))
        : await toViews(page.found.map(({ row }) => row));
      after = page.next ?? undefined;
    } while (after !== undefined);
  }
  async function* records(): AsyncGenerator<ExportRecord> {
    for await (const batch of views()) for (const view of batch) yield toExportRecord(view);
  }

  // 4. Written as CSV while read; a failure mid-file ends the response early (the error is logged by Fastify).
  const csv = pipeline(Readable.from(records()), stringify({ header: true, columns: [...EXPORT_COLUMNS] }), () => {});
  const day = ctx.clock().toISOString().slice(0, 10);
  return { filename: `customers-${merchantId}-${day}.csv`, masked, csv };
}

/** Newest first with no filter but a creation range: the export's fast walk, a batch read ahead. */
function isNewestFirstByCreation(list: ParsedCustomerList): boolean {
  const held = Object.keys(list.filter).every((key) => key === 'createdGte' || key === 'createdLt');
  return list.q === undefined && isDefaultSort(list.sort) && held;
}

async function* newestFirstBatches(
  ctx: AppContext,
  merchantId: string,
  filter: CustomerFilter,
  batchSize: number,
  toViews: (rows: CustomerRecord[]) => Promise<CustomerView[]>,
): AsyncGenerator<CustomerView[]> {
  type Batch = Awaited<ReturnType<typeof walkCustomersNewestFirst>>;
  const range = { createdGte: filter.createdGte, createdLt: filter.createdLt };
  const batchAfter = (after: PageCursor | undefined): Promise<Batch> =>
    walkCustomersNewestFirst(ctx.db, merchantId, { limit: batchSize, after, ...range });
  let next: Promise<Batch> | undefined = batchAfter(undefined);
  while (next) {
    const rows: Batch = await next;
    const last = rows[rows.length - 1];
    // The next batch is read while this one is decrypted and written: the database and the
    // CPU work side by side instead of in turn.
    next = last && rows.length === batchSize ? batchAfter({ createdAt: last.created_at, id: last.id }) : undefined;
    if (rows.length === 0) return;
    yield await toViews(rows);
  }
}

function parseIds(text: string): string[] {
  const ids = [...new Set(text.split(',').map((id) => id.trim()))];
  if (ids.length === 0 || ids.some((id) => !isId('cus', id))) {
    throw fieldError('ids', 'must be customer ids (cus_…), comma-separated');
  }
  if (ids.length > MAX_EXPORT_IDS) throw fieldError('ids', `must name at most ${MAX_EXPORT_IDS} customers`);
  return ids;
}

function toExportRecord(view: CustomerView): ExportRecord {
  const { amount, currency } = view.total_spent;
  return {
    id: view.id,
    name: neutralizeFormula(view.name),
    email: neutralizeFormula(view.email),
    phone: view.phone,
    source: view.source,
    transactions_count: view.transactions_count,
    total_spent: formatMajor(amount, currency),
    total_spent_minor: amount,
    currency,
    last_payment_at: view.last_payment_at,
    created_at: view.created_at,
    metadata: neutralizeFormula(JSON.stringify(view.metadata)),
  };
}

/**
 * A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV Injection"); a
 * leading apostrophe makes it text. Only for free text: phones (+880…) and numbers stay as they are.
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Minor units as a decimal string in major units: 150000 BDT → "1500.00", 500 JPY → "500". */
export function formatMajor(amountMinor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const abs = String(Math.abs(amountMinor));
  if (digits === 0) return `${sign}${abs}`;
  const padded = abs.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}
