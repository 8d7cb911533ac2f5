import { checkFields, fieldError } from '../../errors.js';
import { normalizeEmail, normalizeName, normalizePhone } from '../customers/index.js';
import type { PlainUser } from './user.seal.js';
import { NOT_SINGLE_LINE_TEXT as NOT_TEXT } from '../../http/text-rule.js';

// A site user's fields, normalised exactly as a customer's are (they become one).

const PART_MAX = 100;

export function checkExternalId(raw: string): string {
  if (NOT_TEXT.test(raw)) throw fieldError('external_id', 'contains a control character or invalid Unicode');
  const id = raw.trim();
  if (!id) throw fieldError('external_id', 'must not be empty');
  if ([...id].length > 200) throw fieldError('external_id', 'must be at most 200 characters');
  return id;
}

function namePart(raw: string, field: string, required: boolean): string {
  if (!required && raw.trim() === '') return '';
  const name = normalizeName(raw, field);
  if ([...name].length > PART_MAX) throw fieldError(field, `must be at most ${PART_MAX} characters`);
  return name;
}

export const checkGivenName = (raw: string) => namePart(raw, 'given_name', true);
export const checkFamilyName = (raw: string) => namePart(raw, 'family_name', false);

export interface UserFields {
  external_id: string;
  email: string;
  given_name: string;
  family_name: string;
  phone?: string | null | undefined;
}

/** Every field error at once; the phone read in the brand's country when it has no +country code. */
export function normalizeUser(input: UserFields, country: string): PlainUser {
  const [externalId, email, givenName, familyName, phone] = checkFields(
    () => checkExternalId(input.external_id),
    () => normalizeEmail(input.email),
    () => checkGivenName(input.given_name),
    () => checkFamilyName(input.family_name),
    () => (input.phone == null || input.phone.trim() === '' ? null : normalizePhone(input.phone, country)),
  );
  return { externalId, email, givenName, familyName, phone };
}
