import type { Transaction, Updateable } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { DomainError, fieldError } from '../../errors.js';
import { isId, newId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { requireTag } from '../customer-tags/index.js';
import { checkViewParams, normalizeViewName, sameQuery, type CheckedViewParams } from './customer-view.input.js';
import {
  countViewsOf,
  deleteViewRow,
  insertView,
  listVisibleViews,
  lockVisibleView,
  updateViewRow,
} from './customer-view.repository.js';
import type {
  SavedViewCreateBody,
  SavedViewListResponse,
  SavedViewResponse,
  SavedViewUpdateBody,
} from './customer-view.schemas.js';
import type { CustomerViewRow, CustomerViewTable } from './customer-view.table.js';
import { mayChangeView, openViewSearch, sealViewSearch, staffIdOf, toSavedView } from './customer-view.view.js';

/** Views one staff member keeps, and views a brand shares: each up to this many (the tabs stay usable). */
export const MAX_VIEWS = 100;

export function viewNotFound(id: string): DomainError {
  return new DomainError('view_not_found', `No saved view ${id} for this caller`, { view_id: id });
}

/** GET /customer-views: the caller's own views and the brand's shared ones, by name, searches opened. */
export async function listViews(ctx: AppContext, principal: Principal): Promise<SavedViewListResponse> {
  requirePermission(principal, 'customers.read');
  const { merchantId } = principal;
  const rows = await listVisibleViews(ctx.db, merchantId, staffIdOf(principal), 2 * MAX_VIEWS);
  const keyIds = rows.flatMap((r) => (r.data_key_id === null ? [] : [r.data_key_id]));
  const keys = await ctx.keyring.forBrand(ctx.db, merchantId, keyIds);
  return {
    object: 'list',
    data: rows.map((row) => toSavedView(row, openViewSearch(keys, row))),
    has_more: false,
    next_cursor: null,
  };
}

/**
 * POST /customer-views: anyone who reads customers saves views for themselves; sharing one with the
 * brand needs customer_views.share. An API key has no views of its own, so it creates shared ones only.
 */
export async function createView(
  ctx: AppContext,
  principal: Principal,
  body: SavedViewCreateBody,
  ip?: string,
): Promise<SavedViewResponse> {
  requirePermission(principal, 'customers.read');
  const shared = body.shared ?? false;
  const owner = shared ? null : ownerFor(principal);
  if (shared) requirePermission(principal, 'customer_views.share');
  const name = normalizeViewName(body.name);
  const params = await checkParams(ctx, principal, body.params);
  const { merchantId } = principal;
  const row = await ctx.db.transaction().execute(async (trx) => {
    await requireRoom(trx, merchantId, owner);
    const id = newId('view');
    const now = ctx.clock();
    const view: CustomerViewRow = {
      merchant_id: merchantId,
      id,
      name,
      owner_staff_id: owner,
      query: params.query,
      ...(await sealedSearch(ctx, trx, merchantId, id, params.q)),
      created_by_type: principal.actor.type,
      created_by_id: principal.actor.id,
      created_at: now,
      updated_at: now,
    };
    await insertView(trx, { ...view, query: JSON.stringify(view.query) });
    await recordAudit(trx, {
      merchantId,
      actor: actorOf(principal),
      action: 'customer_view.create',
      target: { type: 'customer_view', id },
      ip,
      details: auditDetails(view, params),
      occurredAt: now,
    });
    return view;
  });
  return toSavedView(row, params.q);
}

/**
 * PATCH /customer-views/{id}: a personal view by its owner; a shared one by its creator or anyone
 * with customer_views.share. Sharing needs customer_views.share; un-sharing makes it the caller's own.
 * The same values again change nothing (no write, no audit row).
 */
export async function updateView(
  ctx: AppContext,
  principal: Principal,
  id: string,
  body: SavedViewUpdateBody,
  ip?: string,
): Promise<SavedViewResponse> {
  requirePermission(principal, 'customers.read');
  const name = body.name === undefined ? undefined : normalizeViewName(body.name);
  const params = body.params === undefined ? undefined : await checkParams(ctx, principal, body.params);
  const { merchantId } = principal;
  const { row, q } = await ctx.db.transaction().execute(async (trx) => {
    const view = await lockChangeableView(trx, principal, id);
    const keys = await ctx.keyring.forBrand(trx, merchantId, view.data_key_id === null ? [] : [view.data_key_id]);
    const currentQ = openViewSearch(keys, view);
    const changes: Updateable<CustomerViewTable> = {};
    const changed: string[] = [];
    if (name !== undefined && name !== view.name) {
      changes.name = name;
      changed.push('name');
    }
    if (body.shared !== undefined && body.shared !== (view.owner_staff_id === null)) {
      if (body.shared) requirePermission(principal, 'customer_views.share');
      changes.owner_staff_id = body.shared ? null : ownerFor(principal);
      await requireRoom(trx, merchantId, changes.owner_staff_id);
      changed.push('shared');
    }
    if (params && (!sameQuery(params.query, view.query) || params.q !== currentQ)) {
      changes.query = JSON.stringify(params.query);
      Object.assign(changes, await sealedSearch(ctx, trx, merchantId, view.id, params.q));
      changed.push('params');
    }
    if (changed.length === 0) return { row: view, q: currentQ };
    changes.updated_at = ctx.clock();
    await updateViewRow(trx, merchantId, view.id, changes);
    const updated: CustomerViewRow = {
      ...view,
      ...(changes as Partial<CustomerViewRow>),
      query: params?.query ?? view.query,
    };
    const finalQ = params ? params.q : currentQ;
    await recordAudit(trx, {
      merchantId,
      actor: actorOf(principal),
      action: 'customer_view.update',
      target: { type: 'customer_view', id: view.id },
      ip,
      details: { ...auditDetails(updated, { query: updated.query, q: finalQ }), changed },
    });
    return { row: updated, q: finalQ };
  });
  return toSavedView(row, q);
}

/** DELETE /customer-views/{id}: who may change the view may delete it. */
export async function deleteView(ctx: AppContext, principal: Principal, id: string, ip?: string): Promise<void> {
  requirePermission(principal, 'customers.read');
  const { merchantId } = principal;
  await ctx.db.transaction().execute(async (trx) => {
    const view = await lockChangeableView(trx, principal, id);
    await deleteViewRow(trx, merchantId, view.id);
    await recordAudit(trx, {
      merchantId,
      actor: actorOf(principal),
      action: 'customer_view.delete',
      target: { type: 'customer_view', id: view.id },
      ip,
      details: { shared: view.owner_staff_id === null },
    });
  });
}

/** The view, locked, if this caller may change it: 404 when they cannot see it, 403 when they only see it. */
async function lockChangeableView(trx: Transaction<DB>, principal: Principal, id: string): Promise<CustomerViewRow> {
  const view = isId('view', id)
    ? await lockVisibleView(trx, principal.merchantId, id, staffIdOf(principal))
    : undefined;
  if (!view) throw viewNotFound(id);
  if (!mayChangeView(principal, view)) {
    throw new DomainError(
      'forbidden',
      `The ${principal.role} role may change only the shared views it created; ${id} was created by someone else (customer_views.share)`,
      { permission: 'customer_views.share' },
    );
  }
  return view;
}

/** The staff member a personal view belongs to; an API key has none (422 naming `shared`). */
function ownerFor(principal: Principal): string {
  const staffId = staffIdOf(principal);
  if (staffId === null) {
    throw fieldError(
      'shared',
      'an API key has no views of its own: send shared: true to share the view with the brand',
    );
  }
  return staffId;
}

/** As the list checks them; a tag filter must name one of the brand's tags (422 params.tag otherwise). */
async function checkParams(
  ctx: AppContext,
  principal: Principal,
  params: SavedViewCreateBody['params'],
): Promise<CheckedViewParams> {
  const checked = checkViewParams(params);
  const tag = checked.query.tag;
  if (tag !== undefined) {
    await requireTag(ctx, principal.merchantId, tag).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'tag_not_found') {
        throw fieldError('params.tag', 'is not a tag of this brand');
      }
      throw error;
    });
  }
  return checked;
}

