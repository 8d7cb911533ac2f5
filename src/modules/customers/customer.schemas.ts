import { Type, type Static } from '@sinclair/typebox';
import { ListOf, Money, Nullable, PageQuery, Timestamp } from '../../http/common.schemas.js';
import { SUSPENSION_REASONS } from './customer.table.js';

// One source for validation, TypeScript types and the OpenAPI document.

const Metadata = Type.Record(Type.String(), Type.String({ maxLength: 500 }), {
  maxProperties: 50,
  propertyNames: { minLength: 1, maxLength: 40 },
  description:
    'Your own key/value pairs (up to 50; keys ≤ 40 chars, values ≤ 500). Not encrypted: keep personal data out.',
});

const MetadataPatch = Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 500 }), Type.Null()]), {
  maxProperties: 50,
  propertyNames: { minLength: 1, maxLength: 40 },
  description: 'Keys to set; a key set to null or "" is removed. Keys not named are kept.',
});

const Name = Type.String({
  maxLength: 1000,
  description: 'Full name, 1–200 characters after trimming',
  examples: ['Ayesha Rahman'],
});
const Email = Type.String({
  maxLength: 1000,
  description: 'Stored lower-cased; unique within the brand',
  examples: ['ayesha@example.com'],
});
const UserRef = Type.String({
  maxLength: 100,
  description:
    'A site user (usr_…) to link to this customer; null unlinks. Omitted: a user with this verified email is linked',
  examples: ['usr_06f9h2k1m3n4p5q6r7s8t9v0wx'],
});
const Phone = Type.String({
  maxLength: 100,
  description: "Any common format; a number without +country code is read in the brand's country. Stored as E.164.",
  examples: ['01700000000'],
});

export const CustomerCreateBody = Type.Object(
  {
    name: Name,
    email: Email,
    phone: Type.Optional(Type.Union([Phone, Type.Null()])),
    metadata: Type.Optional(Metadata),
    user: Type.Optional(Nullable(UserRef)),
  },
  {
    additionalProperties: false,
    examples: [
      { name: 'Rahim Uddin', email: 'Rahim.Uddin@example.com', phone: '01712345678', metadata: { crm_id: 'C-1001' } },
    ],
  },
);
export type CustomerCreateBody = Static<typeof CustomerCreateBody>;

export const CustomerUpsertBody = Type.Object(
  {
    name: Name,
    email: Email,
    phone: Type.Optional(
      Type.Union([Phone, Type.Null()], { description: 'Omit to keep the current phone; null removes it' }),
    ),
    metadata: Type.Optional(MetadataPatch),
    user: Type.Optional(Nullable(UserRef)),
  },
  {
    additionalProperties: false,
    examples: [{ name: 'Karim Ahmed Khan', email: 'Karim@Example.com', metadata: { shop_user: 'u-77' } }],
  },
);
export type CustomerUpsertBody = Static<typeof CustomerUpsertBody>;

export const CustomerUpdateBody = Type.Object(
  {
    name: Type.Optional(Name),
    email: Type.Optional(Email),
    phone: Type.Optional(Type.Union([Phone, Type.Null()], { description: 'null removes the phone' })),
    metadata: Type.Optional(MetadataPatch),
    user: Type.Optional(
      Nullable(UserRef, { description: 'Link this site user (relinks from any other); null unlinks the current one' }),
    ),
  },
  { additionalProperties: false, examples: [{ phone: '+880 1812-000111', metadata: { crm_id: null, tier: 'gold' } }] },
);
export type CustomerUpdateBody = Static<typeof CustomerUpdateBody>;

