import { describe, expect, it } from 'vitest';
import { DomainError, type FieldError } from '../../errors.js';
import { NAME_MAX_LENGTH, normalizeEmail, normalizeName, normalizePhone } from './customer.normalize.js';

/** The field errors a normaliser throws (and fails the test when it does not throw one). */
function fieldErrorsOf(run: () => unknown): FieldError[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('validation_failed');
    return (error as DomainError).extra.errors ?? [];
  }
  throw new Error('expected a validation error, got a value');
}

describe('normalizeName', () => {
  it('trims and folds runs of white space (tabs, new lines, no-break spaces) into one space', () => {
    expect(normalizeName('  Ayesha \t\n Rahman\u00a0 ')).toBe('Ayesha Rahman');
  });

  it('composes Unicode to NFC, so the same name typed two ways is stored one way', () => {
    const decomposed = 'Jose\u0301 Marti\u0301nez';
    expect(normalizeName(decomposed)).toBe('José Martínez');
    expect(normalizeName(decomposed)).toBe(normalizeName('José Martínez'));
  });

  it(`accepts ${NAME_MAX_LENGTH} characters counted as code points, not UTF-16 units`, () => {
    expect(NAME_MAX_LENGTH).toBe(200);
    const emoji = '😀'.repeat(200); // 400 UTF-16 units
    expect(normalizeName(emoji)).toBe(emoji);
    expect(normalizeName('a'.repeat(200))).toHaveLength(200);
  });

  it('rejects 201 characters, counted after trimming', () => {
    expect(normalizeName(`   ${'a'.repeat(200)}   `)).toHaveLength(200);
    expect(fieldErrorsOf(() => normalizeName('a'.repeat(201)))).toEqual([
      { field: 'name', reason: 'must be at most 200 characters' },
    ]);
    expect(fieldErrorsOf(() => normalizeName('😀'.repeat(201)))[0]?.field).toBe('name');
  });

  it.each(['', '   ', '\t\n', '\u00a0'])('rejects a name that is empty after trimming (%j)', (raw) => {
    expect(fieldErrorsOf(() => normalizeName(raw))).toEqual([{ field: 'name', reason: 'must not be empty' }]);
  });

  it('names the field it was given', () => {
    expect(fieldErrorsOf(() => normalizeName(' ', 'shipping.name'))[0]?.field).toBe('shipping.name');
  });
});

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Ayesha.Rahman@Example.COM ')).toBe('ayesha.rahman@example.com');
  });

  it('lower-cases non-ASCII letters too', () => {
    expect(normalizeEmail('ÜSER@EXÄMPLE.COM')).toBe('üser@exämple.com');
  });

  it.each([
    ['no @', 'ayesha.example.com'],
    ['no top-level domain', 'ayesha@example'],
    ['a display name', 'Ayesha <ayesha@example.com>'],
    ['an IP address domain', 'ayesha@127.0.0.1'],
    ['a bracketed IP domain', 'ayesha@[127.0.0.1]'],
    ['a space inside', 'aye sha@example.com'],
    ['two dots in a row', 'aye..sha@example.com'],
    ['a local part over 64 characters', `${'a'.repeat(65)}@example.com`],
    ['two @', 'a@b@example.com'],
  ])('rejects an address with %s', (_why, raw) => {
    expect(fieldErrorsOf(() => normalizeEmail(raw))).toEqual([
      { field: 'email', reason: 'is not a valid email address' },
    ]);
  });

  it.each(['', '   '])('rejects an empty address (%j)', (raw) => {
    expect(fieldErrorsOf(() => normalizeEmail(raw))).toEqual([{ field: 'email', reason: 'must not be empty' }]);
  });

  it('rejects more than 254 characters (RFC 5321)', () => {
    const long = `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(60)}.com`;
    expect(long.length).toBeGreaterThan(254);
    expect(fieldErrorsOf(() => normalizeEmail(long))).toEqual([
      { field: 'email', reason: 'must be at most 254 characters' },
    ]);
  });

  it('names the field it was given', () => {
    expect(fieldErrorsOf(() => normalizeEmail('nope', 'billing_email'))[0]?.field).toBe('billing_email');
  });
});

describe('normalizePhone', () => {
  it.each([
    ['01700000000', 'BD', '+8801700000000'],
    ['017-0000-0000', 'BD', '+8801700000000'],
    ['+880 1812-345678', 'BD', '+8801812345678'],
    ['00880 1700000000', 'BD', '+8801700000000'],
    ['  01711000111  ', 'BD', '+8801711000111'],
    ['+34 612 345 678', 'BD', '+34612345678'],
    ['(212) 736-5000', 'US', '+12127365000'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['+8801700000000', 'US', '+8801700000000'],
  ])('reads %j in a %s brand as %s (E.164)', (raw, country, e164) => {
    expect(normalizePhone(raw, country)).toBe(e164);
  });

  it('reads a local number in the brand country: the same digits mean different numbers in BD and US', () => {
    expect(normalizePhone('01700000000', 'BD')).toMatch(/^\+880/);
    expect(fieldErrorsOf(() => normalizePhone('01700000000', 'US'))[0]?.field).toBe('phone');
  });

  it.each(['12345', 'abc', '0', '017'])('rejects %j, hinting at the brand country for a local number', (raw) => {
    const [error] = fieldErrorsOf(() => normalizePhone(raw, 'BD'));
    expect(error?.field).toBe('phone');
    expect(error?.reason).toContain('is not a valid phone number');
    expect(error?.reason).toContain('BD');
  });

  it('rejects an invalid international number without the local hint', () => {
    expect(fieldErrorsOf(() => normalizePhone('+880 123', 'BD'))).toEqual([
      { field: 'phone', reason: 'is not a valid phone number' },
    ]);
  });

  it.each(['', '   '])('rejects an empty number (%j) and says null removes a phone', (raw) => {
    const [error] = fieldErrorsOf(() => normalizePhone(raw, 'BD'));
    expect(error).toEqual({ field: 'phone', reason: expect.stringContaining('null') });
  });

  it('rejects more than 40 characters before parsing', () => {
    expect(fieldErrorsOf(() => normalizePhone('0'.repeat(41), 'BD'))).toEqual([
      { field: 'phone', reason: 'is too long to be a phone number' },
    ]);
  });

  it('names the field it was given', () => {
    expect(fieldErrorsOf(() => normalizePhone('x', 'BD', 'shipping.phone'))[0]?.field).toBe('shipping.phone');
  });
});
