import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../test/support/backends.js';
import { reopenableDatabase, type ReopenableDatabase } from '../../test/support/databases.js';
import type { DatabaseHandle } from './database.js';
import { unnestRows, type UnnestColumns } from './unnest-rows.js';

interface Row {
  label: string;
  bytes: Buffer | null;
  count: number | null;
  tokens: number[];
  doc: string;
  at: Date;
}

const COLUMNS: UnnestColumns<Row> = {
  label: 'text',
  bytes: 'bytea',
  count: 'int4',
  tokens: 'int4[]',
  doc: 'jsonb',
  at: 'timestamptz',
};

// What an array literal would mangle if it were written by hand: quotes, backslashes, braces,
// commas, the word NULL, empty text, white space at the ends, and characters beyond ASCII.
const LABELS = ['plain', 'say "hi"', 'back\\slash', '{braces}', 'a,b', 'NULL', '', '  padded  ', 'Ünal 😀 ০১৭'];

describeBackends('unnestRows', (backend) => {
  let store: ReopenableDatabase;
  let database: DatabaseHandle;
  beforeAll(async () => {
    store = await reopenableDatabase(backend);
    database = await store.open();
    await sql`CREATE TABLE unnest_probe (label text, bytes bytea, count int4, tokens int4[], doc jsonb, at timestamptz)`.execute(
      database.db,
    );
  });
  afterAll(async () => {
    await database.close();
    await store.destroy();
  });

  it('writes every row of a batch as given, nulls, bytes, arrays and awkward text included', async () => {
    const rows: Row[] = LABELS.map((label, i) => ({
      label,
      bytes: i === 1 ? null : i === 2 ? Buffer.alloc(0) : Buffer.from([0, 92, 123, 255, i]),
      count: i === 3 ? null : i * 1000,
      tokens: i === 4 ? [] : [i, 2_147_483_647, 16_384],
      doc: JSON.stringify({ label, quote: '"', nested: { i } }),
      at: new Date(Date.UTC(2026, 11, 5, 4, 30, i, 123)),
    }));
    await sql`INSERT INTO unnest_probe ${unnestRows(rows, COLUMNS)}`.execute(database.db);
    const { rows: stored } = await sql<{
      label: string;
      bytes: Uint8Array | null;
      count: number | null;
      tokens: number[];
      doc: unknown;
      at: Date;
    }>`SELECT label, bytes, count, tokens, doc, at FROM unnest_probe`.execute(database.db);
    expect(stored).toHaveLength(rows.length);
    const byLabel = new Map(stored.map((s) => [s.label, s]));
    for (const row of rows) {
      const back = byLabel.get(row.label);
      expect(back, JSON.stringify(row.label)).toBeDefined();
      expect(back!.bytes === null ? null : Buffer.from(back!.bytes)).toEqual(row.bytes);
      expect(back!.count).toBe(row.count);
      expect(back!.tokens).toEqual(row.tokens);
      expect(back!.doc).toEqual(JSON.parse(row.doc));
      expect(back!.at.getTime()).toBe(row.at.getTime());
    }
  });
});
