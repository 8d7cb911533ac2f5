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
  const blocks: Buffer[] = [];
  for (const trigram of inputs.trigrams) blocks.push(encodeBlock(TAG_TRIGRAM, trigram));
  let prefixCount = 0;
  for (const prefix of inputs.prefixes) {
    blocks.push(encodeBlock(TAG_PREFIX, prefix));
    prefixCount++;
  }
  if (blocks.length === 0) return [];
  const cipher = crypto.createCipheriv('aes-256-ecb', keys.searchTokens, null);
  cipher.setAutoPadding(false);
  const out = Buffer.concat([cipher.update(Buffer.concat(blocks)), cipher.final()]);
  const tokens = new Set<number>();
  const trigramCount = blocks.length - prefixCount;
  for (let i = 0; i < blocks.length; i++) {
    // Prefix tokens get their own value range: a 1–2 character query has a single token, and
    // sharing a value with a very common trigram would make it match most rows.
    const space = i < trigramCount ? 0 : PREFIX_SPACE;
    tokens.add(keys.brandTag * 2 ** BRAND_SHIFT + (space | (out.readUInt16BE(i * BLOCK) & TOKEN_MASK)));
  }
  return [...tokens].sort((a, b) => a - b);
}

/** tag ‖ byte length ‖ UTF-8 ‖ zero padding. A trigram is at most 12 bytes, so it always fits. */
function encodeBlock(tag: number, text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > BLOCK - 2) throw new Error('search token input longer than one block');
  const block = Buffer.alloc(BLOCK);
  block[0] = tag;
  block[1] = bytes.length;
  bytes.copy(block, 2);
  return block;
}
