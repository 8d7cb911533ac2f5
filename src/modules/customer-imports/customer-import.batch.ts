import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { emailBlindIndexes } from '../../crypto/blind-index.js';
import type { BrandKeys } from '../../crypto/keyring.js';
import { newId } from '../../ids.js';
import {
  decryptContact,
  findCustomersByEmailIndexes,
  insertCustomersIfEmailFree,
  sealContact,
  sealContacts,
  updateCustomerColumns,
  type CustomerRecord,
  type ImportedCustomerRow,
  type PlainContact,
} from '../customers/index.js';
import type { AuditActor } from '../audit/index.js';
import { recordCustomerEvent, type CustomerEvent } from '../timeline/index.js';
import { rowValues, type ColumnPlan } from './customer-import.columns.js';
import type { CsvRecord } from './customer-import.csv.js';
import type { ImportMode, ReportRow } from './customer-import.table.js';
import { checkRow } from './customer-import.validate.js';

/** Problem rows kept for the report; the counts stay exact beyond it. */
export const REPORT_ROW_LIMIT = 10_000;

export interface ImportSettings {
  merchantId: string;
  importId: string;
  mode: ImportMode;
  updateExisting: boolean;
  dryRun: boolean;
  country: string;
  actor: AuditActor;
}

export interface ImportTally {
  rows_done: number;
  imported: number;
  updated: number;
  skipped: number;
  failed: number;
}

interface ValidRow {
  line: number;
  contact: PlainContact;
  metadata: Record<string, string>;
  /** The email's index values (the active index key's first). */
  bidx: Buffer[];
  /** The new customer row, sealed ahead of the write. */
  sealed?: ImportedCustomerRow;
}

export interface PreparedBatch {
  records: number;
  fresh: ValidRow[];
}

/** Rows between yields to the event loop while a batch is checked and sealed. */
const YIELD_EVERY = 50;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One import's state across its batches: counts, report rows, and the emails seen so far (as a
 * short key of their blind index, the one thing that grows with the file: ~70 bytes a row).
 */
