import { Type, type Static } from '@sinclair/typebox';
import { AmountMinor, CurrencyCode, ListOf, Money, Nullable, PageQuery, Timestamp } from '../../http/common.schemas.js';

export const CheckoutSession = Type.Object(
  {
    id: Type.String({ examples: ['cs_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('checkout_session'),
    url: Type.String({ description: 'The public page the client pays on: /checkout/{token}' }),
    status: Type.Union([Type.Literal('open'), Type.Literal('complete'), Type.Literal('expired')]),
    amount: Money,
    description: Nullable(Type.String()),
    expires_at: Timestamp,
    transaction_id: Nullable(Type.String()),
    customer_id: Nullable(Type.String()),
    created_at: Timestamp,
    completed_at: Nullable(Timestamp),
  },
  { title: 'CheckoutSession' },
);
export type CheckoutSessionView = Static<typeof CheckoutSession>;

export const CheckoutSessionList = ListOf(CheckoutSession);
export type CheckoutSessionListView = Static<typeof CheckoutSessionList>;

export const CheckoutSessionCreateBody = Type.Object(
  {
    amount: AmountMinor,
    currency: CurrencyCode,
    description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    expires_in_minutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 10080, default: 60 })),
  },
  {
    additionalProperties: false,
    examples: [{ amount: 349900, currency: 'BDT', description: 'Order #1002', expires_in_minutes: 30 }],
  },
);
export type CheckoutSessionCreateBody = Static<typeof CheckoutSessionCreateBody>;

export const CheckoutSessionListQuery = Type.Object(PageQuery, { additionalProperties: false });
