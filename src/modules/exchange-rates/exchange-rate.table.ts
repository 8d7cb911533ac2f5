import type { ColumnType, Selectable } from 'kysely';

export interface ExchangeRateTable {
  merchant_id: string;
  currency: string;
  /** numeric: read back as text, written as text, never a float. */
  rate: ColumnType<string, string, string>;
  updated_at: Date;
}

export type ExchangeRateRow = Selectable<ExchangeRateTable>;
