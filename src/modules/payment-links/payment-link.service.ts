import type { AppContext } from '../../context.js';
import { checkFields, DomainError, fieldError } from '../../errors.js';
import { decodePageCursor, toPage } from '../../http/page-cursor.js';
import { isId, newId } from '../../ids.js';
import { checkCurrency } from '../../money/currency.js';
import { type Principal, requirePermission } from '../access/index.js';
import { claimPublicPath, slugFromTitle } from '../public-paths/index.js';
import {
  findPaymentLink,
  insertPaymentLink,
  listPaymentLinksPage,
  updatePaymentLink,
} from './payment-link.repository.js';
import type {
  PaymentLinkCreateBody,
  PaymentLinkListView,
  PaymentLinkUpdateBody,
  PaymentLinkView,
} from './payment-link.schemas.js';
import type { PaymentLinkRow } from './payment-link.table.js';

/** What a link asks for, as both the API and the public page show it. */
export function linkPricing(
  row: Pick<PaymentLinkRow, 'currency' | 'amount_minor' | 'min_amount_minor' | 'max_amount_minor'>,
) {
  const money = (amount: number | null) =>
    amount === null ? null : { amount: Number(amount), currency: row.currency };
  return {
    currency: row.currency,
    amount_type: row.amount_minor === null ? ('customer_chosen' as const) : ('fixed' as const),
    amount: money(row.amount_minor),
    min_amount: money(row.min_amount_minor),
    max_amount: money(row.max_amount_minor),
  };
}

export function toPaymentLinkView(row: PaymentLinkRow): PaymentLinkView {
  return {
    id: row.id,
    object: 'payment_link',
    slug: row.slug,
    url: `/pay/${row.slug}`,
    title: row.title,
    description: row.description,
    ...linkPricing(row),
    active: row.active,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function paymentLinkNotFound(id: string): DomainError {
  return new DomainError('payment_link_not_found', `No payment link ${id}`);
}

export async function createPaymentLink(
  ctx: AppContext,
  principal: Principal,
  body: PaymentLinkCreateBody,
): Promise<PaymentLinkView> {
  requirePermission(principal, 'payments.create');
  const { merchantId } = principal;
  const fixed = body.amount != null;
  const onlyForChosen = (field: 'min_amount' | 'max_amount') => () => {
    if (fixed && body[field] != null)
      throw fieldError(field, 'only for links where the client chooses the amount (no amount)');
  };
  const [currency] = checkFields(
    () => checkCurrency('currency', body.currency),
    onlyForChosen('min_amount'),
    onlyForChosen('max_amount'),
    () => {
      if (body.min_amount != null && body.max_amount != null && body.min_amount > body.max_amount) {
        throw fieldError('max_amount', 'must not be less than min_amount');
      }
    },
  );
  const id = newId('plink');
  const slug = body.slug ?? slugFromTitle(body.title);
  const now = ctx.clock();
  const row: PaymentLinkRow = {
    merchant_id: merchantId,
    id,
    slug,
    title: body.title.trim(),
    description: body.description?.trim() || null,
    currency,
    amount_minor: body.amount ?? null,
    min_amount_minor: body.min_amount ?? null,
    max_amount_minor: body.max_amount ?? null,
    active: body.active ?? true,
    created_at: now,
    updated_at: now,
  };
  if (!row.title) throw fieldError('title', 'must not be blank');
  await ctx.db.transaction().execute(async (trx) => {
    // Slugs are global (/pay/{slug} names no brand): the public path claims it for this brand.
    if (!(await claimPublicPath(trx, { kind: 'pay', key: slug, merchantId, targetId: id }))) {
      throw new DomainError('slug_taken', `The slug "${slug}" is already in use; choose another`, {
        errors: [{ field: 'slug', reason: 'is already in use' }],
      });
    }
    await insertPaymentLink(trx, row);
  });
  return toPaymentLinkView(row);
}

export async function getPaymentLink(ctx: AppContext, principal: Principal, id: string): Promise<PaymentLinkView> {
  requirePermission(principal, 'payments.read');
  const row = isId('plink', id) ? await findPaymentLink(ctx.db, principal.merchantId, id) : undefined;
  if (!row) throw paymentLinkNotFound(id);
  return toPaymentLinkView(row);
}

export async function updatePaymentLinkDetails(
  ctx: AppContext,
  principal: Principal,
  id: string,
  body: PaymentLinkUpdateBody,
): Promise<PaymentLinkView> {
  requirePermission(principal, 'payments.create');
  if (body.title !== undefined && !body.title.trim()) throw fieldError('title', 'must not be blank');
  const changed =
    isId('plink', id) &&
    (await updatePaymentLink(ctx.db, principal.merchantId, id, {
      ...(body.title === undefined ? {} : { title: body.title.trim() }),
      ...(body.description === undefined ? {} : { description: body.description?.trim() || null }),
      ...(body.active === undefined ? {} : { active: body.active }),
      updated_at: ctx.clock(),
    }));
  if (!changed) throw paymentLinkNotFound(id);
  return getPaymentLink(ctx, principal, id);
}

export async function listPaymentLinks(
  ctx: AppContext,
  principal: Principal,
  page: { limit: number; cursor?: string | undefined },
): Promise<PaymentLinkListView> {
  requirePermission(principal, 'payments.read');
  const after = page.cursor ? decodePageCursor(page.cursor, 'plink') : undefined;
  const rows = await listPaymentLinksPage(ctx.db, principal.merchantId, { limit: page.limit + 1, after });
  return toPage(rows, page.limit, toPaymentLinkView);
}
