import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { isId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import {
  loadCustomerView,
  lockCustomerStates,
  requireLiveCustomer,
  type CustomerState,
  type CustomerView,
} from '../customers/index.js';
import { recordCustomerEvent } from '../timeline/index.js';
import { deleteTagLinks, insertTagLinks } from './customer-tag-link.repository.js';
import { findTag } from './customer-tag.repository.js';
import type { TagCustomerBody } from './customer-tag.schemas.js';
import { tagNotFound } from './customer-tag.service.js';

/*
 * Tagging a customer: one by one (the profile) or many at once (bulk actions, which call
 * tagCustomers and untagCustomers). Every write locks the customers first, then the tag FOR SHARE
 * (one lock order, so no deadlock with a merge, a delete or the tag's own deletion), and puts
 * customer.tagged / customer.untagged on the timeline of each customer it changed, with the tag's
 * id (its name may change later). No audit row per change: the timeline is the record, and a bulk
 * action audits itself once (customers.bulk).
 */

export type TagRefusalCode = 'customer_not_found' | 'customer_merged' | 'customer_erased';

export interface TagRefusal {
  customer: string;
  code: TagRefusalCode;
  reason: string;
}

export interface TagOutcome {
  /** Customers that have (tag) or lack (untag) the tag now, changed or already so; in the order given. */
  applied: string[];
  /** The others, each with why; in the order given. */
  refused: TagRefusal[];
}

/** Timeline events are written this many per statement (a bulk call may name thousands of customers). */
const EVENT_CHUNK = 1000;

/** POST /customers/{id}/tags: idempotent (tagged already: no change, no event). An erased customer: 409 customer_erased. */
export async function tagCustomer(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  body: TagCustomerBody,
): Promise<CustomerView> {
  requirePermission(principal, 'customers.tag');
  const { merchantId } = principal;
  await ctx.db.transaction().execute(async (trx) => {
    await requireLiveCustomer(trx, merchantId, customerId, { forUpdate: true });
    await lockTag(trx, merchantId, body.tag);
    const at = ctx.clock();
    const tagged = await insertTagLinks(trx, merchantId, body.tag, [customerId], at);
    await recordTagEvents(trx, principal, 'customer.tagged', body.tag, tagged, at);
  });
  return loadCustomerView(ctx, principal, customerId);
}

/**
 * DELETE /customers/{id}/tags/{tag}: idempotent. Allowed on an erased customer (it only removes);
 * a merged id is 409 customer_merged (its tags went to the survivor).
 */
export async function untagCustomer(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  tagId: string,
): Promise<CustomerView> {
  requirePermission(principal, 'customers.tag');
  const { merchantId } = principal;
  await ctx.db.transaction().execute(async (trx) => {
    await requireLiveCustomer(trx, merchantId, customerId, { forUpdate: true, erased: 'allow' });
    await lockTag(trx, merchantId, tagId);
    const untagged = await deleteTagLinks(trx, merchantId, tagId, [customerId]);
    await recordTagEvents(trx, principal, 'customer.untagged', tagId, untagged, ctx.clock());
  });
  return loadCustomerView(ctx, principal, customerId);
}

/**
 * Tags many customers of the brand in one transaction (bulk actions). Ids the brand does not have
 * (another brand's too) are refused as customer_not_found, merged ones as customer_merged, erased
 * ones as customer_erased. 404 tag_not_found for a tag the brand does not have.
 */
export async function tagCustomers(
  ctx: AppContext,
  principal: Principal,
  tagId: string,
  customerIds: string[],
): Promise<TagOutcome> {
  return changeTags(ctx, principal, tagId, customerIds, 'tag');
}

/** Untags many customers in one transaction; as tagCustomers, except that erased customers may be untagged. */
export async function untagCustomers(
  ctx: AppContext,
  principal: Principal,
  tagId: string,
  customerIds: string[],
): Promise<TagOutcome> {
  return changeTags(ctx, principal, tagId, customerIds, 'untag');
}

async function changeTags(
  ctx: AppContext,
  principal: Principal,
  tagId: string,
  customerIds: string[],
  action: 'tag' | 'untag',
): Promise<TagOutcome> {
  requirePermission(principal, 'customers.tag');
  const { merchantId } = principal;
  const ids = [...new Set(customerIds)];
  return ctx.db.transaction().execute(async (trx) => {
    const states = await lockCustomerStates(
      trx,
      merchantId,
      ids.filter((id) => isId('cus', id)),
    );
    await lockTag(trx, merchantId, tagId);
    const outcome = sortOut(ids, new Map(states.map((s) => [s.id, s])), action);
    const at = ctx.clock();
    const changed =
      action === 'tag'
        ? await insertTagLinks(trx, merchantId, tagId, outcome.applied, at)
        : await deleteTagLinks(trx, merchantId, tagId, outcome.applied);
    await recordTagEvents(
      trx,
      principal,
      action === 'tag' ? 'customer.tagged' : 'customer.untagged',
      tagId,
      changed,
      at,
    );
    return outcome;
  });
}

/** Which ids the change applies to, and why each other one is refused. */
function sortOut(ids: string[], states: Map<string, CustomerState>, action: 'tag' | 'untag'): TagOutcome {
  const outcome: TagOutcome = { applied: [], refused: [] };
  for (const id of ids) {
    const state = states.get(id);
    if (!state) {
      outcome.refused.push({ customer: id, code: 'customer_not_found', reason: `No customer ${id} in this brand` });
    } else if (state.merged_into !== null) {
      outcome.refused.push({
        customer: id,
        code: 'customer_merged',
        reason: `Customer ${id} was merged into ${state.merged_into}`,
      });
    } else if (state.erased_at !== null && action === 'tag') {
      outcome.refused.push({ customer: id, code: 'customer_erased', reason: `Customer ${id} was erased` });
    } else {
      outcome.applied.push(id);
    }
  }
  return outcome;
}

/** The brand's tag, locked FOR SHARE until the caller commits (its deletion waits); 404 otherwise. */
async function lockTag(trx: Transaction<DB>, merchantId: string, tagId: string): Promise<void> {
  const tag = isId('tag', tagId) ? await findTag(trx, merchantId, tagId, 'share') : undefined;
  if (!tag) throw tagNotFound(tagId);
}

async function recordTagEvents(
  trx: Transaction<DB>,
  principal: Principal,
  type: 'customer.tagged' | 'customer.untagged',
  tagId: string,
  customerIds: string[],
  at: Date,
): Promise<void> {
  for (let i = 0; i < customerIds.length; i += EVENT_CHUNK) {
    await recordCustomerEvent(
      trx,
      customerIds.slice(i, i + EVENT_CHUNK).map((customerId) => ({
        merchantId: principal.merchantId,
        customerId,
        type,
        actor: principal.actor,
        refs: { tag: tagId },
        at,
      })),
    );
  }
}
