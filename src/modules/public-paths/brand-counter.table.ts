/** Per-brand sequences (invoice numbers), one row per brand and name (see migration 0005). */
export interface BrandCounterTable {
  merchant_id: string;
  name: string;
  value: number;
}
