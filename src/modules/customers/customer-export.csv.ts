import type { DataKeys } from '../../crypto/keyring.js';
import { minorDigits } from '../../money/currency.js';
import { contactAsShown, decryptContact, type ContactAccess } from './customer.view.js';
import type { CustomerView } from './customer.schemas.js';

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

/** What a line of the export shows of a customer: the list's view, masked as the list masks it. */
export type ExportedCustomer = Pick<
  CustomerView,
  'id' | 'name' | 'email' | 'phone' | 'source' | 'transactions_count' | 'total_spent' | 'last_payment_at' | 'created_at'
> & { metadata: unknown };

/** The first line of every export file. */
export function exportCsvHeader(): string {
  return csvLine([...EXPORT_COLUMNS]);
}

/** CSV lines of customers, in EXPORT_COLUMNS order, without the header. */
export function exportCsvLines(customers: ExportedCustomer[]): string {
  return customers.map((customer) => csvLine(exportLine(customer))).join('');
}

function exportLine(c: ExportedCustomer): Array<string | number | null> {
  const { amount, currency } = c.total_spent;
  return [
    c.id,
    neutralizeFormula(c.name),
    neutralizeFormula(c.email),
    c.phone,
    c.source,
    c.transactions_count,
    formatMajor(amount, currency),
    amount,
    currency,
    c.last_payment_at,
    c.created_at,
    neutralizeFormula(JSON.stringify(c.metadata)),
  ];
}

/**
 * A row of the export's newest-first walk as the repository reads it (walkCustomersForExport):
 * ciphertexts in base64, times as epoch milliseconds, metadata as JSON text. Plain
 * strings and numbers cross to a worker thread for about 1 µs a row; a row object with Buffers and
 * Dates costs ten times that, on the thread that should be reading the next batch.
 */
export type ExportRowTuple = [
  id: string,
  source: string,
  transactionsCount: number,
  totalSpentMinor: number,
  lastPaymentMs: number | null,
  createdMs: number,
  metadataJson: string,
  nameBase64: string,
  emailBase64: string,
  phoneBase64: string | null,
];

export interface ExportCsvTask {
  merchantId: string;
  keys: DataKeys;
  access: ContactAccess;
  baseCurrency: string;
  rows: ExportRowTuple[];
}

/** Decrypts, masks for the caller and writes a batch of the walk as CSV lines (in a worker, or inline). */
export function exportCsvOfRows(task: ExportCsvTask): string {
  const { merchantId, keys, access, baseCurrency } = task;
  const lines = task.rows.map(
    ([id, source, transactionsCount, totalSpentMinor, lastPaymentMs, createdMs, metadataJson, name, email, phone]) => {
      const contact = contactAsShown(
        decryptContact(keys, {
          merchant_id: merchantId,
          id,
          name_enc: fromBase64(name),
          email_enc: fromBase64(email),
          phone_enc: phone === null ? null : fromBase64(phone),
        }),
        access,
      );
      return exportLine({
        id,
        ...contact,
        source: source as CustomerView['source'],
        transactions_count: transactionsCount,
        total_spent: { amount: totalSpentMinor, currency: baseCurrency },
        last_payment_at: lastPaymentMs === null ? null : new Date(lastPaymentMs).toISOString(),
        created_at: new Date(createdMs).toISOString(),
        // Most customers have none; the others are written as JSON.stringify writes them (jsonb's text has spaces).
        metadata: metadataJson === '{}' ? {} : (JSON.parse(metadataJson) as unknown),
      });
    },
  );
  return lines.map(csvLine).join('');
}

/**
 * One CSV line as csv-stringify writes it with its defaults (a field quoted when it holds a quote,
 * comma or line break; quotes doubled; null as empty), checked against it by a property test. The
 * walk writes a million of these: csv-stringify's per-record machinery cost 2.3 µs a line here.
 */
export function csvLine(fields: Array<string | number | null>): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const value = fields[i];
    const text = value === null || value === undefined ? '' : String(value);
    line += (i === 0 ? '' : ',') + (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  }
  return `${line}\n`;
}

/** bytea as PostgreSQL's encode(…, 'base64') writes it (Node skips the line breaks it puts every 76 characters). */
function fromBase64(text: string): Buffer {
  return Buffer.from(text, 'base64');
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
