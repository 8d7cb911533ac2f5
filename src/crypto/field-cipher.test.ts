import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decryptBytes,
  decryptField,
  encryptBytes,
  encryptField,
  fieldKeyId,
  FieldDecryptError,
  type FieldBinding,
} from './field-cipher.js';
import { deriveIndexKeys, type BrandKeys } from './keyring.js';

function brandKeys(merchantId: string, dataKeys: Record<number, Buffer>, activeDataKeyId: number): BrandKeys {
  return {
    merchantId,
    activeDataKeyId,
    dataKeys: new Map(Object.entries(dataKeys).map(([id, key]) => [Number(id), key])),
    index: deriveIndexKeys(99, crypto.randomBytes(32)),
  };
}

const key1 = crypto.randomBytes(32);
const keys = brandKeys('brd_a', { 1: key1 }, 1);
const binding: FieldBinding = { merchantId: 'brd_a', table: 'customers', column: 'name', rowId: 'cus_1' };
const plaintext = 'Ayesha Rahman';

describe('encryptField / decryptField', () => {
  it('round-trips a value, including non-ASCII text', () => {
    expect(decryptField(keys, binding, encryptField(keys, binding, plaintext))).toBe(plaintext);
    const unicode = 'José Martínez 😀 আয়েশা';
    expect(decryptField(keys, binding, encryptField(keys, binding, unicode))).toBe(unicode);
    expect(decryptField(keys, binding, encryptField(keys, binding, ''))).toBe('');
  });

  it('writes header (version 1, data key id) ‖ 96-bit nonce ‖ ciphertext ‖ 128-bit tag', () => {
    const sealed = encryptField(keys, binding, plaintext);
    expect(sealed.readUInt8(0)).toBe(1);
    expect(sealed.readUInt32BE(1)).toBe(1);
    expect(sealed.length).toBe(5 + 12 + Buffer.byteLength(plaintext) + 16);
    expect(fieldKeyId(sealed)).toBe(1);
  });

  it('never shows the plaintext in the ciphertext', () => {
    const sealed = encryptField(keys, binding, plaintext);
    expect(sealed.includes(Buffer.from(plaintext))).toBe(false);
    expect(sealed.includes(Buffer.from('Ayesha'))).toBe(false);
  });

  it('uses a fresh nonce per value: the same value twice gives different ciphertexts', () => {
    const a = encryptField(keys, binding, plaintext);
    const b = encryptField(keys, binding, plaintext);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(5, 17).equals(b.subarray(5, 17))).toBe(false);
  });

  it('never hands out a nonce twice, across refills of the nonce pool, and keeps each one as written', () => {
    const sealed = Array.from({ length: 2_000 }, () => encryptField(keys, binding, plaintext));
    const nonces = sealed.map((s) => s.subarray(5, 17).toString('hex'));
    expect(new Set(nonces).size).toBe(2_000);
    expect(sealed.every((s) => decryptField(keys, binding, s) === plaintext)).toBe(true);
  });

  it.each<[string, Partial<FieldBinding>]>([
    ['another row', { rowId: 'cus_2' }],
    ['another column', { column: 'email' }],
    ['another table', { table: 'site_users' }],
    ['another brand', { merchantId: 'brd_b' }],
  ])('refuses a ciphertext moved to %s', (_where, change) => {
    const sealed = encryptField(keys, binding, plaintext);
    expect(() => decryptField(keys, { ...binding, ...change }, sealed)).toThrow(FieldDecryptError);
  });

  it('binds the parts unambiguously: moving text from one part to the next does not decrypt', () => {
    const sealed = encryptField(keys, binding, plaintext);
    expect(() => decryptField(keys, { ...binding, merchantId: 'brd_', table: 'acustomers' }, sealed)).toThrow(
      FieldDecryptError,
    );
    expect(() => decryptField(keys, { ...binding, column: 'nam', rowId: 'ecus_1' }, sealed)).toThrow(FieldDecryptError);
  });

  it("refuses another brand's key even with the right binding", () => {
    const sealed = encryptField(keys, binding, plaintext);
    const other = brandKeys('brd_a', { 1: crypto.randomBytes(32) }, 1);
    expect(() => decryptField(other, binding, sealed)).toThrow(FieldDecryptError);
  });

  it('refuses any flipped byte: header, nonce, body or tag', () => {
    const sealed = encryptField(keys, binding, plaintext);
    for (const position of [4, 6, 20, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[position] = tampered[position]! ^ 0x01;
      expect(() => decryptField(keys, binding, tampered), `byte ${position}`).toThrow(FieldDecryptError);
    }
  });

  it('refuses truncated values and unknown formats', () => {
    const sealed = encryptField(keys, binding, plaintext);
    expect(() => decryptField(keys, binding, sealed.subarray(0, 20))).toThrow(FieldDecryptError);
    expect(() => decryptField(keys, binding, sealed.subarray(0, 3))).toThrow(FieldDecryptError);
    expect(() => decryptField(keys, binding, Buffer.alloc(0))).toThrow(FieldDecryptError);
    const version2 = Buffer.from(sealed);
    version2[0] = 2;
    expect(() => decryptField(keys, binding, version2)).toThrow(FieldDecryptError);
    expect(() => fieldKeyId(version2)).toThrow(FieldDecryptError);
  });

  it('says which field failed but never its content', () => {
    const sealed = encryptField(keys, binding, plaintext);
    let message = '';
    try {
      decryptField(keys, { ...binding, rowId: 'cus_2' }, sealed);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('customers.name');
    expect(message).not.toContain('Ayesha');
  });

  it('encrypts under the active key and still decrypts values written under an older key', () => {
    const key3 = crypto.randomBytes(32);
    const rotated = brandKeys('brd_a', { 1: key1, 3: key3 }, 3);
    const old = encryptField(keys, binding, plaintext);
    const fresh = encryptField(rotated, binding, plaintext);
    expect(fieldKeyId(fresh)).toBe(3);
    expect(decryptField(rotated, binding, old)).toBe(plaintext);
    expect(decryptField(rotated, binding, fresh)).toBe(plaintext);
  });

  it('reports a missing data key as a decrypt error', () => {
    const fresh = encryptField(brandKeys('brd_a', { 3: crypto.randomBytes(32) }, 3), binding, plaintext);
    expect(() => decryptField(keys, binding, fresh)).toThrow(/data key 3/);
    expect(() => encryptField(brandKeys('brd_a', { 1: key1 }, 2), binding, plaintext)).toThrow(FieldDecryptError);
  });
});

describe('encryptBytes / decryptBytes', () => {
  const imageBinding: FieldBinding = { merchantId: 'brd_a', table: 'customer_images', column: 'image', rowId: 'cus_1' };
  // Every byte value, and a WebP signature that must not show through.
  const image = Buffer.concat([
    Buffer.from('RIFF\0\0\0\0WEBPVP8 '),
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  ]);

  it('round-trips any bytes, and nothing', () => {
    expect(decryptBytes(keys, imageBinding, encryptBytes(keys, imageBinding, image)).equals(image)).toBe(true);
    expect(decryptBytes(keys, imageBinding, encryptBytes(keys, imageBinding, Buffer.alloc(0))).length).toBe(0);
  });

  it('writes the same format as encryptField: header ‖ nonce ‖ ciphertext ‖ tag, no bytes added', () => {
    const sealed = encryptBytes(keys, imageBinding, image);
    expect(fieldKeyId(sealed)).toBe(1);
    expect(sealed.length).toBe(5 + 12 + image.length + 16);
    expect(sealed.includes(Buffer.from('WEBP'))).toBe(false);
    expect(decryptField(keys, binding, encryptBytes(keys, binding, Buffer.from(plaintext)))).toBe(plaintext);
  });

  it.each<[string, Partial<FieldBinding>]>([
    ['another row', { rowId: 'cus_2' }],
    ['another column', { column: 'name' }],
    ['another brand', { merchantId: 'brd_b' }],
  ])('refuses a ciphertext moved to %s', (_where, change) => {
    const sealed = encryptBytes(keys, imageBinding, image);
    expect(() => decryptBytes(keys, { ...imageBinding, ...change }, sealed)).toThrow(FieldDecryptError);
  });

  it('refuses any flipped byte and a key it was not written under', () => {
    const sealed = encryptBytes(keys, imageBinding, image);
    const tampered = Buffer.from(sealed);
    tampered[40] = tampered[40]! ^ 0x01;
    expect(() => decryptBytes(keys, imageBinding, tampered)).toThrow(FieldDecryptError);
    const other = brandKeys('brd_a', { 1: crypto.randomBytes(32) }, 1);
    expect(() => decryptBytes(other, imageBinding, sealed)).toThrow(FieldDecryptError);
  });
});
