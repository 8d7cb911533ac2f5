import type { Insertable, Selectable } from 'kysely';

/** A customer's image: re-encoded on upload (no metadata left), then sealed under the data key. */
export interface CustomerImageTable {
  merchant_id: string;
  customer_id: string;
  image_enc: Buffer;
  content_type: 'image/webp' | 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  data_key_id: number;
  updated_at: Date;
}

export type CustomerImageRow = Selectable<CustomerImageTable>;
export type NewCustomerImageRow = Insertable<CustomerImageTable>;
