import { minorDigits } from './currency.js';

/**
 * Exchange rates are decimal strings ("117.25": one unit of the foreign currency buys 117.25 units of
 * the base currency), converted with BigInt so no amount ever passes through a float.
 */
export const RATE_PATTERN = /^(0|[1-9]\d{0,11})(\.\d{1,12})?$/;

export function isRate(text: string): boolean {
  return RATE_PATTERN.test(text) && /[1-9]/.test(text);
}

/** Trailing zeros dropped, so the same rate always reads the same ("117.250" → "117.25"). */
export function canonicalRate(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * amount (minor units of `from`) × rate → minor units of `to`, rounded half up. Minor units differ
 * by currency (JPY has none, BHD three), so the scales are applied exactly.
 */
export function convertMinor(amountMinor: number, rate: string, from: string, to: string): number {
  const converted = convertMinorExact(amountMinor, rate, from, to);
  if (converted > BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError(`${converted} minor units is beyond exact integers`);
  return Number(converted);
}

/** The same, as a BigInt: callers check it against their limit before it becomes a number. */
export function convertMinorExact(amountMinor: number, rate: string, from: string, to: string): bigint {
  if (!isRate(rate)) throw new Error(`not an exchange rate: ${rate}`);
  const [whole, fraction = ''] = rate.split('.');
  const rateScaled = BigInt(`${whole}${fraction}`);
  const numerator = BigInt(amountMinor) * rateScaled * 10n ** BigInt(minorDigits(to));
  const denominator = 10n ** BigInt(fraction.length + minorDigits(from));
  return (2n * numerator + denominator) / (2n * denominator);
}

/** The base-currency share of a partial refund, in proportion to the payment; rounded half up. */
export function proportionalMinor(part: number, whole: number, wholeInBase: number): number {
  if (whole === 0) return 0;
  const numerator = BigInt(part) * BigInt(wholeInBase);
  return Number((2n * numerator + BigInt(whole)) / (2n * BigInt(whole)));
}
