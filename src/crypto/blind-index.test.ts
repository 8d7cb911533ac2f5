import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emailBlindIndex, phoneBlindIndex } from './blind-index.js';
import { deriveIndexKeys } from './keyring.js';

const brandA = deriveIndexKeys(2, crypto.randomBytes(32));
const brandB = deriveIndexKeys(2, crypto.randomBytes(32));

describe('blind indexes', () => {
  it('are deterministic per brand key: equal inputs give equal values', () => {
    expect(emailBlindIndex(brandA, 'ayesha@example.com').equals(emailBlindIndex(brandA, 'ayesha@example.com'))).toBe(
      true,
    );
    expect(phoneBlindIndex(brandA, '+8801700000000').equals(phoneBlindIndex(brandA, '+8801700000000'))).toBe(true);
  });

  it('keep 128 bits, enough to carry a uniqueness constraint', () => {
    expect(emailBlindIndex(brandA, 'ayesha@example.com')).toHaveLength(16);
    expect(phoneBlindIndex(brandA, '+8801700000000')).toHaveLength(16);
  });

  it('separate different inputs', () => {
    const values = ['ayesha@example.com', 'ayesha@example.co', 'Ayesha@example.com', 'tanvir@example.net'].map(
      (email) => emailBlindIndex(brandA, email).toString('hex'),
    );
    expect(new Set(values).size).toBe(values.length);
  });

  it('differ between brands, so equal emails of two brands cannot be linked', () => {
    expect(emailBlindIndex(brandA, 'ayesha@example.com').equals(emailBlindIndex(brandB, 'ayesha@example.com'))).toBe(
      false,
    );
  });

  it('use separate subkeys for email and phone', () => {
    expect(emailBlindIndex(brandA, '+8801700000000').equals(phoneBlindIndex(brandA, '+8801700000000'))).toBe(false);
  });

  it('are keyed: not a plain hash of the value', () => {
    const value = 'ayesha@example.com';
    const plain = crypto.createHash('sha256').update(value).digest().subarray(0, 16);
    expect(emailBlindIndex(brandA, value).equals(plain)).toBe(false);
    expect(emailBlindIndex(brandA, value).includes(Buffer.from('ayesha'))).toBe(false);
  });
});

describe('deriveIndexKeys', () => {
  it('derives four distinct 256-bit subkeys from one index key, the same each time', () => {
    const raw = crypto.randomBytes(32);
    const keys = deriveIndexKeys(7, raw);
    const subkeys = [keys.emailBidx, keys.phoneBidx, keys.searchTokens, keys.requestHash];
    expect(keys.keyId).toBe(7);
    for (const subkey of subkeys) expect(subkey).toHaveLength(32);
    expect(new Set(subkeys.map((k) => k.toString('hex'))).size).toBe(4);
    expect(subkeys.some((k) => k.equals(raw))).toBe(false);
    expect(deriveIndexKeys(7, raw).emailBidx.equals(keys.emailBidx)).toBe(true);
  });
});
