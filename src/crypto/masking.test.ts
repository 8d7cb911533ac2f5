import { getCountries, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/examples.mobile.json';
import { describe, expect, it } from 'vitest';
import { maskE164, maskEmail, maskPhone } from './masking.js';

describe('maskEmail', () => {
  it.each([
    ['jane.doe@example.com', 'j•••@example.com'],
    ['j@example.com', 'j•••@example.com'],
    ['Ünal@beispiel.de', 'Ü•••@beispiel.de'],
    ['😀smile@example.com', '😀•••@example.com'],
    ['a"b@c"@example.com', 'a•••@example.com'],
  ])('%s → %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it('hides everything when there is no local part to keep a letter of', () => {
    expect(maskEmail('@example.com')).toBe('•••');
    expect(maskEmail('not-an-email')).toBe('•••');
  });

  it('always shows three dots, so the length of the local part does not show', () => {
    expect(maskEmail('ab@x.io')).toBe(maskEmail('abcdefghijklmnop@x.io'));
  });
});

describe('maskPhone', () => {
  it('keeps the country code and the last three digits', () => {
    expect(maskPhone('+8801700000000', '880')).toBe('+880•••••••000');
    expect(maskPhone('+14155552671', '1')).toBe('+1•••••••671');
  });

  it('masks every digit but the last three when the code does not match', () => {
    expect(maskPhone('+4930123456', '1')).toBe('+1•••••••456');
  });
});

describe('maskE164', () => {
  it.each([
    ['+8801712345678', '+880•••••••678'],
    ['+14155552671', '+1•••••••671'],
    ['+442079460958', '+44•••••••958'],
    ['+97150123456', '+971•••••456'],
    ['+35312345678', '+353•••••678'],
  ])('reads the calling code from %s', (phone, masked) => {
    expect(maskE164(phone)).toBe(masked);
  });

  it("reads the same calling code as parsing the number, for every country's example number", () => {
    const numbers = getCountries().flatMap((country) => getExampleNumber(country, examples)?.number ?? []);
    expect(numbers.length).toBeGreaterThan(200);
    for (const phone of [...numbers, '+80012345678', '+88213412345']) {
      const parsed = parsePhoneNumberFromString(phone);
      expect(maskE164(phone), phone).toBe(maskPhone(phone, parsed?.countryCallingCode ?? ''));
    }
  });

  it('never contains the national number', () => {
    const masked = maskE164('+8801712345678');
    expect(masked).not.toContain('1712345678');
    expect(masked).not.toContain('01712345678');
    expect(masked.replace(/\D/g, '')).toBe('880678');
  });
});
