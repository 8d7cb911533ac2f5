import { fieldError } from '../../errors.js';

export const NOTE_MAX_LENGTH = 5000;

// The rule of customer.normalize.ts, plus what a note keeps: \t, \n and \r are the team's own
// layout. NUL and the other control characters, and unpaired surrogates, cannot be stored as text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_TEXT = /[\p{Cs}\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/u;

/** Trimmed, inner line breaks and spacing kept as written; 1–5,000 characters (code points). */
export function normalizeNoteBody(raw: string, field = 'body'): string {
  if (NOT_TEXT.test(raw)) throw fieldError(field, 'contains a control character or invalid Unicode');
  const body = raw.trim();
  if (body.length === 0) throw fieldError(field, 'must not be empty');
  if ([...body].length > NOTE_MAX_LENGTH) throw fieldError(field, `must be at most ${NOTE_MAX_LENGTH} characters`);
  return body;
}
