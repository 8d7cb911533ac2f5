import { Type, type Static } from '@sinclair/typebox';

export const ExchangeRates = Type.Object(
  {
    object: Type.Literal('exchange_rates'),
    base_currency: Type.String(),
    rates: Type.Array(
      Type.Object({
        currency: Type.String(),
        rate: Type.String({ description: 'Units of the base currency one unit of `currency` buys (decimal string)' }),
        updated_at: Type.String({ format: 'date-time' }),
      }),
    ),
  },
  { title: 'ExchangeRates' },
);
export type ExchangeRates = Static<typeof ExchangeRates>;

export const ExchangeRatesBody = Type.Object(
  {
    rates: Type.Record(Type.String(), Type.String(), {
      description:
        'Currency code → rate as a decimal string, e.g. {"USD": "117.25"}. Sets or replaces these currencies.',
      examples: [{ USD: '117.25', EUR: '127.9' }],
      minProperties: 1,
      maxProperties: 200,
    }),
  },
  { additionalProperties: false },
);
export type ExchangeRatesBody = Static<typeof ExchangeRatesBody>;
