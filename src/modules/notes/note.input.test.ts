import { describe, expect, it } from 'vitest';
import { DomainError } from '../../errors.js';
import { normalizeNoteBody } from './note.input.js';

const reasonOf = (raw: string) => {
  try {
    normalizeNoteBody(raw);
  } catch (error) {
    if (error instanceof DomainError) return error.extra.errors;
    throw error;
  }
  return undefined;
};

describe('note bodies', () => {
  it('are trimmed, with inner line breaks, tabs and spacing kept as written', () => {
    expect(normalizeNoteBody('\n  Line one\r\n\tLine  two \n\n')).toBe('Line one\r\n\tLine  two');
  });

  it('count code points, not UTF-16 units', () => {
    expect(normalizeNoteBody('𝄞'.repeat(5000))).toHaveLength(10000);
    expect(reasonOf('𝄞'.repeat(5001))).toEqual([{ field: 'body', reason: 'must be at most 5000 characters' }]);
  });

  it.each([
    ['empty', ''],
    ['white space only', ' \n\t '],
    ['NUL', 'a\u0000b'],
    ['escape', 'a\u001bb'],
    ['DEL', 'a\u007fb'],
    ['vertical tab', 'a\u000bb'],
    ['a lone high surrogate', 'a\ud83db'],
    ['a lone low surrogate', 'a\ude00b'],
  ])('refuse %s, naming body', (_case, raw) => {
    expect(reasonOf(raw)).toEqual([{ field: 'body', reason: expect.any(String) as unknown }]);
  });
});