async function requireRoom(trx: Transaction<DB>, merchantId: string, owner: string | null): Promise<void> {
  if ((await countViewsOf(trx, merchantId, owner)) >= MAX_VIEWS) {
    throw new DomainError(
      'validation_failed',
      `${owner === null ? 'The brand shares' : 'You have'} ${MAX_VIEWS} saved views, the most there may be; delete one first`,
      { errors: [{ field: 'shared', reason: `${MAX_VIEWS} views already` }] },
    );
  }
}

/** The search sealed under the brand's active data key, or no ciphertext (and no key) without one. */
async function sealedSearch(
  ctx: AppContext,
  trx: Transaction<DB>,
  merchantId: string,
  viewId: string,
  q: string | undefined,
): Promise<Pick<CustomerViewRow, 'q_enc' | 'data_key_id'>> {
  if (q === undefined) return { q_enc: null, data_key_id: null };
  const keys = await ctx.keyring.forBrand(trx, merchantId);
  return { q_enc: sealViewSearch(keys, merchantId, viewId, q), data_key_id: keys.activeDataKeyId };
}

/** What changed hands, never the search text: which parameters the view sets, and whether it searches. */
function auditDetails(view: Pick<CustomerViewRow, 'owner_staff_id'>, params: CheckedViewParams) {
  return {
    shared: view.owner_staff_id === null,
    parameters: Object.keys(params.query).sort(),
    has_search: params.q !== undefined,
  };
}
