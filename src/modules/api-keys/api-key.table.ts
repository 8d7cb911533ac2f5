import type { Generated, Selectable } from 'kysely';
import type { Role } from '../access/index.js';

export interface ApiKeyTable {
  merchant_id: string;
  id: string;
  name: string;
  role: Role;
  /** SHA-256 of the whole token: tokens are 256-bit random, so a fast hash is enough. */
  token_hash: Buffer;
  /** Last four characters, to tell keys apart in a list. */
  token_hint: string;
  created_at: Generated<Date>;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export type ApiKeyRow = Selectable<ApiKeyTable>;
