import { Type, type Static } from '@sinclair/typebox';
import { ListOf, Money, Nullable, PageQuery, Timestamp } from '../../http/common.schemas.js';

const Status = Type.Union([
  Type.Literal('pending'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('refunded'),
  Type.Literal('partially_refunded'),
]);
const Kind = Type.Union([Type.Literal('payment'), Type.Literal('refund')]);

export const Transaction = Type.Object(
  {
    id: Type.String({ examples: ['txn_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('transaction'),
    type: Kind,
    status: Status,
    source: Type.Union([
      Type.Literal('checkout'),
      Type.Literal('payment_link'),
      Type.Literal('invoice'),
      Type.Literal('order'),
    ]),
    method: Type.Union(
      [Type.Literal('card'), Type.Literal('cash'), Type.Literal('bank_transfer'), Type.Literal('mobile_money')],
      { description: 'A card at the gateway, or an offline payment recorded by staff (an order paid on delivery)' },
    ),
    reference: Nullable(Type.String({ description: "An offline payment's reference (bank or mobile-money)" })),
    amount: Money,
    base_amount: Nullable(Money),
    exchange_rate: Nullable(
      Type.String({ description: 'Base-currency units per unit of the payment currency, when they differ' }),
    ),
    amount_refunded: Money,
    customer_id: Nullable(Type.String()),
    customer_name: Nullable(
      Type.String({ description: 'Null without a customer, or for roles that may not see customers' }),
    ),
    invoice_id: Nullable(Type.String()),
    payment_link_id: Nullable(Type.String()),
    checkout_session_id: Nullable(Type.String()),
    order_id: Nullable(Type.String()),
    refunded_transaction_id: Nullable(Type.String({ description: "A refund's payment" })),
    gateway: Type.String(),
    gateway_reference: Nullable(Type.String()),
    card: Nullable(Type.Object({ brand: Type.String(), last4: Type.String() })),
    failure_code: Nullable(Type.String()),
    failure_message: Nullable(Type.String()),
    created_at: Timestamp,
    succeeded_at: Nullable(Timestamp),
  },
  { title: 'Transaction' },
);
export type TransactionView = Static<typeof Transaction>;

export const TransactionList = ListOf(Transaction);
export type TransactionListView = Static<typeof TransactionList>;

export const TransactionListQuery = Type.Object(
  { ...PageQuery, status: Type.Optional(Status), type: Type.Optional(Kind), customer_id: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
export type TransactionListQuery = Static<typeof TransactionListQuery>;
export const CustomerTransactionListQuery = Type.Object(PageQuery, { additionalProperties: false });

export const RefundBody = Type.Object(
  {
    amount: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100_000_000_000_000, description: 'Minor units; default: all that is left' }),
    ),
  },
  { additionalProperties: false, examples: [{ amount: 50000 }] },
);
export type RefundBody = Static<typeof RefundBody>;
