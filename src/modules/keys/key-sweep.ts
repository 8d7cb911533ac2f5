import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/errors.js';
import { FieldDecryptError } from '../../crypto/field-cipher.js';
import type { BrandKeys, KeyPurpose } from '../../crypto/keyring.js';
import {
  countCustomersOffKey,
  decryptContact,
  findCustomerIdByEmailIndex,
  lockCustomersOffKey,
  resealedContact,
  updateResealedCustomers,
  type ResealedRow,
} from '../customers/index.js';
import { activeKeyAgeMs, withSavepoint } from './key-rotation.repository.js';
import { countOffKey, OTHER_SEALED_TABLES, type SealedTable } from './sealed-tables.js';
import type { RotationOutcome, RotationPhase, RowProblem, SweepOptions } from './key-rotation.types.js';

// Passes over the brand's rows before giving up on rows that keep being locked by writers.
const MAX_PASSES = 5;
export const DEFAULT_BATCH_SIZE = 500;

/** Waits until the active key is settleMs old by the database's clock; false when stopped. */
export async function settle(
  ctx: AppContext,
  merchantId: string,
  purpose: KeyPurpose,
  settleMs: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const age = (await activeKeyAgeMs(ctx.db, merchantId, purpose)) ?? settleMs;
  if (age < settleMs && !signal?.aborted) {
    await sleep(settleMs - age, undefined, { signal }).catch(() => {});
  }
  return !signal?.aborted;
}

/** Passes over the brand's rows until none is left off the active key; false when stopped. */
export async function sweep(
  ctx: AppContext,
  outcome: RotationOutcome,
  options: SweepOptions,
  report: (phase: RotationPhase) => Promise<void>,
): Promise<boolean> {
  const { merchantId, purpose, activeKeyId } = outcome;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let afterId = '';
    let moved = 0;
    for (;;) {
      if (options.signal?.aborted) return false;
      const excludeIds = outcome.problems.map((p) => p.customerId);
      const batch = await ctx.db.transaction().execute(async (trx) => {
        const rows = await lockCustomersOffKey(trx, merchantId, purpose, activeKeyId, {
          afterId,
          limit: batchSize,
          excludeIds,
        });
        if (rows.length === 0) return undefined;
        const keys = await keysFor(
          ctx,
          trx,
          outcome,
          rows.map((r) => r.data_key_id),
        );
        const problems: RowProblem[] = [];
        const resealed: ResealedRow[] = [];
        for (const row of rows) {
          try {
            resealed.push({ id: row.id, sealed: resealedContact(keys, row, () => decryptContact(keys, row)) });
          } catch (error) {
            if (!(error instanceof FieldDecryptError)) throw error;
            problems.push({ customerId: row.id, reason: 'undecryptable' });
          }
        }
        const updated = await writeResealed(trx, merchantId, resealed, problems);
        return { lastId: rows[rows.length - 1]!.id, updated, problems };
      });
      if (!batch) break;
      afterId = batch.lastId;
      moved += batch.updated;
      outcome.done += batch.updated;
      outcome.total = Math.max(outcome.total, outcome.done);
      outcome.problems.push(...batch.problems);
      await report('sweeping');
      // PGlite runs queries in this thread, and a batch resolves without ever reaching the event
      // loop: without this turn, a server sweeping its own database would not answer requests.
      await yieldToEventLoop();
    }
    const excludeIds = outcome.problems.map((p) => p.customerId);
    const remaining = await countCustomersOffKey(ctx.db, merchantId, purpose, activeKeyId, excludeIds);
    if (remaining === 0 || moved === 0) break;
    outcome.total = Math.max(outcome.total, outcome.done + remaining);
  }
  return sweepOtherTables(ctx, outcome, options, report);
}

