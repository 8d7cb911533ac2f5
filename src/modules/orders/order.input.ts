import { checkFields, fieldError } from '../../errors.js';
import { isId } from '../../ids.js';
import { checkCurrency, MAX_AMOUNT_MINOR } from '../../money/currency.js';
import {
  normalizeEmail,
  normalizeName,
  normalizePhone,
  userNotInBrand,
  type PlainContact,
} from '../customers/index.js';
import type { OrderCreateBody } from './order.schemas.js';
import type { StoredOrderLine } from './order.table.js';
import { NOT_TEXT } from '../../http/text-rule.js';

/** A new order's body, checked and normalised; who the buyer is gets resolved against the database. */
export interface CheckedOrder {
  currency: string;
  lines: StoredOrderLine[];
  totalMinor: number;
  customerId: string | null;
  details: PlainContact | null;
  userId: string | null;
}

export function customerNotInBrand(): ReturnType<typeof fieldError> {
  return fieldError('customer', 'is not a customer of this brand');
}

/** Every field error at once (a form marks them all); nothing is read from the database here. */
export function checkOrderBody(body: OrderCreateBody, brandCountry: string): CheckedOrder {
  const lines = body.line_items.map((item) => ({
    description: item.description.trim(),
    quantity: item.quantity,
    unit_amount_minor: item.unit_amount,
  }));
  // Each line is at most 10^5 × 10^14, so the sum stays an exact double well past the limit.
  const totalMinor = lines.reduce((sum, item) => sum + item.quantity * item.unit_amount_minor, 0);
  const [currency, , , , , details] = checkFields(
    () => checkCurrency('currency', body.currency),
    () => {
      lines.forEach((item, i) => {
        if (!item.description) throw fieldError(`line_items.${i}.description`, 'must not be blank');
        if (NOT_TEXT.test(item.description))
          throw fieldError(`line_items.${i}.description`, 'contains a control character or invalid Unicode');
      });
    },
    () => {
      if (totalMinor > MAX_AMOUNT_MINOR)
        throw fieldError('line_items', `the total must be at most ${MAX_AMOUNT_MINOR} minor units`);
    },
    () => {
      if (body.customer !== undefined && !isId('cus', body.customer)) throw customerNotInBrand();
    },
    () => {
      if (body.user !== undefined && !isId('usr', body.user)) throw userNotInBrand(body.user);
    },
    () => checkBuyer(body, brandCountry),
  );
  return {
    currency,
    lines,
    totalMinor,
    customerId: body.customer ?? null,
    details: details ?? null,
    userId: body.user ?? null,
  };
}

function checkBuyer(body: OrderCreateBody, brandCountry: string): PlainContact | undefined {
  const d = body.customer_details;
  if (d === undefined) {
    if (body.customer === undefined && body.user === undefined) {
      throw fieldError('customer_details', 'give the buyer: customer_details, an existing customer, or a site user');
    }
    return undefined;
  }
  if (body.customer !== undefined) {
    throw fieldError('customer_details', 'give either an existing customer or customer_details, not both');
  }
  const [email, name, phone] = checkFields(
    () => normalizeEmail(d.email, 'customer_details.email'),
    () => normalizeName(d.name, 'customer_details.name'),
    () =>
      d.phone == null || d.phone.trim() === '' ? null : normalizePhone(d.phone, brandCountry, 'customer_details.phone'),
  );
  return { name, email, phone };
}
