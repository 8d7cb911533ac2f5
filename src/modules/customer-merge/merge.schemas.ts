import { Type, type Static } from '@sinclair/typebox';
import { Customer } from '../customers/index.js';

// One source for validation, TypeScript types and the OpenAPI document.

/** The fields a merge may take from the merged customer instead of keeping the survivor's. */
export const MERGE_FIELDS = ['name', 'email', 'phone', 'metadata'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

export const MergeBody = Type.Object(
  {
    source_customer: Type.String({
      maxLength: 100,
      description: 'The customer merged into this one (cus_…); it stays as a pointer to this one',
      examples: ['cus_01m87g4yz3f0v95rz6525bpqa0'],
    }),
    take: Type.Optional(
      Type.Array(
        Type.Union(
          MERGE_FIELDS.map((f) => Type.Literal(f)),
          { description: 'name, email, phone, metadata' },
        ),
        {
          uniqueItems: true,
          maxItems: MERGE_FIELDS.length,
          description:
            "Fields the survivor takes from the merged customer (default: none; it keeps its own). phone: only when the merged customer has one; metadata: the merged customer's replaces the survivor's",
        },
      ),
    ),
  },
  { additionalProperties: false, examples: [{ source_customer: 'cus_01m87g4yz3f0v95rz6525bpqa0', take: ['phone'] }] },
);
export type MergeBody = Static<typeof MergeBody>;

export const DuplicatePair = Type.Object(
  {
    reason: Type.Union([Type.Literal('phone'), Type.Literal('name_email')], {
      description:
        'phone: the same phone number; name_email: the same name (case, accents, spacing folded) and similar emails',
    }),
    customers: Type.Array(Customer, { minItems: 2, maxItems: 2, description: 'Older first' }),
  },
  { title: 'DuplicatePair' },
);
export type DuplicatePairView = Static<typeof DuplicatePair>;

export const DuplicateList = Type.Object(
  {
    object: Type.Literal('list'),
    data: Type.Array(DuplicatePair),
    has_more: Type.Boolean({
      description: 'More pairs exist than were returned: merge or review these, then ask again',
    }),
  },
  { title: 'DuplicateList' },
);
export type DuplicateListView = Static<typeof DuplicateList>;

export const DuplicatesQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50, description: 'Pairs at most' }),
  },
  { additionalProperties: false },
);
export type DuplicatesQuery = Static<typeof DuplicatesQuery>;
