import crypto from 'node:crypto';
import type { AppContext } from '../../context.js';
import { Keyring, KeyringError } from '../../crypto/keyring.js';
import {
  abandonKeyFile,
  commitKeyFile,
  masterKeyFingerprint,
  stageKeyFile,
  type MasterKeySource,
} from '../../crypto/master-key.js';
import { type AuditEvent, recordAudit, SYSTEM_MERCHANT_ID } from '../audit/index.js';
import { listBrandKeys } from '../brands/index.js';
import { lockKeyringState, lockLiveBrandKeys, setMasterFingerprint, setWrappedKey } from './key-rotation.repository.js';
import type { Initiator } from './key-rotation.types.js';

export class MasterRotationError extends Error {}

export interface MasterRotationResult {
  oldFingerprint: string;
  newFingerprint: string;
  brands: number;
  keys: number;
  /** Where the new key now lives when the old one came from the key file. */
  keyFile?: string | undefined;
}

/**
 * `keys rotate-master`: re-wraps every brand key that still exists under a new master key. The new
 * key is PAYDESK_NEW_MASTER_KEY, or, when the current one came from the key file, a fresh key
 * written to that file (master.key.previous is kept until the database has switched).
 * Every server must then be restarted with the new key; those still running keep serving with
 * the keys they have unwrapped, refuse to make new ones, and cannot load others.
 */
export async function rotateMasterKey(
  ctx: AppContext,
  by: Initiator,
  current: MasterKeySource,
  newKeyFromEnv: Buffer | undefined,
): Promise<MasterRotationResult> {
  if (current.origin === 'environment') {
    if (!newKeyFromEnv) {
      throw new MasterRotationError(
        'Set PAYDESK_NEW_MASTER_KEY to the new master key (openssl rand -base64 32), keeping PAYDESK_MASTER_KEY as the current one',
      );
    }
    return rewrapAll(ctx, by, newKeyFromEnv);
  }
  const newKey = newKeyFromEnv ?? crypto.randomBytes(32);
  const staged = stageKeyFile(ctx.config.dataDir, newKey);
  let result: MasterRotationResult;
  try {
    result = await rewrapAll(ctx, by, newKey);
  } catch (error) {
    abandonKeyFile(staged);
    throw error;
  }
  commitKeyFile(staged);
  return { ...result, keyFile: staged.file };
}

/** The database side, in one transaction: every live brand key and the fingerprint switch together. */
async function rewrapAll(ctx: AppContext, by: Initiator, newKey: Buffer): Promise<MasterRotationResult> {
  const oldFingerprint = ctx.keyring.masterFingerprint;
  const newFingerprint = masterKeyFingerprint(newKey);
  if (newFingerprint === oldFingerprint) throw new MasterRotationError('The new master key is the current one');
  const check = new Keyring(newKey, listBrandKeys);

  return ctx.db.transaction().execute(async (trx) => {
    const inForce = await lockKeyringState(trx);
    if (inForce !== oldFingerprint) {
      throw new KeyringError(`The database answers to master key ${inForce}, not to this process's ${oldFingerprint}`);
    }
    const keys = await lockLiveBrandKeys(trx);
    const brands = new Map<string, number>();
    for (const key of keys) {
      const wrapped = ctx.keyring.rewrap(key.merchant_id, key, newKey);
      // Proves the new wrapping opens before anything is committed.
      check.unwrap(key.merchant_id, { ...key, wrapped_key: wrapped });
      await setWrappedKey(trx, key.merchant_id, key.key_id, wrapped);
      brands.set(key.merchant_id, (brands.get(key.merchant_id) ?? 0) + 1);
    }
    await setMasterFingerprint(trx, newFingerprint);

    const details = { old_fingerprint: oldFingerprint, new_fingerprint: newFingerprint };
    const events: AuditEvent[] = [
      {
        merchantId: SYSTEM_MERCHANT_ID,
        actor: by.actor,
        ip: by.ip,
        action: 'keys.master_rotated',
        details: { ...details, brands: brands.size, keys: keys.length },
      },
      // Each brand's own trail shows that its keys were re-wrapped.
      ...[...brands].map(([merchantId, count]) => ({
        merchantId,
        actor: by.actor,
        ip: by.ip,
        action: 'keys.master_rotated' as const,
        details: { ...details, keys: count },
      })),
    ];
    await recordAudit(trx, events);
    return { oldFingerprint, newFingerprint, brands: brands.size, keys: keys.length };
  });
}
