import { decryptField, encryptField, type FieldBinding } from '../../crypto/field-cipher.js';
import type { BrandKeys } from '../../crypto/keyring.js';
import { maskE164, maskEmail } from '../../crypto/masking.js';
import { DomainError } from '../../errors.js';
import { roleAllows, type Principal } from '../access/index.js';
import type { PlainContact } from '../customers/index.js';
import type { OrderView } from './order.schemas.js';
import type { OrderRow, StoredOrderLine } from './order.table.js';

/** The columns a view needs: everything but the buyer's ciphertext, which the service opens. */
export type OrderFacts = Omit<OrderRow, 'buyer_enc' | 'data_key_id'>;

export function orderNumber(number: number): string {
  return `ORD-${String(number).padStart(6, '0')}`;
}

export function orderNotFound(id: string): DomainError {
  return new DomainError('order_not_found', `No order ${id}`);
}

export function orderState(id: string, status: string, action: string): DomainError {
  return new DomainError('order_state', `Order ${id} is ${status}; ${action}`, { order_id: id, order_status: status });
}

// The whole contact is one ciphertext: it is only ever read and written together.
const buyerBinding = (merchantId: string, orderId: string): FieldBinding => ({
  merchantId,
  table: 'orders',
  column: 'buyer',
  rowId: orderId,
});

export function sealBuyer(keys: BrandKeys, merchantId: string, orderId: string, buyer: PlainContact): Buffer {
  return encryptField(keys, buyerBinding(merchantId, orderId), JSON.stringify(buyer));
}

export function openBuyer(
  keys: BrandKeys,
  row: Pick<OrderRow, 'merchant_id' | 'id' | 'buyer_enc'>,
): PlainContact | null {
  if (!row.buyer_enc) return null;
  const value = JSON.parse(decryptField(keys, buyerBinding(row.merchant_id, row.id), row.buyer_enc)) as PlainContact;
  return { name: value.name, email: value.email, phone: value.phone ?? null };
}

/** Roles without raw contact access get the buyer's email and phone masked on the server. */
export function contactMaskedFor(principal: Principal): boolean {
  return !roleAllows(principal.role, 'customers.read_raw_contact');
}

export function orderLines(row: { line_items: StoredOrderLine[]; currency: string }): OrderView['line_items'] {
  const money = (amount: number) => ({ amount, currency: row.currency });
  return row.line_items.map((item) => ({
    description: item.description,
    quantity: item.quantity,
    unit_amount: money(item.unit_amount_minor),
    amount: money(item.unit_amount_minor * item.quantity),
  }));
}

export function toOrderView(row: OrderFacts, buyer: PlainContact | null, masked: boolean): OrderView {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: row.id,
    object: 'order',
    number: orderNumber(Number(row.number)),
    status: row.status,
    customer: row.customer_id,
    user: row.user_id,
    buyer: buyer && {
      name: buyer.name,
      email: masked ? maskEmail(buyer.email) : buyer.email,
      phone: masked && buyer.phone !== null ? maskE164(buyer.phone) : buyer.phone,
    },
    contact_masked: masked,
    currency: row.currency,
    line_items: orderLines(row),
    total: { amount: Number(row.total_minor), currency: row.currency },
    checkout_session: row.checkout_session_id,
    transaction: row.transaction_id,
    payment_method: row.payment_method,
    payment_reference: row.payment_reference,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    paid_at: iso(row.paid_at),
    fulfilled_at: iso(row.fulfilled_at),
    cancelled_at: iso(row.cancelled_at),
  };
}
