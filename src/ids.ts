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
  const bytes = uuidv7obj().bytes;
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let text = '';
  for (let i = 0; i < 26; i++) {
    text = CROCKFORD[Number(value & 31n)] + text;
    value >>= 5n;
  }
  return `${prefix}_${text}`;
}

const ID_PATTERN = /^[a-z]+_[0-9a-hjkmnp-tv-z]{26}$/;

/** True when text has the shape of an id with this prefix; anything else can only be "not found". */
export function isId(prefix: IdPrefix, text: string): boolean {
  return text.startsWith(`${prefix}_`) && ID_PATTERN.test(text);
}
