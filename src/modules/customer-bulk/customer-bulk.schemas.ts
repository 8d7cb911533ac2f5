import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Timestamp } from '../../http/common.schemas.js';
import { CustomerListParams, SUSPENSION_REASONS } from '../customers/index.js';
import { BULK_ACTIONS } from './customer-bulk-job.table.js';

// One source for validation, TypeScript types and the OpenAPI document.

/** A selection of ids at most this long; "everything matching" is a view. */
export const MAX_BULK_IDS = 1000;

export const BulkBody = Type.Object(
  {
    action: Type.Union(
      BULK_ACTIONS.map((a) => Type.Literal(a)),
      { description: 'tag, untag, delete, suspend, resume or export' },
    ),
    ids: Type.Optional(
      Type.Array(Type.String({ maxLength: 100 }), {
        minItems: 1,
        maxItems: MAX_BULK_IDS,
        uniqueItems: true,
        description: `The selected customers (cus_…), 1 to ${MAX_BULK_IDS}; give ids or view`,
      }),
    ),
    // Everything the list with these parameters matches (GET /customers' filters and q; the sort does not matter).
    view: Type.Optional(CustomerListParams),
    tag: Type.Optional(Type.String({ maxLength: 100, description: 'tag and untag: the tag (tag_…)' })),
    reason: Type.Optional(
      Type.Union(
        SUSPENSION_REASONS.map((r) => Type.Literal(r)),
        { description: 'suspend: why, as a closed code' },
      ),
    ),
    note: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: "suspend: staff's own words, kept as an encrypted note on each customer suspended",
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Give ids (a selection) or view (everything the list with these parameters matches; its sort does not matter).',
    examples: [
      { action: 'tag', ids: ['cus_06f9h2k1m3n4p5q6r7s8t9v0wx'], tag: 'tag_06f9h2k1m3n4p5q6r7s8t9v0wx' },
      {
        action: 'suspend',
        view: { source: 'payment_link', created_gte: '2026-11-01T00:00:00Z' },
        reason: 'fraudulent',
      },
    ],
  },
);
export type BulkBody = Static<typeof BulkBody>;

export const BulkRefusal = Type.Object(
  {
    customer: Type.String({ description: 'The customer id as given' }),
    code: Type.String({ examples: ['has_transactions', 'customer_not_found', 'customer_merged', 'customer_erased'] }),
    reason: Type.String({ description: 'Why, as the single action would have answered it' }),
  },
  { title: 'CustomerBulkRefusal' },
);

export const CustomerBulkJob = Type.Object(
  {
    id: Type.String({ examples: ['bulk_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('customer_bulk_job'),
    action: Type.Union(BULK_ACTIONS.map((a) => Type.Literal(a))),
    status: Type.Union(
      [Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')],
      { description: 'succeeded: every customer was handled (some may be refused); failed: the job stopped (error)' },
    ),
    selection: Type.Union([Type.Literal('ids'), Type.Literal('view')]),
    total: Nullable(
      Type.Integer({ description: 'Customers in the selection; for a view, known when it has finished' }),
    ),
    done: Type.Integer({ description: 'Customers handled so far' }),
    succeeded: Type.Integer(),
    refused: Type.Integer(),
    refusals: Type.Array(BulkRefusal, { description: 'The first 1,000 refusals; refused counts them all' }),
    export_url: Type.Optional(
      Nullable(
        Type.String({
          description:
            'export: the CSV of the selection (GET). Null when read back later for a view with a search: the ' +
            'search text is personal data and is not kept.',
        }),
      ),
    ),
    error: Nullable(Type.String()),
    created_at: Timestamp,
    finished_at: Nullable(Timestamp),
  },
  { title: 'CustomerBulkJob' },
);
export type CustomerBulkJobView = Static<typeof CustomerBulkJob>;
