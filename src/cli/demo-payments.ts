import type { AppContext } from '../context.js';
import { TEST_CARDS } from '../gateways/test-gateway.js';
import { DomainError } from '../errors.js';
import type { Principal } from '../modules/access/index.js';
import { getBrand } from '../modules/brands/index.js';
import { createCheckoutSession } from '../modules/checkout/index.js';
import { setExchangeRates } from '../modules/exchange-rates/index.js';
import { createInvoice, finalizeInvoice } from '../modules/invoices/index.js';
import { createPaymentLink } from '../modules/payment-links/index.js';
import { payPaymentLink } from '../modules/payments/index.js';

const card = (number: string) => ({ number, exp_month: 12, exp_year: 2099, cvc: '123' });

/**
 * Demo data for the payment side, taken through the same public flow a client uses: two payment
 * links, a few payments by the demo customers (one in a second currency, one declined, one by a new client who
 * is registered automatically), an open invoice and an open checkout session.
 */
export async function seedDemoPayments(
  ctx: AppContext,
  owner: Principal,
  demoCustomers: { id: string; name: string; email: string }[],
): Promise<void> {
  if (owner.role !== 'owner') throw new Error('demo payments are seeded as the owner');
  const base = (await getBrand(ctx, owner.merchantId)).base_currency;
  // A second currency for the donation link, priced through an exchange rate (made up for the demo).
  const foreign = base === 'USD' ? 'EUR' : 'USD';
  await setExchangeRates(ctx, owner, { rates: { [foreign]: base === 'BDT' ? '117.25' : '1.1' } });
  const yoga = await createPaymentLink(ctx, owner, {
    title: 'Monthly yoga class',
    description: 'Four sessions a month, Gulshan studio',
    currency: base,
    amount: 150000,
    slug: 'yoga-monthly',
  });
  const donation = await createPaymentLink(ctx, owner, {
    title: 'Support our community kitchen',
    currency: foreign,
    min_amount: 100,
    slug: 'community-kitchen',
  });
  const payer = (index: number) => {
    const customer = demoCustomers[index % demoCustomers.length]!;
    return { name: customer.name, email: customer.email, card: card(TEST_CARDS.succeeds) };
  };
  await payPaymentLink(ctx, yoga.slug, payer(0));
  await payPaymentLink(ctx, yoga.slug, payer(0));
  await payPaymentLink(ctx, yoga.slug, payer(1));
  await payPaymentLink(ctx, donation.slug, { ...payer(1), amount: 2500 });
  await payPaymentLink(ctx, yoga.slug, payer(4));
  await payPaymentLink(ctx, donation.slug, {
    name: 'Rafiq Ahmed',
    email: 'rafiq.ahmed@example.com',
    phone: '01611000222',
    amount: 1000,
    card: card(TEST_CARDS.succeeds),
  });
  try {
    await payPaymentLink(ctx, yoga.slug, { ...payer(5), card: card(TEST_CARDS.declined) });
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'card_declined')) throw error;
  }
  const jose = demoCustomers[3];
  if (jose) {
    const invoice = await createInvoice(ctx, owner, {
      customer_id: jose.id,
      currency: base,
      line_items: [
        { description: 'Website design', quantity: 1, unit_amount: 2500000 },
        { description: 'Hosting, 12 months', quantity: 12, unit_amount: 80000 },
      ],
      memo: 'Thank you for your business.',
    });
    await finalizeInvoice(ctx, owner, invoice.id);
  }
  await createCheckoutSession(ctx, owner, {
    amount: 349900,
    currency: base,
    description: 'Order #1001',
    expires_in_minutes: 10080,
  });
}
