import type { Transaction } from 'kysely';
import { customerErased, customerMerged } from './customer.merged.js';
import type { AppContext } from '../../context.js';
import type { DB } from '../../db/schema.js';
import type { Executor } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { checkFields } from '../../errors.js';
import { isId, newId } from '../../ids.js';
import { emailBlindIndexes } from '../../crypto/blind-index.js';
import { getBrand } from '../brands/index.js';
import { beginIdempotent, finishIdempotent } from '../idempotency/index.js';
import { requirePermission, type Principal } from '../access/index.js';
import { actorOf } from '../audit/index.js';
import { customerEventFor, recordCustomerEvent } from '../timeline/index.js';
import type { BrandKeys } from '../../crypto/keyring.js';
import {
  linkByEmailMatch,
  linkCustomerToUser,
  unlinkCustomerUser,
  userNotInBrand,
  type LinkHow,
} from './customer.link.js';
import { customerNotFound, emailTaken } from './customer.access.js';
import { lockSiteUser } from './customer-link.repository.js';
import { checkMetadata, normalizeEmail, normalizeName, normalizePhone } from './customer.normalize.js';
import {
  findCustomer,
  findCustomerForEdit,
  findCustomerIdByEmailIndex,
  insertCustomerIfEmailFree,
  insertNewCustomer,
  updateCustomer as updateCustomerRow,
  type CustomerRecord,
} from './customer.repository.js';
import { sealContact } from './customer.seal.js';
import type { CustomerSource, NewCustomerRow } from './customer.table.js';
import {
  contactAccessOf,
  decryptContact,
  toCustomerView,
  type CustomerFacts,
  type PlainContact,
} from './customer.view.js';
import type { CustomerView } from './customer.schemas.js';
import { loadCustomerView } from './customer.queries.js';

export interface CustomerInput {
  name: string;
  email: string;
  phone?: string | null | undefined;
  metadata?: Record<string, string> | undefined;
  /** A site user to link; null or omitted: a user with this verified email is linked, if any. */
  user?: string | null | undefined;
}

/** PUT /customers: like a new customer, but metadata merges as in a patch. */
export interface CustomerUpsertInput extends Omit<CustomerInput, 'metadata'> {
  metadata?: Record<string, string | null> | undefined;
}

export interface CustomerPatch {
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | null | undefined;
  /** A key set to null or "" is removed. */
  metadata?: Record<string, string | null> | undefined;
  /** Link this site user (relinking the customer from any other); null unlinks. */
  user?: string | null | undefined;
}

/** Staff add customers in the dashboard; API keys through the API. */
export function sourceOf(principal: Principal): CustomerSource {
  return principal.actor.type === 'staff' ? 'dashboard' : 'api';
}

