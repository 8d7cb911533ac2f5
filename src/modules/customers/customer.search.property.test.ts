import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { customersApi, type CustomerJson, type CustomerListJson } from '../../../test/support/customers.js';
import { searchTokens } from '../../crypto/search-tokens.js';
import { parseSearchQuery, queryTokenInputs } from './customer.search-text.js';

/*
 * No false positives, no false negatives: for random customers and random queries, the API's
 * result set (all pages) equals a plain in-memory filter. The alphabet is small so that
 * substrings and 14-bit token collisions are frequent, which is what exercises the decrypt-and-
 * check step. The oracle below is written from the feature's definition, not from
 * customer.search-text.ts.
 */

const CUSTOMERS = 300;
const RUNS = 250;

// ---- the oracle -------------------------------------------------------------------------------

/** NFKD, combining marks removed, lower case; white space runs as one space, trimmed. */
const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/gu, ' ').trim();
const asciiDigits = (text: string) => text.replace(/[^0-9]/g, '');
const length = (text: string) => [...text].length;

/** The national dialling form of the numbers this test makes (BD and UK add a trunk 0; NANP has none). */
function nationalDigits(e164: string): string {
  if (e164.startsWith('+880')) return `0${e164.slice(4)}`;
  if (e164.startsWith('+44')) return `0${e164.slice(3)}`;
  if (e164.startsWith('+1')) return e164.slice(2);
  throw new Error(`no national form known for ${e164}`);
}

function oracleMatches(customer: CustomerJson, rawQuery: string): boolean {
  const q = fold(rawQuery);
  if (!/[\p{L}\p{N}]/u.test(q)) return false;
  const texts = [fold(customer.name), fold(customer.email)];
  const phones = customer.phone ? [asciiDigits(customer.phone), nationalDigits(customer.phone)] : [];
  const short = (s: string) => length(s) <= 2;

  const words = texts.flatMap((t) => t.split(/[^\p{L}\p{N}]+/u)).filter((w) => w !== '');
  if (short(q) ? words.some((w) => w.startsWith(q)) : texts.some((t) => t.includes(q))) return true;

  // A query written only with phone characters is compared by its digits.
  const digits = asciiDigits(q);
  if (!/^[0-9+() .-]+$/.test(q) || digits === '') return false;
  return short(digits) ? phones.some((p) => p.startsWith(digits)) : phones.some((p) => p.includes(digits));
}

/** Generous: whatever the API might treat as an exact email or phone match (those come first). */
function mayBeExact(customer: CustomerJson, rawQuery: string): boolean {
  const digits = asciiDigits(rawQuery);
  if (customer.email === rawQuery.trim().toLowerCase()) return true;
  if (!customer.phone || digits.length < 6) return false;
  return asciiDigits(customer.phone).endsWith(digits) || nationalDigits(customer.phone) === digits;
}

// ---- generators -------------------------------------------------------------------------------

const NAME_CHARS = ['a', 'b', 'e', 'é', 'É', 'e\u0301', 'o', 'ö', 'O', 'ﬁ', ' ', ' ', '1', '7', '-'];
const EMAIL_CHARS = ['a', 'b', 'e', 'é', 'o', 'A', '1', '7'];
const DOMAINS = ['ab.com', 'ob.net', 'e1.org', 'éo.io'];
const PHONE_DIGITS = ['0', '1', '7'];

const chars = (alphabet: string[], min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(''));
const digitRun = (n: number) => chars(PHONE_DIGITS, n, n);

/** A phone as the client sends it; the API stores it as E.164. */
const phoneInput = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('3', '7'), digitRun(8), fc.nat(2))
      .map(([k, d, f]) => [`+8801${k}${d}`, `01${k}${d}`, `+880 1${k}${d.slice(0, 2)}-${d.slice(2)}`][f]!),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(digitRun(7), fc.boolean())
      .map(([d, spaced]) => (spaced ? `+44 20 7${d.slice(0, 3)} ${d.slice(3)}` : `+44207${d}`)),
  },
  { weight: 1, arbitrary: digitRun(6).map((d) => `+1 212 7${d.slice(0, 2)} ${d.slice(2)}`) },
);

const customerInput = fc.record({
  name: chars(NAME_CHARS, 1, 10).filter((n) => n.trim() !== ''),
  email: fc
    .tuple(
      chars(EMAIL_CHARS, 1, 4),
      fc.option(chars(EMAIL_CHARS, 1, 3), { nil: undefined }),
      fc.constantFrom(...DOMAINS),
    )
    .map(([local, more, domain]) => `${local}${more ? `.${more}` : ''}@${domain}`),
  phone: phoneInput,
});

