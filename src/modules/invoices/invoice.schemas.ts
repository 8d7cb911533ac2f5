import { Type, type Static } from '@sinclair/typebox';
import { CurrencyCode, ListOf, Money, Nullable, PageQuery, Timestamp } from '../../http/common.schemas.js';

const InvoiceStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('open'),
  Type.Literal('paid'),
  Type.Literal('void'),
]);

export const InvoiceLineItem = Type.Object(
  {
    description: Type.String(),
    quantity: Type.Integer(),
    unit_amount: Money,
    amount: Money,
  },
  { title: 'InvoiceLineItem' },
);

export const Invoice = Type.Object(
  {
    id: Type.String({ examples: ['inv_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('invoice'),
    number: Type.String({ examples: ['INV-000001'] }),
    status: InvoiceStatus,
    customer_id: Nullable(Type.String()),
    currency: Type.String(),
    line_items: Type.Array(InvoiceLineItem),
    total: Money,
    memo: Nullable(Type.String()),
    due_date: Nullable(Type.String({ format: 'date' })),
    public_url: Nullable(Type.String({ description: 'The pay page (/invoice/{token}) once the invoice is open' })),
    transaction_id: Nullable(Type.String()),
    created_at: Timestamp,
    finalized_at: Nullable(Timestamp),
    paid_at: Nullable(Timestamp),
    voided_at: Nullable(Timestamp),
  },
  { title: 'Invoice' },
);
export type InvoiceView = Static<typeof Invoice>;

export const InvoiceList = ListOf(Invoice);
export type InvoiceListView = Static<typeof InvoiceList>;

export const InvoiceCreateBody = Type.Object(
  {
    customer_id: Type.Optional(
      Nullable(Type.String({ description: 'Omit to bill whoever pays: paying registers them (source invoice)' })),
    ),
    currency: CurrencyCode,
    line_items: Type.Array(
      Type.Object(
        {
          description: Type.String({ minLength: 1, maxLength: 500 }),
          quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
          unit_amount: Type.Integer({ minimum: 1, maximum: 100_000_000_000, description: 'Integer minor units' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    memo: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    due_date: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  },
  {
    additionalProperties: false,
    examples: [{ currency: 'BDT', line_items: [{ description: 'Consulting', quantity: 3, unit_amount: 500000 }] }],
  },
);
export type InvoiceCreateBody = Static<typeof InvoiceCreateBody>;

export const InvoiceListQuery = Type.Object(
  { ...PageQuery, status: Type.Optional(InvoiceStatus), customer_id: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
export type InvoiceListQuery = Static<typeof InvoiceListQuery>;
export const CustomerInvoiceListQuery = Type.Object(PageQuery, { additionalProperties: false });
