import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { AppContext } from '../../context.js';
import { checkFields, fieldError } from '../../errors.js';
import { minorDigits } from '../../money/currency.js';
import type { PageCursor } from '../../db/keyset.js';
import { getBrand } from '../brands/index.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { exportCustomersBatch } from './customer.repository.js';
import { searchCustomers } from './customer.search.js';
import { contactAccessOf, decryptContact, toCustomerView } from './customer.view.js';
import type { CustomerView } from './customer.schemas.js';

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

export interface CustomerExportFilter {
  /** The list's search (customer.search.ts), with its rules for masked roles. */
  q?: string | undefined;
  /** ISO date-times: created_gte ≤ created_at < created_lt. */
  created_gte?: string | undefined;
  created_lt?: string | undefined;
}

export interface CustomerExport {
  filename: string;
  masked: boolean;
  /** The CSV, produced batch by batch as it is read. */
  csv: Readable;
}

/**
 * GET /customers/export: every customer the list (or its search) shows, as CSV, masked like the
 * list for roles without raw contact access. The export is audited before the first row is read,
 * so a file that leaves the server is always on record; the search text is not (it is personal data).
 */
export async function exportCustomers(
  ctx: AppContext,
  principal: Principal,
  filter: CustomerExportFilter,
  options: { ip?: string | undefined; batchSize?: number } = {},
): Promise<CustomerExport> {
  // 1. Who may, and what they asked for.
  requirePermission(principal, 'customers.read');
  const [createdGte, createdLt] = checkFields(
    () => instantOf('created_gte', filter.created_gte),
    () => instantOf('created_lt', filter.created_lt),
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
    details: { masked, filtered: filter.q !== undefined || createdGte !== undefined || createdLt !== undefined },
  });

  // 3. The rows, a batch at a time, through the list's own view (and so its masking).
  const batchSize = options.batchSize ?? EXPORT_BATCH_SIZE;
  const range = { createdGte, createdLt };
  async function* views(): AsyncGenerator<CustomerView[]> {
    if (filter.q !== undefined) {
      yield* searchedViews(ctx, principal, filter.q, batchSize, range);
      return;
    }
    type Batch = Awaited<ReturnType<typeof exportCustomersBatch>>;
    const batchAfter = (after: PageCursor | undefined): Promise<Batch> =>
      exportCustomersBatch(ctx.db, merchantId, { limit: batchSize, after, ...range });
    let next: Promise<Batch> | undefined = batchAfter(undefined);
    while (next) {
      const rows: Batch = await next;
      const last = rows[rows.length - 1];
      // The next batch is read while this one is decrypted and written: the database and the
      // CPU work side by side instead of in turn.
      next = last && rows.length === batchSize ? batchAfter({ createdAt: last.created_at, id: last.id }) : undefined;
      if (rows.length === 0) return;
      const keys = await ctx.keyring.forBrand(
        ctx.db,
        merchantId,
        rows.map((r) => r.data_key_id),
      );
      yield rows.map((row) => toCustomerView(row, decryptContact(keys, row), brand.base_currency, access));
    }
  }
  async function* records(): AsyncGenerator<ExportRecord> {
    for await (const batch of views()) for (const view of batch) yield toExportRecord(view);
  }

  // 4. Written as CSV while read; a failure mid-file ends the response early (the error is logged by Fastify).
  const csv = pipeline(Readable.from(records()), stringify({ header: true, columns: [...EXPORT_COLUMNS] }), () => {});
  const day = ctx.clock().toISOString().slice(0, 10);
  return { filename: `customers-${merchantId}-${day}.csv`, masked, csv };
}

/** The search's pages, followed by their cursor; the range is applied to what it finds. */
async function* searchedViews(
  ctx: AppContext,
  principal: Principal,
  q: string,
  batchSize: number,
  range: { createdGte: Date | undefined; createdLt: Date | undefined },
): AsyncGenerator<CustomerView[]> {
  let cursor: string | undefined;
  do {
    const page = await searchCustomers(ctx, principal, { q, limit: batchSize, cursor });
    yield page.data.filter((view) => inRange(new Date(view.created_at), range));
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
}

function inRange(at: Date, range: { createdGte: Date | undefined; createdLt: Date | undefined }): boolean {
  return (!range.createdGte || at >= range.createdGte) && (!range.createdLt || at < range.createdLt);
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

function instantOf(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(at.getTime())) {
    throw fieldError(field, 'must be an ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z');
  }
  return at;
}