function queryArbitrary(customers: CustomerJson[]) {
  const customer = fc.constantFrom(...customers);
  const spaced = (digits: string, at: number) => `${digits.slice(0, at)} ${digits.slice(at)}`;
  const valuesOf = (c: CustomerJson) => [
    c.name,
    c.email,
    ...(c.phone
      ? [c.phone, nationalDigits(c.phone), spaced(nationalDigits(c.phone), 5), c.phone.replace(/(\d{3})(?=\d)/g, '$1-')]
      : []),
  ];
  const substring = fc
    .tuple(customer, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 8 }), fc.constantFrom('as is', 'upper', 'folded'))
    .map(([c, pick, start, len, how]) => {
      const values = valuesOf(c);
      const value = [...values[pick % values.length]!];
      const from = start % value.length;
      const part = value.slice(from, from + len).join('');
      return how === 'upper' ? part.toUpperCase() : how === 'folded' ? fold(part) : part;
    });
  const exact = fc
    .tuple(customer, fc.boolean())
    .map(([c, phone]) => (phone && c.phone ? nationalDigits(c.phone) : c.email.toUpperCase()));
  return fc.oneof(
    { weight: 5, arbitrary: substring },
    { weight: 2, arbitrary: chars([...NAME_CHARS, ...PHONE_DIGITS, '+'], 1, 2) },
    { weight: 3, arbitrary: chars([...NAME_CHARS, ...EMAIL_CHARS, '@', '.', 'x', 'z'], 1, 7) },
    { weight: 2, arbitrary: chars([...PHONE_DIGITS, '4', '8', '+', ' ', '-', '(', ')'], 1, 12) },
    { weight: 1, arbitrary: exact },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  );
}

// ---- the test ---------------------------------------------------------------------------------

describeBackends('search against an in-memory oracle (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let customers: CustomerJson[];
  /** Reproduces the generated customers when a run fails. */
  const dataSeed = Date.now() ^ (Math.random() * 2 ** 31);

  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand({ country: 'BD' });
    const api = customersApi(paydesk, brand.token);
    const inputs = fc.sample(
      fc.uniqueArray(customerInput, {
        minLength: CUSTOMERS,
        maxLength: CUSTOMERS,
        selector: (c) => c.email.toLowerCase(),
      }),
      {
        numRuns: 1,
        seed: dataSeed,
      },
    )[0]!;
    customers = [];
    for (let i = 0; i < inputs.length; i += 10) {
      const batch = await Promise.all(inputs.slice(i, i + 10).map((input) => api.create(input)));
      for (const response of batch) {
        if (response.statusCode !== 201)
          throw new Error(`seed ${dataSeed}: create answered ${response.statusCode}: ${response.body}`);
        customers.push(response.json<CustomerJson>());
      }
    }
  });
  afterAll(() => paydesk?.close());

  async function searchAll(q: string, limit: number): Promise<string[]> {
    const found: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages <= CUSTOMERS; pages++) {
      const response = await customersApi(paydesk, brand.token).list(
        `q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json<CustomerListJson>();
      expect(page.data.length).toBeLessThanOrEqual(limit);
      found.push(...page.data.map((c) => c.id));
      if (!page.has_more) return found;
      cursor = page.next_cursor;
      expect(cursor).toEqual(expect.any(String));
    }
    throw new Error('pagination did not end');
  }

  it('returns exactly the customers the oracle matches: no false positives, no false negatives', async () => {
    expect(customers).toHaveLength(CUSTOMERS);
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(queryArbitrary(customers), fc.constantFrom(3, 10, 100), async (q, limit) => {
        const found = await searchAll(q, limit);
        const expected = customers.filter((c) => oracleMatches(c, q)).map((c) => c.id);
        if (expected.length > 0) nonEmpty++;
        expect(new Set(found).size, `duplicates for ${JSON.stringify(q)}`).toBe(found.length);
        expect([...found].sort(), `q=${JSON.stringify(q)} limit=${limit} data seed=${dataSeed}`).toEqual(
          [...expected].sort(),
        );
        // Apart from exact email/phone matches (ranked first), newest first: ids are time-ordered.
        const rest = found.filter(
          (id) =>
            !mayBeExact(
              customers.find((c) => c.id === id)!,
              q,
            ),
        );
        expect(rest, `order for ${JSON.stringify(q)}`).toEqual([...rest].sort().reverse());
      }),
      { numRuns: RUNS },
    );
    // The generators must produce queries that find something, or the comparison proves little.
    expect(nonEmpty).toBeGreaterThan(RUNS / 3);
  });

  it('drops the false candidates that token collisions propose', async () => {
    // Queries with letters the customers never use: any row their tokens select is a collision.
    const { index } = await paydesk.ctx.keyring.forBrand(paydesk.ctx.db, brand.id);
    // How many collide depends on the brand's random key and the data: sample until five have been
    // checked (400 queries usually suffice; a bounded 3,000 keeps the rare unlucky run from failing).
    const queries = fc.sample(chars(['x', 'z', 'q', 'a', 'e', 'o', '1'], 3, 4), { numRuns: 3000, seed: dataSeed });
    let collisions = 0;
    for (const q of new Set(queries)) {
      if (collisions >= 5) break;
      const parsed = parseSearchQuery(q)!;
      const tokenSets = queryTokenInputs(parsed).map((inputs) => searchTokens(index, inputs));
      const [row] = await paydesk.rawQuery(
        `SELECT count(*)::int AS n FROM customers WHERE merchant_id = $1 AND (${tokenSets.map((_, i) => `search_tokens @> $${i + 2}::int4[]`).join(' OR ')})`,
        [brand.id, ...tokenSets.map((tokens) => `{${tokens.join(',')}}`)],
      );
      const candidates = Number(row!.n);
      const expected = customers.filter((c) => oracleMatches(c, q));
      if (candidates > expected.length) {
        collisions++;
        expect((await searchAll(q, 100)).sort(), q).toEqual(expected.map((c) => c.id).sort());
      }
    }
    expect(collisions).toBeGreaterThanOrEqual(5);
  });
});
