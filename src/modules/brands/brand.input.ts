import { isSupportedCountry } from 'libphonenumber-js';
import { fieldError } from '../../errors.js';
import { checkCurrency } from '../../money/currency.js';
import { NOT_SINGLE_LINE_TEXT as NOT_TEXT } from '../../http/text-rule.js';

// The brand profile's fields, checked the same way on create and on change.

const NAME_MAX = 100;

export function checkBrandName(raw: string): string {
  if (NOT_TEXT.test(raw)) throw fieldError('name', 'contains a control character or invalid Unicode');
  const name = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (!name) throw fieldError('name', 'must not be empty');
  if ([...name].length > NAME_MAX) throw fieldError('name', `must be at most ${NAME_MAX} characters`);
  return name;
}

/** ISO 3166-1 alpha-2, upper-cased; a country phone numbers can be read in (it is their default region). */
export function checkCountry(raw: string): string {
  const code = raw.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code) || !isSupportedCountry(code)) {
    throw fieldError('country', 'is not an ISO 3166-1 alpha-2 country code (like BD, IN, US)');
  }
  return code;
}

export function checkBaseCurrency(raw: string): string {
  return checkCurrency('base_currency', raw.trim());
}

/** An https URL (the dashboard and pay pages load it as an image); null removes the logo. */
export function checkLogoUrl(raw: string | null): string | null {
  if (raw === null || raw.trim() === '') return null;
  if (NOT_TEXT.test(raw)) throw fieldError('logo_url', 'contains a control character or invalid Unicode');
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw fieldError('logo_url', 'is not a URL');
  }
  if (url.protocol !== 'https:') throw fieldError('logo_url', 'must be an https:// URL');
  if (url.username || url.password) throw fieldError('logo_url', 'must not carry a user name or password');
  return url.toString();
}
