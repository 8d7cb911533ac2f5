import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  foldText,
  matchesQuery,
  parseSearchQuery,
  queryTokenInputs,
  rowTokenInputs,
  searchForms,
  type SearchQuery,
  type TokenInputs,
} from './customer.search-text.js';
import { deriveIndexKeys } from '../../crypto/keyring.js';
import { searchTokens } from '../../crypto/search-tokens.js';
import type { PlainContact } from './customer.view.js';

const jose: PlainContact = { name: 'José Ramírez', email: 'jose.r@tamarind.com', phone: '+8801712345678' };
const bob: PlainContact = { name: 'Bob Jones', email: 'bj@kiwi.net', phone: null };
const majo: PlainContact = { name: 'Majo Lee', email: 'ml@kiwi.net', phone: null };
const london: PlainContact = { name: 'Ada Byron', email: 'ab@kiwi.net', phone: '+442079460000' };

function query(raw: string): SearchQuery {
  const parsed = parseSearchQuery(raw);
  if (!parsed) throw new Error(`${JSON.stringify(raw)} parsed to null`);
  return parsed;
}

const matches = (contact: PlainContact, raw: string) => matchesQuery(searchForms(contact), query(raw));

function isSubset(small: TokenInputs, big: TokenInputs): boolean {
  return [...small.trigrams].every((t) => big.trigrams.has(t)) && [...small.prefixes].every((p) => big.prefixes.has(p));
}

/** The search contract at the token level: a matching row holds every input of some query set. */
function rowCoversQuery(contact: PlainContact, q: SearchQuery): boolean {
  const row = rowTokenInputs(searchForms(contact));
  return queryTokenInputs(q).some((set) => isSubset(set, row));
}

describe('foldText', () => {
  it.each([
    ['José', 'jose'],
    ['JOSÉ', 'jose'],
    ['Jose\u0301', 'jose'], // decomposed accent
    ['ZOË Ångström', 'zoe angstrom'],
    ['Çağlar Şahin', 'caglar sahin'],
    ['  Ana \t María\u00a0 ', 'ana maria'],
    ['ＪＯＳＥ １７', 'jose 17'], // full-width forms (NFKD)
    ['ﬁona', 'fiona'], // ligature (NFKD)
    ['Ayesha.Rahman@Example.COM', 'ayesha.rahman@example.com'],
    ['+880 1700-000000', '+880 1700-000000'],
  ])('folds %j to %j', (raw, folded) => {
    expect(foldText(raw)).toBe(folded);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (text) => {
        expect(foldText(foldText(text))).toBe(foldText(text));
      }),
    );
  });
});

describe('parseSearchQuery', () => {
  it.each(['', '   ', '\t\n', '@@', '-()+', '.', '…', '  @ . _ '])(
    'answers null for %j: it can match nothing',
    (raw) => {
      expect(parseSearchQuery(raw)).toBeNull();
    },
  );

  it('folds the text and keeps no digits when the query has letters', () => {
    expect(parseSearchQuery('  JOSÉ  Ramírez ')).toEqual({ text: 'jose ramirez', digits: null });
    expect(parseSearchQuery('a1')).toEqual({ text: 'a1', digits: null });
    expect(parseSearchQuery('call 01700')).toEqual({ text: 'call 01700', digits: null });
  });

  it.each([
    ['01700', '01700'],
    ['+880 1700', '8801700'],
    ['880-1700', '8801700'],
    ['(+880) 1700.000', '8801700000'],
    ['020 7946', '0207946'],
    ['１７', '17'],
    ['+8', '8'],
  ])('reads %j, written with phone characters only, as the digits %j', (raw, digits) => {
    expect(parseSearchQuery(raw)?.digits).toBe(digits);
  });

  it('accepts a lone letter or digit', () => {
    expect(parseSearchQuery('é')).toEqual({ text: 'e', digits: null });
    expect(parseSearchQuery('7')).toEqual({ text: '7', digits: '7' });
  });
});