/** The same passes over every other sealed table (site users, orders' buyers); false when stopped. */
async function sweepOtherTables(
  ctx: AppContext,
  outcome: RotationOutcome,
  options: SweepOptions,
  report: (phase: RotationPhase) => Promise<void>,
): Promise<boolean> {
  const { merchantId, purpose, activeKeyId } = outcome;
  const limit = options.batchSize ?? DEFAULT_BATCH_SIZE;
  for (const table of OTHER_SEALED_TABLES) {
    if (!table.purposes.includes(purpose)) continue;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      let afterId = '';
      let moved = 0;
      for (;;) {
        if (options.signal?.aborted) return false;
        const batch = await resealBatch(ctx, table, outcome, { afterId, limit });
        if (!batch) break;
        afterId = batch.lastId;
        moved += batch.updated;
        outcome.done += batch.updated;
        outcome.total = Math.max(outcome.total, outcome.done);
        await report('sweeping');
        await yieldToEventLoop();
      }
      if (moved === 0 || (await countOffKey(ctx.db, table, merchantId, purpose, activeKeyId)) === 0) break;
    }
  }
  return true;
}

/**
 * One batch of a sealed table moved to the rotation's active key, in one transaction: its rows
 * locked, re-sealed with keys checked to be the new ones, written. Null when none is left.
 */
export async function resealBatch(
  ctx: AppContext,
  table: SealedTable,
  rotation: Pick<RotationOutcome, 'merchantId' | 'purpose' | 'activeKeyId'>,
  page: { afterId: string; limit: number },
): Promise<{ lastId: string; updated: number } | null> {
  const { merchantId, purpose, activeKeyId } = rotation;
  if (!table.purposes.includes(purpose)) return null;
  const limit = Math.min(page.limit, table.maxBatch ?? page.limit);
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await table.lockOffKey(trx, merchantId, purpose, activeKeyId, { afterId: page.afterId, limit });
    if (rows.length === 0) return null;
    const needed = rows.flatMap((r) => (r.data_key_id === null ? [] : [r.data_key_id]));
    await table.reseal(trx, await keysFor(ctx, trx, rotation, needed), merchantId, rows);
    return { lastId: table.positionOf(rows[rows.length - 1]!), updated: rows.length };
  });
}

/** The brand's keys with the active key the sweep moves rows to (reloaded if the cache lags). */
async function keysFor(
  ctx: AppContext,
  trx: Transaction<DB>,
  outcome: Pick<RotationOutcome, 'merchantId' | 'purpose' | 'activeKeyId'>,
  needed: number[],
): Promise<BrandKeys> {
  const activeOf = (keys: BrandKeys) => (outcome.purpose === 'data' ? keys.activeDataKeyId : keys.index.keyId);
  let keys = await ctx.keyring.forBrand(trx, outcome.merchantId, needed);
  if (activeOf(keys) !== outcome.activeKeyId) {
    ctx.keyring.forget(outcome.merchantId);
    keys = await ctx.keyring.forBrand(trx, outcome.merchantId, needed);
  }
  if (activeOf(keys) !== outcome.activeKeyId) {
    throw new Error(
      `the active ${outcome.purpose} key of ${outcome.merchantId} changed during the sweep; run the rotation again`,
    );
  }
  return keys;
}

/**
 * One statement for the batch. If it trips the brand's unique email index (two customers with one
 * email, possible only when a server wrote with a stale index key during a switch), the rows go
 * one by one and the duplicates stay as they are, reported for a person to merge.
 */
async function writeResealed(
  trx: Transaction<DB>,
  merchantId: string,
  rows: ResealedRow[],
  problems: RowProblem[],
): Promise<number> {
  try {
    return await withSavepoint(trx, 'reseal_batch', () => updateResealedCustomers(trx, merchantId, rows));
  } catch (error) {
    if (!isUniqueViolation(error, 'customers_email_bidx')) throw error;
  }
  let updated = 0;
  for (const row of rows) {
    try {
      updated += await withSavepoint(trx, 'reseal_row', () => updateResealedCustomers(trx, merchantId, [row]));
    } catch (error) {
      if (!isUniqueViolation(error, 'customers_email_bidx')) throw error;
      const otherCustomerId = await findCustomerIdByEmailIndex(trx, merchantId, [row.sealed.email_bidx]);
      problems.push({ customerId: row.id, reason: 'duplicate_email', otherCustomerId });
    }
  }
  return updated;
}
