import { Type, type Static } from '@sinclair/typebox';
import {
  AmountMinor,
  CurrencyCode,
  ListOf,
  Money,
  Nullable,
  PageQuery,
  SingleLineText,
  Timestamp,
} from '../../http/common.schemas.js';
import { SLUG_PATTERN } from '../public-paths/index.js';

export const PaymentLink = Type.Object(
  {
    id: Type.String({ examples: ['plink_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('payment_link'),
    slug: Type.String(),
    url: Type.String({ description: 'The public page: /pay/{slug}' }),
    title: Type.String(),
    description: Nullable(Type.String()),
    currency: Type.String(),
    amount_type: Type.Union([Type.Literal('fixed'), Type.Literal('customer_chosen')]),
    amount: Nullable(Money),
    min_amount: Nullable(Money),
    max_amount: Nullable(Money),
    active: Type.Boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'PaymentLink' },
);
export type PaymentLinkView = Static<typeof PaymentLink>;

export const PaymentLinkList = ListOf(PaymentLink);
export type PaymentLinkListView = Static<typeof PaymentLinkList>;

export const PaymentLinkCreateBody = Type.Object(
  {
    title: SingleLineText({ minLength: 1, maxLength: 200, examples: ['Yoga class, monthly'] }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    currency: CurrencyCode,
    amount: Type.Optional(
      Type.Union([AmountMinor, Type.Null()], { description: 'A fixed amount; omit to let the client choose' }),
    ),
    min_amount: Type.Optional(Nullable(AmountMinor)),
    max_amount: Type.Optional(Nullable(AmountMinor)),
    slug: Type.Optional(
      Type.String({
        pattern: SLUG_PATTERN,
        description: 'Lower-case letters, digits and dashes (3–64); default: from the title',
      }),
    ),
    active: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false, examples: [{ title: 'Cooking class', currency: 'BDT', amount: 250000 }] },
);
export type PaymentLinkCreateBody = Static<typeof PaymentLinkCreateBody>;

export const PaymentLinkUpdateBody = Type.Object(
  {
    title: Type.Optional(SingleLineText({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PaymentLinkUpdateBody = Static<typeof PaymentLinkUpdateBody>;

export const PaymentLinkListQuery = Type.Object(PageQuery, { additionalProperties: false });
