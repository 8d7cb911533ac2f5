import type { ColumnType, Insertable, Selectable } from 'kysely';

export const CUSTOMER_SOURCES = [
  'api',
  'dashboard',
  'demo',
  'checkout',
  'payment_link',
  'invoice',
  'import',
  'registration',
  'order',
] as const;
export type CustomerSource = (typeof CUSTOMER_SOURCES)[number];

/** Why a customer is suspended: a closed code (staff's own words go into an encrypted note). */
export const SUSPENSION_REASONS = ['fraudulent', 'chargebacks', 'abuse', 'requested_by_customer', 'other'] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

export interface CustomerTable {
  merchant_id: string;
  id: string;
  /** AES-256-GCM ciphertexts (src/crypto/field-cipher.ts), bound to brand, table, column and id. */
  name_enc: Buffer;
  email_enc: Buffer;
  phone_enc: Buffer | null;
  /** Keyed PRFs of the normalised email / E.164 phone: exact lookup and per-brand uniqueness. */
  email_bidx: Buffer;
  phone_bidx: Buffer | null;
  /** Keyed PRF of the normalised name: duplicate candidates by equal name. Null on rows sealed before 0009. */
  name_bidx: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  search_tokens: ColumnType<number[], number[] | undefined, number[]>;
  data_key_id: number;
  index_key_id: number;
  metadata: ColumnType<Record<string, string>, string, string>;
  source: CustomerSource;
  /** The site user (storefront account) linked to this customer: one each way per brand. */
  user_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the customer's image last changed (customer_images); null without one. Versions its URL. */
  image_updated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Set when merged into another customer of the brand: this row is then only a pointer to it. */
  merged_into: ColumnType<string | null, string | null | undefined, string | null>;
  merged_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Set when erased: the contact columns hold no ciphertext; ledger and totals stay. */
  erased_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Set while suspended: payments from the customer's email are refused on every public path. */
  suspended_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  suspension_reason: ColumnType<SuspensionReason | null, SuspensionReason | null | undefined, SuspensionReason | null>;
  transactions_count: ColumnType<number, number | undefined, number>;
  total_spent_minor: ColumnType<number, number | undefined, number>;
  last_payment_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type CustomerRow = Selectable<CustomerTable>;
export type NewCustomerRow = Insertable<CustomerTable>;
