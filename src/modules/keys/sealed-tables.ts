import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { BrandKeys, KeyPurpose } from '../../crypto/keyring.js';
import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { customerViewKeySweep } from '../customer-views/index.js';
import { imageKeySweep } from '../images/index.js';
import { noteKeySweep } from '../notes/index.js';
import { orderKeySweep } from '../orders/index.js';
import { siteUserKeySweep } from '../site-users/index.js';
import { webhookEndpointKeySweep } from '../webhooks/index.js';

/** What the sweep needs of a locked row: the data key it is sealed under (null: nothing sealed). */
export interface SealedRow {
  data_key_id: number | null;
}

/**
 * A table besides customers whose rows are sealed under a brand's keys. A rotation moves its rows
 * too, and an old key is retired only when no row of any of them uses it. Each module gives its
 * statements and how to re-seal a row (its `…KeySweep`); the transaction, the batches and the
 * check that the sweep writes under the new key are the keys module's (sweepOtherTables in key-sweep.ts).
 * The customers' sweep stays apart, with its duplicate-email handling, which no other table needs.
 */
export interface SealedTable<Row extends SealedRow = SealedRow> {
  table: string;
  /** The rotations that move its rows: data (its ciphertexts), index (its blind indexes, tokens). */
  purposes: readonly KeyPurpose[];
  /** A batch holds at most this many rows (images are large). */
  maxBatch?: number;
  countOffKey(db: Executor, merchantId: string, purpose: KeyPurpose, activeKeyId: number): Promise<number>;
  countPerKey(db: Executor, merchantId: string): Promise<Array<{ purpose: KeyPurpose; key_id: number; rows: number }>>;
  underKey(db: Executor, merchantId: string, purpose: KeyPurpose, keyId: number): Promise<boolean>;
  /** The next rows off the active key after `afterId` by primary key, locked, SKIP LOCKED. */
  lockOffKey(
    trx: Transaction<DB>,
    merchantId: string,
    purpose: KeyPurpose,
    activeKeyId: number,
    page: { afterId: string; limit: number },
  ): Promise<Row[]>;
  /** A row's place in that order, where the next batch starts after it. */
  positionOf(row: Row): string;
  /** Writes the rows sealed again under `keys` (their active keys). */
  reseal(trx: Transaction<DB>, keys: BrandKeys, merchantId: string, rows: Row[]): Promise<void>;
}

export const OTHER_SEALED_TABLES: readonly SealedTable[] = [
  siteUserKeySweep,
  orderKeySweep,
  noteKeySweep,
  imageKeySweep,
  customerViewKeySweep,
  webhookEndpointKeySweep,
];

/** Rows of the table still off the active key of the purpose (none for a rotation that does not touch it). */
export async function countOffKey(
  db: Executor,
  table: SealedTable,
  merchantId: string,
  purpose: KeyPurpose,
  activeKeyId: number,
): Promise<number> {
  return table.purposes.includes(purpose) ? table.countOffKey(db, merchantId, purpose, activeKeyId) : 0;
}

export async function underKey(
  db: Executor,
  table: SealedTable,
  merchantId: string,
  purpose: KeyPurpose,
  keyId: number,
): Promise<boolean> {
  return table.purposes.includes(purpose) && table.underKey(db, merchantId, purpose, keyId);
}

export async function countOthersOffKey(ctx: AppContext, merchantId: string, purpose: KeyPurpose, activeKeyId: number) {
  let total = 0;
  for (const table of OTHER_SEALED_TABLES) total += await countOffKey(ctx.db, table, merchantId, purpose, activeKeyId);
  return total;
}

export async function othersUnderKey(db: Executor, merchantId: string, purpose: KeyPurpose, keyId: number) {
  for (const table of OTHER_SEALED_TABLES) if (await underKey(db, table, merchantId, purpose, keyId)) return true;
  return false;
}
