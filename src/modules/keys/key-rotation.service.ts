import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { KEY_CACHE_TTL_MS, type KeyPurpose } from '../../crypto/keyring.js';
import { recordAudit } from '../audit/index.js';
import { assertMasterKeyCurrent, insertBrandKey } from '../brands/index.js';
import { countCustomersOffKey, customerUnderKey } from '../customers/index.js';
import {
  demoteActiveKey,
  listBrandKeyInfo,
  lockBrandKey,
  lockBrandKeys,
  retireBrandKey,
} from './key-rotation.repository.js';
import { settle, sweep } from './key-sweep.js';
import { countOthersOffKey, othersUnderKey } from './sealed-tables.js';
import type { Initiator, RotationOutcome, RotationPhase, RotationPlan, SweepOptions } from './key-rotation.types.js';

export type { KeyPurpose };

/**
 * How long after a key switch every server is sure to know the new keys: longer than any
 * Keyring caches them, plus slack for a request that fetched its keys just before the switch.
 */
export const DEFAULT_SETTLE_MS = KEY_CACHE_TTL_MS + 5_000;

/**
 * Makes a new key of the purpose active for new writes and the previous one decrypt_only, in one
 * audited transaction; unless a rotation of that purpose is unfinished, which is then resumed.
 */
export async function beginRotation(
  ctx: AppContext,
  by: Initiator,
  merchantId: string,
  purpose: KeyPurpose,
): Promise<RotationPlan> {
  const plan = await ctx.db.transaction().execute(async (trx): Promise<RotationPlan> => {
    await assertMasterKeyCurrent(ctx, trx);
    const keys = await lockBrandKeys(trx, merchantId);
    if (keys.length === 0) throw new DomainError('not_found', `No brand ${merchantId}`);
    const own = keys.filter((k) => k.purpose === purpose);
    const active = own.find((k) => k.state === 'active');
    if (!active) throw new Error(`brand ${merchantId} has no active ${purpose} key`);
    const pending = own.filter((k) => k.state === 'decrypt_only').map((k) => k.key_id);
    if (pending.length > 0)
      return { merchantId, purpose, activeKeyId: active.key_id, oldKeyIds: pending, started: false };

    // Key ids are unique per brand across purposes (the header of a ciphertext names one).
    const keyId = Math.max(...keys.map((k) => k.key_id)) + 1;
    await demoteActiveKey(trx, merchantId, purpose);
    await insertBrandKey(trx, {
      merchant_id: merchantId,
      key_id: keyId,
      purpose,
      state: 'active',
      wrapped_key: ctx.keyring.newWrappedKey(merchantId, keyId, purpose),
    });
    await recordAudit(trx, {
      merchantId,
      actor: by.actor,
      ip: by.ip,
      action: 'keys.rotation_started',
      target: { type: 'brand_key', id: String(keyId) },
      details: { purpose, key_id: keyId, previous_key_id: active.key_id },
    });
    return { merchantId, purpose, activeKeyId: keyId, oldKeyIds: [active.key_id], started: true };
  });
  ctx.keyring.forget(merchantId);
  return plan;
}

/**
 * Moves every row of the brand onto the active key of the purpose, then retires the old keys no
 * row uses any more. All state is in the database (decrypt_only keys, each row's key id), so a
 * stopped or crashed run is resumed by running it again.
 */
