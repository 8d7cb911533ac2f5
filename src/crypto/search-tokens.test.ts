import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveIndexKeys } from './keyring.js';
import { searchTokens, TOKEN_BITS } from './search-tokens.js';

// Fixed keys: 14-bit tokens collide by design, so assertions about "different" are made on fixed
// inputs under fixed keys, where the outcome is deterministic rather than likely.
const keyA = deriveIndexKeys(2, Buffer.alloc(32, 0xa1));
const keyB = deriveIndexKeys(2, Buffer.alloc(32, 0xb2));

/** The 15 low bits: the truncated PRF value and, at 2^14, the prefix range. */
const low = (tokens: number[]) => tokens.map((t) => t % 2 ** 15);

const trigramsOf = (text: string): string[] => {
  const chars = [...text];
  return chars.slice(0, -2).map((_, i) => chars.slice(i, i + 3).join(''));
};
const ROW = {
  trigrams: trigramsOf('ayesha rahman ayesha.rahman@example.com 8801712345678'),
  prefixes: ['a', 'ay', 'r', 'ra', '8', '88'],
};

/** Every 3-letter string over a–z: 17,576 distinct inputs, more than 2^14. */
function allLetterTrigrams(): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const out: string[] = [];
  for (const a of letters) for (const b of letters) for (const c of letters) out.push(a + b + c);
  return out;
}

