import { Type, type Static } from '@sinclair/typebox';

export const BrandView = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('brand'),
    name: Type.String(),
    country: Type.String({ description: 'ISO 3166 alpha-2; the default region of phone numbers' }),
    base_currency: Type.String({ description: 'ISO 4217; totals and "total spent" are in it' }),
    settings: Type.Object({
      auto_register_customers: Type.Boolean({
        description: 'Completing a checkout, payment link or invoice with a new email creates the customer',
      }),
    }),
  },
  { title: 'Brand' },
);
export type BrandView = Static<typeof BrandView>;

export const BrandSettingsBody = Type.Object(
  { auto_register_customers: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type BrandSettingsBody = Static<typeof BrandSettingsBody>;
