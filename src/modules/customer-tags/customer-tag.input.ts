import { fieldError } from '../../errors.js';

export const TAG_NAME_MAX_LENGTH = 40;

// NUL and the other control characters, and unpaired surrogates, cannot be stored as text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_TEXT = /[\p{Cs}\u0000-\u001f\u007f]/u;

export interface TagName {
  name: string;
  /** Unique per brand: "VIP" and " vip " are one tag (the migration's name_key). */
  nameKey: string;
}

/** Trimmed, inner runs of white space folded, Unicode NFC; 1–40 characters (code points). */
export function normalizeTagName(raw: string, field = 'name'): TagName {
  if (NOT_TEXT.test(raw)) throw fieldError(field, 'contains a control character or invalid Unicode');
  const name = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (name.length === 0) throw fieldError(field, 'must not be empty');
  if ([...name].length > TAG_NAME_MAX_LENGTH) {
    throw fieldError(field, `must be at most ${TAG_NAME_MAX_LENGTH} characters`);
  }
  return { name, nameKey: name.toLowerCase() };
}
