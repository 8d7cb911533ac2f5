import { fieldError } from '../../errors.js';
import { NOT_TEXT } from '../../http/text-rule.js';

export const NOTE_MAX_LENGTH = 5000;

/** Trimmed, inner line breaks and spacing kept as written; 1–5,000 characters (code points). */
export function normalizeNoteBody(raw: string, field = 'body'): string {
  if (NOT_TEXT.test(raw)) throw fieldError(field, 'contains a control character or invalid Unicode');
  const body = raw.trim();
  if (body.length === 0) throw fieldError(field, 'must not be empty');
  if ([...body].length > NOTE_MAX_LENGTH) throw fieldError(field, `must be at most ${NOTE_MAX_LENGTH} characters`);
  return body;
}
