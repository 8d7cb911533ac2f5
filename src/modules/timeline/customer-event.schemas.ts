import { Type, type Static } from '@sinclair/typebox';
import { ListOf, PageQuery, Timestamp } from '../../http/common.schemas.js';
import { CUSTOMER_EVENT_TYPES } from './customer-event.service.js';

const EventType = Type.Union(
  CUSTOMER_EVENT_TYPES.map((type) => Type.Literal(type)),
  { description: 'What happened' },
);

/** The kinds a timeline is filtered by: the part of the type before the dot. */
export const EVENT_KINDS = ['customer', 'payment', 'refund', 'invoice', 'order', 'note', 'image'] as const;

export const CustomerEvent = Type.Object(
  {
    id: Type.String({ examples: ['evt_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('event'),
    type: EventType,
    actor: Type.Object({
      type: Type.String({ description: 'staff, api_key, system or cli' }),
      id: Type.String(),
      name: Type.Union([Type.String(), Type.Null()], { description: "A staff member's or API key's name" }),
    }),
    created_at: Timestamp,
    // What the event is about: ids, and closed facts; never names, emails or phones.
    source: Type.Optional(Type.String({ description: 'customer.created: how the customer was created' })),
    fields: Type.Optional(
      Type.Array(Type.String(), {
        description: 'customer.updated: which fields changed; customer.merged: which fields were taken from the other',
      }),
    ),
    how: Type.Optional(Type.String({ description: 'customer.user_linked: registration, verified_email, staff, api' })),
    user: Type.Optional(Type.String()),
    customer: Type.Optional(
      Type.String({
        description:
          'customer.merged: the customer merged into this one; customer.merged_into: the customer this one was merged into',
      }),
    ),
    merged_from: Type.Optional(
      Type.String({
        description: 'On an event moved by a merge: the customer it happened to, since merged into this one (cus_…)',
      }),
    ),
    transaction: Type.Optional(Type.String()),
    payment: Type.Optional(Type.String({ description: 'refund.created: the refunded payment' })),
    invoice: Type.Optional(Type.String()),
    order: Type.Optional(Type.String()),
    note: Type.Optional(Type.String()),
    reason: Type.Optional(
      Type.String({ description: 'customer.suspended: why, a closed code (fraudulent, chargebacks, abuse, …)' }),
    ),
    tag: Type.Optional(Type.String({ description: 'customer.tagged, customer.untagged: the tag (tag_…)' })),
    amount: Type.Optional(
      Type.Object({ amount: Type.Integer(), currency: Type.String() }, { description: 'Payments and refunds' }),
    ),
  },
  { title: 'CustomerEvent' },
);
export type CustomerEventView = Static<typeof CustomerEvent>;

export const CustomerEventList = ListOf(CustomerEvent);
export type CustomerEventListView = Static<typeof CustomerEventList>;

export const TimelineQuery = Type.Object(
  {
    ...PageQuery,
    kind: Type.Optional(
      Type.Union(
        EVENT_KINDS.map((kind) => Type.Literal(kind)),
        { description: 'Only events of this kind (customer, payment, refund, invoice, order, note, image)' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type TimelineQuery = Static<typeof TimelineQuery>;
