import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crockford128, isId, newId } from './ids.js';

/** The encoding as first written (BigInt): ids already issued were made by it. */
function reference(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let text = '';
  for (let i = 0; i < 26; i++) {
    text = '0123456789abcdefghjkmnpqrstvwxyz'[Number(value & 31n)] + text;
    value >>= 5n;
  }
  return text;
}

describe('ids', () => {
  it('encode 16 bytes exactly as ids already issued were encoded', () => {
    expect(crockford128(new Uint8Array(16))).toBe('0'.repeat(26));
    expect(crockford128(new Uint8Array(16).fill(255))).toBe(`7${'z'.repeat(25)}`);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        expect(crockford128(bytes)).toBe(reference(bytes));
      }),
    );
  });

  it('sort as the bytes they encode', () => {
    const byteLists = Array.from({ length: 200 }, () => crypto.randomBytes(16));
    const bySort = [...byteLists].sort(Buffer.compare).map(crockford128);
    expect([...bySort].sort()).toEqual(bySort);
  });

  it('have the shape isId checks, and are new each time', () => {
    const ids = Array.from({ length: 1000 }, () => newId('cus'));
    expect(ids.every((id) => isId('cus', id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
