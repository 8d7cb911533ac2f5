export type PublicPathKind = 'pay' | 'checkout' | 'invoice';

/** Routes a public slug or token to its brand and record (see migration 0005). */
export interface PublicPathTable {
  kind: PublicPathKind;
  key: string;
  merchant_id: string;
  target_id: string;
}
