import type { AppContext } from '../../context.js';
import { emailBlindIndex, phoneBlindIndex } from '../../crypto/blind-index.js';
import type { BrandKeys, IndexKeys } from '../../crypto/keyring.js';
import { searchTokens } from '../../crypto/search-tokens.js';
import { getBrand } from '../brands/index.js';
import { requirePermission, type Principal } from '../access/index.js';
import { decodePageCursor, encodePageCursor } from '../../http/page-cursor.js';
import { normalizeEmail, normalizePhone } from './customer.normalize.js';
import { findCustomersByIndex, type CustomerRecord } from './customer.repository.js';
import type { TokenFilter } from './customer-search.repository.js';
import { CandidateScanner } from './customer.search-scan.js';
import {
  matchesQuery,
  parseSearchQuery,
  queryTokenInputs,
  searchForms,
  type SearchQuery,
} from './customer.search-text.js';
import {
  contactAccessOf,
  decryptContact,
  toCustomerView,
  type ContactAccess,
  type PlainContact,
} from './customer.view.js';
import type { CustomerListView, CustomerView } from './customer.schemas.js';

/** Candidates examined per request at most; past it the page ends early with a cursor to go on. */
const SCAN_BUDGET = 2000;

/** A cursor before every row: "the scan from the top, exact matches already shown". */
const SCAN_START = { createdAt: new Date('9999-12-31T00:00:00Z'), id: `cus_${'z'.repeat(26)}` };

/**
 * GET /customers?q=: partial, case- and accent-insensitive match in name, email or phone. Exact
 * email/phone matches (by blind index) come first, on the first page; then substring matches,
 * newest first. Tokens only propose candidates: each is decrypted and checked, so a token
 * collision never shows up as a result.
 *
 * Roles that see contact data masked search names by fragment, and email and phone only by their
 * exact full value (the blind index): matching fragments of a masked field would let them read it
 * a character at a time. README "Roles", SECURITY.md "Masked roles and search".
 */
export async function searchCustomers(
  ctx: AppContext,
  principal: Principal,
  request: { q: string; limit: number; cursor?: string | undefined },
): Promise<CustomerListView> {
  requirePermission(principal, 'customers.read');
  const { merchantId } = principal;
  const after = request.cursor ? decodePageCursor(request.cursor, 'cus') : undefined;
  const query = parseSearchQuery(request.q);
  if (!query) return { object: 'list', data: [], has_more: false, next_cursor: null };

  const brand = await getBrand(ctx, merchantId);
  const keys = await ctx.keyring.forBrand(ctx.db, merchantId);
  const indexKeys = [keys.index, ...(keys.retiringIndex ? [keys.retiringIndex] : [])];
  const access = contactAccessOf(principal);
  const show = (row: CustomerRecord, contact = decryptContact(keys, row)): CustomerView =>
    toCustomerView(row, contact, brand.base_currency, access);

  const exact = await findExactMatches(ctx, merchantId, request.q, query, brand.country, indexKeys, request.limit);
  const data: CustomerView[] = after ? [] : exact.map((row) => show(row));
  if (access === 'masked' && !canMatchName(query)) {
    // Email- or phone-shaped: for a masked role only the exact lookup above answers it.
    return { object: 'list', data: data.slice(0, request.limit), has_more: false, next_cursor: null };
  }
  const filters: TokenFilter[] = indexKeys.map((k) => ({
    indexKeyId: k.keyId,
    tokenSets: queryTokenInputs(query).map((inputs) => searchTokens(k, inputs)),
  }));

  const scanner = new CandidateScanner(
    ctx.db,
    merchantId,
    filters,
    exact.map((row) => row.id),
    after,
    query.digits !== null && query.digits.length >= 4 ? 'index' : 'window',
  );
  let scanned = 0;
  let matched = 0;
  while (data.length <= request.limit && scanned < SCAN_BUDGET && !scanner.exhausted) {
    const hitRate = scanned > 0 ? (matched + 1) / (scanned + 1) : 1;
    const batch = await scanner.next(Math.min(request.limit + 1 - data.length, SCAN_BUDGET - scanned), hitRate);
    const batchKeys = await ensureKeys(ctx, keys, batch);
    for (const row of batch) {
      scanned++;
      const contact = decryptContact(batchKeys, row);
      if (matchesQuery(searchForms(searchable(contact, access), { nationalPhone: hasDigit(query) }), query)) {
        data.push(show(row, contact));
        matched++;
        if (data.length > request.limit) break;
      }
    }
  }
  const page = data.slice(0, request.limit);
  const hasMore = data.length > request.limit || !scanner.exhausted;
  let next = scanner.cursor;
  if (data.length > request.limit) {
    // Continue after the last scanned row on this page; exact matches are not part of the scan.
    const exactIds = new Set(exact.map((row) => row.id));
    const lastScanned = page.findLast((view) => !exactIds.has(view.id));
    next = lastScanned ? { createdAt: new Date(lastScanned.created_at), id: lastScanned.id } : SCAN_START;
  }
  return {
    object: 'list',
    data: page,
    has_more: hasMore,
    next_cursor: hasMore && next ? encodePageCursor(next) : null,
  };
}

/** The customers whose email or phone is exactly the query, found through the blind indexes. */
async function findExactMatches(
  ctx: AppContext,
  merchantId: string,
  rawQuery: string,
  query: SearchQuery,
  country: string,
  indexKeys: IndexKeys[],
  limit: number,
): Promise<CustomerRecord[]> {
  const email = attempt(() => normalizeEmail(rawQuery));
  if (email)
    return findCustomersByIndex(
      ctx.db,
      merchantId,
      'email_bidx',
      indexKeys.map((k) => emailBlindIndex(k, email)),
      1,
    );
  // Only a query written purely as a phone number: a lenient parse would pull one out of "call 017…".
  const phone =
    query.digits !== null && query.digits.length >= 6 ? attempt(() => normalizePhone(rawQuery, country)) : undefined;
  if (phone)
    return findCustomersByIndex(
      ctx.db,
      merchantId,
      'phone_bidx',
      indexKeys.map((k) => phoneBlindIndex(k, phone)),
      limit,
    );
  return [];
}

async function ensureKeys(ctx: AppContext, keys: BrandKeys, rows: CustomerRecord[]): Promise<BrandKeys> {
  return rows.every((row) => keys.dataKeys.has(row.data_key_id))
    ? keys
    : ctx.keyring.forBrand(
        ctx.db,
        keys.merchantId,
        rows.map((row) => row.data_key_id),
      );
}

/** What a fragment may match: everything for raw roles, the name only for masked ones. */
function searchable(contact: PlainContact, access: ContactAccess): PlainContact {
  return access === 'raw' ? contact : { name: contact.name, email: '', phone: null };
}

/** Whether a masked role's query is worth a name scan: not a phone number, not an email. */
function canMatchName(query: SearchQuery): boolean {
  return query.digits === null && !query.text.includes('@');
}

function hasDigit(query: SearchQuery): boolean {
  return query.digits !== null || /\d/.test(query.text);
}

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
