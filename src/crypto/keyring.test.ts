import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Keyring, KEY_CACHE_TTL_MS, KeyringError, type StoredBrandKey } from './keyring.js';

const BRAND = 'brd_test';

/** A brand's first keys as the database holds them, wrapped under a master key. */
function storedKeys(master: Buffer): StoredBrandKey[] {
  const keyring = new Keyring(master, async () => []);
  return [
    { key_id: 1, purpose: 'data', state: 'active', wrapped_key: keyring.newWrappedKey(BRAND, 1, 'data') },
    { key_id: 2, purpose: 'index', state: 'active', wrapped_key: keyring.newWrappedKey(BRAND, 2, 'index') },
  ];
}

describe('Keyring after the master key was rotated elsewhere', () => {
  const oldMaster = crypto.randomBytes(32);
  const newMaster = crypto.randomBytes(32);
  const underOld = storedKeys(oldMaster);
  const rewrapper = new Keyring(oldMaster, async () => []);
  const underNew = underOld.map((k) => ({ ...k, wrapped_key: rewrapper.rewrap(BRAND, k, newMaster) }));

  it('keeps serving the keys it has, says so once per cache period, and fails only for keys it never had', async () => {
    let stored = underOld;
    let now = 0;
    const failures: string[] = [];
    const keyring = new Keyring<null>(
      oldMaster,
      async () => stored,
      () => now,
      (_brand, error) => failures.push(error.message),
    );
    const first = await keyring.forBrand(null, BRAND);

    stored = underNew;
    now += KEY_CACHE_TTL_MS + 1;
    const again = await keyring.forBrand(null, BRAND);
    expect(again).toBe(first);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/does not unwrap under this master key/);

    now += 1_000; // within the next period: no new attempt, no new log line
    await keyring.forBrand(null, BRAND);
    expect(failures).toHaveLength(1);

    await expect(keyring.forBrand(null, BRAND, [7])).rejects.toBeInstanceOf(KeyringError);
  });

  it('a keyring with nothing cached cannot serve the brand', async () => {
    const keyring = new Keyring<null>(oldMaster, async () => underNew);
    await expect(keyring.forBrand(null, BRAND)).rejects.toBeInstanceOf(KeyringError);
  });

  it('exposes the fingerprint of its master key', () => {
    const a = new Keyring(oldMaster, async () => []);
    expect(a.masterFingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(new Keyring(newMaster, async () => []).masterFingerprint).not.toBe(a.masterFingerprint);
  });
});
