import crypto from 'node:crypto';
import { open, seal } from './aead.js';
import { masterKeyFingerprint } from './master-key.js';

export type KeyPurpose = 'data' | 'index';

export interface StoredBrandKey {
  key_id: number;
  purpose: KeyPurpose;
  state: 'active' | 'decrypt_only' | 'retired';
  wrapped_key: Buffer | null;
}

/**
 * Where wrapped brand keys live (brand.repository.ts); the keyring itself holds no SQL. The
 * executor is passed through so a load inside a transaction uses that transaction's connection.
 */
export type BrandKeyLoader<Executor> = (db: Executor, merchantId: string) => Promise<StoredBrandKey[]>;

/** Subkeys derived from a brand's index key, one per use, so no PRF output doubles as another. */
export interface IndexKeys {
  keyId: number;
  emailBidx: Buffer;
  phoneBidx: Buffer;
  searchTokens: Buffer;
  requestHash: Buffer;
  /** Site users' external ids (the merchant's own account ids, which may be user names). */
  externalIdBidx: Buffer;
  /** Normalised customer names: duplicate candidates by equal name. */
  nameBidx: Buffer;
  /**
   * 16 public bits derived from the brand id, put in the high bits of every search token: the GIN
   * index is shared by all brands, and without the tag one brand's common tokens would collide
   * with another's rare ones and flood its candidate lists.
   */
  brandTag: number;
}

export interface BrandKeys {
  merchantId: string;
  activeDataKeyId: number;
  dataKeys: ReadonlyMap<number, Buffer>;
  index: IndexKeys;
  /**
   * The previous index key while a search-index rebuild moves rows off it: exact lookups and
   * search must try both until the rebuild finishes.
   */
  retiringIndex?: IndexKeys | undefined;
}

/** What field encryption needs of a brand's keys (a worker thread gets these, not the index keys). */
export type DataKeys = Pick<BrandKeys, 'activeDataKeyId' | 'dataKeys'>;

export class KeyringError extends Error {}

/**
 * Other processes (the rotate command, other servers) may add keys; a cached entry is trusted this
 * long. Key rotation waits longer than this before it retires a key (src/modules/keys).
 */
export const KEY_CACHE_TTL_MS = 10_000;

/** Told when a reload failed and the last good keys stay in use (e.g. the master key was rotated). */
export type KeyReloadFailure = (merchantId: string, error: KeyringError) => void;

export class Keyring<Executor = unknown> {
  private readonly cache = new Map<string, { keys: BrandKeys; loadedAt: number }>();
  /** Identifies the master key this keyring unwraps with, without revealing it. */
  readonly masterFingerprint: string;

  constructor(
    private readonly masterKey: Buffer,
    private readonly loadKeys: BrandKeyLoader<Executor>,
    private readonly now: () => number = Date.now,
    private readonly onReloadFailure: KeyReloadFailure = () => {},
  ) {
    this.masterFingerprint = masterKeyFingerprint(masterKey);
  }

  /** A fresh random key for a brand, wrapped under the master key and bound to brand, id and purpose. */
  newWrappedKey(merchantId: string, keyId: number, purpose: KeyPurpose): Buffer {
    return seal(this.masterKey, crypto.randomBytes(32), wrapAad(merchantId, keyId, purpose));
  }

  /** Re-wraps a brand key under another master key (master rotation). */
  rewrap(merchantId: string, key: StoredBrandKey, newMaster: Buffer): Buffer {
    const raw = this.unwrap(merchantId, key);
    return seal(newMaster, raw, wrapAad(merchantId, key.key_id, key.purpose));
  }

