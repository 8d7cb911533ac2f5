import type { AppContext } from '../../context.js';
import { type Principal, requirePermission } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { findBrand, updateBrandSettings } from './brand.repository.js';
import type { AutoCreateSource, BrandRow, BrandSettings } from './brand.table.js';
import type { BrandSettingsBody, BrandView } from './brand.schemas.js';
import { getBrand } from './brand.service.js';

/**
 * Whether a source may create customers on its own (defaults on: brands made before a switch
 * existed keep creating). Off means a known email still links and nothing new is created.
 */
export function autoCreateCustomers(brand: Pick<BrandRow, 'settings'>, source: AutoCreateSource): boolean {
  if (source === 'payments') return brand.settings.auto_register_customers ?? true;
  return brand.settings.auto_create_customers?.[source] ?? true;
}

/** The payments switch, under its first name. */
export function autoRegisterCustomers(brand: Pick<BrandRow, 'settings'>): boolean {
  return autoCreateCustomers(brand, 'payments');
}

export function toBrandView(brand: BrandRow): BrandView {
  const payments = autoCreateCustomers(brand, 'payments');
  return {
    id: brand.id,
    object: 'brand',
    name: brand.name,
    country: brand.country,
    base_currency: brand.base_currency,
    logo_url: brand.logo_url,
    settings: {
      auto_register_customers: payments,
      auto_create_customers: {
        registrations: autoCreateCustomers(brand, 'registrations'),
        orders: autoCreateCustomers(brand, 'orders'),
        payments,
      },
    },
    created_at: brand.created_at.toISOString(),
  };
}

/** GET /brand: any role of the brand may see what brand it works in. */
export async function getBrandView(ctx: AppContext, principal: Principal): Promise<BrandView> {
  return toBrandView(await getBrand(ctx, principal.merchantId));
}

/** The stored settings after a PATCH: auto_create_customers.payments and auto_register_customers are one switch. */
function nextSettings(current: BrandSettings, body: BrandSettingsBody): BrandSettings {
  const { payments, ...others } = body.auto_create_customers ?? {};
  const next: BrandSettings = { ...current };
  const register = payments ?? body.auto_register_customers;
  if (register !== undefined) next.auto_register_customers = register;
  if (Object.keys(others).length > 0) next.auto_create_customers = { ...current.auto_create_customers, ...others };
  return next;
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
    const next = nextSettings(brand.settings, body);
    await updateBrandSettings(trx, brand.id, next);
    await recordAudit(trx, {
      merchantId: brand.id,
      actor: actorOf(principal),
      action: 'brand.settings_change',
      target: { type: 'brand', id: brand.id },
      details: { before: { ...brand.settings }, after: { ...next } },
    });
  });
  return getBrandView(ctx, principal);
}
