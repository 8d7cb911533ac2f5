import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Masked contact data for roles that may not see it raw. Computed on the server: a masked role's
 * response never carries the raw value.
 */
const DOT = '•';

/** "jane.doe@example.com" → "j•••@example.com": first character and the domain. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return DOT.repeat(3);
  const first = [...email.slice(0, at)][0] ?? '';
  return `${first}${DOT.repeat(3)}${email.slice(at)}`;
}

/** "+8801700000000" → "+880•••••••000": country code and last three digits (E.164 input). */
export function maskPhone(e164: string, countryCallingCode: string): string {
  const digits = e164.replace(/\D/g, '');
  const national = digits.startsWith(countryCallingCode) ? digits.slice(countryCallingCode.length) : digits;
  const kept = national.slice(-3);
  return `+${countryCallingCode}${DOT.repeat(Math.max(0, national.length - kept.length))}${kept}`;
}

/** maskPhone with the country calling code read from the number itself. */
export function maskE164(e164: string): string {
  return maskPhone(e164, parsePhoneNumberFromString(e164)?.countryCallingCode ?? '');
}
