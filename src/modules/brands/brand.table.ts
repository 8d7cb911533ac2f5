import type { ColumnType, Generated, Selectable } from 'kysely';

export interface BrandSettings {
  /** Automatic registration of customers from checkouts, payment links and invoices. */
  auto_register_customers?: boolean;
}

export interface BrandTable {
  id: string;
  name: string;
  country: string;
  base_currency: string;
  settings: ColumnType<BrandSettings, string | undefined, string>;
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
