import type { Static } from '@sinclair/typebox';
import type { AppContext } from '../../context.js';
import { checkoutStatus } from '../checkout/checkout-session.service.js';
import { invoiceNumber } from '../invoices/invoice.service.js';
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
  const money = (amount: number | null) => (amount === null ? null : { amount: Number(amount), currency: row.currency });
  return {
    brand_name: row.brand_name,
    title: row.title,
    description: row.description,
    currency: row.currency,
    amount_type: row.amount_minor === null ? 'customer_chosen' : 'fixed',
    amount: money(row.amount_minor),
    min_amount: money(row.min_amount_minor),
    max_amount: money(row.max_amount_minor),
  };
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
  const money = (amount: number) => ({ amount, currency: row.currency });
  return {
    brand_name: row.brand_name,
    number: invoiceNumber(Number(row.number)),
    status: row.status === 'draft' ? 'open' : row.status,
    line_items: row.line_items.map((item) => ({
      description: item.description,
      quantity: item.quantity,
      unit_amount: money(item.unit_amount_minor),
      amount: money(item.unit_amount_minor * item.quantity),
    })),
    total: money(Number(row.total_minor)),
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

export async function payPaymentLink(ctx: AppContext, slug: string, input: PayInput, client?: PayingClient): Promise<PayResult> {
  return guarded(client, async () => takePayment(ctx, await linkPayable(ctx, slug, input.amount), { ...input, amount: undefined }));
}

export async function payCheckout(ctx: AppContext, token: string, input: PayInput, client?: PayingClient): Promise<PayResult> {
  return guarded(client, async () => takePayment(ctx, await checkoutPayable(ctx, token), input));
}

export async function payInvoice(ctx: AppContext, token: string, input: PayInput, client?: PayingClient): Promise<PayResult> {
  return guarded(client, async () => takePayment(ctx, await invoicePayable(ctx, token), input));
}

/** Without a client (the demo seed, in process) nothing is counted. */
function guarded<T>(client: PayingClient | undefined, pay: () => Promise<T>): Promise<T> {
  return client ? client.declines.attempt(client.address, pay) : pay();
}
