import crypto from 'node:crypto';
import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import { isId, newId } from '../../ids.js';
import { type Principal, requirePermission, type Role } from '../access/index.js';
import { actorOf } from '../audit/index.js';
import { checkNewPassword, hashPassword, normalizeStaffEmail, verifyPassword } from './password.js';
import { deleteSessionsOfStaff } from './session.repository.js';
import { recordStaffAudit } from './staff.audit.js';
import {
  countMembershipsOfStaff,
  deleteMembership,
  deleteStaff,
  findMembership,
  findStaffByEmail,
  insertMembership,
  insertStaff,
  listBrandStaff,
  lockBrandOwners,
  updateMembershipRole,
  updateStaffPassword,
} from './staff.repository.js';
import type { StaffMemberView } from './staff.schemas.js';

type StaffRow = { id: string; email: string; name: string; role: Role; created_at: Date };

function view(row: StaffRow): StaffMemberView {
  return {
    object: 'staff',
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    added_at: row.created_at.toISOString(),
  };
}

function staffNotFound(id: string): DomainError {
  return new DomainError('staff_not_found', `No staff member ${id} in this brand`, { staff_id: id });
}

/** Owners are made, demoted and removed by owners only: an admin cannot take a brand from its owner. */
export function requireOwnerFor(principal: Principal, what: string): void {
  if (principal.role !== 'owner') {
    throw new DomainError('forbidden', `Only an owner may ${what}`, { permission: 'owner' });
  }
}

export async function listStaff(
  ctx: AppContext,
  principal: Principal,
): Promise<{ object: 'list'; data: StaffMemberView[] }> {
  requirePermission(principal, 'staff.read');
  const rows = await listBrandStaff(ctx.db, principal.merchantId);
  return { object: 'list', data: rows.map(view) };
}

export async function changeStaffRole(
  ctx: AppContext,
  principal: Principal,
  staffId: string,
  role: Role,
  ip: string | undefined,
): Promise<StaffMemberView> {
  requirePermission(principal, 'staff.manage');
  if (!isId('stf', staffId)) throw staffNotFound(staffId);
  return ctx.db.transaction().execute(async (trx) => {
    const owners = await lockBrandOwners(trx, principal.merchantId);
    const membership = await findMembership(trx, principal.merchantId, staffId);
    if (!membership) throw staffNotFound(staffId);
    const from = membership.role as Role;
    if (from === 'owner' || role === 'owner') requireOwnerFor(principal, "change an owner's role or make owners");
    if (from === 'owner' && role !== 'owner' && owners.length <= 1) {
      throw new DomainError('owner_required', 'This is the only owner of the brand; make someone else owner first');
    }
    if (from !== role) {
      await updateMembershipRole(trx, principal.merchantId, staffId, role);
      await recordStaffAudit(trx, {
        merchantId: principal.merchantId,
        actor: actorOf(principal),
        action: 'staff.role_change',
        target: { type: 'staff', id: staffId },
        ip,
        details: { from, to: role },
      });
    }
    const row = (await listBrandStaff(trx, principal.merchantId)).find((r) => r.id === staffId);
    if (!row) throw staffNotFound(staffId);
    return view(row);
  });
}

/** Takes a person out of the brand; an account left in no brand is deleted with its sessions. */
export async function removeStaff(
  ctx: AppContext,
  principal: Principal,
  staffId: string,
  ip: string | undefined,
): Promise<void> {
  requirePermission(principal, 'staff.manage');
  if (!isId('stf', staffId)) throw staffNotFound(staffId);
  await ctx.db.transaction().execute(async (trx) => {
    const owners = await lockBrandOwners(trx, principal.merchantId);
    const membership = await findMembership(trx, principal.merchantId, staffId);
    if (!membership) throw staffNotFound(staffId);
    if (membership.role === 'owner') {
      requireOwnerFor(principal, 'remove an owner');
      if (owners.length <= 1)
        throw new DomainError('owner_required', 'This is the only owner of the brand; make someone else owner first');
    }
    await deleteMembership(trx, principal.merchantId, staffId);
    const accountDeleted = (await countMembershipsOfStaff(trx, staffId)) === 0;
    if (accountDeleted) await deleteStaff(trx, staffId);
    await recordStaffAudit(trx, {
      merchantId: principal.merchantId,
      actor: actorOf(principal),
      action: 'staff.remove',
      target: { type: 'staff', id: staffId },
      ip,
      details: { role: membership.role, account_deleted: accountDeleted },
    });
  });
}

