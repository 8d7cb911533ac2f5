import type { Insertable, Selectable } from 'kysely';

/** A brand's customer tags (migration 0010). Tag names are labels staff choose, not personal data. */
export interface CustomerTagTable {
  merchant_id: string;
  id: string;
  name: string;
  /** Lower-cased, trimmed, inner spaces collapsed: unique per brand, so "VIP" and " vip" are one tag. */
  name_key: string;
  /** One of TAG_COLORS (customer-tag.schemas.ts). */
  color: string;
  created_at: Date;
}

export interface CustomerTagLinkTable {
  merchant_id: string;
  tag_id: string;
  customer_id: string;
  created_at: Date;
}

export type CustomerTagRow = Selectable<CustomerTagTable>;
export type NewCustomerTagRow = Insertable<CustomerTagTable>;
