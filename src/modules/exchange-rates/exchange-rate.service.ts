import type { AppContext } from '../../context.js';
import { DomainError, validationError, type FieldError } from '../../errors.js';
import { isCurrency } from '../../money/currency.js';
import { canonicalRate, isRate } from '../../money/exchange.js';
import { type Principal, requirePermission } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { getBrand } from '../brands/index.js';
import { listExchangeRates, upsertExchangeRates } from './exchange-rate.repository.js';
import type { ExchangeRates, ExchangeRatesBody } from './exchange-rate.schemas.js';

export async function getExchangeRates(ctx: AppContext, principal: Principal): Promise<ExchangeRates> {
  requirePermission(principal, 'payments.read');
  const brand = await getBrand(ctx, principal.merchantId);
  const rows = await listExchangeRates(ctx.db, principal.merchantId);
  return {
    object: 'exchange_rates',
    base_currency: brand.base_currency,
    rates: rows.map((r) => ({
      currency: r.currency,
      rate: canonicalRate(r.rate),
      updated_at: r.updated_at.toISOString(),
    })),
  };
}

/**
 * PUT /exchange-rates: rates take effect for payments that succeed from now on; transactions keep
 * the rate they were recorded at, so history never moves.
 */
export async function setExchangeRates(
  ctx: AppContext,
  principal: Principal,
  body: ExchangeRatesBody,
): Promise<ExchangeRates> {
  requirePermission(principal, 'brand.manage');
  const brand = await getBrand(ctx, principal.merchantId);
  const errors: FieldError[] = [];
  for (const [currency, rate] of Object.entries(body.rates)) {
    const field = `rates.${currency}`;
    if (!isCurrency(currency))
      errors.push({ field, reason: 'is not an ISO 4217 currency code (upper case, e.g. USD)' });
    else if (currency === brand.base_currency)
      errors.push({ field, reason: 'is the base currency; its rate is always 1' });
    else if (!isRate(rate))
      errors.push({ field, reason: 'must be a positive decimal string such as "117.25" (up to 12 decimals)' });
  }
  if (errors.length > 0) throw validationError(errors);
  if (Object.keys(body.rates).length === 0)
    throw new DomainError('validation_failed', 'rates: give at least one currency');
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    await upsertExchangeRates(
      trx,
      Object.entries(body.rates).map(([currency, rate]) => ({
        merchant_id: brand.id,
        currency,
        rate: canonicalRate(rate),
        updated_at: now,
      })),
    );
    await recordAudit(trx, {
      merchantId: brand.id,
      actor: actorOf(principal),
      action: 'exchange_rates.update',
      details: { rates: Object.fromEntries(Object.entries(body.rates).map(([c, r]) => [c, canonicalRate(r)])) },
    });
  });
  return getExchangeRates(ctx, principal);
}