describe('matchesQuery', () => {
  it('matches 3+ characters anywhere in the name or email, across case and accents', () => {
    for (const raw of [
      'jose',
      'JOSÉ',
      'José',
      'ramirez',
      'RAMÍREZ',
      'é ram',
      'mire',
      'se.r@tam',
      'rind.co',
      'jose.r@tamarind.com',
    ]) {
      expect(matches(jose, raw), raw).toBe(true);
    }
    for (const raw of ['joser', 'ramirezz', 'jose ramirez jose', 'kiwi', 'ramirez jose'])
      expect(matches(jose, raw), raw).toBe(false);
  });

  it('does not match across the name and the email', () => {
    expect(matches(jose, 'ramirez jose.r')).toBe(false);
    expect(matches(jose, 'ramírezjose')).toBe(false);
  });

  it('matches phone digits whatever the formatting, in international or national form', () => {
    for (const raw of [
      '01712',
      '+880 1712',
      '880-1712',
      '(+880) 1712-345678',
      '8801712345678',
      '+8801712345678',
      '345 678',
      '01712345678',
    ]) {
      expect(matches(jose, raw), raw).toBe(true);
    }
    for (const raw of ['01799', '+881 1712', '4567890']) expect(matches(jose, raw), raw).toBe(false);
  });

  it('matches a non-Bangladeshi number by its own national form (UK 020 …)', () => {
    for (const raw of ['020 7946', '02079460000', '+44 20 7946', '7946 0000'])
      expect(matches(london, raw), raw).toBe(true);
    expect(matches(london, '0207 999')).toBe(false);
  });

  it('skips the national form only when told to (a query without digits cannot need it)', () => {
    expect(matchesQuery(searchForms(london, { nationalPhone: false }), query('020 7946'))).toBe(false);
    expect(matchesQuery(searchForms(london, { nationalPhone: true }), query('020 7946'))).toBe(true);
  });

  it('matches 1–2 characters at the start of a word only', () => {
    for (const [contact, raw, expected] of [
      [jose, 'jo', true],
      [bob, 'jo', true],
      [majo, 'jo', false], // "Majo": inside a word
      [jose, 'JÓ', true],
      [jose, 'j', true],
      [jose, 'ra', true], // second word
      [jose, 'ez', false], // end of a word
      [jose, 'ta', true], // email word "tamarind"
      [jose, 'co', true], // email word "com"
      [bob, 'ob', false],
      [majo, 'ma', true],
      [majo, 'le', true],
    ] as const) {
      expect(matches(contact, raw), `${contact.name} / ${raw}`).toBe(expected);
    }
  });

  it('matches 1–2 digits at the start of the phone, in either form', () => {
    for (const raw of ['0', '01', '8', '88', '+8', '+88']) expect(matches(jose, raw), raw).toBe(true);
    for (const raw of ['7', '71', '12', '78']) expect(matches(jose, raw), raw).toBe(false);
    expect(matches(bob, '0')).toBe(false);
  });

  it('ignores case in scripts where lower case depends on position: Greek final sigma', () => {
    // "Σ" lower-cases to "ς" at the end of a word and to "σ" inside one, so without folding "ς" to
    // "σ" the capitalised start of a name does not match the name, in capitals or not.
    const greek: PlainContact = { name: 'ΟΔΟΣΑΚΗΣ Νίκος', email: 'nikos@kiwi.net', phone: null };
    expect(matches(greek, 'οδοσ')).toBe(true);
    expect(matches(greek, 'ΟΔΟΣΑ')).toBe(true);
    expect(matches(greek, 'ΟΔΟΣ')).toBe(true);
    expect(matches(greek, 'Οδος')).toBe(true);
  });

  it('never matches a contact without a phone by digits', () => {
    expect(matches(bob, '01712')).toBe(false);
    expect(matches(bob, '+880')).toBe(false);
  });
});

