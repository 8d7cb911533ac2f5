import type { AppContext } from '../../context.js';
import { type Principal, requirePermission } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { findBrand, updateBrandSettings } from './brand.repository.js';
import type { BrandRow } from './brand.table.js';
import type { BrandSettingsBody, BrandView } from './brand.schemas.js';
import { getBrand } from './brand.service.js';

/** Defaults apply to brands created before a setting existed. */
export function autoRegisterCustomers(brand: Pick<BrandRow, 'settings'>): boolean {
  return brand.settings.auto_register_customers ?? true;
}

export function toBrandView(brand: BrandRow): BrandView {
  return {
    id: brand.id,
    object: 'brand',
    name: brand.name,
    country: brand.country,
    base_currency: brand.base_currency,
    settings: { auto_register_customers: autoRegisterCustomers(brand) },
  };
}

/** GET /brand: any role of the brand may see what brand it works in. */
export async function getBrandView(ctx: AppContext, principal: Principal): Promise<BrandView> {
  return toBrandView(await getBrand(ctx, principal.merchantId));
}

/** PATCH /brand/settings, audited with the settings before and after (no personal data). */
export async function changeBrandSettings(
  ctx: AppContext,
  principal: Principal,
  body: BrandSettingsBody,
): Promise<BrandView> {
  requirePermission(principal, 'brand.manage');
  await ctx.db.transaction().execute(async (trx) => {
    const brand = await findBrand(trx, principal.merchantId);
    if (!brand) throw new Error(`brand ${principal.merchantId} not found`);
    const next = { ...brand.settings, ...body };
    await updateBrandSettings(trx, brand.id, next);
    await recordAudit(trx, {
      merchantId: brand.id,
      actor: actorOf(principal),
      action: 'brand.settings_change',
      target: { type: 'brand', id: brand.id },
      details: { before: { ...brand.settings }, after: next },
    });
  });
  return getBrandView(ctx, principal);
}
