/* The shapes the Paydesk API answers (README "API" and docs/payments-api.md). */

export type Role = 'owner' | 'admin' | 'manager' | 'support' | 'viewer' | 'developer';

export interface Money {
  amount: number;
  currency: string;
}

export interface List<T> {
  object: 'list';
  data: T[];
  has_more?: boolean;
  next_cursor?: string | null;
}

export interface Session {
  object: 'session';
  staff: { id: string; email: string; name: string };
  brands: { id: string; name: string; role: Role }[];
  active_brand_id: string | null;
  csrf_token: string;
}

export interface Customer {
  id: string;
  object: 'customer';
  name: string;
  email: string;
  phone: string | null;
  contact_masked: boolean;
  metadata: Record<string, string>;
  source: string;
  transactions_count: number;
  total_spent: Money;
  last_payment_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CustomerContact {
  email: string;
  phone: string | null;
}

export interface StaffMember {
  object: 'staff';
  id: string;
  email: string;
  name: string;
  role: Role;
  added_at: string;
}

export type TransactionStatus = 'pending' | 'succeeded' | 'failed' | 'refunded' | 'partially_refunded';

export interface Transaction {
  id: string;
  object: 'transaction';
  type: 'payment' | 'refund';
  status: TransactionStatus;
  amount: Money;
  base_amount: Money | null;
  exchange_rate: string | null;
  amount_refunded: Money;
  customer_id: string | null;
  customer_name: string | null;
  invoice_id: string | null;
  payment_link_id: string | null;
  checkout_session_id: string | null;
  refunded_transaction_id: string | null;
  source: 'checkout' | 'payment_link' | 'invoice';
  gateway: string;
  gateway_reference: string | null;
  card: { brand: string; last4: string } | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: string;
  succeeded_at: string | null;
}

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void';

export interface LineItem {
  description: string;
  quantity: number;
  unit_amount: Money;
  amount: Money;
}

export interface Invoice {
  id: string;
  object: 'invoice';
  number: string;
  status: InvoiceStatus;
  customer_id: string | null;
  currency: string;
  line_items: LineItem[];
  total: Money;
  memo: string | null;
  due_date: string | null;
  public_url: string | null;
  transaction_id: string | null;
  created_at: string;
  finalized_at: string | null;
  paid_at: string | null;
  voided_at: string | null;
}

export interface PaymentLink {
  id: string;
  object: 'payment_link';
  slug: string;
  url: string;
  title: string;
  description: string | null;
  currency: string;
  amount_type: 'fixed' | 'customer_chosen';
  amount: Money | null;
  min_amount: Money | null;
  max_amount: Money | null;
  active: boolean;
  created_at: string;
  updated_at: string;
}

export interface Brand {
  id: string;
  object: 'brand';
  name: string;
  country: string;
  base_currency: string;
  settings: { auto_register_customers: boolean };
}

export interface ExchangeRates {
  object: 'exchange_rates';
  base_currency: string;
  rates: { currency: string; rate: string; updated_at: string }[];
}

/* Public client pages (/api/public/...). */

export interface PublicPaymentLink {
  brand_name: string;
  title: string;
  description: string | null;
  currency: string;
  amount_type: 'fixed' | 'customer_chosen';
  amount: Money | null;
  min_amount: Money | null;
  max_amount: Money | null;
}

export interface PublicCheckout {
  brand_name: string;
  description: string | null;
  amount: Money;
  status: 'open' | 'complete' | 'expired';
  expires_at: string;
}

export interface PublicInvoice {
  brand_name: string;
  number: string;
  status: InvoiceStatus;
  line_items: LineItem[];
  total: Money;
  memo: string | null;
  due_date: string | null;
  customer_known: boolean;
}

export interface PaymentResult {
  status: 'succeeded';
  transaction_id: string;
  amount: Money;
  customer_id: string | null;
}

export interface FieldError {
  field: string;
  reason: string;
}

/** RFC 9457 problem details; `code` is the stable part, the rest of the keys depend on it. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail: string;
  errors?: FieldError[];
  [key: string]: unknown;
}