/** POST /customers: a new customer; 409 when the brand has the email; replays an Idempotency-Key. */
export async function createCustomer(
  ctx: AppContext,
  principal: Principal,
  input: CustomerInput,
  options: { source: CustomerSource; idempotencyKey?: string | undefined },
): Promise<{ customer: CustomerView; replayed: boolean }> {
  requirePermission(principal, 'customers.create');
  const { merchantId } = principal;
  const brand = await getBrand(ctx, merchantId);
  const contact = normalizeContact(input, brand.country);
  const keys = await ctx.keyring.forBrand(ctx.db, merchantId);
  const now = ctx.clock();
  const id = newId('cus');
  const metadata = input.metadata ?? {};
  const row: NewCustomerRow = {
    merchant_id: merchantId,
    id,
    ...sealContact(keys, merchantId, id, contact),
    metadata: JSON.stringify(metadata),
    source: options.source,
    created_at: now,
    updated_at: now,
  };
  const emailTakenError = async (db: Executor) =>
    emailTaken((await findCustomerIdByEmailIndex(db, merchantId, emailBlindIndexes(keys, contact.email))) ?? 'unknown');
  let linkedUser: string | null = null;
  let replayOf: string | undefined;

  if (!options.idempotencyKey && !input.user && !keys.retiringIndex) {
    // Most creates: nothing to record for a replay, no user named, no index rebuild under way.
    const created = await insertAlone(ctx, keys, principal, row, contact.email);
    if (!created) throw await emailTakenError(ctx.db);
    linkedUser = created.linkedUser;
  } else {
    replayOf = await ctx.db.transaction().execute(async (trx) => {
      const idempotency = options.idempotencyKey
        ? { merchantId, key: options.idempotencyKey, operation: 'POST /customers', body: input, now }
        : undefined;
      if (idempotency) {
        const decision = await beginIdempotent(trx, keys.index, idempotency);
        if (decision.kind === 'replay') return decision.resourceId;
      }
      // During an index rebuild the email may still sit under the retiring key, which the unique
      // index cannot see: look there first.
      const underRetiringKey = keys.retiringIndex
        ? await findCustomerIdByEmailIndex(trx, merchantId, emailBlindIndexes(keys, contact.email))
        : undefined;
      if (underRetiringKey) throw emailTaken(underRetiringKey);
      if (!(await insertCustomerIfEmailFree(trx, row))) throw await emailTakenError(trx);
      linkedUser = await afterInsert(trx, keys, {
        merchantId,
        id,
        email: contact.email,
        user: input.user,
        source: options.source,
        principal,
        now,
      });
      if (idempotency) await finishIdempotent(trx, idempotency, { statusCode: 201, resourceId: id });
      return undefined;
    });
  }

  if (replayOf) return { customer: await loadCustomerView(ctx, principal, replayOf, brand), replayed: true };
  const created: CustomerFacts = {
    id,
    metadata,
    source: options.source,
    user_id: linkedUser,
    image_updated_at: null,
    erased_at: null,
    suspended_at: null,
    suspension_reason: null,
    transactions_count: 0,
    total_spent_minor: 0,
    last_payment_at: null,
    created_at: now,
    updated_at: now,
  };
  return {
    customer: toCustomerView(created, contact, brand.base_currency, contactAccessOf(principal)),
    replayed: false,
  };
}

/**
 * PUT /customers (CreateOrEdit): the customer for this email, created or updated. Safe under
 * concurrency: the insert is guarded by the brand's unique email index, and whoever loses that
 * race updates the winner's row instead. Omitted optional fields are left as they are.
 */
export async function createOrEditCustomer(
  ctx: AppContext,
  principal: Principal,
  input: CustomerUpsertInput,
  options: { source: CustomerSource },
): Promise<{ customer: CustomerView; created: boolean }> {
  requirePermission(principal, 'customers.create');
  const { merchantId } = principal;
  const brand = await getBrand(ctx, merchantId);
  const contact = normalizeContact(input, brand.country);

  for (let attempt = 0; attempt < 5; attempt++) {
    const keys = await ctx.keyring.forBrand(ctx.db, merchantId);
    const existingId = await findCustomerIdByEmailIndex(ctx.db, merchantId, emailBlindIndexes(keys, contact.email));
    if (existingId) {
      requirePermission(principal, 'customers.edit');
      const patch: CustomerPatch = { name: contact.name };
      if (input.phone !== undefined) patch.phone = contact.phone;
      if (input.metadata !== undefined) patch.metadata = input.metadata;
      if (input.user !== undefined) patch.user = input.user;
      const updated = await applyPatch(ctx, principal, existingId, patch, brand.country);
      if (updated) return { customer: await loadCustomerView(ctx, principal, existingId, brand), created: false };
      continue; // deleted meanwhile: try to create again
    }
    const id = newId('cus');
    const now = ctx.clock();
    const row: NewCustomerRow = {
      merchant_id: merchantId,
      id,
      ...sealContact(keys, merchantId, id, contact),
      metadata: JSON.stringify(mergeMetadata({}, input.metadata)),
      source: options.source,
      created_at: now,
      updated_at: now,
    };
    if (!input.user && !keys.retiringIndex) {
      if (await insertAlone(ctx, keys, principal, row, contact.email)) {
        return { customer: await loadCustomerView(ctx, principal, id, brand), created: true };
      }
      continue; // the email was taken meanwhile: edit that customer
    }
    const inserted = await ctx.db.transaction().execute(async (trx) => {
      const done = await insertCustomerIfEmailFree(trx, row);
      if (done) {
        await afterInsert(trx, keys, {
          merchantId,
          id,
          email: contact.email,
          user: input.user,
          source: options.source,
          principal,
          now,
        });
      }
      return done;
    });
    if (inserted) return { customer: await loadCustomerView(ctx, principal, id, brand), created: true };
  }
  throw new Error('CreateOrEdit did not settle after 5 attempts');
}