describe('token inputs', () => {
  it('give the tokens rows already stored hold: the derivation never changes under them', () => {
    // Computed once and pinned: a change here would leave every stored row unfindable by search.
    const key = deriveIndexKeys(2, Buffer.alloc(32, 0xa1));
    const contact = { name: 'Ayesha Rahmân-Ünal 😀', email: 'ayesha.rahman@example.com', phone: '+8801712345678' };
    const tokens = searchTokens(key, rowTokenInputs(searchForms(contact)));
    expect(tokens.map((t) => t % 2 ** 15)).toEqual([
      399, 791, 1560, 1812, 3128, 3326, 3999, 4472, 5029, 5228, 5447, 5566, 6477, 6629, 6714, 7057, 7277, 7493, 7610,
      8744, 9636, 10361, 10432, 10946, 11093, 11257, 11482, 11699, 11735, 12363, 12497, 12721, 12909, 13408, 13726,
      14150, 14296, 14353, 14752, 15522, 15817, 15930, 16295, 16481, 18921, 19333, 19643, 19842, 20536, 23261, 24676,
      25692, 27004, 27207, 28859, 29025, 30527,
    ]);
  });

  it('are trigrams of code points, whatever the characters (astral ones included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 3, maxLength: 12 }), (raw) => {
        const parsed = parseSearchQuery(raw);
        fc.pre(parsed !== null && [...parsed.text].length > 2);
        const chars = [...parsed!.text];
        const expected = new Set(chars.slice(0, -2).map((_, i) => chars.slice(i, i + 3).join('')));
        expect(queryTokenInputs(parsed!)[0]!.trigrams).toEqual(expected);
      }),
    );
  });

  it('hold the trigrams of every form and the 1–2 character prefixes of every word', () => {
    const inputs = rowTokenInputs(searchForms(bob));
    for (const t of ['bob', 'ob ', 'b j', ' jo', 'nes', 'bj@', 'i.n', 'net'])
      expect(inputs.trigrams.has(t), t).toBe(true);
    expect([...inputs.prefixes].sort()).toEqual(['b', 'bj', 'bo', 'j', 'jo', 'k', 'ki', 'n', 'ne'].sort());
    const withPhone = rowTokenInputs(searchForms(london));
    for (const t of ['442', '020', '794', '000']) expect(withPhone.trigrams.has(t), t).toBe(true);
    for (const p of ['4', '44', '0', '02']) expect(withPhone.prefixes.has(p), p).toBe(true);
  });

  it('ask a short query for its prefix, a longer one for its trigrams, a phone query also for its digits', () => {
    expect(queryTokenInputs(query('Jo'))).toEqual([{ trigrams: new Set(), prefixes: new Set(['jo']) }]);
    expect(queryTokenInputs(query('José'))).toEqual([{ trigrams: new Set(['jos', 'ose']), prefixes: new Set() }]);
    expect(queryTokenInputs(query('01700'))).toEqual([
      { trigrams: new Set(['017', '170', '700']), prefixes: new Set() },
    ]);
    expect(queryTokenInputs(query('+880 1700'))).toEqual([
      { trigrams: new Set(['+88', '880', '80 ', '0 1', ' 17', '170', '700']), prefixes: new Set() },
      { trigrams: new Set(['880', '801', '017', '170', '700']), prefixes: new Set() },
    ]);
    expect(queryTokenInputs(query('+8'))).toEqual([
      { trigrams: new Set(), prefixes: new Set(['+8']) },
      { trigrams: new Set(), prefixes: new Set(['8']) },
    ]);
  });

  it('of a matching query are covered by the row: examples', () => {
    const cases: [PlainContact, string][] = [
      [jose, 'jo'],
      [jose, 'José'],
      [jose, 'rind.c'],
      [jose, '+880 1712'],
      [jose, '01712'],
      [jose, '+8'],
      [jose, '01'],
      [bob, 'jo'],
      [bob, 'b j'],
      [london, '020 7946'],
      [london, '02'],
      [london, '+44 20'],
    ];
    for (const [contact, raw] of cases) {
      expect(matches(contact, raw), raw).toBe(true);
      expect(rowCoversQuery(contact, query(raw)), raw).toBe(true);
    }
  });

  it('of a matching query are covered by the row: any contact, any query that matches it', () => {
    const chars = ['a', 'b', 'e', 'é', 'É', 'o', 'ö', 'O', ' ', '1', '7', '0', '-', '.', 'ﬁ', 'ß', '+', '(', ')'];
    const text = (min: number, max: number) =>
      fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((a) => a.join(''));
    const phone = fc.oneof(
      fc.constant(null),
      fc.array(fc.constantFrom('0', '1', '7'), { minLength: 8, maxLength: 8 }).map((d) => `+88017${d.join('')}`),
      fc.array(fc.constantFrom('0', '1', '7'), { minLength: 7, maxLength: 7 }).map((d) => `+44207${d.join('')}`),
      fc.array(fc.constantFrom('0', '1', '7'), { minLength: 6, maxLength: 6 }).map((d) => `+12127${d.join('')}`),
    );
    const contact = fc.record({ name: text(1, 14), email: text(1, 10).map((l) => `${l}@ab.com`), phone });
    // Queries drawn from the contact's own forms, so that most of them match.
    const sample = fc
      .tuple(contact, fc.nat(), fc.integer({ min: 1, max: 8 }), fc.nat(4), fc.boolean())
      .map(([c, start, length, pick, upper]) => {
        const sources = [
          c.name,
          c.email,
          c.phone ?? c.name,
          c.phone?.replace('+', '') ?? c.email,
          (c.phone ?? '').replace(/^\+(880|44)/, '0'),
        ];
        const source = [...(sources[pick % sources.length] || c.name)];
        const from = start % source.length;
        const raw = source.slice(from, from + length).join('');
        return { c, raw: upper ? raw.toUpperCase() : raw };
      });
    let matched = 0;
    fc.assert(
      fc.property(fc.oneof(sample, fc.record({ c: contact, raw: text(1, 5) })), ({ c, raw }) => {
        const q = parseSearchQuery(raw);
        if (!q || !matchesQuery(searchForms(c), q)) return;
        matched++;
        expect(rowCoversQuery(c, q)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(matched).toBeGreaterThan(1000);
  });
});
