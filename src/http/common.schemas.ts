import { Type, type StringOptions, type TSchema } from '@sinclair/typebox';
import { SINGLE_LINE_PATTERN } from './text-rule.js';

export const Money = Type.Object(
  {
    amount: Type.Integer({ description: 'Integer minor units (e.g. paisa, cents)' }),
    currency: Type.String({ description: 'ISO 4217 code', examples: ['BDT'] }),
  },
  { title: 'Money' },
);

export const Nullable = <T extends TSchema>(schema: T, options: { description?: string } = {}) =>
  Type.Union([schema, Type.Null()], options);
export const Timestamp = Type.String({ format: 'date-time' });

/** A newest-first page of `item`, as every list endpoint answers; titled `<Item>List` in the OpenAPI document. */
export function ListOf<T extends TSchema>(item: T) {
  return Type.Object(
    {
      object: Type.Literal('list'),
      data: Type.Array(item),
      has_more: Type.Boolean(),
      next_cursor: Nullable(Type.String({ description: 'Pass as cursor for the next page' })),
    },
    item.title ? { title: `${item.title}List` } : {},
  );
}

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
};

export const IdParams = Type.Object({ id: Type.String() });

/** Amount in minor units as a request field. */
export const AmountMinor = Type.Integer({
  minimum: 1,
  maximum: 100_000_000_000_000,
  description: 'Integer minor units',
});
export const CurrencyCode = Type.String({ pattern: '^[A-Za-z]{3}$', description: 'ISO 4217 code', examples: ['BDT'] });

/**
 * Text on one line (a name, a title, an email): no tab, CR or LF, and nothing the text rule refuses
 * (text-rule.ts). A `pattern` Ajv checks with the u flag; its failure reads "must be one line …".
 */
export const SingleLineText = (options: Omit<StringOptions, 'pattern'> = {}) =>
  Type.String({ ...options, pattern: SINGLE_LINE_PATTERN });
