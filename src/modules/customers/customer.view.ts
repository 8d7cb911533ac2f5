import { decryptField } from '../../crypto/field-cipher.js';
import type { BrandKeys } from '../../crypto/keyring.js';
import type { CustomerRecord } from './customer.repository.js';
import type { CustomerSource } from './customer.table.js';

/** A customer as the API shows it (schemas: CustomerSchema). */
export interface CustomerView {
  id: string;
  object: 'customer';
  name: string;
  email: string;
  phone: string | null;
  metadata: Record<string, string>;
  source: CustomerSource;
  transactions_count: number;
  total_spent: { amount: number; currency: string };
  last_payment_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CustomerList {
  object: 'list';
  data: CustomerView[];
  has_more: boolean;
  next_cursor: string | null;
}

export interface PlainContact {
  name: string;
  email: string;
  phone: string | null;
}

export function decryptContact(keys: BrandKeys, row: CustomerRecord): PlainContact {
  const bind = (column: string) => ({ merchantId: row.merchant_id, table: 'customers', column, rowId: row.id });
  return {
    name: decryptField(keys, bind('name'), row.name_enc),
    email: decryptField(keys, bind('email'), row.email_enc),
    phone: row.phone_enc ? decryptField(keys, bind('phone'), row.phone_enc) : null,
  };
}

/** The columns a view shows besides the decrypted contact. */
export type CustomerFacts = Omit<CustomerRecord, 'name_enc' | 'email_enc' | 'phone_enc' | 'data_key_id' | 'merchant_id'>;

export function toCustomerView(row: CustomerFacts, contact: PlainContact, baseCurrency: string): CustomerView {
  return {
    id: row.id,
    object: 'customer',
    ...contact,
    metadata: row.metadata,
    source: row.source,
    transactions_count: row.transactions_count,
    total_spent: { amount: Number(row.total_spent_minor), currency: baseCurrency },
    last_payment_at: row.last_payment_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
