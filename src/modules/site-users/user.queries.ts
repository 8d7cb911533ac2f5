import type { AppContext } from '../../context.js';
import { emailBlindIndexes, externalIdBlindIndex } from '../../crypto/blind-index.js';
import type { BrandKeys } from '../../crypto/keyring.js';
import { searchTokens } from '../../crypto/search-tokens.js';
import { DomainError } from '../../errors.js';
import { decodePageCursor, toPage } from '../../http/page-cursor.js';
import { isId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import {
  matchesQuery,
  normalizeEmail,
  parseSearchQuery,
  queryTokenInputs,
  searchForms,
  type SearchQuery,
} from '../customers/index.js';
import { findUser, listUsersPage, type UserRecord, type UserFilter } from './user.repository.js';
import type { SiteUserListView, SiteUserView, UserListQuery } from './user.schemas.js';
import { fullName, unsealUser, type PlainUser } from './user.seal.js';
import { contactMasked, toUserView, viewUser } from './user.view.js';

/** Candidates a search examines at most: enough for a picker, bounded whatever the brand's size. */
const SEARCH_CANDIDATES = 500;

export function userNotFound(id: string): DomainError {
  return new DomainError('user_not_found', `No site user ${id.slice(0, 60)} in this brand`, {
    user_id: id.slice(0, 60),
  });
}

/** GET /users/{id}; another brand's user is answered exactly like a missing one. */
export async function getUser(ctx: AppContext, principal: Principal, id: string): Promise<SiteUserView> {
  requirePermission(principal, 'users.read');
  if (!isId('usr', id)) throw userNotFound(id);
  return loadUserView(ctx, principal, id);
}

export async function loadUserView(ctx: AppContext, principal: Principal, id: string): Promise<SiteUserView> {
  const row = await findUser(ctx.db, principal.merchantId, id);
  if (!row) throw userNotFound(id);
  const keys = await ctx.keyring.forBrand(ctx.db, principal.merchantId, [row.data_key_id]);
  return viewUser(keys, row, principal);
}

/**
 * GET /users: newest first by keyset, filtered. With q, a search like the customers' (tokens propose
 * candidates, each is decrypted and checked): names for every role; emails and phones by fragment
 * only for roles that see them raw, and by exact email for all (the blind index).
 */
export async function listUsers(
  ctx: AppContext,
  principal: Principal,
  query: UserListQuery,
): Promise<SiteUserListView> {
  requirePermission(principal, 'users.read');
  const { merchantId } = principal;
  const after = query.cursor ? decodePageCursor(query.cursor, 'usr') : undefined;
  const keys = await ctx.keyring.forBrand(ctx.db, merchantId);
  const indexKeys = [keys.index, ...(keys.retiringIndex ? [keys.retiringIndex] : [])];
  const filter: UserFilter = {
    externalIdBidx:
      query.external_id === undefined
        ? undefined
        : indexKeys.map((k) => externalIdBlindIndex(k, query.external_id!.trim())),
    customerId: query.customer,
    suggestedCustomerId: query.suggested_customer,
    linked: query.linked,
  };
  if (query.q !== undefined) return searchUsers(ctx, principal, keys, { ...query, q: query.q }, filter);
  const rows = await listUsersPage(ctx.db, merchantId, { limit: query.limit + 1, after, ...filter });
  const pageKeys = await keysFor(ctx, keys, rows.slice(0, query.limit));
  return toPage(rows, query.limit, (row) => viewUser(pageKeys, row, principal));
}

async function searchUsers(
  ctx: AppContext,
  principal: Principal,
  keys: BrandKeys,
  query: UserListQuery & { q: string },
  filter: UserFilter,
): Promise<SiteUserListView> {
  const empty: SiteUserListView = { object: 'list', data: [], has_more: false, next_cursor: null };
  const parsed = parseSearchQuery(query.q);
  if (!parsed) return empty;
  const masked = contactMasked(principal);
  const email = attempt(() => normalizeEmail(query.q));
  let rows: UserRecord[];
  if (email) {
    rows = await listUsersPage(ctx.db, principal.merchantId, {
      limit: query.limit,
      ...filter,
      emailBidx: emailBlindIndexes(keys, email),
    });
  } else {
    if (masked && (parsed.digits !== null || parsed.text.includes('@'))) return empty;
    const indexKeys = [keys.index, ...(keys.retiringIndex ? [keys.retiringIndex] : [])];
    const tokens = indexKeys.map((k) => ({
      indexKeyId: k.keyId,
      tokenSets: queryTokenInputs(parsed).map((inputs) => searchTokens(k, inputs)),
    }));
    rows = await listUsersPage(ctx.db, principal.merchantId, { limit: SEARCH_CANDIDATES, ...filter, tokens });
  }
  const rowKeys = await keysFor(ctx, keys, rows);
  const data: SiteUserView[] = [];
  for (const row of rows) {
    const user = unsealUser(rowKeys, row);
    if (email || matches(user, parsed, masked)) data.push(toUserView(row, user, masked));
    if (data.length === query.limit) break;
  }
  return { object: 'list', data, has_more: false, next_cursor: null };
}

function matches(user: PlainUser, query: SearchQuery, masked: boolean): boolean {
  const contact = masked
    ? { name: fullName(user), email: '', phone: null }
    : { name: fullName(user), email: user.email, phone: user.phone };
  return matchesQuery(searchForms(contact), query);
}

async function keysFor(ctx: AppContext, keys: BrandKeys, rows: UserRecord[]): Promise<BrandKeys> {
  return rows.every((row) => keys.dataKeys.has(row.data_key_id))
    ? keys
    : ctx.keyring.forBrand(
        ctx.db,
        keys.merchantId,
        rows.map((row) => row.data_key_id),
      );
}

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
