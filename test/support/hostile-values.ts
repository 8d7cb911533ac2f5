import fc from 'fast-check';

/*
 * Hostile values for the property tests over the write endpoints (test/property), each tagged with
 * the category it belongs to, so a category the server does not handle yet can be named and set
 * aside (test/property/known-failing.ts) without hiding the others.
 */

/** A JSON token written as is (`-0`, `1e400`, a 10,000-deep array): JSON.stringify cannot say these. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold RawJson tokens. */
export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const MEGABYTE = 1024 * 1024;
export const DEEP = 10_000;

/** Text the server must refuse or store as given, never fail on. */
export const HOSTILE_STRINGS: readonly string[] = [
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '\udc00\ud800',
  'bell\u0007',
  '\u001b[31mred',
  'del\u007f',
  'tab\tand\nnewline\r',
  "' OR '1'='1",
  "'; DROP TABLE customers; --",
  "\\'; SELECT pg_sleep(0); --",
  '$1',
  "E'\\\\x00'",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}}${7*7}',
  '\u202eevil',
  '\u200b',
  '\ufeff',
  'e\u0301',
  '💳'.repeat(50),
  '',
  ' ',
  '__proto__',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  '9223372036854775808',
  '-9223372036854775809',
  'x'.repeat(200_000),
];

/** A string of about a megabyte: the body that carries it is over the 1 MB body limit. */
export const MEGABYTE_STRING = 'x'.repeat(MEGABYTE);

/** Numbers at the edges of int32, int64, doubles and money, as JSON tokens (some only writable raw). */
export const EDGE_NUMBERS: readonly RawJson[] = [
  '9007199254740992', // 2^53
  '-9007199254740992',
  '9007199254740993',
  '9223372036854775807', // int64 max
  '9223372036854775808',
  '-9223372036854775809',
  '2147483648',
  '-2147483649',
  '4294967296',
  '1e308',
  '-1e308',
  '1e400',
  '-0',
  '5e-324',
  '0.5',
  '1.0000000001',
  '-1',
  '0',
  '100000000000000000000000000000000000000000',
].map((text) => new RawJson(text));

/** Values of the wrong type for any field. */
export const WRONG_TYPES: readonly unknown[] = [
  1,
  true,
  false,
  null,
  [],
  {},
  '1',
  [1, 2],
  { $gt: '' },
  [{ a: 1 }],
  { toString: 'x', valueOf: 1 },
];

/** Keys nobody declared: prototype names, scoping columns, odd names. */
export const EXTRA_KEYS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'merchant_id',
  'id',
  '',
  'k'.repeat(1000),
  'a\u0000b',
  '\ud800',
  '$where',
];

export const deepArray = (depth = DEEP) => new RawJson('['.repeat(depth) + ']'.repeat(depth));
export const deepObject = (depth = DEEP) => new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

/** Path segments, already percent-encoded as they go into the URL. */
export const HOSTILE_SEGMENTS: readonly string[] = [
  '%00',
  'cus_%00',
  '%ED%A0%80', // a lone surrogate, UTF-8 encoded: not valid UTF-8
  '%FF',
  '%C3%28',
  '%C0%AF',
  '%07',
  '%0A',
  '%1B',
  '%E2%80%AE',
  "'%20OR%201%3D1--",
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '..',
  '%2E%2E%2F%2E%2E',
  '%2F',
  '%25',
  '-1',
  '0',
  'null',
  'NaN',
  '9223372036854775808',
  'a'.repeat(999),
  'a'.repeat(2000),
  '%F0%9F%92%B3',
];

/** Segments no id can be: NUL, control characters, bytes that are not UTF-8. */
export const BAD_SEGMENTS: readonly string[] = ['%00', 'cus_%00', '%ED%A0%80', '%FF', '%07', '%0A', '%1B'];

/** Categories of a string: what in it may be refused. */
export function stringCategories(text: string): string[] {
  const found: string[] = [];
  if (text.includes('\u0000')) found.push('nul');
  if (/\p{Cs}/u.test(text)) found.push('surrogate');
  // eslint-disable-next-line no-control-regex -- C0 controls but tab and line breaks, and DEL
  if (/[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) found.push('control');
  if (text.length >= 100_000) found.push('long');
  return found;
}

/** Categories of a percent-encoded path or query part. */
export function segmentCategories(encoded: string): string[] {
  let bytes: Buffer;
  try {
    bytes = Buffer.from(
      encoded.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    );
  } catch {
    return ['malformed'];
  }
  const found: string[] = [];
  if (bytes.includes(0)) found.push('nul');
  if ([...bytes].some((b) => (b > 0 && b < 0x20) || b === 0x7f)) found.push('control');
  if (!isValidUtf8(bytes)) found.push('invalid-utf8');
  return found;
}

export function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Byte sequences that are not UTF-8: a stray continuation, an overlong slash, an encoded surrogate, 0xFF. */
export const INVALID_UTF8: readonly Buffer[] = [
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xff]),
  Buffer.from([0x80]),
  Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
];

/** Text no field may store as is: NUL, lone surrogates, control characters (alone and amid text). */
export const BAD_TEXT: readonly string[] = HOSTILE_STRINGS.filter(
  (t) => stringCategories(t).some((c) => c !== 'long') && !t.includes('\n'),
);

export const hostileString = () =>
  fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...BAD_TEXT) },
    { weight: 8, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 1, arbitrary: fc.constant(MEGABYTE_STRING) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  );