/**
 * First start and PAYDESK_ADMIN_EMAIL/PASSWORD: makes sure the account exists and owns the brand.
 * A configured password that differs from the stored one replaces it and ends the account's
 * sessions: restarting with a new PAYDESK_ADMIN_PASSWORD is how a lost owner password is reset.
 */
export async function ensureOwnerAccount(
  ctx: AppContext,
  input: { merchantId: string; email: string; name: string; password: string | undefined },
): Promise<{
  staffId: string;
  created: boolean;
  passwordReset: boolean;
  madeOwner: boolean;
  generatedPassword?: string;
}> {
  const email = normalizeStaffEmail(input.email, 'PAYDESK_ADMIN_EMAIL');
  const now = ctx.clock();
  const system = { type: 'system' as const, id: 'first-start' };
  const existing = await findStaffByEmail(ctx.db, email);
  // Without a configured password a new account gets a random one (shown once); an existing one keeps its own.
  const generatedPassword = !existing && input.password === undefined ? newStaffPassword() : undefined;
  const password = input.password ?? generatedPassword;
  const keep =
    password === undefined || (existing !== undefined && (await verifyPassword(existing.password_hash, password)));
  const passwordHash = keep ? undefined : await hashPassword(checkNewPassword(password, 'PAYDESK_ADMIN_PASSWORD'));
  return ctx.db.transaction().execute(async (trx) => {
    let staffId = existing?.id;
    if (!staffId) {
      staffId = newId('stf');
      await insertStaff(trx, { id: staffId, email, name: input.name, password_hash: passwordHash!, created_at: now });
    } else if (passwordHash) {
      await updateStaffPassword(trx, staffId, passwordHash, now);
      await deleteSessionsOfStaff(trx, staffId);
    }
    const membership = await findMembership(trx, input.merchantId, staffId);
    if (!membership) {
      await insertMembership(trx, { merchant_id: input.merchantId, staff_id: staffId, role: 'owner', created_at: now });
      await recordStaffAudit(trx, {
        merchantId: input.merchantId,
        actor: system,
        action: 'staff.add',
        target: { type: 'staff', id: staffId },
        details: { role: 'owner', account: existing ? 'existing' : 'created' },
      });
    } else if (membership.role !== 'owner') {
      await updateMembershipRole(trx, input.merchantId, staffId, 'owner');
      await recordStaffAudit(trx, {
        merchantId: input.merchantId,
        actor: system,
        action: 'staff.role_change',
        target: { type: 'staff', id: staffId },
        details: { from: membership.role, to: 'owner' },
      });
    }
    if (existing && passwordHash) {
      await recordStaffAudit(trx, {
        merchantId: input.merchantId,
        actor: system,
        action: 'staff.password_change',
        target: { type: 'staff', id: staffId },
        details: { reason: 'PAYDESK_ADMIN_PASSWORD' },
      });
    }
    return {
      staffId,
      created: !existing,
      passwordReset: Boolean(existing && passwordHash),
      madeOwner: membership?.role !== 'owner',
      ...(generatedPassword ? { generatedPassword } : {}),
    };
  });
}

/** 20 characters of base64url: 120 random bits, for accounts whose first password Paydesk chooses. */
export function newStaffPassword(): string {
  return crypto.randomBytes(15).toString('base64url');
}
