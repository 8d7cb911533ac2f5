import { Type, type Static } from '@sinclair/typebox';
import { ListOf, Nullable, Timestamp } from '../../http/common.schemas.js';

const AutoCreateSwitches = Type.Object(
  {
    registrations: Type.Boolean({ description: 'A site user registering (POST /users) creates their customer' }),
    orders: Type.Boolean({ description: "An order with a new buyer's email creates the customer" }),
    payments: Type.Boolean({
      description: 'Paying a checkout, payment link or invoice with a new email creates the customer',
    }),
  },
  { title: 'AutoCreateCustomers' },
);

export const BrandView = Type.Object(
  {
    id: Type.String({ examples: ['brd_06f9h2k1m3n4p5q6r7s8t9v0wx'] }),
    object: Type.Literal('brand'),
    name: Type.String(),
    country: Type.String({ description: 'ISO 3166-1 alpha-2; the default region of phone numbers' }),
    base_currency: Type.String({ description: 'ISO 4217; totals and "total spent" are in it' }),
    logo_url: Nullable(Type.String({ description: "An https URL of the brand's logo" })),
    settings: Type.Object({
      auto_register_customers: Type.Boolean({
        description: 'The payments switch of auto_create_customers, under its first name (kept for existing clients)',
      }),
      auto_create_customers: AutoCreateSwitches,
    }),
    created_at: Timestamp,
  },
  {
    title: 'Brand',
    examples: [
      {
        id: 'brd_06f9h2k1m3n4p5q6r7s8t9v0wx',
        object: 'brand',
        name: 'Dhaka Crafts',
        country: 'BD',
        base_currency: 'BDT',
        logo_url: null,
        settings: {
          auto_register_customers: true,
          auto_create_customers: { registrations: true, orders: true, payments: true },
        },
        created_at: '2026-12-01T09:30:00.000Z',
      },
    ],
  },
);
export type BrandView = Static<typeof BrandView>;

export const BrandList = ListOf(BrandView);
export type BrandListView = Static<typeof BrandList>;

const BrandName = Type.String({ maxLength: 1000, description: '1–100 characters', examples: ['Dhaka Crafts'] });
const Country = Type.String({ maxLength: 10, description: 'ISO 3166-1 alpha-2 country code', examples: ['BD'] });
const BaseCurrency = Type.String({ maxLength: 10, description: 'ISO 4217 code', examples: ['BDT'] });
const LogoUrl = Type.String({
  maxLength: 2000,
  description: 'https URL of an image',
  examples: ['https://example.com/logo.png'],
});

export const BrandCreateBody = Type.Object(
  {
    name: BrandName,
    country: Country,
    base_currency: BaseCurrency,
    logo_url: Type.Optional(Nullable(LogoUrl)),
  },
  { additionalProperties: false, examples: [{ name: 'Chittagong Tea House', country: 'BD', base_currency: 'BDT' }] },
);
export type BrandCreateBody = Static<typeof BrandCreateBody>;

export const BrandUpdateBody = Type.Object(
  {
    name: Type.Optional(BrandName),
    country: Type.Optional(Country),
    base_currency: Type.Optional(
      Type.String({
        maxLength: 10,
        description: 'ISO 4217; refused (409 currency_locked) once the brand has transactions',
      }),
    ),
    logo_url: Type.Optional(Nullable(LogoUrl)),
  },
  { additionalProperties: false, examples: [{ name: 'Dhaka Crafts & Co.', logo_url: 'https://example.com/logo.png' }] },
);
export type BrandUpdateBody = Static<typeof BrandUpdateBody>;

export const BrandSettingsBody = Type.Object(
  {
    auto_register_customers: Type.Optional(
      Type.Boolean({ description: 'The same switch as auto_create_customers.payments' }),
    ),
    auto_create_customers: Type.Optional(
      Type.Object(
        {
          registrations: Type.Optional(Type.Boolean()),
          orders: Type.Optional(Type.Boolean()),
          payments: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, examples: [{ auto_create_customers: { registrations: false } }] },
);
export type BrandSettingsBody = Static<typeof BrandSettingsBody>;
