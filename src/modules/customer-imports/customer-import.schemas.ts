import { Type, type Static } from '@sinclair/typebox';
import { ListOf, Nullable, PageQuery, Timestamp } from '../../http/common.schemas.js';

// One source for validation, TypeScript types and the OpenAPI document.

export const ImportQuery = Type.Object(
  {
    mode: Type.Union([Type.Literal('all_or_nothing'), Type.Literal('skip_invalid')], {
      default: 'all_or_nothing',
      description: 'all_or_nothing: any invalid row and nothing is written; skip_invalid: the good rows are imported',
    }),
    update_existing: Type.Boolean({
      default: false,
      description:
        'A row whose email the brand already has updates that customer (name, phone when given, metadata keys merged) instead of being skipped; needs customers.edit',
    }),
    dry_run: Type.Boolean({ default: false, description: 'Check and report every row; write nothing' }),
    filename: Type.Optional(Type.String({ maxLength: 200, description: 'Shown in the job and the report name' })),
    mapping: Type.Optional(
      Type.String({
        maxLength: 10_000,
        description:
          'JSON object, header → field (name, first_name, last_name, email, phone, metadata, metadata.<key> or ignore), ' +
          'for headers the import does not recognise: {"E-mail address":"email"}',
        examples: ['{"E-mail address":"email","Kundennummer":"metadata.crm_id"}'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type ImportQuery = Static<typeof ImportQuery>;

export const ReportRowSchema = Type.Object(
  {
    line: Type.Integer({ description: 'Physical line of the file where the record starts (the header is line 1)' }),
    status: Type.Union([Type.Literal('failed'), Type.Literal('skipped'), Type.Literal('updated')]),
    field: Nullable(Type.String({ examples: ['email', 'phone', 'metadata.crm_id'] })),
    reason: Type.String({ examples: ['is not a valid email address'] }),
    customer: Nullable(Type.String({ description: 'The existing customer a duplicate or an update concerns' })),
  },
  { title: 'CustomerImportReportRow' },
);

export const CustomerImport = Type.Object(
  {
    id: Type.String({ examples: ['imp_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('customer_import'),
    status: Type.Union(
      [Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')],
      { description: 'failed: all-or-nothing found invalid rows (nothing written), or the job stopped (see error)' },
    ),
    mode: Type.Union([Type.Literal('all_or_nothing'), Type.Literal('skip_invalid')]),
    update_existing: Type.Boolean(),
    dry_run: Type.Boolean({ description: 'Counts say what would have happened; nothing was written' }),
    filename: Nullable(Type.String()),
    rows_total: Nullable(Type.Integer({ description: 'Records in the file, header and blank lines excluded' })),
    rows_done: Type.Integer(),
    progress: Type.Number({ minimum: 0, maximum: 1, description: 'rows_done / rows_total' }),
    imported: Type.Integer({ description: 'New customers (source import)' }),
    updated: Type.Integer(),
    skipped: Type.Integer({ description: 'Duplicates, in the file or of a customer of the brand' }),
    failed: Type.Integer({ description: 'Invalid rows' }),
    mapping: Type.Record(Type.String(), Type.String(), { description: 'Header → field, as the columns were read' }),
    unknown_columns: Type.Array(Type.String(), { description: 'Headers no field took: their cells were not imported' }),
    problems: Type.Array(ReportRowSchema, { description: 'The first 100 rows of the report' }),
    report_rows: Type.Integer({ description: 'Rows in the full report (GET …/report)' }),
    report_truncated: Type.Boolean({ description: 'The report keeps the first 10,000 rows; counts stay exact' }),
    error: Nullable(Type.String()),
    created_at: Timestamp,
    finished_at: Nullable(Timestamp),
  },
  { title: 'CustomerImport' },
);
export type CustomerImportView = Static<typeof CustomerImport>;

export const CustomerImportList = ListOf(CustomerImport);
export type CustomerImportListView = Static<typeof CustomerImportList>;

export const ImportListQuery = Type.Object(PageQuery, { additionalProperties: false });
export type ImportListQuery = Static<typeof ImportListQuery>;
