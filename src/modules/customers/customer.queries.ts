import type { AppContext } from '../../context.js';
import { isId } from '../../ids.js';
import { getBrand, type BrandRow } from '../brands/index.js';
import { requirePermission, type Principal } from '../access/index.js';
import { customerNotFound } from './customer.access.js';
import { customerTimeline, type CustomerEventListView, type TimelineQuery } from '../timeline/index.js';
import { countCustomers, customerExists, findCustomer, findCustomerNames } from './customer.repository.js';
import { findCustomerTagRefs } from './customer-tag-refs.repository.js';
import { contactAccessOf, decryptContact, decryptName, toCustomerView } from './customer.view.js';
import type { CustomerStatsView, CustomerView, MergedCustomerView } from './customer.schemas.js';
import { findCustomerPointer, findCustomersByIds } from './customer-merge.repository.js';
import { customerMerged, mergedCustomerView } from './customer.merged.js';
import { runningRevealEnd } from './customer.reveal.js';

/**
 * GET /customers/{id}. Another brand's id is answered exactly like a missing one; a merged id answers
 * a pointer to its survivor (`{id, object, merged_into}`).
 */
export async function retrieveCustomer(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<CustomerView | MergedCustomerView> {
  requirePermission(principal, 'customers.read');
  if (!isId('cus', id)) throw customerNotFound(id);
  const pointer = await findCustomerPointer(ctx.db, principal.merchantId, id);
  if (!pointer) throw customerNotFound(id);
  if (pointer.merged_into !== null) return mergedCustomerView(id, pointer.merged_into);
  return loadCustomerView(ctx, principal, id);
}

/** One live customer for other modules (the access request): a merged id is 409 `customer_merged`. */
export async function getCustomer(ctx: AppContext, principal: Principal, id: string): Promise<CustomerView> {
  const found = await retrieveCustomer(ctx, principal, id);
  if ('merged_into' in found) throw customerMerged(id, found.merged_into);
  return found;
}

/** For the customer's own lists (transactions, invoices): the caller may read it, and it is the brand's. */
export async function requireReadableCustomer(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  requirePermission(principal, 'customers.read');
  if (!isId('cus', id) || !(await customerExists(ctx.db, principal.merchantId, id))) throw customerNotFound(id);
}

/** GET /customers/stats: the KPI card, from the maintained count (constant time at any size). */
export async function customerStats(ctx: AppContext, principal: Principal): Promise<CustomerStatsView> {
  requirePermission(principal, 'customers.read');
  return { total_customers: await countCustomers(ctx.db, principal.merchantId) };
}

/**
 * One customer as this caller may see it (masked or raw). Write paths that already hold the brand
 * pass it, so it is not read twice.
 */
export async function loadCustomerView(
  ctx: AppContext,
  principal: Principal,
  id: string,
  knownBrand?: BrandRow,
): Promise<CustomerView> {
  const { merchantId } = principal;
  const row = await findCustomer(ctx.db, merchantId, id);
  if (!row) throw customerNotFound(id);
  const brand = knownBrand ?? (await getBrand(ctx, merchantId));
  const access = contactAccessOf(principal);
  const [keys, tags, revealedUntil] = await Promise.all([
    ctx.keyring.forBrand(ctx.db, merchantId, [row.data_key_id]),
    findCustomerTagRefs(ctx.db, merchantId, [id]),
    access === 'masked' ? runningRevealEnd(ctx, principal, id) : null,
  ]);
  return toCustomerView(row, decryptContact(keys, row), brand.base_currency, access, tags.get(id) ?? [], revealedUntil);
}

/** Customer names by id, for lists of payments and invoices (who paid, nothing more); ids not found are absent. */
export async function customerNames(ctx: AppContext, merchantId: string, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const rows = await findCustomerNames(ctx.db, merchantId, [...new Set(ids)]);
  if (rows.length === 0) return names;
  const keys = await ctx.keyring.forBrand(
    ctx.db,
    merchantId,
    rows.map((r) => r.data_key_id),
  );
  for (const row of rows) names.set(row.id, decryptName(keys, row));
  return names;
}

/** GET /customers/{id}/timeline: any role that may read the customer (events hold no contact data). */
export async function customerTimelineOf(
  ctx: AppContext,
  principal: Principal,
  id: string,
  query: TimelineQuery,
): Promise<CustomerEventListView> {
  await requireReadableCustomer(ctx, principal, id);
  return customerTimeline(ctx, principal.merchantId, id, query);
}

/** Customers by id as this caller may see them (duplicate pairs); ids not found are absent. */
export async function customerViews(
  ctx: AppContext,
  principal: Principal,
  ids: string[],
): Promise<Map<string, CustomerView>> {
  const { merchantId } = principal;
  const views = new Map<string, CustomerView>();
  const rows = await findCustomersByIds(ctx.db, merchantId, [...new Set(ids)]);
  if (rows.length === 0) return views;
  const brand = await getBrand(ctx, merchantId);
  const [keys, tags] = await Promise.all([
    ctx.keyring.forBrand(
      ctx.db,
      merchantId,
      rows.map((r) => r.data_key_id),
    ),
    findCustomerTagRefs(
      ctx.db,
      merchantId,
      rows.map((r) => r.id),
    ),
  ]);
  const access = contactAccessOf(principal);
  for (const row of rows) {
    const contact = decryptContact(keys, row);
    views.set(row.id, toCustomerView(row, contact, brand.base_currency, access, tags.get(row.id) ?? []));
  }
  return views;
}