export class ImportBatches {
  readonly tally: ImportTally = { rows_done: 0, imported: 0, updated: 0, skipped: 0, failed: 0 };
  readonly report: ReportRow[] = [];
  truncated = false;
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ctx: AppContext,
    private readonly settings: ImportSettings,
    private readonly keys: BrandKeys,
    private readonly plan: ColumnPlan,
  ) {}

  /** False in a dry run, and in all-or-nothing once a row failed (nothing will be kept). */
  get writing(): boolean {
    if (this.settings.dryRun) return false;
    return !(this.settings.mode === 'all_or_nothing' && this.tally.failed > 0);
  }

  /**
   * The CPU half of a batch: rows checked, in-file duplicates set aside and (when writing) the new
   * rows sealed. It yields to the event loop as it goes, so the previous batch's statements proceed
   * meanwhile (the service overlaps the two halves).
   */
  async prepare(records: CsvRecord[]): Promise<PreparedBatch> {
    const valid = await this.check(records);
    const fresh = this.dedupeInFile(valid);
    if (this.writing) {
      // Sealed before the match against the brand: a row found existing wastes its seal, a
      // fresh import (the case that must be fast) never waits for it. Worker threads seal, so
      // the previous batch's statements proceed on this thread meanwhile.
      const { merchantId } = this.settings;
      const now = this.ctx.clock();
      const ids = fresh.map(() => newId('cus'));
      const sealed = await sealContacts(
        this.ctx,
        this.keys,
        merchantId,
        fresh.map((row, i) => ({ id: ids[i]!, contact: row.contact })),
      );
      fresh.forEach((row, i) => {
        row.sealed = {
          merchant_id: merchantId,
          id: ids[i]!,
          ...sealed[i]!,
          metadata: JSON.stringify(row.metadata),
          source: 'import',
          created_at: now,
          updated_at: now,
        };
      });
    }
    return { records: records.length, fresh };
  }

  /** The database half: matched against the brand's customers and (when writing) stored, through `db`. */
  async write(db: Executor, batch: PreparedBatch): Promise<void> {
    const existing = await this.existing(db, batch.fresh);
    const toInsert: ValidRow[] = [];
    const toUpdate: Array<{ row: ValidRow; customer: CustomerRecord }> = [];
    for (const row of batch.fresh) {
      const customer =
        existing.get(key(row.bidx[0]!)) ??
        row.bidx
          .slice(1)
          .map((b) => existing.get(key(b)))
          .find(Boolean);
      if (!customer) toInsert.push(row);
      else if (this.settings.updateExisting) toUpdate.push({ row, customer });
      else this.note(row.line, 'skipped', 'email', 'already a customer of the brand', customer.id);
    }
    await this.update(db, toUpdate);
    await this.insert(db, toInsert);
    this.tally.rows_done += batch.records;
  }

  private async check(records: CsvRecord[]): Promise<ValidRow[]> {
    const valid: ValidRow[] = [];
    for (let i = 0; i < records.length; i++) {
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      const record = records[i]!;
      if (record.fields.length !== this.plan.width) {
        this.fail(record.line, [
          { field: null, reason: `has ${record.fields.length} cells; the header has ${this.plan.width}` },
        ]);
        continue;
      }
      const checked = checkRow(rowValues(this.plan, record.fields), this.settings.country);
      if (!checked.ok) {
        this.fail(record.line, checked.errors);
        continue;
      }
      valid.push({
        line: record.line,
        contact: checked.contact,
        metadata: checked.metadata,
        bidx: emailBlindIndexes(this.keys, checked.contact.email),
      });
    }
    return valid;
  }

  /** The first row with an email wins; later ones are reported against its line. */
  private dedupeInFile(rows: ValidRow[]): ValidRow[] {
    return rows.filter((row) => {
      const k = key(row.bidx[0]!).slice(0, 22);
      const first = this.seen.get(k);
      if (first !== undefined) {
        this.note(row.line, 'skipped', 'email', `same email as line ${first}`, null);
        return false;
      }
      this.seen.set(k, row.line);
      return true;
    });
  }

  private async existing(db: Executor, rows: ValidRow[]): Promise<Map<string, CustomerRecord>> {
    const found = await findCustomersByEmailIndexes(
      db,
      this.settings.merchantId,
      rows.flatMap((r) => r.bidx),
    );
    return new Map(found.map((c) => [key(c.email_bidx), c]));
  }

  private async insert(db: Executor, rows: ValidRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (!this.writing) {
      if (this.settings.dryRun) this.tally.imported += rows.length;
      return;
    }
    const newRows = rows.map((row) => row.sealed!);
    const inserted = new Set(await insertCustomersIfEmailFree(db, newRows));
    const events: CustomerEvent[] = [];
    newRows.forEach((row, i) => {
      if (inserted.has(row.id)) {
        const refs = { source: 'import', import: this.settings.importId };
        events.push(this.event(row.id, 'customer.created', refs, row.created_at));
      } else {
        this.note(rows[i]!.line, 'skipped', 'email', 'already a customer of the brand (added meanwhile)', null);
      }
    });
    await recordCustomerEvent(db, events);
    this.tally.imported += inserted.size;
  }

  /** update_existing: the file's name, its phone when it has one, its metadata keys merged in. */
  private async update(db: Executor, rows: Array<{ row: ValidRow; customer: CustomerRecord }>): Promise<void> {
    if (rows.length === 0) return;
    const { merchantId } = this.settings;
    const keys = await this.ctx.keyring.forBrand(
      db,
      merchantId,
      rows.map((r) => r.customer.data_key_id),
    );
    const now = this.ctx.clock();
    const events: CustomerEvent[] = [];
    for (const { row, customer } of rows) {
      const current = decryptContact(keys, customer);
      const next: PlainContact = {
        name: row.contact.name,
        email: current.email,
        phone: row.contact.phone ?? current.phone,
      };
      const metadata = { ...customer.metadata, ...row.metadata };
      const fields: string[] = [];
      if (next.name !== current.name) fields.push('name');
      if (next.phone !== current.phone) fields.push('phone');
      if (Object.entries(row.metadata).some(([k, v]) => customer.metadata[k] !== v)) fields.push('metadata');
      if (fields.length === 0) {
        this.note(row.line, 'skipped', null, 'already up to date', customer.id);
        continue;
      }
      if (this.writing) {
        await updateCustomerColumns(db, merchantId, customer.id, {
          ...sealContact(this.keys, merchantId, customer.id, next),
          metadata: JSON.stringify(metadata),
          updated_at: now,
        });
        events.push(this.event(customer.id, 'customer.updated', { fields, import: this.settings.importId }, now));
      }
      this.tally.updated++;
      this.note(row.line, 'updated', fields.join(' '), `updated ${fields.join(', ')}`, customer.id, false);
    }
    if (events.length > 0) await recordCustomerEvent(db, events);
  }

  private event(customerId: string, type: CustomerEvent['type'], refs: CustomerEvent['refs'], at: Date): CustomerEvent {
    const { merchantId, actor } = this.settings;
    return { merchantId, customerId, type, actor, refs, at };
  }

  private fail(line: number, errors: Array<{ field: string | null; reason: string }>): void {
    this.tally.failed++;
    for (const e of errors)
      this.addReportRow({ line, status: 'failed', field: e.field, reason: e.reason, customer: null });
  }

  private note(
    line: number,
    status: ReportRow['status'],
    field: string | null,
    reason: string,
    customer: string | null,
    count = status === 'skipped',
  ): void {
    if (count) this.tally.skipped++;
    this.addReportRow({ line, status, field, reason, customer });
  }

  private addReportRow(row: ReportRow): void {
    if (this.report.length < REPORT_ROW_LIMIT) this.report.push(row);
    else this.truncated = true;
  }
}

function key(bidx: Buffer): string {
  return bidx.toString('base64');
}
