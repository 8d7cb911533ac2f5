import { PREPARED } from '../../db/prepared-client.js';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { BrandSettings } from '../brands/index.js';

const prepared = sql.raw(PREPARED);

/** The brand columns a public page and a payment need, read in the same query as the payable. */
export interface PayableBrand {
  merchant_id: string;
  brand_name: string;
  brand_country: string;
  base_currency: string;
  brand_settings: BrandSettings;
  /** The brand's rate for the payable's currency; null when it has none. */
  rate: string | null;
}

export interface LinkPayableRow extends PayableBrand {
  id: string;
  title: string;
  description: string | null;
  currency: string;
  amount_minor: number | null;
  min_amount_minor: number | null;
  max_amount_minor: number | null;
  active: boolean;
}

export interface CheckoutPayableRow extends PayableBrand {
  id: string;
  description: string | null;
  currency: string;
  amount_minor: number;
  status: 'open' | 'complete';
  pending_transaction_id: string | null;
  expires_at: Date;
  /** The order this checkout was made for, if any, with its state now. */
  order_id: string | null;
  order_status: 'open' | 'paid' | 'fulfilled' | 'cancelled' | null;
  order_customer_id: string | null;
}

export interface InvoicePayableRow extends PayableBrand {
  id: string;
  number: number;
  status: 'draft' | 'open' | 'paid' | 'void';
  customer_id: string | null;
  currency: string;
  line_items: { description: string; quantity: number; unit_amount_minor: number }[];
  total_minor: number;
  memo: string | null;
  due_date: string | null;
  pending_transaction_id: string | null;
}

// One round trip per public request: path → record, brand and exchange rate together.
const brandColumns = sql`p.merchant_id, b.name AS brand_name, b.country AS brand_country, b.base_currency, b.settings AS brand_settings, r.rate::text AS rate`;

export async function findLinkPayable(db: Executor, slug: string): Promise<LinkPayableRow | undefined> {
  const { rows } = await sql<LinkPayableRow>`${prepared}
    SELECT ${brandColumns}, l.id, l.title, l.description, l.currency, l.amount_minor, l.min_amount_minor, l.max_amount_minor, l.active
    FROM public_paths p
    JOIN payment_links l ON l.merchant_id = p.merchant_id AND l.id = p.target_id
    JOIN brands b ON b.id = p.merchant_id
    LEFT JOIN exchange_rates r ON r.merchant_id = p.merchant_id AND r.currency = l.currency
    WHERE p.kind = 'pay' AND p.key = ${slug}`.execute(db);
  return rows[0];
}

export async function findCheckoutPayable(db: Executor, token: string): Promise<CheckoutPayableRow | undefined> {
  const { rows } = await sql<CheckoutPayableRow>`${prepared}
    SELECT ${brandColumns}, s.id, s.description, s.currency, s.amount_minor, s.status, s.pending_transaction_id, s.expires_at,
      s.order_id, o.status AS order_status, o.customer_id AS order_customer_id
    FROM public_paths p
    JOIN checkout_sessions s ON s.merchant_id = p.merchant_id AND s.id = p.target_id
    JOIN brands b ON b.id = p.merchant_id
    LEFT JOIN orders o ON o.merchant_id = s.merchant_id AND o.id = s.order_id
    LEFT JOIN exchange_rates r ON r.merchant_id = p.merchant_id AND r.currency = s.currency
    WHERE p.kind = 'checkout' AND p.key = ${token}`.execute(db);
  return rows[0];
}

export async function findInvoicePayable(db: Executor, token: string): Promise<InvoicePayableRow | undefined> {
  const { rows } = await sql<InvoicePayableRow>`${prepared}
    SELECT ${brandColumns}, i.id, i.number, i.status, i.customer_id, i.currency, i.line_items, i.total_minor, i.memo,
      to_char(i.due_date, 'YYYY-MM-DD') AS due_date, i.pending_transaction_id
    FROM public_paths p
    JOIN invoices i ON i.merchant_id = p.merchant_id AND i.id = p.target_id
    JOIN brands b ON b.id = p.merchant_id
    LEFT JOIN exchange_rates r ON r.merchant_id = p.merchant_id AND r.currency = i.currency
    WHERE p.kind = 'invoice' AND p.key = ${token}`.execute(db);
  return rows[0];
}
