import type { Generated } from 'kysely';

export interface IdempotencyKeyTable {
  merchant_id: string;
  key: string;
  request_hash: Buffer;
  status_code: number | null;
  resource_id: string | null;
  created_at: Generated<Date>;
}