/** PATCH /customers/{id}. */
export async function updateCustomer(
  ctx: AppContext,
  principal: Principal,
  id: string,
  patch: CustomerPatch,
): Promise<CustomerView> {
  requirePermission(principal, 'customers.edit');
  const { merchantId } = principal;
  if (!isId('cus', id)) throw customerNotFound(id);
  const brand = await getBrand(ctx, merchantId);
  const updated = await applyPatch(ctx, principal, id, patch, brand.country);
  if (!updated) throw customerNotFound(id);
  return loadCustomerView(ctx, principal, id, brand);
}

function normalizeContact(input: CustomerInput | CustomerUpsertInput, country: string): PlainContact {
  const [name, email, phone] = checkFields(
    () => normalizeName(input.name),
    () => normalizeEmail(input.email),
    () => (input.phone == null ? null : normalizePhone(input.phone, country)),
    () => checkMetadata(input.metadata),
  );
  return { name, email, phone };
}

/**
 * Read-modify-write under a row lock: the whole contact is re-sealed under the current keys, so
 * an edit also moves the row off a retiring data key. Returns false when the row is gone.
 */
async function applyPatch(
  ctx: AppContext,
  principal: Principal,
  id: string,
  patch: CustomerPatch,
  country: string,
): Promise<boolean> {
  const [name, email, phone] = checkFields(
    () => (patch.name === undefined ? undefined : normalizeName(patch.name)),
    () => (patch.email === undefined ? undefined : normalizeEmail(patch.email)),
    () => (patch.phone == null ? patch.phone : normalizePhone(patch.phone, country)),
    () => checkMetadata(patch.metadata),
    () => {
      if (typeof patch.user === 'string' && !isId('usr', patch.user)) throw userNotInBrand(patch.user);
    },
  );
  const { merchantId } = principal;
  let wantedEmail: string | undefined;
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      // A user to link is locked before the customer, in the order every link takes them (customer.link.ts).
      if (typeof patch.user === 'string') await lockSiteUser(trx, merchantId, patch.user);
      const row = await findCustomerForEdit(trx, merchantId, id);
      if (!row) return false;
      // 409 customer_merged naming the survivor; 409 customer_erased: an erased customer takes no
      // new personal data (a new customer may have the email instead).
      if (row.merged_into !== null) throw customerMerged(id, row.merged_into);
      if (row.erased_at !== null) throw customerErased(id);
      const keys = await ctx.keyring.forBrand(trx, merchantId, [row.data_key_id]);
      const current = decryptContact(keys, row);
      const next: PlainContact = {
        name: name ?? current.name,
        email: email ?? current.email,
        phone: phone === undefined ? current.phone : phone,
      };
      wantedEmail = next.email;
      if (next.email !== current.email) {
        // Also finds an owner still under a retiring index key, which the unique index cannot see.
        const owner = await findCustomerIdByEmailIndex(trx, merchantId, emailBlindIndexes(keys, next.email));
        if (owner && owner !== id) throw emailTaken(owner);
      }
      const now = ctx.clock();
      await updateCustomerRow(trx, merchantId, id, {
        ...sealContact(keys, merchantId, id, next),
        metadata: JSON.stringify(mergeMetadata(row.metadata, patch.metadata)),
        updated_at: now,
      });
      const fields = changedFields(current, next, patch);
      const link = { merchantId, customerId: id, actor: actorOf(principal), at: now };
      if (fields.length > 0) {
        await recordCustomerEvent(trx, { ...link, type: 'customer.updated', refs: { fields } });
      }
      if (patch.user === null) await unlinkCustomerUser(trx, link);
      else if (patch.user !== undefined)
        await linkCustomerToUser(trx, { ...link, userId: patch.user, how: howOf(principal) });
      return true;
    });
  } catch (error) {
    // The failed statement aborted the transaction, so the owner of the email is looked up after it.
    if (!isUniqueViolation(error, 'customers_email_bidx') || wantedEmail === undefined) throw error;
    const keys = await ctx.keyring.forBrand(ctx.db, merchantId);
    const existingId = await findCustomerIdByEmailIndex(ctx.db, merchantId, emailBlindIndexes(keys, wantedEmail));
    throw emailTaken(existingId ?? 'unknown');
  }
}

