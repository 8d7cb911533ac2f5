import crypto from 'node:crypto';
import type { IndexKeys } from './keyring.js';

/**
 * Search tokens: a keyed PRF of each trigram / word prefix, truncated to TOKEN_BITS. Truncation is
 * deliberate: several inputs share each value, which blunts frequency analysis of the int4[]
 * column (SECURITY.md, "Search tokens"); the false candidates it adds are removed by decrypting.
 */
export const TOKEN_BITS = 14;
const TOKEN_MASK = (1 << TOKEN_BITS) - 1;
const PREFIX_SPACE = 1 << TOKEN_BITS;
/** Bits 15–30 carry the brand tag (IndexKeys.brandTag); bit 31 stays clear, so tokens are positive int4. */
const BRAND_SHIFT = TOKEN_BITS + 1;

const TAG_TRIGRAM = 1;
const TAG_PREFIX = 2;
const BLOCK = 16;

export interface TokenInputs {
  trigrams: Iterable<string>;
  prefixes: Iterable<string>;
}

/**
 * One AES-256 call for all of a row's inputs: each input is encoded into its own 16-byte block and
 * the blocks are encrypted together. AES on distinct single blocks is a PRF (ECB's weakness, equal
 * blocks giving equal output, is the property wanted here), and one cipher call costs far less
 * than one HMAC per trigram. Returns sorted, distinct tokens.
 */
export function searchTokens(keys: IndexKeys, inputs: TokenInputs): number[] {
  const trigrams = [...inputs.trigrams];
  const prefixes = [...inputs.prefixes];
  const count = trigrams.length + prefixes.length;
  if (count === 0) return [];
  // One buffer for every block, written in place: a row has some seventy, and a buffer each
  // (then concatenated) was a third of this function's time in a bulk import.
  const blocks = Buffer.alloc(count * BLOCK);
  trigrams.forEach((trigram, i) => encodeBlock(blocks, i, TAG_TRIGRAM, trigram));
  prefixes.forEach((prefix, i) => encodeBlock(blocks, trigrams.length + i, TAG_PREFIX, prefix));
  const cipher = crypto.createCipheriv('aes-256-ecb', keys.searchTokens, null);
  cipher.setAutoPadding(false);
  const out = Buffer.concat([cipher.update(blocks), cipher.final()]);
  const tokens = new Set<number>();
  for (let i = 0; i < count; i++) {
    // Prefix tokens get their own value range: a 1–2 character query has a single token, and
    // sharing a value with a very common trigram would make it match most rows.
    const space = i < trigrams.length ? 0 : PREFIX_SPACE;
    tokens.add(keys.brandTag * 2 ** BRAND_SHIFT + (space | (out.readUInt16BE(i * BLOCK) & TOKEN_MASK)));
  }
  return [...tokens].sort((a, b) => a - b);
}

/** Block `index` of `blocks`: tag ‖ byte length ‖ UTF-8 ‖ zero padding (a trigram is at most 12 bytes). */
function encodeBlock(blocks: Buffer, index: number, tag: number, text: string): void {
  const length = Buffer.byteLength(text, 'utf8');
  if (length > BLOCK - 2) throw new Error('search token input longer than one block');
  const offset = index * BLOCK;
  blocks[offset] = tag;
  blocks[offset + 1] = length;
  blocks.write(text, offset + 2, length, 'utf8');
}
