import { Type, type Static } from '@sinclair/typebox';
import { ListOf, Nullable, Timestamp } from '../../http/common.schemas.js';
import { CustomerListParams } from '../customers/index.js';

// One source for validation, TypeScript types and the OpenAPI document.

const ViewName = Type.String({
  maxLength: 200,
  description: 'Shown as the tab above the customers table: 1–60 characters, trimmed, inner spaces folded',
  examples: ['Top spenders'],
});

const Shared = Type.Boolean({
  description:
    "true: every staff member of the brand sees it (needs customer_views.share: owner, admin, manager); false: the caller's own. " +
    'An API key has no views of its own: it creates shared views only.',
});

const Params = Type.Object(CustomerListParams.properties, {
  description:
    'The list as GET /customers takes it, without paging: sort, filters and the search text q. Validated like the ' +
    "list's query; q is personal data, sealed at rest under the brand's data key and never audited.",
  additionalProperties: false,
  examples: [{ sort: '-total_spent', source: 'payment_link', has_payments: true }],
});

export const SavedView = Type.Object(
  {
    id: Type.String({ examples: ['view_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('customer_view'),
    name: Type.String({ examples: ['Top spenders'] }),
    shared: Type.Boolean({ description: 'Shared with the brand, or personal to its owner' }),
    params: Params,
    owner: Nullable(Type.String({ description: 'The staff member whose own view this is; null when shared' })),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  {
    title: 'CustomerView',
    description: 'A saved view of the customers list: a sort, filters and a search under a name.',
    examples: [
      {
        id: 'view_06f9h2k1m3n4p5q6r7s8t9v0wx',
        object: 'customer_view',
        name: 'Top spenders',
        shared: true,
        params: { sort: '-total_spent', has_payments: true },
        owner: null,
        created_at: '2026-11-24T19:22:30.755Z',
        updated_at: '2026-11-24T19:22:30.755Z',
      },
    ],
  },
);
export type SavedViewResponse = Static<typeof SavedView>;

/** The caller's own views and the brand's shared ones, in one page, by name. */
export const SavedViewList = ListOf(SavedView);
export type SavedViewListResponse = Static<typeof SavedViewList>;

export const SavedViewCreateBody = Type.Object(
  {
    name: ViewName,
    shared: Type.Optional(Type.Boolean({ ...Shared, default: false })),
    params: Params,
  },
  {
    additionalProperties: false,
    examples: [
      {
        name: 'Lapsed payers',
        shared: false,
        params: { sort: '-last_payment_at', last_payment_before: '2026-09-01T00:00:00Z', has_payments: true },
      },
    ],
  },
);
export type SavedViewCreateBody = Static<typeof SavedViewCreateBody>;

export const SavedViewUpdateBody = Type.Object(
  {
    name: Type.Optional(ViewName),
    shared: Type.Optional(Shared),
    params: Type.Optional(Params),
  },
  {
    additionalProperties: false,
    examples: [
      { name: 'Top spenders this year', params: { sort: '-total_spent', created_gte: '2026-01-01T00:00:00Z' } },
    ],
  },
);
export type SavedViewUpdateBody = Static<typeof SavedViewUpdateBody>;

export const SavedViewParams = Type.Object({ id: Type.String() });