/** Which fields an edit changed, by name only: the timeline never holds the values. */
function changedFields(current: PlainContact, next: PlainContact, patch: CustomerPatch): string[] {
  const fields: string[] = [];
  if (next.name !== current.name) fields.push('name');
  if (next.email !== current.email) fields.push('email');
  if (next.phone !== current.phone) fields.push('phone');
  if (patch.metadata !== undefined && Object.keys(patch.metadata).length > 0) fields.push('metadata');
  return fields;
}

function howOf(principal: Principal): LinkHow {
  return principal.actor.type === 'staff' ? 'staff' : 'api';
}

/**
 * In the insert's transaction: the creation on the timeline, and the link to the named site user,
 * or else to a site user with the same verified email (an unverified one gets a suggestion). Returns
 * the linked user.
 */
async function afterInsert(
  trx: Transaction<DB>,
  keys: BrandKeys,
  p: {
    merchantId: string;
    id: string;
    email: string;
    user: string | null | undefined;
    source: CustomerSource;
    principal: Principal;
    now: Date;
  },
): Promise<string | null> {
  const link = { merchantId: p.merchantId, customerId: p.id, actor: actorOf(p.principal), at: p.now };
  await recordCustomerEvent(trx, { ...link, type: 'customer.created', refs: { source: p.source } });
  if (!p.user) return linkByEmailMatch(trx, keys, { ...link, email: p.email });
  await linkCustomerToUser(trx, { ...link, userId: p.user, how: howOf(p.principal) });
  return p.user;
}

/**
 * A new customer and its `customer.created` event in one statement (insertNewCustomer), which also
 * says whether a site user has the email; only then the link or suggestion (linkByEmailMatch looks
 * for the unlinked ones) in a transaction of its own, as after a payment's registration.
 * Null when the brand has the email. A link that fails leaves the customer created and unlinked
 * (logged): the customer must not be lost to it, and staff can link later.
 */
async function insertAlone(
  ctx: AppContext,
  keys: BrandKeys,
  principal: Principal,
  row: NewCustomerRow,
  email: string,
): Promise<{ linkedUser: string | null } | null> {
  const event = {
    merchantId: row.merchant_id,
    type: 'customer.created' as const,
    actor: actorOf(principal),
    refs: { source: row.source },
    at: row.created_at,
  };
  const inserted = await insertNewCustomer(ctx.db, row, (customer) => customerEventFor({ customer, event }));
  if (!inserted) return null;
  if (!inserted.siteUserWithEmail) return { linkedUser: null };
  const link = { merchantId: row.merchant_id, customerId: row.id, actor: event.actor, at: event.at, email };
  try {
    return { linkedUser: await ctx.db.transaction().execute((trx) => linkByEmailMatch(trx, keys, link)) };
  } catch (error) {
    ctx.logger.error({ customerId: row.id, err: error }, 'Could not link the new customer to its site user');
    return { linkedUser: null };
  }
}

async function lockCustomer(trx: Transaction<DB>, merchantId: string, id: string): Promise<CustomerRecord | undefined> {
  return findCustomer(trx, merchantId, id, { forUpdate: true });
}

function mergeMetadata(
  current: Record<string, string>,
  patch: Record<string, string | null> | undefined,
): Record<string, string> {
  if (!patch) return current;
  const merged = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === '') delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/**
 * Automatic registration, returning payer: their phone fills the customer's phone when it is empty,
 * and never replaces one (staff may have entered it). Re-sealed whole under a row lock, like an edit.
 */
export async function fillMissingPhone(ctx: AppContext, merchantId: string, id: string, phone: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await lockCustomer(trx, merchantId, id);
    if (!row || row.phone_enc !== null) return;
    const keys = await ctx.keyring.forBrand(trx, merchantId, [row.data_key_id]);
    const current = decryptContact(keys, row);
    const at = ctx.clock();
    await updateCustomerRow(trx, merchantId, id, {
      ...sealContact(keys, merchantId, id, { ...current, phone }),
      updated_at: at,
    });
    await recordCustomerEvent(trx, {
      merchantId,
      customerId: id,
      type: 'customer.updated',
      actor: { type: 'system', id: 'payment' },
      refs: { fields: ['phone'] },
      at,
    });
  });
}
