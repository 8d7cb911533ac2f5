import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import { externalIdBlindIndex } from '../../crypto/blind-index.js';
import type { BrandKeys } from '../../crypto/keyring.js';
import { checkFields } from '../../errors.js';
import { isId, newId } from '../../ids.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf, recordAudit } from '../audit/index.js';
import { autoCreateCustomers, getBrand, type BrandRow } from '../brands/index.js';
import {
  findOrCreateCustomer,
  linkIfFree,
  normalizeEmail,
  normalizePhone,
  suggestLink,
  syncCustomerNameFromUser,
  unlinkCustomerUser,
} from '../customers/index.js';
import { checkFamilyName, checkGivenName, normalizeUser } from './user.input.js';
import {
  deleteUser as deleteUserRow,
  findUserIdByExternalId,
  insertUserIfNew,
  lockUser,
  updateUser as updateUserRow,
} from './user.repository.js';
import type { SiteUserView, UserCreateBody, UserUpdateBody } from './user.schemas.js';
import { fullName, sealUser, unsealUser, type PlainUser } from './user.seal.js';
import { loadUserView, userNotFound } from './user.queries.js';

/**
 * POST /users, when the merchant's site registers an account: the user, and their customer found or
 * created in the same transaction (README "Site users"). Idempotent by external_id: registering it
 * again answers the existing user and changes nothing (PATCH changes it).
 */
export async function registerUser(
  ctx: AppContext,
  principal: Principal,
  body: UserCreateBody,
): Promise<{ user: SiteUserView; created: boolean }> {
  requirePermission(principal, 'users.write');
  const { merchantId } = principal;
  const brand = await getBrand(ctx, merchantId);
  const user = normalizeUser(body, brand.country);
  const verified = body.email_verified ?? false;
  const keys = await ctx.keyring.forBrand(ctx.db, merchantId);
  const id = newId('usr');
  const now = ctx.clock();
  const existing = await ctx.db.transaction().execute(async (trx) => {
    // During an index rebuild the id may sit under the retiring key, which the unique index cannot see.
    if (keys.retiringIndex) {
      const older = await findUserIdByExternalId(trx, merchantId, externalIdIndexes(keys, user.externalId));
      if (older) return older;
    }
    const inserted = await insertUserIfNew(trx, {
      merchant_id: merchantId,
      id,
      ...sealUser(keys, merchantId, id, user),
      email_verified: verified,
      created_at: now,
      updated_at: now,
    });
    if (!inserted) return findUserIdByExternalId(trx, merchantId, externalIdIndexes(keys, user.externalId));
    await attachCustomer(trx, keys, brand, principal, { userId: id, user, verified, now });
    return undefined;
  });
  return { user: await loadUserView(ctx, principal, existing ?? id), created: existing === undefined };
}

/**
 * The registering user's customer: found by email or created (if the brand's registrations switch
 * is on). A verified email links the two; an unverified one only suggests the link to staff.
 */
async function attachCustomer(
  trx: Transaction<DB>,
  keys: BrandKeys,
  brand: BrandRow,
  principal: Principal,
  p: { userId: string; user: PlainUser; verified: boolean; now: Date },
): Promise<void> {
  const actor = actorOf(principal);
  const customer = await findOrCreateCustomer(trx, keys, {
    merchantId: brand.id,
    contact: { name: fullName(p.user), email: p.user.email, phone: p.user.phone },
    source: 'registration',
    create: autoCreateCustomers(brand, 'registrations'),
    actor,
    at: p.now,
    linkByEmail: false,
  });
  if (!customer) return;
  const link = { merchantId: brand.id, customerId: customer.id, userId: p.userId, actor, at: p.now };
  if (p.verified) await linkIfFree(trx, { ...link, how: 'registration' });
  else await suggestLink(trx, link);
}

/**
 * PATCH /users/{id}, on a profile change at the merchant's site. A new given or family name renames
 * the linked customer in the same transaction; an email that becomes verified links the user to
 * its customer as a registration would have.
 */
export async function updateUser(
  ctx: AppContext,
  principal: Principal,
  id: string,
  body: UserUpdateBody,
): Promise<SiteUserView> {
  requirePermission(principal, 'users.write');
  const { merchantId } = principal;
  if (!isId('usr', id)) throw userNotFound(id);
  const brand = await getBrand(ctx, merchantId);
  const [email, givenName, familyName, phone] = checkFields(
    () => (body.email === undefined ? undefined : normalizeEmail(body.email)),
    () => (body.given_name === undefined ? undefined : checkGivenName(body.given_name)),
    () => (body.family_name === undefined ? undefined : checkFamilyName(body.family_name)),
    () =>
      body.phone === undefined
        ? undefined
        : body.phone === null || body.phone.trim() === ''
          ? null
          : normalizePhone(body.phone, brand.country),
  );
  await ctx.db.transaction().execute(async (trx) => {
    const row = await lockUser(trx, merchantId, id);
    if (!row) throw userNotFound(id);
    const keys = await ctx.keyring.forBrand(trx, merchantId, [row.data_key_id]);
    const current = unsealUser(keys, row);
    const next: PlainUser = {
      externalId: current.externalId,
      email: email ?? current.email,
      givenName: givenName ?? current.givenName,
      familyName: familyName ?? current.familyName,
      phone: phone === undefined ? current.phone : phone,
    };
    const emailChanged = next.email !== current.email;
    // A changed email is not the verified one unless the site says so again.
    const verified = body.email_verified ?? (emailChanged ? false : row.email_verified);
    const now = ctx.clock();
    await updateUserRow(trx, merchantId, id, {
      ...sealUser(keys, merchantId, id, next),
      email_verified: verified,
      ...(emailChanged ? { suggested_customer_id: null } : {}),
      updated_at: now,
    });
    const actor = actorOf(principal);
    if (fullName(next) !== fullName(current)) {
      await syncCustomerNameFromUser(ctx, trx, { merchantId, userId: id, name: fullName(next), actor, at: now });
    }
    const newlyProven = verified && (!row.email_verified || emailChanged);
    if (row.customer_id === null && (newlyProven || emailChanged)) {
      await attachCustomer(trx, keys, brand, principal, { userId: id, user: next, verified, now });
    }
  });
  return loadUserView(ctx, principal, id);
}

/** DELETE /users/{id}: the account is gone at the merchant's site; its customer stays, unlinked. */
export async function deleteUser(ctx: AppContext, principal: Principal, id: string, ip?: string): Promise<void> {
  requirePermission(principal, 'users.write');
  const { merchantId } = principal;
  if (!isId('usr', id)) throw userNotFound(id);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await lockUser(trx, merchantId, id);
    if (!row) throw userNotFound(id);
    const actor = actorOf(principal);
    if (row.customer_id)
      await unlinkCustomerUser(trx, { merchantId, customerId: row.customer_id, actor, at: ctx.clock() });
    await deleteUserRow(trx, merchantId, id);
    await recordAudit(trx, { merchantId, actor, action: 'user.delete', target: { type: 'user', id }, ip });
  });
}

function externalIdIndexes(keys: BrandKeys, externalId: string): Buffer[] {
  return [keys.index, ...(keys.retiringIndex ? [keys.retiringIndex] : [])].map((k) =>
    externalIdBlindIndex(k, externalId),
  );
}
