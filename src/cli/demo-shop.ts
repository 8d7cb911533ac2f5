import type { AppContext } from '../context.js';
import type { Principal } from '../modules/access/index.js';
import { getBrand } from '../modules/brands/index.js';
import { addNote } from '../modules/notes/index.js';
import { createOrder, recordOfflinePayment } from '../modules/orders/index.js';
import { registerUser } from '../modules/site-users/index.js';

/**
 * Demo data for the shop side, as the merchant's site would send it: accounts registering (one with
 * a demo customer's verified email, which links to that customer; one new, which creates its
 * customer; one unverified match, which is only suggested to staff), and two orders: one paid in cash
 * on delivery, one open; and a note on a customer.
 */
export async function seedDemoShop(
  ctx: AppContext,
  owner: Principal,
  demoCustomers: { id: string; name: string; email: string }[],
): Promise<void> {
  const ayesha = demoCustomers[0];
  const tanvir = demoCustomers[1];
  if (ayesha) {
    await registerUser(ctx, owner, {
      external_id: 'shop-1001',
      email: ayesha.email,
      email_verified: true,
      given_name: 'Ayesha',
      family_name: 'Rahman',
    });
  }
  const imran = await registerUser(ctx, owner, {
    external_id: 'shop-1002',
    email: 'imran.kabir@example.com',
    email_verified: true,
    given_name: 'Imran',
    family_name: 'Kabir',
    phone: '01912000333',
  });
  if (tanvir) {
    await registerUser(ctx, owner, {
      external_id: 'shop-1003',
      email: tanvir.email,
      email_verified: false,
      given_name: 'Tanvir',
      family_name: 'Hasan',
    });
  }
  const base = (await getBrand(ctx, owner.merchantId)).base_currency;
  const delivered = await createOrder(ctx, owner, {
    currency: base,
    line_items: [
      { description: 'Jamdani saree, handwoven', quantity: 1, unit_amount: 1250000 },
      { description: 'Delivery, Dhaka', quantity: 1, unit_amount: 10000 },
    ],
    user: imran.user.id,
  });
  await recordOfflinePayment(ctx, owner, delivered.order.id, { method: 'cash', reference: 'COD 1001' });
  if (ayesha) {
    await addNote(ctx, owner, ayesha.id, { body: 'Prefers delivery after 6 pm; call before coming.' });
    await createOrder(ctx, owner, {
      currency: base,
      line_items: [{ description: 'Nakshi kantha cushion cover', quantity: 2, unit_amount: 180000 }],
      customer: ayesha.id,
    });
  }
}
