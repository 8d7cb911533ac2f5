import type { ColumnType, Insertable, Selectable } from 'kysely';

/** The merchant's storefront accounts, mirrored by their backend (POST /users); personal fields sealed. */
export interface SiteUserTable {
  merchant_id: string;
  id: string;
  /** The merchant's own id for the account (it may be a username): sealed, found by its blind index. */
  external_id_enc: Buffer;
  external_id_bidx: Buffer;
  email_enc: Buffer;
  /** Not unique: the merchant's site decides whether two accounts may share an email. */
  email_bidx: Buffer;
  email_verified: boolean;
  given_name_enc: Buffer;
  family_name_enc: Buffer;
  phone_enc: Buffer | null;
  search_tokens: ColumnType<number[], number[] | undefined, number[]>;
  data_key_id: number;
  index_key_id: number;
  /** A customer with this user's unverified email, waiting for staff to confirm the link. */
  suggested_customer_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Date;
  updated_at: Date;
}

export type SiteUserRow = Selectable<SiteUserTable>;
export type NewSiteUserRow = Insertable<SiteUserTable>;