describe('search tokens', () => {
  it('are deterministic per key, whatever the order or repetition of the inputs', () => {
    const tokens = searchTokens(keyA, ROW);
    expect(tokens.length).toBeGreaterThan(20);
    expect(searchTokens(keyA, ROW)).toEqual(tokens);
    expect(searchTokens(deriveIndexKeys(2, Buffer.alloc(32, 0xa1)), ROW)).toEqual(tokens);
    const shuffled = { trigrams: [...ROW.trigrams].reverse(), prefixes: [...ROW.prefixes, ...ROW.prefixes].reverse() };
    expect(searchTokens(keyA, shuffled)).toEqual(tokens);
    expect(searchTokens(keyA, { trigrams: new Set(ROW.trigrams), prefixes: new Set(ROW.prefixes) })).toEqual(tokens);
  });

  it('differ across keys: another brand (or a rotated index key) gives other tokens for the same text', () => {
    expect(searchTokens(keyB, ROW)).not.toEqual(searchTokens(keyA, ROW));
    // Token by token, not only as a whole: few of one key's tokens reappear under the other.
    const underA = new Set(searchTokens(keyA, ROW));
    const shared = searchTokens(keyB, ROW).filter((t) => underA.has(t));
    expect(shared.length).toBeLessThan(underA.size / 4);
  });

  it('use the key given for search tokens, not another subkey of the same index key', () => {
    const swapped = { ...keyA, searchTokens: keyA.emailBidx };
    expect(searchTokens(swapped, ROW)).not.toEqual(searchTokens(keyA, ROW));
  });

  it(`keep ${TOKEN_BITS} bits of the PRF: trigram tokens are integers in [0, 2^14) and use the whole range`, () => {
    expect(TOKEN_BITS).toBe(14);
    const tokens = low(searchTokens(keyA, { trigrams: allLetterTrigrams(), prefixes: [] }));
    expect(tokens.filter((t) => !Number.isInteger(t) || t < 0 || t >= 2 ** 14)).toEqual([]);
    // 17,576 inputs into 16,384 values: a uniform PRF fills ~66% of them, from the bottom to the top.
    expect(tokens[0]).toBeLessThan(64);
    expect(tokens.at(-1)).toBeGreaterThanOrEqual(2 ** 14 - 64);
    expect(tokens.length).toBeGreaterThan(0.55 * 2 ** 14);
  });

  it("give word prefixes their own 14-bit range, [2^14, 2^15), so a 1–2 character query never shares a common trigram's value", () => {
    const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const prefixes = [...letters, ...[...letters].flatMap((a) => [...letters].map((b) => a + b))];
    const tokens = low(searchTokens(keyA, { trigrams: [], prefixes }));
    expect(tokens.filter((t) => !Number.isInteger(t) || t < 2 ** 14 || t >= 2 ** 15)).toEqual([]);
    expect(tokens.length).toBeGreaterThan(1200); // 1,332 inputs: few collide
    const mixed = low(searchTokens(keyA, ROW));
    expect(mixed.filter((t) => t >= 2 ** 14)).toHaveLength(ROW.prefixes.length);
  });

  it("carry the brand's public tag in bits 15–30, so brands sharing the GIN index never share a token", () => {
    const brandX = deriveIndexKeys(2, Buffer.alloc(32, 0xa1), 'brd_x');
    const brandY = deriveIndexKeys(2, Buffer.alloc(32, 0xa1), 'brd_y');
    expect(brandX.brandTag).not.toBe(brandY.brandTag);
    const x = searchTokens(brandX, ROW);
    const y = new Set(searchTokens(brandY, ROW));
    expect(x.every((t) => Math.floor(t / 2 ** 15) === brandX.brandTag)).toBe(true);
    expect(x.filter((t) => y.has(t))).toEqual([]);
    expect(x.every((t) => Number.isInteger(t) && t > 0 && t < 2 ** 31)).toBe(true); // a positive int4
  });

  it('are truncated: distinct inputs share values (which blunts frequency analysis)', () => {
    const inputs = allLetterTrigrams();
    const tokens = searchTokens(keyA, { trigrams: inputs, prefixes: [] });
    expect(tokens.length).toBeLessThan(inputs.length);
    expect(tokens.length).toBeLessThanOrEqual(2 ** 14);
  });

  it('come back sorted ascending and distinct, ready for an int4[] column', () => {
    for (const inputs of [ROW, { trigrams: allLetterTrigrams().slice(0, 500), prefixes: ['z', 'zz'] }]) {
      const tokens = searchTokens(keyA, inputs);
      for (let i = 1; i < tokens.length; i++) expect(tokens[i]!).toBeGreaterThan(tokens[i - 1]!);
    }
  });

  it('give a sub-set of inputs a sub-set of tokens, which is what lets @> find candidates', () => {
    const row = new Set(searchTokens(keyA, ROW));
    const query = searchTokens(keyA, { trigrams: trigramsOf('rahman@ex'), prefixes: ['ra'] });
    expect(query.length).toBeGreaterThan(0);
    for (const t of query) expect(row.has(t)).toBe(true);
  });

  it('separate a trigram from a prefix with the same text', () => {
    const texts = allLetterTrigrams().slice(0, 50);
    const asTrigrams = texts.map((t) => searchTokens(keyA, { trigrams: [t], prefixes: [] })[0]);
    const asPrefixes = texts.map((t) => searchTokens(keyA, { trigrams: [], prefixes: [t] })[0]);
    const same = asTrigrams.filter((token, i) => token === asPrefixes[i]).length;
    expect(same).toBeLessThanOrEqual(1);
  });

  it('separate inputs that differ only in length or in trailing zero bytes', () => {
    const one = (text: string) => searchTokens(keyA, { trigrams: [text], prefixes: [] });
    const variants = ['ab', 'ab\0', 'abc', 'abc\0', 'a\0b'];
    const tokens = variants.map((v) => one(v)[0]);
    expect(new Set(tokens).size).toBe(variants.length);
  });

  it('return nothing for no inputs', () => {
    expect(searchTokens(keyA, { trigrams: [], prefixes: [] })).toEqual([]);
  });

  it('take any trigram of code points, up to three 4-byte characters', () => {
    expect(searchTokens(keyA, { trigrams: ['😀😀😀', 'éàü', '০১৭'], prefixes: ['😀😀'] })).toHaveLength(4);
    expect(() => searchTokens(keyA, { trigrams: ['😀😀😀😀'], prefixes: [] })).toThrow(/longer than one block/);
  });

  it('are keyed: not a plain hash an attacker could compute from a dictionary of trigrams', () => {
    const trigram = 'zeb';
    const unkeyed = crypto.createHash('sha256').update(trigram).digest().readUInt16BE(0) & (2 ** 14 - 1);
    const fromRandomKeys = new Set(
      Array.from(
        { length: 8 },
        () => searchTokens(deriveIndexKeys(1, crypto.randomBytes(32)), { trigrams: [trigram], prefixes: [] })[0],
      ),
    );
    // Eight random keys giving one value would mean the key does not enter the PRF.
    expect(fromRandomKeys.size).toBeGreaterThan(1);
    expect(searchTokens(keyA, { trigrams: [trigram], prefixes: [] })).not.toEqual([unkeyed]);
  });
});
