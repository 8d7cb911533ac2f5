import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * A stored E.164 number as its country writes it, internationally: "+8801711234567" → "+880 1711 234567".
 * Masked values ("+880•••••4567"), and anything that does not parse, are shown as they are.
 */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return '—';
  if (!/^\+\d{6,15}$/.test(phone)) return phone;
  return parsePhoneNumberFromString(phone)?.formatInternational() ?? phone;
}
