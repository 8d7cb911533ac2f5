import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { reopenableDatabase, type ReopenableDatabase } from '../../../test/support/databases.js';
import type { DatabaseHandle } from '../database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';

// Migration 0010's triggers keep the KPI count and the sort keys (customer_ranks) in step with
// customers, whatever statement writes them: these are the statements the modules use, raw.
describeBackends('customer counts, ranks and their token copies follow the customers table (%s)', (backend) => {
  let store: ReopenableDatabase;
  let database: DatabaseHandle;
  const b = 'brd_0000000000000000000000000b';
  const other = 'brd_0000000000000000000000000o';
  const run = async (text: string, params: unknown[] = []) =>
    (await database.db.executeQuery(CompiledQuery.raw(text, params))).rows as Record<string, unknown>[];
  const count = async (brand: string) =>
    Number(
      (await run(`SELECT COALESCE(sum(customers), 0) AS n FROM customer_counts WHERE merchant_id = $1`, [brand]))[0]!.n,
    );
  const live = async (brand: string) =>
    Number(
      (await run(`SELECT count(*) AS n FROM customers WHERE merchant_id = $1 AND merged_into IS NULL`, [brand]))[0]!.n,
    );
  const rank = async (id: string) =>
    (
      await run(
        `SELECT total_spent_minor, transactions_count, last_payment_key FROM customer_ranks WHERE customer_id = $1`,
        [id],
      )
    )[0];
  const insert = (brand: string, id: string, bidx: string, extra = '') =>
    `INSERT INTO customers (merchant_id, id, name_enc, email_enc, email_bidx, data_key_id, index_key_id, source,
       created_at, updated_at${extra ? ', transactions_count, total_spent_minor, last_payment_at' : ''})
     VALUES ('${brand}', '${id}', '\\x01', '\\x02', '\\x${bidx}', 1, 2, 'api', now(), now()${extra})`;

  beforeAll(async () => {
    store = await reopenableDatabase(backend);
    database = await store.open();
    await migrateTo(database.db, '0009-data-operations');
    for (const brand of [b, other]) {
      await run(`INSERT INTO brands (id, name, country, base_currency) VALUES ($1, 'Brand', 'BD', 'BDT')`, [brand]);
      await run(
        `INSERT INTO brand_keys (merchant_id, key_id, purpose, state, wrapped_key)
         VALUES ($1, 1, 'data', 'active', '\\x00'), ($1, 2, 'index', 'active', '\\x00')`,
        [brand],
      );
    }
    await run(insert(b, 'cus_000000000000000000000000a1', 'a1', `, 2, 5000, '2026-01-02T00:00:00Z'`));
    await run(insert(b, 'cus_000000000000000000000000a2', 'a2'));
    await run(insert(b, 'cus_000000000000000000000000a3', 'a3'));
    await run(
      `UPDATE customers SET merged_into = 'cus_000000000000000000000000a2' WHERE id = 'cus_000000000000000000000000a3'`,
    );
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database?.close();
    await store?.destroy();
  });

  it('starts from the customers that exist: live ones counted and ranked, merged ones neither', async () => {
    expect(await count(b)).toBe(2);
    expect(await rank('cus_000000000000000000000000a1')).toMatchObject({
      total_spent_minor: expect.anything(),
      transactions_count: 2,
    });
    expect(Number((await rank('cus_000000000000000000000000a1'))!.total_spent_minor)).toBe(5000);
    expect(await rank('cus_000000000000000000000000a3')).toBeUndefined();
    expect(await count(other)).toBe(0);
  });

  it('counts a many-row insert once per brand and ranks never-paid customers at -infinity', async () => {
    await run(
      `INSERT INTO customers (merchant_id, id, name_enc, email_enc, email_bidx, data_key_id, index_key_id, source, created_at, updated_at)
       SELECT $1, 'cus_00000000000000000000000' || lpad(g::text, 3, '0'), '\\x01', '\\x02', decode(lpad(g::text, 6, '0'), 'hex'), 1, 2, 'import', now(), now()
       FROM generate_series(100, 149) g`,
      [b],
    );
    await run(insert(other, 'cus_000000000000000000000000o1', 'f1'));
    expect(await count(b)).toBe(52);
    expect(await count(b)).toBe(await live(b));
    expect(await count(other)).toBe(1);
    const r = await rank('cus_00000000000000000000000100');
    expect(Number(r!.total_spent_minor)).toBe(0);
    const never = await run(
      `SELECT last_payment_key = '-infinity' AS never FROM customer_ranks WHERE customer_id = $1`,
      ['cus_00000000000000000000000100'],
    );
    expect(never[0]!.never).toBe(true);
  });

  it("follows a payment's upsert in a CTE: a new customer is counted and ranked, a known one re-ranked, not recounted", async () => {
    const upsert = (id: string, bidx: string) =>
      run(
        `WITH c AS (INSERT INTO customers (merchant_id, id, name_enc, email_enc, email_bidx, data_key_id, index_key_id, source,
            transactions_count, total_spent_minor, last_payment_at, created_at, updated_at)
          VALUES ($1, $2, '\\x01', '\\x02', '\\x${bidx}', 1, 2, 'checkout', 1, 700, '2026-03-01T00:00:00Z', now(), now())
          ON CONFLICT (merchant_id, email_bidx) DO UPDATE SET transactions_count = customers.transactions_count + 1,
            total_spent_minor = customers.total_spent_minor + 700,
            last_payment_at = GREATEST(customers.last_payment_at, '2026-03-01T00:00:00Z')
          RETURNING id, (xmax = 0) AS inserted)
         SELECT * FROM c`,
        [b, id],
      );
    const before = await count(b);
    expect((await upsert('cus_000000000000000000000000n1', 'c1'))[0]!.inserted).toBe(true);
    expect(await count(b)).toBe(before + 1);
    expect(Number((await rank('cus_000000000000000000000000n1'))!.total_spent_minor)).toBe(700);
    expect((await upsert('cus_000000000000000000000000n2', 'a1'))[0]!.inserted).toBe(false);
    expect(await count(b)).toBe(before + 1);
    const known = await rank('cus_000000000000000000000000a1');
    expect(Number(known!.total_spent_minor)).toBe(5700);
    expect(known!.transactions_count).toBe(3);
    expect(new Date(known!.last_payment_key as string | Date).toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('takes a merged customer out of both, and a deleted one too', async () => {
    const before = await count(b);
    await run(
      `UPDATE customers SET merged_into = 'cus_000000000000000000000000a1' WHERE id = 'cus_00000000000000000000000101'`,
    );
    expect(await count(b)).toBe(before - 1);
    expect(await rank('cus_00000000000000000000000101')).toBeUndefined();
    await run(
      `DELETE FROM customers WHERE merchant_id = $1 AND id IN ('cus_00000000000000000000000102', 'cus_00000000000000000000000103')`,
      [b],
    );
    expect(await count(b)).toBe(before - 3);
    expect(await rank('cus_00000000000000000000000102')).toBeUndefined();
    // Deleting the merged pointer does not count it twice.
    await run(`DELETE FROM customers WHERE id = 'cus_00000000000000000000000101'`);
    expect(await count(b)).toBe(before - 3);
    expect(await count(b)).toBe(await live(b));
  });

  it('copies the search tokens and index key to the rank row, and follows a write that re-seals them (0011)', async () => {
    const tokens = async (id: string) =>
      (await run(`SELECT search_tokens, index_key_id FROM customer_ranks WHERE customer_id = $1`, [id]))[0];
    await run(
      `UPDATE customers SET search_tokens = '{7,8,9}', index_key_id = 2 WHERE id = 'cus_000000000000000000000000a1'`,
    );
    expect(await tokens('cus_000000000000000000000000a1')).toEqual({ search_tokens: [7, 8, 9], index_key_id: 2 });
    await run(
      `INSERT INTO customers (merchant_id, id, name_enc, email_enc, email_bidx, search_tokens, data_key_id, index_key_id, source,
         created_at, updated_at) VALUES ($1, 'cus_000000000000000000000000t1', '\\x01', '\\x02', '\\xe1', '{4,5}', 1, 2, 'api', now(), now())`,
      [b],
    );
    expect(await tokens('cus_000000000000000000000000t1')).toEqual({ search_tokens: [4, 5], index_key_id: 2 });
    // A payment's update leaves the tokens alone and still moves the sort keys.
    await run(
      `UPDATE customers SET total_spent_minor = total_spent_minor + 1 WHERE id = 'cus_000000000000000000000000t1'`,
    );
    expect(await tokens('cus_000000000000000000000000t1')).toEqual({ search_tokens: [4, 5], index_key_id: 2 });
  });

  it('copies source, suspended and has_user to the rank row and follows suspend and link changes (0012)', async () => {
    const copies = async (id: string) =>
      (await run(`SELECT source, suspended, has_user FROM customer_ranks WHERE customer_id = $1`, [id]))[0];
    const id = 'cus_000000000000000000000000a1';
    expect(await copies(id)).toEqual({ source: 'api', suspended: false, has_user: false });
    await run(`UPDATE customers SET suspended_at = now(), suspension_reason = 'abuse' WHERE id = $1`, [id]);
    expect(await copies(id)).toMatchObject({ suspended: true });
    await run(`UPDATE customers SET suspended_at = NULL, suspension_reason = NULL WHERE id = $1`, [id]);
    expect(await copies(id)).toMatchObject({ suspended: false });
    expect(await copies('cus_00000000000000000000000104')).toEqual({
      source: 'import',
      suspended: false,
      has_user: false,
    });
  });

  it('adds to the count through a PL/pgSQL function, whose plan a session keeps (0021)', async () => {
    // A SQL-language function that writes is planned again on every call: once for every create.
    const [fn] = await run(
      `SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
       WHERE p.proname = 'customer_count_add' AND p.pronamespace = current_schema()::regnamespace`,
    );
    expect(fn).toEqual({ lanname: 'plpgsql' });
  });

  it('rolls back with the statement that failed', async () => {
    const before = await count(b);
    await expect(run(insert(b, 'cus_000000000000000000000000x1', 'a2'))).rejects.toThrow();
    expect(await count(b)).toBe(before);
    expect(await rank('cus_000000000000000000000000x1')).toBeUndefined();
  });
});
