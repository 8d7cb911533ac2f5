import validator from 'validator';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { fieldError } from '../../errors.js';
import { NOT_TEXT } from '../../http/text-rule.js';

export const NAME_MAX_LENGTH = 200;
const EMAIL_MAX_LENGTH = 254; // RFC 5321 path limit

function requireText(value: string, field: string): void {
  if (NOT_TEXT.test(value)) throw fieldError(field, 'contains a control character or invalid Unicode');
}

/** Trimmed, inner runs of white space folded, Unicode NFC; 1–200 characters. */
export function normalizeName(raw: string, field = 'name'): string {
  requireText(raw, field);
  const name = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (name.length === 0) throw fieldError(field, 'must not be empty');
  if ([...name].length > NAME_MAX_LENGTH) throw fieldError(field, `must be at most ${NAME_MAX_LENGTH} characters`);
  return name;
}

/** Trimmed and lower-cased, so the blind index (and uniqueness) ignores case. */
export function normalizeEmail(raw: string, field = 'email'): string {
  requireText(raw, field);
  const email = raw.trim().toLowerCase();
  if (email.length === 0) throw fieldError(field, 'must not be empty');
  if (email.length > EMAIL_MAX_LENGTH) throw fieldError(field, `must be at most ${EMAIL_MAX_LENGTH} characters`);
  if (!validator.isEmail(email, { allow_display_name: false, require_tld: true, allow_ip_domain: false })) {
    throw fieldError(field, 'is not a valid email address');
  }
  return email;
}

/** E.164; a number without a country code is read in the brand's country (01700000000 in BD). */
export function normalizePhone(raw: string, brandCountry: string, field = 'phone'): string {
  requireText(raw, field);
  const text = raw.trim();
  if (text.length === 0) throw fieldError(field, 'must not be empty; send null to remove the phone');
  if (text.length > 40) throw fieldError(field, 'is too long to be a phone number');
  const parsed = parsePhoneNumberFromString(text, brandCountry as CountryCode);
  if (!parsed || !parsed.isValid()) {
    const hint = text.startsWith('+') ? '' : ` (read as a ${brandCountry} number; add +country code otherwise)`;
    throw fieldError(field, `is not a valid phone number${hint}`);
  }
  return parsed.number;
}

/** Metadata keys and values must be storable text (lengths and counts are checked by the schema). */
export function checkMetadata<T extends Record<string, string | null>>(
  metadata: T | undefined,
  field = 'metadata',
): T | undefined {
  for (const [key, value] of Object.entries(metadata ?? {})) {
    requireText(key, `${field}.${key.replace(NOT_TEXT, '?')}`);
    if (value !== null) requireText(value, `${field}.${key}`);
  }
  return metadata;
}
