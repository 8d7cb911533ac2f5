import { fieldError } from '../errors.js';

/** ISO 4217 codes and their minor units, from the ICU data Node ships (no table of our own to age). */
const SUPPORTED = new Set(Intl.supportedValuesOf('currency'));
const minorDigitsCache = new Map<string, number>();

export interface Money {
  /** Integer minor units (cents, paisa); never a float. */
  amount: number;
  currency: string;
}

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && SUPPORTED.has(code);
}

/** 2 for BDT and USD, 0 for JPY, 3 for BHD. */
export function minorDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

/** Largest amount accepted anywhere: well inside Number's exact integers and PostgreSQL bigint. */
export const MAX_AMOUNT_MINOR = 100_000_000_000_000;

export function money(amount: number, currency: string): Money {
  return { amount, currency };
}

/** A request's currency code, upper-cased; a field error when it is not ISO 4217. */
export function checkCurrency(field: string, code: string): string {
  const upper = code.toUpperCase();
  if (!isCurrency(upper)) throw fieldError(field, 'is not an ISO 4217 currency code');
  return upper;
}
