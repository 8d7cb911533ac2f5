import crypto from 'node:crypto';
import type { Paydesk } from '../../src/app.js';
import { createApiKey } from '../../src/modules/api-keys/api-key.service.js';
import { createBrand } from '../../src/modules/brands/brand.service.js';

/** What a backup test seeds: brands with their owner keys, and every personal value it wrote. */
export interface SeededData {
  brands: Array<{ id: string; name: string; token: string }>;
  /** Names, emails and phones (as given and as stored, E.164), none of which may appear in a backup. */
  personal: string[];
}

/**
 * Two brands, each with customers (name, email, phone) made through the API and payments made on a
 * public pay page (which register their payers), all values unique to this run.
 */
export async function seedBrands(paydesk: Paydesk, customersPerBrand = 4): Promise<SeededData> {
  const run = crypto.randomBytes(4).toString('hex');
  const seeded: SeededData = { brands: [], personal: [] };
  for (const letter of ['a', 'b']) {
    const brand = await createBrand(paydesk.ctx, {
      name: `Backup Brand ${letter.toUpperCase()} ${run}`,
      country: 'BD',
      baseCurrency: 'BDT',
    });
    const { token } = await createApiKey(paydesk.ctx, { merchantId: brand.id, name: 'backup test', role: 'owner' });
    seeded.brands.push({ id: brand.id, name: brand.name, token });
    const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      paydesk.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload ? { payload } : {}),
      });
    for (let i = 0; i < customersPerBrand; i++) {
      const digits = String(crypto.randomInt(10_000_000, 99_999_999));
      const customer = {
        name: `Zubaida Quaderi ${run}${letter}${i}`,
        email: `zubaida.${run}${letter}${i}@backup-test.example`,
        phone: `017${digits}`,
      };
      const created = await api('POST', '/api/v1/customers', customer);
      if (created.statusCode !== 201) throw new Error(`customer: ${created.statusCode} ${created.body}`);
      seeded.personal.push(customer.name, customer.email, customer.phone, `+88017${digits}`);
    }
    const link = await api('POST', '/api/v1/payment-links', {
      title: `Backup link ${letter}`,
      currency: 'BDT',
      amount: 125000,
    });
    if (link.statusCode !== 201) throw new Error(`payment link: ${link.statusCode} ${link.body}`);
    const { slug } = link.json<{ slug: string }>();
    for (let i = 0; i < 3; i++) {
      const payer = {
        name: `Fariha Payerson ${run}${letter}${i}`,
        email: `fariha.${run}${letter}${i}@payer-test.example`,
        card: { number: '4242 4242 4242 4242', exp_month: 12, exp_year: 2099, cvc: '123' },
      };
      const paid = await paydesk.app.inject({ method: 'POST', url: `/api/public/pay/${slug}`, payload: payer });
      if (paid.statusCode !== 200) throw new Error(`pay: ${paid.statusCode} ${paid.body}`);
      seeded.personal.push(payer.name, payer.email);
    }
  }
  return seeded;
}

/** Everything the brands' owners read back through the API (decrypted): compared before and after a restore. */
export async function readBack(paydesk: Paydesk, seeded: SeededData): Promise<unknown> {
  const result: Record<string, unknown> = {};
  for (const brand of seeded.brands) {
    const get = async (url: string) => {
      const response = await paydesk.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${brand.token}` },
      });
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
      return response.json<unknown>();
    };
    result[brand.id] = {
      brand: await get('/api/v1/brand'),
      customers: await get('/api/v1/customers?limit=100'),
      transactions: await get('/api/v1/transactions?limit=100'),
    };
  }
  return result;
}

/** The seeded values found in some bytes, as text or hex (a bytea column shows as hex in a SQL dump). */
export function personalDataIn(bytes: Buffer, seeded: SeededData): string[] {
  const text = bytes.toString('latin1');
  const lowered = text.toLowerCase();
  return seeded.personal.filter((value) => {
    const utf8 = Buffer.from(value, 'utf8');
    return text.includes(utf8.toString('latin1')) || lowered.includes(utf8.toString('hex'));
  });
}
