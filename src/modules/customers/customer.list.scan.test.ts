import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { newId } from '../../ids.js';
import { countCustomerList } from './customer.count.js';
import { listCustomers } from './customer.list.js';
import { CandidateScanner } from './customer.search-scan.js';
import { insertCustomers } from './customer.repository.js';
import type { CustomerListParams } from './customer.schemas.js';
import { sealContact } from './customer.seal.js';
import type { NewCustomerRow } from './customer.table.js';

/**
 * Filters over more rows than a walk window (250 to 8,000 rows) and than a narrow driver's first
 * count: a sparse filter must go on across windows, a rare one switch to its own index, and one
 * that the sort walks last (no payments, sorted by most spent) end pages early within the budget,
 * all without losing or repeating anyone.
 */
describeBackends('filtering a brand larger than a walk window (%s)', (backend) => {
  const TOTAL = 3000;
  const CHECKOUT_EVERY = 37;
  const SUSPENDED = new Set([4, 1900]);
  const TAGGED = new Set([2, 7, 2999]);
  const spentOf = (i: number) => (i % 5 === 0 ? 0 : ((i * 7919) % 13) * 100 + 100);

  let paydesk: TestPaydesk;
  let brand: TestBrand;
  const tag = newId('tag');
  /** Serial (0 = oldest) → id. */
  const idOf: string[] = [];

  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand({ country: 'BD' });
    const keys = await paydesk.ctx.keyring.forBrand(paydesk.ctx.db, brand.id);
    const start = Date.now() - TOTAL * 1000;
    const rows: NewCustomerRow[] = [];
    for (let i = 0; i < TOTAL; i++) {
      const id = newId('cus');
      idOf.push(id);
      const at = new Date(start + i * 1000);
      const spent = spentOf(i);
      rows.push({
        merchant_id: brand.id,
        id,
        ...sealContact(keys, brand.id, id, { name: `Bulk ${i}`, email: `b${i}@scan.example`, phone: null }),
        metadata: '{}',
        source: i % CHECKOUT_EVERY === 0 ? 'checkout' : 'import',
        transactions_count: spent > 0 ? 1 : 0,
        total_spent_minor: spent,
        last_payment_at: spent > 0 ? new Date(start + (i % 17) * 60_000) : null,
        suspended_at: SUSPENDED.has(i) ? at : null,
        suspension_reason: SUSPENDED.has(i) ? 'chargebacks' : null,
        created_at: at,
        updated_at: at,
      });
    }
    for (let i = 0; i < rows.length; i += 500) await insertCustomers(paydesk.ctx.db, rows.slice(i, i + 500));
    await paydesk.rawQuery(
      `INSERT INTO customer_tags (merchant_id, id, name, name_key, color, created_at) VALUES ($1, $2, 'Rare', 'rare', 'red', now())`,
      [brand.id, tag],
    );
    for (const i of TAGGED) {
      await paydesk.rawQuery(
        `INSERT INTO customer_tag_links (merchant_id, tag_id, customer_id, created_at) VALUES ($1, $2, $3, now())`,
        [brand.id, tag, idOf[i]],
      );
    }
  });
  afterAll(() => paydesk?.close());

  async function walk(params: CustomerListParams, limit: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let pages = 1; pages <= 400; pages++) {
      const page = await listCustomers(paydesk.ctx, brand.principal, { ...params, limit, cursor });
      ids.push(...page.data.map((c) => c.id));
      if (!page.has_more) return { ids, pages };
      cursor = page.next_cursor!;
    }
    throw new Error('pagination did not end');
  }

  const serials = (filter: (i: number) => boolean) => [...Array(TOTAL).keys()].filter(filter);
  const bySpendDesc = (a: number, b: number) => spentOf(b) - spentOf(a) || (idOf[b]! < idOf[a]! ? -1 : 1);

  it('walks a sparse filter across windows in a ranked sort: everyone once, in order', async () => {
    const expected = serials((i) => i % CHECKOUT_EVERY === 0)
      .sort(bySpendDesc)
      .map((i) => idOf[i]);
    const { ids } = await walk({ source: 'checkout', sort: '-total_spent' }, 10);
    expect(ids).toEqual(expected);
  });

  it('finds a rare tag or status through its own index, in few pages', async () => {
    const tagged = await walk({ tag }, 20);
    expect(tagged.ids).toEqual([...TAGGED].sort((a, b) => b - a).map((i) => idOf[i]));
    expect(tagged.pages).toBeLessThanOrEqual(2);
    const suspended = await walk({ status: 'suspended', sort: 'transactions_count' }, 1);
    expect(suspended.ids.sort()).toEqual([...SUSPENDED].map((i) => idOf[i]).sort());
    expect(suspended.pages).toBeLessThanOrEqual(3);
  });

  it('reads a rare filter from its own index, not by walking the brand', async () => {
    const scope = {
      merchantId: brand.id,
      sort: { key: 'total_spent', direction: 'desc' },
      filter: { tagId: tag },
    } as const;
    const scanner = new CandidateScanner(paydesk.ctx.db, { ...scope, filter: { ...scope.filter } }, undefined);
    const found = [];
    while (!scanner.exhausted) found.push(...(await scanner.next(21)));
    expect(found.map((row) => row.id).sort()).toEqual([...TAGGED].map((i) => idOf[i]).sort());
    // One first window, then the tag's three links: nowhere near the brand's 3,000 rows.
    expect(scanner.walked).toBeLessThanOrEqual(250);
  });

  it('finds the rows a sort walks last (no payments, by most spent), losing nobody', async () => {
    // Sorted by most spent, the never-paying customers come after every payer.
    const expected = serials((i) => spentOf(i) === 0)
      .sort((a, b) => (idOf[b]! < idOf[a]! ? -1 : 1))
      .map((i) => idOf[i]);
    const { ids } = await walk({ has_payments: false, sort: '-total_spent' }, 100);
    expect(ids).toEqual(expected);
  });

  it('pages a dense filter in a ranked sort without duplicates or gaps, at any page size', async () => {
    const expected = serials((i) => i % CHECKOUT_EVERY !== 0 && spentOf(i) >= 500)
      .sort((a, b) => (idOf[a]! < idOf[b]! ? -1 : 1))
      .sort((a, b) => spentOf(a) - spentOf(b))
      .map((i) => idOf[i]);
    for (const limit of [7, 100]) {
      const { ids } = await walk({ source: 'import', total_spent_gte: 500, sort: 'total_spent' }, limit);
      expect(ids).toEqual(expected);
    }
  });

  it('searches within a filter whichever index serves: the filter’s, the search’s, or the walk', async () => {
    const expected = (keep: (i: number) => boolean) =>
      serials(keep)
        .sort(bySpendDesc)
        .map((i) => idOf[i]);
    // Every name holds "bulk": sparse only with the filter, where the source's index is the smaller.
    const checkoutUnpaid = await walk({ q: 'bulk', source: 'checkout', has_payments: false, sort: '-total_spent' }, 5);
    expect(checkoutUnpaid.ids).toEqual(expected((i) => i % CHECKOUT_EVERY === 0 && spentOf(i) === 0));
    // No index for the filter, and the walk meets its rows last: the search's own index serves.
    const unpaid = await walk({ q: 'bulk 1', has_payments: false, sort: '-total_spent' }, 50);
    expect(unpaid.ids).toEqual(expected((i) => spentOf(i) === 0 && `bulk ${i}`.includes('bulk 1')));
  });

  it('counts past its cap as "many", through a narrow filter exactly, and the rest as the database allows', async () => {
    // Limits scaled down to this brand: it is "large" (3,000 > 1,000), a narrow index holds ≤ 100 rows.
    const limits = { cap: 1000, driverCap: 100, timeoutMs: 5000 };
    const count = async (params: CustomerListParams) =>
      (await countCustomerList(paydesk.ctx, brand.principal, params, limits)).count;
    expect(await count({})).toBe(TOTAL);
    expect(await count({ tag })).toBe(TAGGED.size);
    expect(await count({ source: 'checkout', has_payments: true })).toBe(
      serials((i) => i % CHECKOUT_EVERY === 0 && spentOf(i) > 0).length,
    );
    // No narrow index: PostgreSQL counts under its time limit; PGlite, which has no timer, says "many".
    const unpaid = serials((i) => spentOf(i) === 0).length;
    expect(await count({ has_payments: false })).toBe(backend === 'postgres' ? unpaid : null);
    expect(await count({ source: 'import' })).toBeNull();
  });
});
