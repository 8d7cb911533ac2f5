import { Type, type Static } from '@sinclair/typebox';
import { Money, Nullable, Timestamp } from '../../http/common.schemas.js';
import { InvoiceLineItem } from '../invoices/index.js';

export const PublicSlugParams = Type.Object({ slug: Type.String({ maxLength: 200 }) });
export const PublicTokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

export const PublicPaymentLink = Type.Object(
  {
    brand_name: Type.String(),
    title: Type.String(),
    description: Nullable(Type.String()),
    currency: Type.String(),
    amount_type: Type.Union([Type.Literal('fixed'), Type.Literal('customer_chosen')]),
    amount: Nullable(Money),
    min_amount: Nullable(Money),
    max_amount: Nullable(Money),
  },
  { title: 'PublicPaymentLink' },
);

export const PublicCheckout = Type.Object(
  {
    brand_name: Type.String(),
    description: Nullable(Type.String()),
    amount: Money,
    status: Type.Union([Type.Literal('open'), Type.Literal('complete'), Type.Literal('expired')]),
    expires_at: Timestamp,
  },
  { title: 'PublicCheckout' },
);

export const PublicInvoice = Type.Object(
  {
    brand_name: Type.String(),
    number: Type.String(),
    status: Type.Union([Type.Literal('open'), Type.Literal('paid'), Type.Literal('void')]),
    line_items: Type.Array(InvoiceLineItem),
    total: Money,
    memo: Nullable(Type.String()),
    due_date: Nullable(Type.String({ format: 'date' })),
    customer_known: Type.Boolean({ description: 'Billed to a customer: name and email are not asked' }),
  },
  { title: 'PublicInvoice' },
);

export const PayBody = Type.Object(
  {
    name: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    email: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    amount: Type.Optional(
      Nullable(
        Type.Integer({
          minimum: 1,
          maximum: 100_000_000_000_000,
          description: 'Minor units; only for links where the client chooses',
        }),
      ),
    ),
    card: Type.Object(
      {
        number: Type.String({ maxLength: 30, examples: ['4242 4242 4242 4242'] }),
        exp_month: Type.Integer({ minimum: 1, maximum: 12 }),
        exp_year: Type.Integer({ minimum: 0, maximum: 9999 }),
        cvc: Type.String({ maxLength: 4 }),
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        name: 'Mina Akter',
        email: 'mina@example.com',
        phone: '01712345678',
        card: { number: '4242 4242 4242 4242', exp_month: 12, exp_year: 2030, cvc: '123' },
      },
    ],
  },
);

export type PayBody = Static<typeof PayBody>;

export const PayResult = Type.Object(
  {
    status: Type.Literal('succeeded'),
    transaction_id: Type.String({ examples: ['txn_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    amount: Money,
    customer_id: Nullable(Type.String({ examples: ['cus_06f9h2k1m3n4p5q6r7s8t9v0wx'] })),
  },
  { title: 'PayResult' },
);
