/**
 * The load test's leak detector. Every value the load test writes carries its brand's number in a
 * form that survives masking and search, so one scan of a response body finds any other brand's
 * data in it, and any raw contact data in a masked role's answer:
 *   name    "Farida Rahman Qb07k123"          marker qb07k (case-insensitive)
 *   email   "e123.qb07k@brand07.example.com"  local part e123.qb07k; domain brand07 (kept by masking)
 *   phone   "+8801707123456"                  +880 17 07 123456: digits 3–4 of the national number
 * The brand's own name is "Load qb07k", so a public page naming another brand is caught too.
 */

export const brandTag = (index: number) => String(index).padStart(2, '0');
export const brandMarker = (index: number) => `qb${brandTag(index)}k`;
export const brandDomain = (index: number) => `brand${brandTag(index)}.example.com`;

export function seededName(first: string, last: string, brand: number, seq: number): string {
  return `${first} ${last} Qb${brandTag(brand)}k${seq}`;
}
export function seededEmail(kind: 'e' | 'p', brand: number, seq: number): string {
  return `${kind}${seq}.${brandMarker(brand)}@${brandDomain(brand)}`;
}
export function seededPhone(brand: number, seq: number): string {
  return `+88017${brandTag(brand)}${String(seq % 1_000_000).padStart(6, '0')}`;
}

export interface Caller {
  brand: number;
  /** True when the caller's role sees contact data masked (and the answer is not a reveal). */
  masked: boolean;
}

const MARKER = /qb(\d\d)k/gi;
const DOMAIN = /brand(\d\d)\.example\.com/gi;
// E.164 with or without "+", and the national form "017…": the brand is the two digits after 17. Not
// inside a word, a hex gateway reference ("test_ch_0171…") or a decimal ("0.0171…"): CI once met one.
const PHONE = /(?<![0-9a-z_.])(?:\+?880|0)17(\d\d)\d{6}(?![0-9a-z])/gi;
// A seeded email's local part: masking keeps only its first character.
const RAW_LOCAL_PART = /[ep]\d+\.qb\d\dk/gi;
const ID = /(?<![0-9a-z_])([a-z]+)_[0-9a-hjkmnp-tv-z]{26}(?![0-9a-z])/g;

export interface ScanResult {
  violations: string[];
  ids: string[];
}

/**
 * What a response body shows that it must not: another brand's marker, domain or phone; for a masked
 * caller, any seeded email local part or phone in clear. Also every id in it, for the brand check.
 */
export function scanBody(body: string, caller: Caller): ScanResult {
  const violations: string[] = [];
  const ids = [...body.matchAll(ID)].map((match) => match[0]);
  // Ids and page tokens are random text that could spell a marker by chance.
  const text = body.replace(ID, '<id>').replace(/\/(checkout|pay|invoice)\/[A-Za-z0-9_-]+/g, '/$1/<token>');
  const foreign = (what: string, match: RegExpMatchArray) => {
    if (Number(match[1]) !== caller.brand) violations.push(`other brand's ${what}: ${match[0]}`);
  };
  for (const match of text.matchAll(MARKER)) foreign('marker', match);
  for (const match of text.matchAll(DOMAIN)) foreign('email domain', match);
  for (const match of text.matchAll(PHONE)) {
    foreign('phone', match);
    if (caller.masked) violations.push(`raw phone for a masked role: ${match[0]}`);
  }
  if (caller.masked) {
    for (const match of text.matchAll(RAW_LOCAL_PART)) violations.push(`raw email for a masked role: ${match[0]}`);
  }
  return { violations, ids };
}

/** Where an id's owning brand is recorded, by prefix (src/ids.ts). */
export const ID_TABLES: Record<string, { table: string; brandColumn: string }> = {
  brd: { table: 'brands', brandColumn: 'id' },
  cus: { table: 'customers', brandColumn: 'merchant_id' },
  txn: { table: 'transactions', brandColumn: 'merchant_id' },
  cs: { table: 'checkout_sessions', brandColumn: 'merchant_id' },
  key: { table: 'api_keys', brandColumn: 'merchant_id' },
  inv: { table: 'invoices', brandColumn: 'merchant_id' },
  plink: { table: 'payment_links', brandColumn: 'merchant_id' },
  usr: { table: 'site_users', brandColumn: 'merchant_id' },
  ord: { table: 'orders', brandColumn: 'merchant_id' },
  note: { table: 'customer_notes', brandColumn: 'merchant_id' },
  tag: { table: 'customer_tags', brandColumn: 'merchant_id' },
  view: { table: 'customer_views', brandColumn: 'merchant_id' },
  evt: { table: 'customer_events', brandColumn: 'merchant_id' },
  aud: { table: 'audit_events', brandColumn: 'merchant_id' },
};
