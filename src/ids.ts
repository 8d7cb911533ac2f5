import { uuidv7obj } from 'uuidv7';

export type IdPrefix =
  | 'cus'
  | 'brd'
  | 'key'
  | 'txn'
  | 'inv'
  | 'plink'
  | 'cs'
  | 'aud'
  | 'rot'
  | 'stf'
  | 'sinv'
  | 'spr'
  | 'ses'
  | 'usr'
  | 'ord'
  | 'evt'
  | 'note'
  | 'imp'
  | 'tag'
  | 'view'
  | 'bulk'
  | 'we'
  | 'whd';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** Time-ordered, opaque public id: prefix + UUIDv7 in 26 Crockford base-32 characters. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${crockford128(uuidv7obj().bytes)}`;
}

/**
 * 16 bytes as 26 base-32 characters, most significant first (the first holds the top 3 bits), so
 * ids sort as their UUIDs do. Five bits at a time from the last byte, in plain numbers: an import
 * makes two ids a row, and BigInt arithmetic was a tenth of its event loop's garbage.
 */
export function crockford128(bytes: Uint8Array): string {
  const chars = new Array<string>(26);
  let next = 25;
  let bits = 0;
  let carried = 0;
  for (let i = 15; i >= 0; i--) {
    carried |= bytes[i]! << bits;
    bits += 8;
    while (bits >= 5) {
      chars[next--] = CROCKFORD[carried & 31]!;
      carried >>>= 5;
      bits -= 5;
    }
  }
  chars[next] = CROCKFORD[carried & 31]!;
  return chars.join('');
}

const ID_PATTERN = /^[a-z]+_[0-9a-hjkmnp-tv-z]{26}$/;

/** True when text has the shape of an id with this prefix; anything else can only be "not found". */
export function isId(prefix: IdPrefix, text: string): boolean {
  return text.startsWith(`${prefix}_`) && ID_PATTERN.test(text);
}