export async function finishRotation(
  ctx: AppContext,
  by: Initiator,
  merchantId: string,
  purpose: KeyPurpose,
  options: SweepOptions = {},
): Promise<RotationOutcome> {
  const { signal } = options;
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  ctx.keyring.forget(merchantId);
  const keys = (await listBrandKeyInfo(ctx.db, merchantId)).filter((k) => k.purpose === purpose);
  const active = keys.find((k) => k.state === 'active');
  if (!active) throw new DomainError('not_found', `No brand ${merchantId}`);
  const oldKeyIds = keys.filter((k) => k.state === 'decrypt_only').map((k) => k.key_id);
  const outcome: RotationOutcome = {
    merchantId,
    purpose,
    activeKeyId: active.key_id,
    status: 'completed',
    done: 0,
    total: 0,
    retiredKeyIds: [],
    pendingKeyIds: oldKeyIds,
    problems: [],
  };
  if (oldKeyIds.length === 0) return outcome;
  const report = async (phase: RotationPhase) =>
    options.onProgress?.({ merchantId, purpose, phase, done: outcome.done, total: outcome.total });
  const stopped = async () => {
    await recordAudit(ctx.db, {
      merchantId,
      actor: by.actor,
      ip: by.ip,
      action: 'keys.rotation_stopped',
      target: { type: 'brand_key', id: String(active.key_id) },
      details: { purpose, key_id: active.key_id, rows_done: outcome.done, rows_total: outcome.total },
    });
    return { ...outcome, status: 'stopped' as const };
  };

  outcome.total =
    (await countCustomersOffKey(ctx.db, merchantId, purpose, active.key_id)) +
    (await countOthersOffKey(ctx, merchantId, purpose, active.key_id));
  // A row moved to the new index key is found only by servers that know that key; moving none
  // until every server's cache has expired keeps exact lookups (and so email uniqueness) whole.
  if (purpose === 'index') {
    await report('settling');
    if (!(await settle(ctx, merchantId, purpose, settleMs, signal))) return stopped();
  }
  await report('sweeping');
  if (!(await sweep(ctx, outcome, options, report))) return stopped();

  // Servers that loaded keys just before the switch may have written under the old key since:
  // wait out their caches and sweep again before anything is destroyed.
  await report('settling');
  if (!(await settle(ctx, merchantId, purpose, settleMs, signal))) return stopped();
  if (!(await sweep(ctx, outcome, options, report))) return stopped();

  if (outcome.problems.length === 0) {
    await report('retiring');
    for (const keyId of oldKeyIds) {
      if (await retireKey(ctx, by, merchantId, purpose, keyId)) outcome.retiredKeyIds.push(keyId);
    }
  }
  outcome.pendingKeyIds = oldKeyIds.filter((id) => !outcome.retiredKeyIds.includes(id));
  outcome.status = outcome.pendingKeyIds.length > 0 ? 'needs_attention' : 'completed';
  return outcome;
}

/** beginRotation then finishRotation: what `keys rotate` and `keys rotate-index` do per brand. */
export async function rotateBrandKey(
  ctx: AppContext,
  by: Initiator,
  merchantId: string,
  purpose: KeyPurpose,
  options: SweepOptions = {},
): Promise<{ plan: RotationPlan; outcome: RotationOutcome }> {
  const plan = await beginRotation(ctx, by, merchantId, purpose);
  return { plan, outcome: await finishRotation(ctx, by, merchantId, purpose, options) };
}

/**
 * Retires an old key if no row uses it. The key row is locked first, so writers still inside a
 * transaction under the key finish (and are seen), and later ones fail on the retired key
 * (migration 0003) instead of writing rows nobody could read.
 */
export async function retireKey(
  ctx: AppContext,
  by: Initiator,
  merchantId: string,
  purpose: KeyPurpose,
  keyId: number,
): Promise<boolean> {
  const retired = await ctx.db.transaction().execute(async (trx) => {
    const key = await lockBrandKey(trx, merchantId, keyId);
    if (!key || key.purpose !== purpose || key.state !== 'decrypt_only') return false;
    if (await customerUnderKey(trx, merchantId, purpose, keyId)) return false;
    if (await othersUnderKey(trx, merchantId, purpose, keyId)) return false;
    await retireBrandKey(trx, merchantId, keyId);
    await recordAudit(trx, {
      merchantId,
      actor: by.actor,
      ip: by.ip,
      action: 'keys.key_retired',
      target: { type: 'brand_key', id: String(keyId) },
      details: { purpose, key_id: keyId },
    });
    return true;
  });
  if (retired) ctx.keyring.forget(merchantId);
  return retired;
}
