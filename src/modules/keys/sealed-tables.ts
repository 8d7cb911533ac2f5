import type { AppContext } from '../../context.js';
import type { KeyPurpose } from '../../crypto/keyring.js';
import type { Executor } from '../../db/database.js';
import { imageKeySweep } from '../images/index.js';
import { noteKeySweep } from '../notes/index.js';
import { orderKeySweep } from '../orders/index.js';
import { siteUserKeySweep } from '../site-users/index.js';

/**
 * Tables besides customers that hold rows sealed under a brand's keys. A rotation moves their rows
 * too, and an old key is retired only when no row of any of them uses it. Each module says how
 * (its `…KeySweep`); the customers' sweep (key-sweep.ts) stays the model, with its duplicate-email
 * handling, which no other table needs.
 */
export interface SealedTable {
  table: string;
  countOffKey(ctx: AppContext, merchantId: string, purpose: KeyPurpose, activeKeyId: number): Promise<number>;
  countPerKey(
    ctx: AppContext,
    merchantId: string,
  ): Promise<Array<{ purpose: KeyPurpose; key_id: number; rows: number }>>;
  underKey(db: Executor, merchantId: string, purpose: KeyPurpose, keyId: number): Promise<boolean>;
  resealBatch(
    ctx: AppContext,
    merchantId: string,
    purpose: KeyPurpose,
    activeKeyId: number,
    page: { afterId: string; limit: number },
  ): Promise<{ lastId: string; updated: number } | null>;
}

export const OTHER_SEALED_TABLES: readonly SealedTable[] = [
  siteUserKeySweep,
  orderKeySweep,
  noteKeySweep,
  imageKeySweep,
];

export async function countOthersOffKey(ctx: AppContext, merchantId: string, purpose: KeyPurpose, activeKeyId: number) {
  let total = 0;
  for (const table of OTHER_SEALED_TABLES) total += await table.countOffKey(ctx, merchantId, purpose, activeKeyId);
  return total;
}

export async function othersUnderKey(db: Executor, merchantId: string, purpose: KeyPurpose, keyId: number) {
  for (const table of OTHER_SEALED_TABLES) if (await table.underKey(db, merchantId, purpose, keyId)) return true;
  return false;
}