  /**
   * The brand's keys. `needDataKeyIds` names the data keys rows about to be decrypted were written
   * under; if one is not cached (rotated by another process), the keys are reloaded.
   */
  async forBrand(db: Executor, merchantId: string, needDataKeyIds: Iterable<number> = []): Promise<BrandKeys> {
    const needed = [...needDataKeyIds];
    const cached = this.cache.get(merchantId);
    if (cached && this.now() - cached.loadedAt < KEY_CACHE_TTL_MS && hasAll(cached.keys, needed)) {
      return cached.keys;
    }
    let keys: BrandKeys;
    try {
      keys = await this.load(db, merchantId);
    } catch (error) {
      // After `keys rotate-master` this process's master key no longer unwraps what the database
      // holds. Serving on with the keys already unwrapped beats failing every request until the
      // restart; the next attempt comes one TTL later, so the log is not flooded.
      if (!(error instanceof KeyringError) || !cached || !hasAll(cached.keys, needed)) throw error;
      this.onReloadFailure(merchantId, error);
      cached.loadedAt = this.now();
      return cached.keys;
    }
    this.cache.set(merchantId, { keys, loadedAt: this.now() });
    return keys;
  }

  /**
   * A key for a system-wide purpose (e.g. the keyed hash of unknown sign-in emails in the audit log),
   * derived from the master key. It changes when the master key is rotated, so use it only where that
   * is harmless: never to encrypt or index anything that must stay readable.
   */
  systemSubkey(label: string): Buffer {
    return Buffer.from(crypto.hkdfSync('sha256', this.masterKey, Buffer.alloc(0), `paydesk:system:${label}`, 32));
  }

  forget(merchantId: string): void {
    this.cache.delete(merchantId);
  }

  private async load(db: Executor, merchantId: string): Promise<BrandKeys> {
    const stored = await this.loadKeys(db, merchantId);
    const dataKeys = new Map<number, Buffer>();
    let activeDataKeyId: number | undefined;
    let index: IndexKeys | undefined;
    let retiringIndex: IndexKeys | undefined;
    for (const key of stored) {
      if (key.state === 'retired' || !key.wrapped_key) continue;
      const raw = this.unwrap(merchantId, key);
      if (key.purpose === 'data') {
        dataKeys.set(key.key_id, raw);
        if (key.state === 'active') activeDataKeyId = key.key_id;
      } else if (key.state === 'active') {
        index = deriveIndexKeys(key.key_id, raw, merchantId);
      } else {
        retiringIndex = deriveIndexKeys(key.key_id, raw, merchantId);
      }
    }
    if (activeDataKeyId === undefined || !index) {
      throw new KeyringError(`brand ${merchantId} has no active data or index key`);
    }
    return { merchantId, activeDataKeyId, dataKeys, index, retiringIndex };
  }

  unwrap(merchantId: string, key: StoredBrandKey): Buffer {
    if (!key.wrapped_key) throw new KeyringError(`key ${key.key_id} of brand ${merchantId} is retired`);
    try {
      return open(this.masterKey, key.wrapped_key, wrapAad(merchantId, key.key_id, key.purpose));
    } catch {
      throw new KeyringError(`key ${key.key_id} of brand ${merchantId} does not unwrap under this master key`);
    }
  }
}

export function deriveIndexKeys(keyId: number, raw: Buffer, merchantId = ''): IndexKeys {
  const sub = (info: string) => Buffer.from(crypto.hkdfSync('sha256', raw, Buffer.alloc(0), info, 32));
  return {
    keyId,
    brandTag: crypto.createHash('sha256').update(merchantId).digest().readUInt16BE(0),
    emailBidx: sub('paydesk email blind index v1'),
    phoneBidx: sub('paydesk phone blind index v1'),
    searchTokens: sub('paydesk search tokens v1'),
    requestHash: sub('paydesk idempotency request hash v1'),
    externalIdBidx: sub('paydesk external id blind index v1'),
    nameBidx: sub('paydesk name blind index v1'),
  };
}

function wrapAad(merchantId: string, keyId: number, purpose: KeyPurpose): Buffer {
  return Buffer.from(`paydesk:brand-key:v1\0${merchantId}\0${keyId}\0${purpose}`);
}

function hasAll(keys: BrandKeys, ids: Iterable<number>): boolean {
  for (const id of ids) if (!keys.dataKeys.has(id)) return false;
  return true;
}
