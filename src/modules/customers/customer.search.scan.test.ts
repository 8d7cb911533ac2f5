import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { customersApi, newCustomer, type CustomerListJson } from '../../../test/support/customers.js';
import { searchTokens } from '../../crypto/search-tokens.js';
import { newId } from '../../ids.js';
import { insertCustomers } from './customer.repository.js';
import { sealContact } from './customer.seal.js';
import { parseSearchQuery, queryTokenInputs } from './customer.search-text.js';
import type { NewCustomerRow } from './customer.table.js';

/**
 * More customers than one scan window (1,000 rows) and than the scan budget (2,000 candidates),
 * so the search must go on across windows, switch to the index plan for a rare term, and end a
 * page early on a long run of false candidates without losing or repeating anyone.
 */
describeBackends('searching a brand larger than a scan window (%s)', (backend) => {
  const TOTAL = 2600;
  const RARE = new Set([3, 5, 8]); // among the oldest: far outside the first window
  const MIDTERM_EVERY = 50;
  const REAL_DECOY_TARGET = 1; // the one row that has "qzxqzy"; every filler row has its trigrams apart
  /** The only phone holding "0170001"; hundreds of older-style phones hold all its trigrams. */
  const NEEDLE_PHONE_SERIAL = 2;
  const NEEDLE_PHONE = '+8801700017777';

  let paydesk: TestPaydesk;
  let brand: TestBrand;
  /** Serial (0 = oldest) → id. */
  const idOf: string[] = [];

  /**
   * Every 11th row from serial 4 on: 1,001 = 91 × 11, so a row 1,001 places older than a match is
   * a match too. A scan window of 1,000 rows that ended one row late (or early) would therefore
   * skip (or repeat) a match at every window boundary, wherever a page's cursor starts it.
   */
  const isEleventh = (i: number) => i % 11 === (TOTAL - 1001) % 11;

  const nameOf = (i: number) => {
    const base = RARE.has(i)
      ? 'Rarename Person'
      : i === REAL_DECOY_TARGET
        ? 'Qzxqzy Real'
        : i % MIDTERM_EVERY === 0
          ? 'Midterm Person'
          : 'Filler qzxqz qzy';
    return `${base}${isEleventh(i) ? ' Elevenses' : ''} ${i}`;
  };

  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand({ country: 'BD' });
    // Written straight through the repository: the API would take a minute for this many.
    const keys = await paydesk.ctx.keyring.forBrand(paydesk.ctx.db, brand.id);
    const start = Date.now() - TOTAL * 1000;
    const rows: NewCustomerRow[] = [];
    for (let i = 0; i < TOTAL; i++) {
      const id = newId('cus');
      idOf.push(id);
      const phone =
        i === NEEDLE_PHONE_SERIAL ? NEEDLE_PHONE : i % 3 === 0 ? `+88017${String(i).padStart(8, '0')}` : null;
      const at = new Date(start + i * 1000);
      rows.push({
        merchant_id: brand.id,
        id,
        ...sealContact(keys, brand.id, id, { name: nameOf(i), email: `c${i}@bulk.example`, phone }),
        metadata: '{}',
        source: 'import',
        created_at: at,
        updated_at: at,
      });
    }
    for (let i = 0; i < rows.length; i += 500) await insertCustomers(paydesk.ctx.db, rows.slice(i, i + 500));
  });
  afterAll(() => paydesk?.close());

  async function walk(q: string, limit: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 1; pages <= 200; pages++) {
      const response = await customersApi(paydesk, brand.token).list(
        `q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json<CustomerListJson>();
      expect(page.data.length).toBeLessThanOrEqual(limit);
      ids.push(...page.data.map((c) => c.id));
      if (!page.has_more) return { ids, pages };
      cursor = page.next_cursor;
      expect(cursor).toEqual(expect.any(String));
    }
    throw new Error(`search ${JSON.stringify(q)} did not end`);
  }

  const newestFirst = (serials: number[]) => [...serials].sort((a, b) => b - a).map((i) => idOf[i]);
  const serials = (keep: (i: number) => boolean) => Array.from({ length: TOTAL }, (_, i) => i).filter(keep);

  it('finds a rare term that lies beyond the first window', async () => {
    for (const limit of [1, 2, 20])
      expect((await walk('rarename', limit)).ids, `limit ${limit}`).toEqual(newestFirst([...RARE]));
  });

  it('finds a term spread thinly over many windows, page after page', async () => {
    const expected = newestFirst(serials((i) => i % MIDTERM_EVERY === 0 && !RARE.has(i) && i !== REAL_DECOY_TARGET));
    expect(expected).toHaveLength(52);
    for (const limit of [7, 30, 100]) expect((await walk('midterm', limit)).ids, `limit ${limit}`).toEqual(expected);
  });

  it('crosses scan-window boundaries without skipping or repeating a match', async () => {
    const expected = newestFirst(serials(isEleventh));
    expect(expected.length).toBeGreaterThan(200);
    for (const limit of [100, 60]) {
      const { ids } = await walk('elevenses', limit);
      expect(new Set(ids).size, `limit ${limit}`).toBe(ids.length);
      expect(ids, `limit ${limit}`).toEqual(expected);
    }
  });

  it("never proposes another brand's rows: brand tags keep the brands' tokens apart in the shared index", async () => {
    const small = await paydesk.newBrand({ country: 'BD' });
    const own = await newCustomer(paydesk, small, { name: 'Solo Customer', email: 'solo@one.example' });
    const { index } = await paydesk.ctx.keyring.forBrand(paydesk.ctx.db, small.id);
    const bigBrandTokens = new Set(
      (
        await paydesk.rawQuery('SELECT DISTINCT t FROM customers, unnest(search_tokens) t WHERE merchant_id = $1', [
          brand.id,
        ])
      ).map((r) => Number(r.t)),
    );
    expect(bigBrandTokens.size).toBeGreaterThan(1000);
    // Without the tag, ~180 of these one-trigram queries would share a token value with the big brand.
    const letters = [...'bdfghijkqvwyz']; // none of them in the small brand's customer
    const queries = letters.flatMap((a) => letters.flatMap((b) => letters.map((c) => `${a}${b}${c}`)));
    const colliding = queries.filter((q) =>
      queryTokenInputs(parseSearchQuery(q)!).some((inputs) =>
        searchTokens(index, inputs).some((t) => bigBrandTokens.has(t)),
      ),
    );
    expect(colliding).toEqual([]);
    for (const q of queries.slice(0, 12)) {
      const response = await customersApi(paydesk, small.token).list(`q=${q}`);
      expect(response.statusCode, `${q}: ${response.body}`).toBe(200);
      expect(response.json<CustomerListJson>().data, q).toEqual([]);
    }
    expect(
      (await customersApi(paydesk, small.token).list('q=solo')).json<CustomerListJson>().data.map((c) => c.id),
    ).toEqual([own.id]);
  });

  it('walks past more false candidates than one request examines, and still finds the one real match', async () => {
    // Every filler row holds all the trigrams of "qzxqzy" (in "qzxqz qzy"), none holds the text.
    const { ids } = await walk('qzxqzy', 10);
    expect(ids).toEqual([idOf[REAL_DECOY_TARGET]]);
    const fillers = serials((i) => nameOf(i).startsWith('Filler'));
    expect(fillers.length).toBeGreaterThan(2000);
    expect((await walk('qzxqz qzy', 100)).ids).toEqual(newestFirst(fillers));
  });

  it('goes on through the index plan past a batch of false candidates (digit queries start on it)', async () => {
    // Every "+88017 0000 iiii" phone holds the trigrams 017 170 700 000, and many hold 001, but
    // only the oldest-but-two customer's phone holds "0170001".
    for (const limit of [1, 10])
      expect((await walk('0170001', limit)).ids, `limit ${limit}`).toEqual([idOf[NEEDLE_PHONE_SERIAL]]);
    expect((await walk('+880 1700 017', 10)).ids).toEqual([idOf[NEEDLE_PHONE_SERIAL]]);
  });

  it('pages a common term without duplicates or gaps', async () => {
    const expected = newestFirst(serials((i) => i % 3 === 0 && String(i).padStart(8, '0').startsWith('0000')));
    // "0170000" + "0…": the national form of every phone of serial < 10,000 starts "017 0000".
    const { ids } = await walk('0170000', 100);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expected);
  });
});