/** A tag as a customer carries it (the tag itself: GET /customer-tags). */
export const CustomerTagRef = Type.Object(
  {
    id: Type.String({ examples: ['tag_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    name: Type.String({ examples: ['VIP'] }),
    color: Type.String({ examples: ['violet'] }),
  },
  { title: 'CustomerTagRef' },
);
export type CustomerTagRef = Static<typeof CustomerTagRef>;

export const Customer = Type.Object(
  {
    id: Type.String({ examples: ['cus_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('customer'),
    name: Type.String(),
    email: Type.String({ description: 'Masked (`j•••@example.com`) when contact_masked is true' }),
    phone: Type.Union([Type.String(), Type.Null()], {
      description: 'E.164; masked (`+880•••••••000`) when contact_masked is true',
    }),
    contact_masked: Type.Boolean({
      description: "True when the caller's role sees email and phone masked; POST /customers/{id}/reveal shows them",
    }),
    contact_revealed_until: Nullable(Timestamp, {
      description:
        "For a role that sees contact data masked: until when this caller sees this customer's email and phone raw, " +
        'after POST /customers/{id}/reveal (15 minutes from the reveal). Null otherwise.',
    }),
    metadata: Type.Record(Type.String(), Type.String()),
    source: Type.String({
      description:
        'How the customer was created: api, dashboard, demo, checkout, payment_link, invoice, import, registration, order',
    }),
    user: Nullable(Type.String({ description: 'The site user (storefront account) linked to this customer' })),
    image_url: Nullable(
      Type.String({
        description:
          "The customer's image (GET it with the same credentials; it changes when the image does); null without one",
      }),
    ),
    transactions_count: Type.Integer(),
    total_spent: Money,
    last_payment_at: Nullable(Timestamp),
    erased_at: Nullable(Timestamp, {
      description:
        'When the personal data was erased (POST /customers/{id}/erase): name shows "Erased customer", email "", phone null',
    }),
    status: Type.Union([Type.Literal('active'), Type.Literal('suspended')], {
      description:
        'suspended: payments from this email are refused on every public path (POST /customers/{id}/suspend)',
    }),
    suspension: Nullable(
      Type.Object(
        {
          reason: Type.Union(SUSPENSION_REASONS.map((r) => Type.Literal(r))),
          suspended_at: Timestamp,
        },
        { title: 'CustomerSuspension' },
      ),
    ),
    tags: Type.Array(CustomerTagRef, { description: "The brand's tags this customer has" }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  {
    title: 'Customer',
    examples: [
      {
        id: 'cus_01m87g4yz3f0v95rz6525bpqa0',
        object: 'customer',
        name: 'Rahim Uddin',
        email: 'rahim.uddin@example.com',
        phone: '+8801712345678',
        contact_masked: false,
        contact_revealed_until: null,
        metadata: { crm_id: 'C-1001' },
        source: 'api',
        user: null,
        image_url: null,
        transactions_count: 0,
        total_spent: { amount: 0, currency: 'BDT' },
        last_payment_at: null,
        erased_at: null,
        status: 'active',
        suspension: null,
        tags: [{ id: 'tag_06f9h2k1m3n4p5q6r7s8t9v0wx', name: 'VIP', color: 'violet' }],
        created_at: '2026-11-24T19:22:30.755Z',
        updated_at: '2026-11-24T19:22:30.755Z',
      },
    ],
  },
);

export type CustomerView = Static<typeof Customer>;

/** What the id of a merged customer answers: a pointer to the customer it was merged into. */
export const MergedCustomer = Type.Object(
  {
    id: Type.String({ examples: ['cus_01m87g4yz3f0v95rz6525bpqa0'] }),
    object: Type.Literal('customer'),
    merged_into: Type.String({
      description: 'The customer this one was merged into (POST /customers/{id}/merge); it holds its records now',
      examples: ['cus_06f9h2k1m3n4p5q6r7s8t9v0wx'],
    }),
  },
  { title: 'MergedCustomer', additionalProperties: false },
);
export type MergedCustomerView = Static<typeof MergedCustomer>;

export const CustomerList = ListOf(Customer);
export type CustomerListView = Static<typeof CustomerList>;

/** Sorts of the customers list: a field of the customer, `-` for descending. */
export const CUSTOMER_SORTS = [
  '-created_at',
  'created_at',
  '-total_spent',
  'total_spent',
  '-transactions_count',
  'transactions_count',
  '-last_payment_at',
  'last_payment_at',
] as const;
export type CustomerSortParam = (typeof CUSTOMER_SORTS)[number];

/**
 * Sort and filters of the customers list, as query parameters: one source for the list, its count,
 * the export, saved views and bulk actions on a view. Every filter combines with every other, with
 * q and with every sort.
 */
export const CustomerListFilters = {
  sort: Type.Optional(
    Type.Union(
      CUSTOMER_SORTS.map((s) => Type.Literal(s)),
      {
        description:
          'created_at (default -created_at: newest first), total_spent, transactions_count or last_payment_at; ' +
          '`-` for descending. Never-paid customers sort as the oldest last payment. Ties are broken by id; a ' +
          '`cursor` continues only the sort it was made for.',
      },
    ),
  ),
  source: Type.Optional(
    Type.String({
      maxLength: 200,
      description:
        'Comma-separated: api, dashboard, demo, checkout, payment_link, invoice, import, registration, order',
      examples: ['payment_link,checkout'],
    }),
  ),
  created_gte: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after' })),
  created_lt: Type.Optional(Type.String({ format: 'date-time', description: 'Created before' })),
  last_payment_gte: Type.Optional(Type.String({ format: 'date-time', description: 'Last payment at or after' })),
  last_payment_lt: Type.Optional(Type.String({ format: 'date-time', description: 'Last payment before' })),
  last_payment_before: Type.Optional(
    Type.String({
      format: 'date-time',
      description:
        'No payment since: the last payment is before this, or there was none (with has_payments=true: paid, but not since)',
    }),
  ),
  no_payment_days: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 36_500,
      description:
        'No payment in the last N days (or none at all), counted back from each request: a saved view keeps meaning ' +
        '"the last N days". Combines with last_payment_before (both must hold).',
    }),
  ),
  total_spent_gte: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 9_007_199_254_740_991, description: 'Base currency minor units' }),
  ),
  total_spent_lt: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 9_007_199_254_740_991, description: 'Base currency minor units' }),
  ),
  has_payments: Type.Optional(Type.Boolean({ description: 'At least one succeeded payment (transactions_count > 0)' })),
  has_user: Type.Optional(Type.Boolean({ description: 'Linked to a site user' })),
  tag: Type.Optional(Type.String({ maxLength: 40, description: 'A tag id (tag_…)' })),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('suspended')])),
};

