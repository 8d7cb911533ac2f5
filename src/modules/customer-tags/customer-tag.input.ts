import { fieldError } from '../../errors.js';
import { NOT_SINGLE_LINE_TEXT as NOT_TEXT } from '../../http/text-rule.js';

export const TAG_NAME_MAX_LENGTH = 40;

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
