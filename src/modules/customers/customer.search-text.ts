import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { PlainContact } from './customer.view.js';

/**
 * What "matches" means for customer search, in plain text. The encrypted index (search tokens)
 * only narrows the candidates; every candidate is decrypted and checked with these functions,
 * so they alone decide what a search returns.
 */

/** Lower case without accents: "José" → "jose". */
export function foldText(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      // Greek sigma lower-cases by position (ς at a word's end, σ inside): fold both to σ.
      .replace(/ς/g, 'σ')
      // Digits of any script (Bengali ০১৭…) as ASCII, so a phone typed either way matches.
      // eslint-disable-next-line no-control-regex -- every non-ASCII character, NUL to DEL being ASCII
      .replace(/[^\x00-\x7f]/gu, asciiDigit)
      .replace(/\s+/gu, ' ')
      .trim()
  );
}

function asciiDigit(char: string): string {
  if (!/\p{Nd}/u.test(char)) return char;
  // Unicode decimal digits come in contiguous runs from 0 to 9: the offset in the run is the value.
  const code = char.codePointAt(0) ?? 0;
  let start = code;
  while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return String((code - start) % 10);
}

function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}

function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A contact in the forms search looks at. */
export interface SearchForms {
  /** Folded name and email, and the phone as E.164 digits and as national digits (01700…). */
  texts: string[];
  /** Phone digit strings, for digit-only queries. */
  phoneDigits: string[];
  words: string[];
}

/**
 * `nationalPhone: false` skips the national form (a libphonenumber parse, the slow part) when the
 * query has no digit and so cannot match a phone; tokens always use every form.
 */
export function searchForms(contact: PlainContact, options: { nationalPhone?: boolean } = {}): SearchForms {
  const name = foldText(contact.name);
  const email = foldText(contact.email);
  const phoneDigits: string[] = [];
  if (contact.phone) {
    phoneDigits.push(digitsOf(contact.phone));
    const parsed = options.nationalPhone === false ? undefined : parsePhoneNumberFromString(contact.phone);
    const national = parsed ? digitsOf(parsed.formatNational()) : '';
    if (national && national !== phoneDigits[0]) phoneDigits.push(national);
  }
  return {
    texts: [name, email],
    phoneDigits,
    words: [...wordsOf(name), ...wordsOf(email), ...phoneDigits],
  };
}

export interface SearchQuery {
  /** Folded query text. */
  text: string;
  /** The digits, when the query is written only with phone characters (+, digits, spaces, ()-.). */
  digits: string | null;
}

/** Null when the query can match nothing (empty, or no letter or digit at all). */
export function parseSearchQuery(raw: string): SearchQuery | null {
  const text = foldText(raw);
  if (!/[\p{L}\p{N}]/u.test(text)) return null;
  const digits = /^[+\d\s().-]+$/.test(text) ? digitsOf(text) : null;
  return { text, digits: digits && digits.length > 0 ? digits : null };
}

/** Queries this short match by word prefix instead of anywhere. */
export const SHORT_QUERY_MAX = 2;

export function isShortQuery(value: string): boolean {
  return [...value].length <= SHORT_QUERY_MAX;
}

export function matchesQuery(forms: SearchForms, query: SearchQuery): boolean {
  if (isShortQuery(query.text)) {
    if (forms.words.some((w) => w.startsWith(query.text))) return true;
  } else if (forms.texts.some((t) => t.includes(query.text)) || forms.phoneDigits.some((p) => p.includes(query.text))) {
    return true;
  }
  if (query.digits !== null) {
    const d = query.digits;
    return isShortQuery(d)
      ? forms.phoneDigits.some((p) => p.startsWith(d))
      : forms.phoneDigits.some((p) => p.includes(d));
  }
  return false;
}

/** The plain inputs of a row's tokens: every trigram of every form, and 1–2 character word prefixes. */
export interface TokenInputs {
  trigrams: Set<string>;
  prefixes: Set<string>;
}

export function rowTokenInputs(forms: SearchForms): TokenInputs {
  const trigrams = new Set<string>();
  for (const text of [...forms.texts, ...forms.phoneDigits]) addTrigrams(trigrams, text);
  const prefixes = new Set<string>();
  for (const word of forms.words) {
    const chars = [...word];
    for (let n = 1; n <= Math.min(SHORT_QUERY_MAX, chars.length); n++) prefixes.add(chars.slice(0, n).join(''));
  }
  return { trigrams, prefixes };
}

/**
 * The token inputs a matching row must all have, one set per way the query can match (text, and
 * phone digits when they differ). A row is a candidate when it has every input of some set.
 */
export function queryTokenInputs(query: SearchQuery): TokenInputs[] {
  const forText = (value: string): TokenInputs =>
    isShortQuery(value)
      ? { trigrams: new Set(), prefixes: new Set([value]) }
      : { trigrams: addTrigrams(new Set(), value), prefixes: new Set() };
  const sets = [forText(query.text)];
  if (query.digits !== null && query.digits !== query.text) sets.push(forText(query.digits));
  return sets;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Trigrams of code points. Without surrogate pairs, code units are code points: slices suffice. */
function addTrigrams(into: Set<string>, text: string): Set<string> {
  if (!SURROGATE.test(text)) {
    for (let i = 0; i + 3 <= text.length; i++) into.add(text.slice(i, i + 3));
    return into;
  }
  const chars = [...text];
  for (let i = 0; i + 3 <= chars.length; i++) into.add(chars.slice(i, i + 3).join(''));
  return into;
}
