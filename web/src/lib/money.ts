import type { Money } from '../api/types';

/**
 * Amounts travel as integer minor units. The number of minor digits of a currency comes from the ICU data
 * the browser ships, the same source the server uses (src/money/currency.ts): BDT 2, JPY 0, KWD 3.
 */
const digitsCache = new Map<string, number>();

export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** "1234.50" for 123450 minor units of a two-digit currency; exact, no floating point. */
export function toMajorString(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const text = String(Math.abs(Math.trunc(amount))).padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

export function formatMoney(money: Money | null | undefined): string {
  if (!money) return '—';
  const digits = minorDigits(money.currency);
  try {
    const format = new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency: money.currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    return format.format(toMajorString(money.amount, money.currency) as `${number}`);
  } catch {
    return `${toMajorString(money.amount, money.currency)} ${money.currency}`;
  }
}

/** "1,234.5" → 123450 for BDT; null when the text is not an amount in that currency's precision. */
export function parseMajor(text: string, currency: string): number | null {
  const cleaned = text.replace(/[\s,_]/g, '');
  const digits = minorDigits(currency);
  const pattern = digits === 0 ? /^(\d+)$/ : new RegExp(`^(\\d*)(?:\\.(\\d{0,${digits}}))?$`);
  const match = pattern.exec(cleaned);
  if (!match || cleaned === '' || cleaned === '.') return null;
  const whole = match[1] || '0';
  const fraction = (match[2] ?? '').padEnd(digits, '0');
  const minor = Number(whole + fraction);
  return Number.isSafeInteger(minor) ? minor : null;
}

/** A short list for currency pickers; any ISO 4217 code may still be typed. */
export const COMMON_CURRENCIES = ['BDT', 'USD', 'EUR', 'GBP', 'INR', 'JPY', 'SGD', 'AED', 'SAR', 'CAD', 'AUD'];
