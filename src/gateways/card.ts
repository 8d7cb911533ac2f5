import validator from 'validator';
import { checkFields, fieldError } from '../errors.js';
import type { CardDetails, CardSummary } from './gateway.js';

export interface CardInput {
  number: string;
  exp_month: number;
  exp_year: number;
  cvc: string;
}

/**
 * What any gateway would refuse before a charge: a number failing the Luhn check, a past expiry,
 * a CVC that is not 3–4 digits. Field errors name `card.*`, so the pay form marks the right box.
 */
export function checkCard(input: CardInput, now: Date): CardDetails {
  const number = input.number.replace(/[\s-]/g, '');
  const [cardNumber, , cvc] = checkFields(
    () => {
      if (!/^\d{12,19}$/.test(number) || !validator.isLuhnNumber(number))
        throw fieldError('card.number', 'is not a valid card number');
      return number;
    },
    () => {
      const year = input.exp_year < 100 ? 2000 + input.exp_year : input.exp_year;
      const endOfMonth = Date.UTC(year, input.exp_month, 1); // first day after the expiry month
      if (input.exp_month < 1 || input.exp_month > 12) throw fieldError('card.exp_month', 'must be 1 to 12');
      if (endOfMonth <= now.getTime()) throw fieldError('card.exp_year', 'the card has expired');
      return year;
    },
    () => {
      if (!/^\d{3,4}$/.test(input.cvc)) throw fieldError('card.cvc', 'must be 3 or 4 digits');
      return input.cvc;
    },
  );
  const expYear = input.exp_year < 100 ? 2000 + input.exp_year : input.exp_year;
  return { number: cardNumber, expMonth: input.exp_month, expYear, cvc };
}

/** Brand from the number's prefix (IIN ranges of the big networks), and the last four digits. */
export function summarizeCard(number: string): CardSummary {
  const brand = /^4/.test(number)
    ? 'visa'
    : /^(5[1-5]|2[2-7])/.test(number)
      ? 'mastercard'
      : /^3[47]/.test(number)
        ? 'amex'
        : /^(6011|65)/.test(number)
          ? 'discover'
          : 'card';
  return { brand, last4: number.slice(-4) };
}
