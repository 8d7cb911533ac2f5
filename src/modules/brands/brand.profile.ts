import type { AppContext } from '../../context.js';
import { checkFields, DomainError } from '../../errors.js';
import { type Principal, requirePermission } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { insertMembership, listMembershipsOfStaff } from '../staff/index.js';
import { checkBaseCurrency, checkBrandName, checkCountry, checkLogoUrl } from './brand.input.js';
import {
  brandHasTransactions,
  deleteBrandExchangeRates,
  findBrands,
  lockBrand,
  updateBrandProfile,
} from './brand.repository.js';
import type { BrandCreateBody, BrandListView, BrandUpdateBody, BrandView } from './brand.schemas.js';
import { createBrand, getBrand } from './brand.service.js';
import { toBrandView } from './brand.settings.js';

/** Who asks for the brands: a staff member (any of their brands) or an API key (its one brand). */
export type BrandCaller = { kind: 'staff'; staffId: string } | { kind: 'api_key'; principal: Principal };

/** GET /brands: the brands the caller may act for. */
export async function listBrands(ctx: AppContext, caller: BrandCaller): Promise<BrandListView> {
  const ids =
    caller.kind === 'staff'
      ? (await listMembershipsOfStaff(ctx.db, caller.staffId)).map((m) => m.merchant_id)
      : [caller.principal.merchantId];
  const brands = await findBrands(ctx.db, ids);
  return { object: 'list', data: brands.map(toBrandView), has_more: false, next_cursor: null };
}

/**
 * POST /brands: a staff member who owns any brand makes another and becomes its owner. The brand
 * gets its own data and index keys. API keys belong to one brand and never make brands.
 */
export async function createBrandAsStaff(
  ctx: AppContext,
  caller: BrandCaller,
  body: BrandCreateBody,
): Promise<BrandView> {
  if (caller.kind !== 'staff') {
    throw new DomainError('forbidden', 'An API key acts for one brand; a signed-in owner creates brands', {
      permission: 'owner',
    });
  }
  const [name, country, baseCurrency, logoUrl] = checkFields(
    () => checkBrandName(body.name),
    () => checkCountry(body.country),
    () => checkBaseCurrency(body.base_currency),
    () => checkLogoUrl(body.logo_url ?? null),
  );
  const memberships = await listMembershipsOfStaff(ctx.db, caller.staffId);
  if (!memberships.some((m) => m.role === 'owner')) {
    throw new DomainError('forbidden', 'Only the owner of a brand may create another brand', { permission: 'owner' });
  }
  const now = ctx.clock();
  const brand = await createBrand(ctx, { name, country, baseCurrency, logoUrl }, async (trx, brandId) => {
    await insertMembership(trx, { merchant_id: brandId, staff_id: caller.staffId, role: 'owner', created_at: now });
    await recordAudit(trx, {
      merchantId: brandId,
      actor: { type: 'staff', id: caller.staffId },
      action: 'brand.create',
      target: { type: 'brand', id: brandId },
      details: { country, base_currency: baseCurrency },
    });
  });
  return toBrandView(brand);
}

/** PATCH /brand: the profile of the caller's brand (owner, admin). */
export async function updateBrand(ctx: AppContext, principal: Principal, body: BrandUpdateBody): Promise<BrandView> {
  requirePermission(principal, 'brand.manage');
  const [name, country, baseCurrency, logoUrl] = checkFields(
    () => (body.name === undefined ? undefined : checkBrandName(body.name)),
    () => (body.country === undefined ? undefined : checkCountry(body.country)),
    () => (body.base_currency === undefined ? undefined : checkBaseCurrency(body.base_currency)),
    () => (body.logo_url === undefined ? undefined : checkLogoUrl(body.logo_url)),
  );
  await ctx.db.transaction().execute(async (trx) => {
    const brand = await lockBrand(trx, principal.merchantId);
    if (!brand) throw new Error(`brand ${principal.merchantId} not found`);
    const changes = {
      ...(name !== undefined && name !== brand.name ? { name } : {}),
      ...(country !== undefined && country !== brand.country ? { country } : {}),
      ...(baseCurrency !== undefined && baseCurrency !== brand.base_currency ? { base_currency: baseCurrency } : {}),
      ...(logoUrl !== undefined && logoUrl !== brand.logo_url ? { logo_url: logoUrl } : {}),
    };
    if (Object.keys(changes).length === 0) return;
    if (changes.base_currency !== undefined) {
      if (await brandHasTransactions(trx, brand.id)) {
        throw new DomainError(
          'currency_locked',
          `The brand has transactions, and every total is kept in ${brand.base_currency}; its base currency can no longer change`,
          { field: 'base_currency', base_currency: brand.base_currency },
        );
      }
      await deleteBrandExchangeRates(trx, brand.id);
    }
    await updateBrandProfile(trx, brand.id, changes);
    await recordAudit(trx, {
      merchantId: brand.id,
      actor: actorOf(principal),
      action: 'brand.update',
      target: { type: 'brand', id: brand.id },
      details: { fields: Object.keys(changes) },
    });
  });
  return toBrandView(await getBrand(ctx, principal.merchantId));
}
