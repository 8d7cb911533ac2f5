import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { inScan } from '../../db/walk-plan.js';
import { emailBlindIndex, phoneBlindIndex } from '../../crypto/blind-index.js';
import type { BrandKeys, IndexKeys } from '../../crypto/keyring.js';
import { searchTokens } from '../../crypto/search-tokens.js';
import type { BrandRow } from '../brands/index.js';
import type { Principal } from '../access/index.js';
import { normalizeEmail, normalizePhone } from './customer.normalize.js';
import { findCustomerIdsByIndex, type CustomerRecord } from './customer.repository.js';
import type { TokenFilter } from './customer-search.repository.js';
import { listDriverMatches, type ListedCustomer } from './customer-list.repository.js';
import type { ListScope } from './customer-list.sql.js';
import { isDefaultSort, type ListPosition } from './customer.list-cursor.js';
import { CandidateScanner } from './customer.search-scan.js';
import {
  matchesQuery,
  parseSearchQuery,
  queryTokenInputs,
  searchForms,
  type SearchQuery,
} from './customer.search-text.js';
import { contactAccessOf, decryptContact, type ContactAccess, type PlainContact } from './customer.view.js';

/** Candidates examined per request at most; past it the page ends early with a cursor to go on. */
const SCAN_BUDGET = 2000;

/** A cursor before every row of newest first: "the scan from the top, exact matches already shown". */
const SCAN_START: ListPosition = { key: new Date('9999-12-31T00:00:00Z'), id: `cus_${'z'.repeat(26)}` };

/** A row of a page, with its contact when the search already decrypted it. */
export interface FoundRow {
  row: ListedCustomer;
  contact?: PlainContact;
}

export interface FoundPage {
  found: FoundRow[];
  hasMore: boolean;
  /** Where the next page starts; null on the last page. */
  next: ListPosition | null;
}

export interface SearchRequest {
  /** The list's sort and filter (and the export's selection) to search within. */
  scope: ListScope;
  q: string;
  limit: number;
  after?: ListPosition | undefined;
  brand: BrandRow;
  keys: BrandKeys;
}

/**
 * GET /customers?q=: partial, case- and accent-insensitive match in name, email or phone, within
 * the list's filter and in its sort. Newest first (the default sort), exact email/phone matches
 * (by blind index) come first, on the first page, then substring matches newest first; in any
 * other sort an exact match simply takes its place in that order. Tokens only propose candidates:
 * each is decrypted and checked, so a token collision never shows up as a result.
 *
 * Roles that see contact data masked search names by fragment, and email and phone only by their
 * exact full value (the blind index): matching fragments of a masked field would let them read it
 * a character at a time. README "Roles", SECURITY.md "Masked roles and search".
 */
