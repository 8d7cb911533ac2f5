import { describe, expect, it } from 'vitest';
import { editDistanceAtMost, similarEmails } from './email-similarity.js';

describe('similar emails (duplicates by name)', () => {
  it.each([
    ['same local part, other domain', 'rahim@example.com', 'rahim@gmail.com'],
    ['a plus alias', 'rahim+shop@example.com', 'rahim@example.com'],
    ['dots and case folded', 'Rahim.Uddin@example.com', 'rahimuddin@mail.com'],
    ['one the start of the other', 'farhana@example.com', 'farhana.akter@example.com'],
    ['a one-letter typo in a short local part', 'karim@example.com', 'kariim@example.com'],
    ['a two-letter typo in a long local part', 'farhana.akter@example.com', 'farhanna.aktar@example.com'],
  ])('finds %s', (_case, a, b) => {
    expect(similarEmails(a, b)).toBe(true);
    expect(similarEmails(b, a)).toBe(true);
  });

  it.each([
    ['different people', 'rahim@example.com', 'karim.ahmed@example.com'],
    ['short local parts one letter apart', 'ab@example.com', 'ac@example.com'],
    ['a short prefix', 'ra@example.com', 'rahim@example.com'],
    ['two typos in a short local part', 'karim@example.com', 'kerin@example.com'],
    ['three typos in a long one', 'farhana.akter@example.com', 'farhenna.aktor@example.com'],
  ])('does not pair %s', (_case, a, b) => {
    expect(similarEmails(a, b)).toBe(false);
    expect(similarEmails(b, a)).toBe(false);
  });

  it('bounds the edit distance exactly', () => {
    expect(editDistanceAtMost('kitten', 'sitting', 3)).toBe(true);
    expect(editDistanceAtMost('kitten', 'sitting', 2)).toBe(false);
    expect(editDistanceAtMost('', 'abc', 3)).toBe(true);
  });
});
