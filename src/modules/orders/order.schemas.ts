import { Type, type Static } from '@sinclair/typebox';
import { AmountMinor, CurrencyCode, ListOf, Money, Nullable, PageQuery, Timestamp } from '../../http/common.schemas.js';

const OrderStatus = Type.Union(
  [Type.Literal('open'), Type.Literal('paid'), Type.Literal('fulfilled'), Type.Literal('cancelled')],
  { description: 'open → paid → fulfilled; an open order may be cancelled' },
);
const OfflineMethod = Type.Union([Type.Literal('cash'), Type.Literal('bank_transfer'), Type.Literal('mobile_money')]);
const PaymentMethod = Type.Union([
  Type.Literal('card'),
  Type.Literal('cash'),
  Type.Literal('bank_transfer'),
  Type.Literal('mobile_money'),
]);

export const OrderLineItem = Type.Object(
  { description: Type.String(), quantity: Type.Integer(), unit_amount: Money, amount: Money },
  { title: 'OrderLineItem' },
);

export const OrderBuyer = Type.Object(
  {
    name: Type.String(),
    email: Type.String({ description: 'Masked when contact_masked is true' }),
    phone: Nullable(Type.String({ description: 'E.164; masked when contact_masked is true' })),
  },
  { title: 'OrderBuyer' },
);

export const Order = Type.Object(
  {
    id: Type.String({ examples: ['ord_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('order'),
    number: Type.String({ examples: ['ORD-000001'] }),
    status: OrderStatus,
    customer: Nullable(Type.String({ description: 'The customer who ordered; null when none was created' })),
    user: Nullable(Type.String({ description: 'The site user who ordered, when given' })),
    buyer: Nullable(OrderBuyer, {
      description:
        "The buyer's contact as given, kept (encrypted) when no customer held it: automatic creation was off for a new email. Null for an order placed for a customer",
    }),
    contact_masked: Type.Boolean(),
    currency: Type.String(),
    line_items: Type.Array(OrderLineItem),
    total: Money,
    checkout_session: Nullable(Type.String({ description: 'The checkout session made to pay this order online' })),
    transaction: Nullable(Type.String({ description: 'The payment, once paid' })),
    payment_method: Nullable(PaymentMethod),
    payment_reference: Nullable(Type.String()),
    created_at: Timestamp,
    updated_at: Timestamp,
    paid_at: Nullable(Timestamp),
    fulfilled_at: Nullable(Timestamp),
    cancelled_at: Nullable(Timestamp),
  },
  { title: 'Order' },
);
export type OrderView = Static<typeof Order>;

export const OrderList = ListOf(Order);
export type OrderListView = Static<typeof OrderList>;

export const OrderCreateBody = Type.Object(
  {
    currency: CurrencyCode,
    line_items: Type.Array(
      Type.Object(
        {
          description: Type.String({ minLength: 1, maxLength: 500 }),
          quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
          unit_amount: AmountMinor,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    customer: Type.Optional(Type.String({ maxLength: 100, description: 'An existing customer of the brand' })),
    customer_details: Type.Optional(
      Type.Object(
        {
          email: Type.String({ maxLength: 1000 }),
          name: Type.String({ maxLength: 1000 }),
          phone: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
        },
        {
          additionalProperties: false,
          description:
            "The buyer: a known email is matched to its customer; a new one creates the customer (source order) unless the brand's orders switch is off",
        },
      ),
    ),
    user: Type.Optional(
      Type.String({
        maxLength: 100,
        description: "The site user who ordered; alone, the order is their linked customer's (or their own details')",
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Give customer, customer_details or user (at least one).',
    examples: [
      {
        currency: 'BDT',
        line_items: [{ description: 'Nakshi kantha, queen size', quantity: 1, unit_amount: 450000 }],
        customer_details: { email: 'farhana@example.com', name: 'Farhana Akter', phone: '01711000111' },
      },
    ],
  },
);
export type OrderCreateBody = Static<typeof OrderCreateBody>;

export const OrderPaymentBody = Type.Object(
  {
    method: OfflineMethod,
    reference: Type.Optional(
      Type.String({ maxLength: 200, description: 'Bank or mobile-money transaction reference, receipt number' }),
    ),
  },
  { additionalProperties: false, examples: [{ method: 'cash' }, { method: 'mobile_money', reference: 'BK8H2K1M3N' }] },
);
export type OrderPaymentBody = Static<typeof OrderPaymentBody>;

export const OrderListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(OrderStatus),
    customer: Type.Optional(Type.String({ maxLength: 100 })),
    user: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type OrderListQuery = Static<typeof OrderListQuery>;

export const CustomerOrderListQuery = Type.Object(
  { ...PageQuery, status: Type.Optional(OrderStatus) },
  { additionalProperties: false },
);

export const OrderIdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7e]+$',
      description: 'Retrying with the same key (within 24 h) returns the first order instead of creating another',
    }),
  ),
});