export async function searchListPage(
  ctx: AppContext,
  principal: Principal,
  request: SearchRequest,
): Promise<FoundPage> {
  const { scope, limit, after, brand, keys } = request;
  const query = parseSearchQuery(request.q);
  if (!query) return { found: [], hasMore: false, next: null };
  const indexKeys = [keys.index, ...(keys.retiringIndex ? [keys.retiringIndex] : [])];
  const access = contactAccessOf(principal);
  const exactFirst = isDefaultSort(scope.sort);

  const exact = await findExactMatches(ctx, scope, request.q, query, brand.country, indexKeys, limit);
  const found: FoundRow[] = exactFirst && !after ? exact.map((row) => ({ row })) : [];
  if (access === 'masked' && !canMatchName(query)) {
    // Email- or phone-shaped: for a masked role only the exact lookup above answers it.
    const rows = exactFirst ? found : after ? [] : exact.map((row) => ({ row }));
    return { found: rows.slice(0, limit), hasMore: false, next: null };
  }
  const exactIds = new Set(exact.map((row) => row.id));
  const tokens: TokenFilter[] = indexKeys.map((k) => ({
    indexKeyId: k.keyId,
    tokenSets: queryTokenInputs(query).map((inputs) => searchTokens(k, inputs)),
  }));
  const scanner = await inScan(ctx.db, async (db) => {
    const scan = new CandidateScanner(
      db,
      { ...scope, tokens, excludeIds: exactFirst ? [...exactIds] : [] },
      after,
      query.digits !== null && query.digits.length >= 4 ? 'tokens' : 'window',
    );
    let scanned = 0;
    let matched = 0;
    while (found.length <= limit && scanned < SCAN_BUDGET && !scan.spent && !scan.exhausted) {
      // Tokens co-occurring out of order propose false candidates: a sparse term asks for larger
      // batches instead of many round trips.
      const hitRate = scanned > 0 ? (matched + 1) / (scanned + 1) : 1;
      const wanted = limit + 1 - found.length;
      const batch = await scan.next(
        Math.min(SCAN_BUDGET - scanned, Math.max(20, Math.ceil((wanted * 2) / Math.max(hitRate, 0.02)))),
      );
      const batchKeys = await ensureKeys(ctx, db, keys, batch);
      for (const row of batch) {
        scanned++;
        const contact = decryptContact(batchKeys, row);
        const forms = searchForms(searchable(contact, access), { nationalPhone: hasDigit(query) });
        if (exactIds.has(row.id) || matchesQuery(forms, query)) {
          found.push({ row, contact });
          matched++;
          if (found.length > limit) break;
        }
      }
    }
    return scan;
  });
  const page = found.slice(0, limit);
  const hasMore = found.length > limit || !scanner.exhausted;
  let next = scanner.cursor;
  if (found.length > limit) {
    // Continue after the last scanned row on this page; exact matches shown first are not part of the scan.
    const lastScanned = page.findLast(({ row }) => !exactFirst || !exactIds.has(row.id));
    next = lastScanned ? lastScanned.row.position : SCAN_START;
  }
  return { found: page, hasMore, next: hasMore && next ? next : null };
}

/**
 * The customers whose email or phone is exactly the query, found through the blind indexes, that
 * the list's filter keeps, in its sort.
 */
async function findExactMatches(
  ctx: AppContext,
  scope: ListScope,
  rawQuery: string,
  query: SearchQuery,
  country: string,
  indexKeys: IndexKeys[],
  limit: number,
): Promise<ListedCustomer[]> {
  const { merchantId } = scope;
  const email = attempt(() => normalizeEmail(rawQuery));
  // Only a query written purely as a phone number: a lenient parse would pull one out of "call 017…".
  const phone =
    !email && query.digits !== null && query.digits.length >= 6
      ? attempt(() => normalizePhone(rawQuery, country))
      : undefined;
  const ids = email
    ? await findCustomerIdsByIndex(
        ctx.db,
        merchantId,
        'email_bidx',
        indexKeys.map((k) => emailBlindIndex(k, email)),
        1,
      )
    : phone
      ? await findCustomerIdsByIndex(
          ctx.db,
          merchantId,
          'phone_bidx',
          indexKeys.map((k) => phoneBlindIndex(k, phone)),
          limit,
        )
      : [];
  const selected = scope.ids ? ids.filter((id) => scope.ids!.includes(id)) : ids;
  if (selected.length === 0) return [];
  return listDriverMatches(ctx.db, { ...scope, ids: selected }, 'ids', { limit: selected.length });
}

/**
 * The brand's keys, loaded again when a row is sealed by a data key they lack: through the scan's
 * `db`, as on PGlite a query outside the scan's transaction would wait for that transaction to end.
 */
async function ensureKeys(ctx: AppContext, db: Executor, keys: BrandKeys, rows: CustomerRecord[]): Promise<BrandKeys> {
  return rows.every((row) => keys.dataKeys.has(row.data_key_id))
    ? keys
    : ctx.keyring.forBrand(
        db,
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
