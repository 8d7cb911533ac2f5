import { sql, type RawBuilder } from 'kysely';

/** Token sets under one index key: a row is a candidate when it holds every token of one set. */
export interface TokenFilter {
  indexKeyId: number;
  tokenSets: number[][];
}

/**
 * `@>` on int4[] is intarray's operator (the extension rebinds it), which the gin__int_ops index
 * serves. Token values are integers computed by the server, so they are inlined as literals: the
 * planner then sees the real values. `gin only` writes the index key's test so that no btree
 * index can serve it (`index_key_id + 0`), leaving the GIN index as the only way in.
 */
export function tokenCondition(
  filters: TokenFilter[],
  use: 'any index' | 'gin only' = 'any index',
  /** Where the tokens are read: the customer's columns, or the copy a ranks walk carries. */
  columns: { tokens: string; keyId: string } = { tokens: 'search_tokens', keyId: 'index_key_id' },
): RawBuilder<boolean> {
  const keyId = use === 'gin only' ? sql`${sql.ref(columns.keyId)} + 0` : sql.ref(columns.keyId);
  const tokensColumn = sql.ref(columns.tokens);
  const alternatives = filters.flatMap((filter) =>
    filter.tokenSets.map(
      (tokens) =>
        sql`(${keyId} = ${sql.lit(filter.indexKeyId)} AND ${tokensColumn} @> ${sql.lit(`{${tokens.join(',')}}`)}::int4[])`,
    ),
  );
  return sql<boolean>`(${sql.join(alternatives, sql` OR `)})`;
}
