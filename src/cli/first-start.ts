import type { AppContext } from '../context.js';
import type { Principal } from '../modules/access/index.js';
import { createApiKey, ensureApiKey } from '../modules/api-keys/index.js';
import { countBrands, createBrand, firstBrand } from '../modules/brands/index.js';
import { createCustomer } from '../modules/customers/index.js';
import { ensureOwnerAccount } from '../modules/staff/index.js';
import { seedDemoPayments } from './demo-payments.js';
import { seedDemoShop } from './demo-shop.js';

const DEMO_CUSTOMERS = [
  { name: 'Ayesha Rahman', email: 'ayesha.rahman@example.com', phone: '01711000111' },
  { name: 'Tanvir Hasan', email: 'tanvir@example.net', phone: '+880 1812-345678' },
  { name: 'Nusrat Jahan', email: 'nusrat.jahan@example.org', phone: null },
  { name: 'José Martínez', email: 'jose.martinez@example.com', phone: '+34 612 345 678' },
  { name: 'Farhan Chowdhury', email: 'farhan.c@example.com', phone: '01911222333' },
  { name: 'Sadia Islam', email: 'sadia.islam@example.com', phone: '01555666777' },
] as const;

export interface FirstStartReport {
  brandId: string;
  brandName: string;
  /** Present only when this start created the key: it is shown once and never stored in clear. */
  newApiKey?: string;
  demoCustomers: number;
  /** The owner's staff account (dashboard sign-in). */
  admin: AdminAccountReport;
}

export interface AdminAccountReport {
  email: string;
  /** Present only when Paydesk chose the password: shown once, stored only as an argon2id hash. */
  newPassword?: string;
  /** True when PAYDESK_ADMIN_PASSWORD replaced the stored password (its sessions were signed out). */
  passwordReset: boolean;
}

/** The email of the first owner when PAYDESK_ADMIN_EMAIL is not set (.example never delivers mail). */
export const DEFAULT_ADMIN_EMAIL = 'owner@paydesk.example';

/**
 * On an empty database: the first brand, its owner API key and (unless PAYDESK_DEMO=0) a few demo
 * customers with payments, payment links, an invoice and a checkout session. On later starts only makes sure PAYDESK_API_KEY, when set, exists.
 */
export async function prepareFirstStart(ctx: AppContext): Promise<FirstStartReport | undefined> {
  const { config } = ctx;
  if ((await countBrands(ctx.db)) > 0) {
    const brand = await firstBrand(ctx.db);
    if (brand && config.apiKey) {
      await ensureApiKey(ctx, { merchantId: brand.id, name: 'PAYDESK_API_KEY', role: 'owner', token: config.apiKey });
    }
    return undefined;
  }
  const brand = await createBrand(ctx, {
    name: config.firstBrand.name,
    country: config.firstBrand.country,
    baseCurrency: config.firstBrand.currency,
  });
  const key = await createApiKey(ctx, {
    merchantId: brand.id,
    name: config.apiKey ? 'PAYDESK_API_KEY' : 'First-start key',
    role: 'owner',
    ...(config.apiKey ? { token: config.apiKey } : {}),
  });
  let demoCustomers = 0;
  if (config.demo) {
    const system: Principal = { merchantId: brand.id, role: 'owner', actor: { type: 'system', id: 'demo-seed' } };
    const created = [];
    for (const customer of DEMO_CUSTOMERS) {
      created.push((await createCustomer(ctx, system, customer, { source: 'demo' })).customer);
      demoCustomers++;
    }
    await seedDemoPayments(ctx, system, created);
    await seedDemoShop(ctx, system, created);
  }
  const admin = await ownerAccount(ctx, brand.id);
  return {
    brandId: brand.id,
    brandName: brand.name,
    ...(config.apiKey ? {} : { newApiKey: key.token }),
    demoCustomers,
    admin,
  };
}

/**
 * A later start with PAYDESK_ADMIN_EMAIL or PAYDESK_ADMIN_PASSWORD set: that account exists and owns
 * the first brand, with that password when one is set (the way to reset a lost owner password).
 * Undefined when neither is set or there is no brand yet.
 */
export async function ensureConfiguredAdmin(ctx: AppContext): Promise<AdminAccountReport | undefined> {
  const { admin } = ctx.config;
  if (admin.email === undefined && admin.password === undefined) return undefined;
  const brand = await firstBrand(ctx.db);
  return brand ? ownerAccount(ctx, brand.id) : undefined;
}

async function ownerAccount(ctx: AppContext, merchantId: string): Promise<AdminAccountReport> {
  const email = ctx.config.admin.email ?? DEFAULT_ADMIN_EMAIL;
  const result = await ensureOwnerAccount(ctx, {
    merchantId,
    email,
    name: 'Owner',
    password: ctx.config.admin.password,
  });
  return {
    email,
    passwordReset: result.passwordReset,
    ...(result.generatedPassword ? { newPassword: result.generatedPassword } : {}),
  };
}
