import crypto from 'node:crypto';
import type { IndexKeys } from './keyring.js';

// 128 bits: the email index carries the per-brand uniqueness constraint, so it must not collide.
const BLIND_INDEX_BYTES = 16;

/** Exact-match index of a normalised (lower-cased) email; equal emails give equal values. */
export function emailBlindIndex(keys: IndexKeys, normalizedEmail: string): Buffer {
  return crypto.createHmac('sha256', keys.emailBidx).update(normalizedEmail).digest().subarray(0, BLIND_INDEX_BYTES);
}

/** Exact-match index of an E.164 phone number. */
export function phoneBlindIndex(keys: IndexKeys, e164: string): Buffer {
  return crypto.createHmac('sha256', keys.phoneBidx).update(e164).digest().subarray(0, BLIND_INDEX_BYTES);
}

/** Exact-match index of a normalised name (case and spacing folded by the caller): duplicate candidates. */
export function nameBlindIndex(keys: IndexKeys, normalizedName: string): Buffer {
  return crypto.createHmac('sha256', keys.nameBidx).update(normalizedName).digest().subarray(0, BLIND_INDEX_BYTES);
}

/** Exact-match index of a site user's external id (the merchant's id for the account, as given). */
export function externalIdBlindIndex(keys: IndexKeys, externalId: string): Buffer {
  return crypto.createHmac('sha256', keys.externalIdBidx).update(externalId).digest().subarray(0, BLIND_INDEX_BYTES);
}

/** The email's index values under the active index key and, during a rebuild, the retiring one. */
export function emailBlindIndexes(
  keys: { index: IndexKeys; retiringIndex?: IndexKeys | undefined },
  normalizedEmail: string,
): Buffer[] {
  const all = [keys.index, ...(keys.retiringIndex ? [keys.retiringIndex] : [])];
  return all.map((k) => emailBlindIndex(k, normalizedEmail));
}
