import type { ColumnType, Generated, Selectable } from 'kysely';

/** Where a customer can be created on its own (staff and API create customers on purpose). */
export type AutoCreateSource = 'registrations' | 'orders' | 'payments';

export interface BrandSettings {
  /** Automatic registration of customers from checkouts, payment links and invoices (the payments switch). */
  auto_register_customers?: boolean;
  /** Site registrations and orders; payments are auto_register_customers, kept for existing clients. */
  auto_create_customers?: Partial<Record<Exclude<AutoCreateSource, 'payments'>, boolean>>;
}

export interface BrandTable {
  id: string;
  name: string;
  country: string;
  base_currency: string;
  settings: ColumnType<BrandSettings, string | undefined, string>;
  /** An https URL of the brand's logo (shown on its pay pages and in the dashboard). */
  logo_url: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
}

export type BrandRow = Selectable<BrandTable>;

export interface BrandKeyTable {
  merchant_id: string;
  key_id: number;
  purpose: 'data' | 'index';
  state: 'active' | 'decrypt_only' | 'retired';
  /** Null once retired: the key material is destroyed. */
  wrapped_key: Buffer | null;
  created_at: Generated<Date>;
  retired_at: Date | null;
}

export interface KeyringStateTable {
  id: number;
  master_fingerprint: string;
  updated_at: Generated<Date>;
}
