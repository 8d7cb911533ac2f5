import type { Static } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { checkoutStatus } from '../checkout/index.js';
import { invoiceLines, invoiceNumber } from '../invoices/index.js';
import { linkPricing } from '../payment-links/index.js';
import { checkoutPayable, invoicePayable, linkPayable, openLink, readCheckout, readInvoice } from './payables.js';
import { takePayment, type PayInput, type PayResult } from './pay.service.js';
import type { DeclineGuard } from './decline-guard.js';
import type { PublicCheckout, PublicInvoice, PublicPaymentLink } from './public.schemas.js';

/*
 * What the public pages (no sign-in) may see and do: the brand's name and what is being paid;
 * never a customer's data, and never another record of the brand.
 */

export async function publicPaymentLink(ctx: AppContext, slug: string): Promise<Static<typeof PublicPaymentLink>> {
  const row = await openLink(ctx, slug);
  return { brand_name: row.brand_name, title: row.title, description: row.description, ...linkPricing(row) };
}

export async function publicCheckout(ctx: AppContext, token: string): Promise<Static<typeof PublicCheckout>> {
  const row = await readCheckout(ctx, token);
  return {
    brand_name: row.brand_name,
    description: row.description,
    amount: { amount: Number(row.amount_minor), currency: row.currency },
    status: checkoutStatus(row, ctx.clock()),
    expires_at: row.expires_at.toISOString(),
  };
}

export async function publicInvoice(ctx: AppContext, token: string): Promise<Static<typeof PublicInvoice>> {
  const row = await readInvoice(ctx, token);
  return {
    brand_name: row.brand_name,
    number: invoiceNumber(Number(row.number)),
    status: row.status === 'draft' ? 'open' : row.status,
    line_items: invoiceLines(row),
    total: { amount: Number(row.total_minor), currency: row.currency },
    memo: row.memo,
    due_date: row.due_date,
    customer_known: row.customer_id !== null,
  };
}

/** Who is paying: their address, and the guard that counts their declines (card testing). */
export interface PayingClient {
  address: string;
  declines: DeclineGuard;
}

export async function payPaymentLink(
  ctx: AppContext,
  slug: string,
  input: PayInput,
  client?: PayingClient,
): Promise<PayResult> {
  return guarded(client, async () =>
    takePayment(ctx, await linkPayable(ctx, slug, input.amount), { ...input, amount: undefined }),
  );
}

export async function payCheckout(
  ctx: AppContext,
  token: string,
  input: PayInput,
  client?: PayingClient,
): Promise<PayResult> {
  return guarded(client, async () => takePayment(ctx, await checkoutPayable(ctx, token), input));
}

export async function payInvoice(
  ctx: AppContext,
  token: string,
  input: PayInput,
  client?: PayingClient,
): Promise<PayResult> {
  return guarded(client, async () => takePayment(ctx, await invoicePayable(ctx, token), input));
}

/** Without a client (the demo seed, in process) nothing is counted. */
function guarded<T>(client: PayingClient | undefined, pay: () => Promise<T>): Promise<T> {
  return client ? client.declines.attempt(client.address, pay) : pay();
}
