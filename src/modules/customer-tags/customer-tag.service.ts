import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { isId, newId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import type { CustomerTagRef } from '../customers/index.js';
import { normalizeTagName } from './customer-tag.input.js';
import {
  countTags,
  deleteTagRow,
  findTag,
  findTagIdByNameKey,
  findTagWithCount,
  insertTag,
  listTagsWithCounts,
  lockBrandTags,
  updateTagRow,
  type CustomerTagWithCount,
} from './customer-tag.repository.js';
import {
  DEFAULT_TAG_COLOR,
  type CustomerTagCreateBody,
  type CustomerTagListView,
  type CustomerTagUpdateBody,
  type CustomerTagView,
  type TagColor,
} from './customer-tag.schemas.js';
import type { CustomerTagRow } from './customer-tag.table.js';

/** A brand labels groups with a handful of tags; the cap keeps the list one page and the dashboard's picker usable. */
export const MAX_TAGS_PER_BRAND = 500;

export function tagNotFound(id: string): DomainError {
  return new DomainError('tag_not_found', `No tag ${id} in this brand`, { tag_id: id });
}

function tagExists(name: string, existingId: string): DomainError {
  return new DomainError('tag_exists', `The brand has a tag named "${name}" already (${existingId})`, {
    tag_id: existingId,
  });
}

/** The brand's tag, or 404 tag_not_found (another brand's tag too). */
export async function requireTag(ctx: AppContext, merchantId: string, tagId: string): Promise<CustomerTagRef> {
  const row = isId('tag', tagId) ? await findTag(ctx.db, merchantId, tagId) : undefined;
  if (!row) throw tagNotFound(tagId);
  return { id: row.id, name: row.name, color: row.color };
}

/** GET /customer-tags: every tag of the brand, by name, with how many customers have it. */
export async function listTags(ctx: AppContext, principal: Principal): Promise<CustomerTagListView> {
  requirePermission(principal, 'customers.read');
  const rows = await listTagsWithCounts(ctx.db, principal.merchantId, MAX_TAGS_PER_BRAND);
  return { object: 'list', data: rows.map(toTagView), has_more: false, next_cursor: null };
}

/** POST /customer-tags: 409 tag_exists for a name the brand has (ignoring case and spacing). */
export async function createTag(
  ctx: AppContext,
  principal: Principal,
  body: CustomerTagCreateBody,
  ip?: string,
): Promise<CustomerTagView> {
  requirePermission(principal, 'customers.tag');
  const { name, nameKey } = normalizeTagName(body.name);
  const { merchantId } = principal;
  const row = await ctx.db.transaction().execute(async (trx) => {
    await lockBrandTags(trx, merchantId);
    const existing = await findTagIdByNameKey(trx, merchantId, nameKey);
    if (existing) throw tagExists(name, existing);
    if ((await countTags(trx, merchantId)) >= MAX_TAGS_PER_BRAND) {
      throw new DomainError(
        'validation_failed',
        `The brand has ${MAX_TAGS_PER_BRAND} tags, the most it may have; delete one first`,
        { errors: [{ field: 'name', reason: `the brand has ${MAX_TAGS_PER_BRAND} tags already` }] },
      );
    }
    const tag: CustomerTagRow = {
      merchant_id: merchantId,
      id: newId('tag'),
      name,
      name_key: nameKey,
      color: body.color ?? DEFAULT_TAG_COLOR,
      created_at: ctx.clock(),
    };
    await insertTag(trx, tag);
    await recordAudit(trx, {
      merchantId,
      actor: actorOf(principal),
      action: 'customer_tag.create',
      target: { type: 'customer_tag', id: tag.id },
      ip,
      details: { tag_name: tag.name, color: tag.color },
      occurredAt: tag.created_at,
    });
    return tag;
  });
  return toTagView({ ...row, customers: 0 });
}

/** PATCH /customer-tags/{id}: rename or recolour; the same values again change nothing (no audit row). */
export async function updateTag(
  ctx: AppContext,
  principal: Principal,
  id: string,
  body: CustomerTagUpdateBody,
  ip?: string,
): Promise<CustomerTagView> {
  requirePermission(principal, 'customers.tag');
  const renamed = body.name === undefined ? undefined : normalizeTagName(body.name);
  const { merchantId } = principal;
  await ctx.db.transaction().execute(async (trx) => {
    if (renamed) await lockBrandTags(trx, merchantId);
    const tag = isId('tag', id) ? await findTag(trx, merchantId, id, 'update') : undefined;
    if (!tag) throw tagNotFound(id);
    const changes: Partial<Pick<CustomerTagRow, 'name' | 'name_key' | 'color'>> = {};
    if (renamed && renamed.name !== tag.name) {
      const holder =
        renamed.nameKey === tag.name_key ? undefined : await findTagIdByNameKey(trx, merchantId, renamed.nameKey);
      if (holder) throw tagExists(renamed.name, holder);
      Object.assign(changes, { name: renamed.name, name_key: renamed.nameKey });
    }
    if (body.color !== undefined && body.color !== tag.color) changes.color = body.color;
    if (Object.keys(changes).length === 0) return;
    await updateTagRow(trx, merchantId, id, changes);
    await recordAudit(trx, {
      merchantId,
      actor: actorOf(principal),
      action: 'customer_tag.update',
      target: { type: 'customer_tag', id },
      ip,
      details: {
        tag_name: changes.name ?? tag.name,
        ...(changes.name ? { previous_tag_name: tag.name } : {}),
        ...(changes.color ? { color: changes.color, previous_color: tag.color } : {}),
      },
    });
  });
  const updated = await findTagWithCount(ctx.db, merchantId, id);
  if (!updated) throw tagNotFound(id);
  return toTagView(updated);
}

/**
 * DELETE /customer-tags/{id}: the tag goes from every customer (the links cascade). The audit row
 * counts them; the customers' timelines get no event each (a tag on a million customers would write
 * a million), the audit row is the record.
 */
export async function deleteTag(ctx: AppContext, principal: Principal, id: string, ip?: string): Promise<void> {
  requirePermission(principal, 'customers.tag');
  const { merchantId } = principal;
  await ctx.db.transaction().execute(async (trx) => {
    // Locked first: taggings in flight (they hold it FOR SHARE) finish, later ones find no tag.
    const tag = isId('tag', id) ? await findTag(trx, merchantId, id, 'update') : undefined;
    if (!tag) throw tagNotFound(id);
    const counted = await findTagWithCount(trx, merchantId, id);
    await deleteTagRow(trx, merchantId, id);
    await recordAudit(trx, {
      merchantId,
      actor: actorOf(principal),
      action: 'customer_tag.delete',
      target: { type: 'customer_tag', id },
      ip,
      details: { tag_name: tag.name, customers_untagged: counted?.customers ?? 0 },
    });
  });
}

function toTagView(row: CustomerTagWithCount): CustomerTagView {
  return {
    id: row.id,
    object: 'customer_tag',
    name: row.name,
    // Written only from the schema's palette.
    color: row.color as TagColor,
    customers: row.customers,
    created_at: row.created_at.toISOString(),
  };
}
