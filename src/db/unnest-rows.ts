import { sql, type RawBuilder } from 'kysely';

/** The SQL types a batch's columns are cast to. */
export type UnnestType = 'text' | 'bytea' | 'int4' | 'int4[]' | 'jsonb' | 'timestamptz';

type UnnestValue = string | number | Buffer | Date | readonly number[] | null | undefined;

/** A batch's columns: each written column of the row, named as in the table, with its SQL type. */
export type UnnestColumns<R> = { readonly [K in keyof R]?: UnnestType };

/**
 * `(col, …) SELECT … FROM unnest($1::text[], …)`: a batch of rows as one array parameter per
 * column, for `INSERT INTO table ${…}`. A multi-row VALUES binds one parameter per value (15,000
 * for a 1,000-row import batch), which PostgreSQL parses, plans and binds one by one: about half a
 * batch insert's time on a table without indexes. Every array goes as text[] and each element is
 * cast in the select list, so node-postgres and PGlite pass the same thing.
 */
export function unnestRows<R extends { [K in keyof R]: UnnestValue }>(
  rows: readonly R[],
  columns: UnnestColumns<R>,
): RawBuilder<unknown> {
  const written = Object.entries(columns) as Array<[keyof R & string, UnnestType]>;
  const names = sql.join(written.map(([name]) => sql.ref(name)));
  const selected = sql.join(written.map(([, type], i) => sql`${sql.ref(`u.c${i}`)}::${sql.raw(type)}`));
  const arrays = sql.join(written.map(([name]) => sql`${rows.map((row) => asText(row[name]))}::text[]`));
  const aliases = sql.join(written.map((_, i) => sql.ref(`c${i}`)));
  return sql`(${names}) SELECT ${selected} FROM unnest(${arrays}) AS u(${aliases})`;
}

function asText(value: UnnestValue): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (value instanceof Date) return value.toISOString();
  return `{${value.join(',')}}`;
}