export const CustomerListQuery = Type.Object(
  {
    ...PageQuery,
    ...CustomerListFilters,
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'Search: part of a name, email or phone, case- and accent-insensitive; phone digits match whatever the formatting. ' +
          '1–2 characters match the start of a word. Exact email/phone matches come first.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CustomerListQuery = Static<typeof CustomerListQuery>;

/** The list's parameters without paging: what a saved view or a bulk action on a view holds. */
export const CustomerListParams = Type.Object(
  { ...CustomerListFilters, q: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false, title: 'CustomerListParams' },
);
export type CustomerListParams = Static<typeof CustomerListParams>;

export const CustomerCountQuery = Type.Object(
  { ...CustomerListFilters, q: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

/** GET /customers/count: how many match, when counting is cheap. */
export const CustomerCount = Type.Object(
  {
    object: Type.Literal('customer_count'),
    count: Nullable(Type.Integer(), {
      description:
        'How many customers match; null ("many") when counting would take too long (a search, or a filter over a large brand)',
    }),
  },
  { title: 'CustomerCount' },
);
export type CustomerCountView = Static<typeof CustomerCount>;

export const CustomerStats = Type.Object({ total_customers: Type.Integer() }, { title: 'CustomerStats' });
export type CustomerStatsView = Static<typeof CustomerStats>;

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7e]+$',
      description: 'Retrying with the same key (within 24 h) returns the first result instead of creating again',
    }),
  ),
});

export const CustomerRevealBody = Type.Object(
  {
    reason: Type.String({
      minLength: 3,
      maxLength: 500,
      description:
        'Why you need the contact data (kept in the audit log; email addresses and phone numbers in it are masked)',
      examples: ['Customer called about a failed payment, ticket 4711'],
    }),
  },
  { additionalProperties: false },
);
export type CustomerRevealBody = Static<typeof CustomerRevealBody>;

export const CustomerContact = Type.Object(
  {
    email: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()], { description: 'E.164' }),
    revealed_until: Timestamp,
  },
  { title: 'CustomerContact' },
);
export type CustomerContactView = Static<typeof CustomerContact>;
