import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/errors.js';
import { DomainError } from '../../errors.js';
import { isId, newId } from '../../ids.js';
import { type Principal, requirePermission, roleAllows } from '../access/index.js';
import { actorOf } from '../audit/index.js';
import { checkNewPassword, hashPassword } from './password.js';
import { deleteSessionsOfStaff, insertSession } from './session.repository.js';
import { describeSession, type SignedIn } from './session.service.js';
import { hashSessionToken, newSessionToken, SESSION_ABSOLUTE_MS } from './session.tokens.js';
import { recordStaffAudit, type StaffAuditEvent } from './staff.audit.js';
import { findMembership, listMembershipsOfStaff, updateStaffPassword } from './staff.repository.js';
import { requireOwnerFor } from './staff.service.js';
import { hashInvitationToken, newInvitationToken } from './staff-invitation.service.js';
import {
  claimPasswordReset,
  findPasswordResetByTokenHash,
  insertPasswordReset,
  replacePendingPasswordReset,
} from './staff-password-reset.repository.js';
import type { PasswordResetStartedView, PublicPasswordResetView } from './staff-password-reset.schemas.js';

/** How long a reset link works: long enough to pass on, short because it is as good as the password. */
export const PASSWORD_RESET_TTL_MS = 24 * 60 * 60_000;

// The same 256-bit link tokens as invitations, hashed the same way: only the SHA-256 is stored.
export const newPasswordResetToken = newInvitationToken;
export const hashPasswordResetToken = hashInvitationToken;

function staffNotFound(id: string): DomainError {
  return new DomainError('staff_not_found', `No staff member ${id} in this brand`, { staff_id: id });
}

/**
 * Starts a password reset for a member of the caller's brand and answers its one-time link:
 * 1. staff.manage in this brand, a member of it (another brand's is 404), not the caller (who changes
 *    their own with POST /session/password), and only an owner resets an owner;
 * 2. an account is one person across brands: whoever resets it must manage it in every brand it is in,
 *    or an owner of one brand could take over an owner of another through a shared support member;
 * 3. in one transaction: retire the pending link, store the new one's hash, audit.
 * Nothing changes for the person until the link is used: their password and sessions still work.
 */
export async function startPasswordReset(
  ctx: AppContext,
  principal: Principal,
  staffId: string,
  ip: string | undefined,
): Promise<PasswordResetStartedView> {
  requirePermission(principal, 'staff.manage');
  if (!isId('stf', staffId)) throw staffNotFound(staffId);
  if (principal.actor.type === 'staff' && principal.actor.id === staffId) {
    throw new DomainError(
      'password_reset_self',
      'You cannot reset your own password here; change it with POST /api/v1/session/password',
    );
  }
  const membership = await findMembership(ctx.db, principal.merchantId, staffId);
  if (!membership) throw staffNotFound(staffId);
  if (membership.role === 'owner') requireOwnerFor(principal, "reset an owner's password");
  await requireAuthorityInEveryBrand(ctx, principal, staffId);

  const token = newPasswordResetToken();
  const id = newId('spr');
  const now = ctx.clock();
  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS);
  const write = () =>
    ctx.db.transaction().execute(async (trx) => {
      const replaced = await replacePendingPasswordReset(trx, staffId, now);
      await insertPasswordReset(trx, {
        staff_id: staffId,
        id,
        merchant_id: principal.merchantId,
        token_hash: hashPasswordResetToken(token),
        status: 'pending',
        started_by_type: principal.actor.type,
        started_by_id: principal.actor.id,
        created_at: now,
        expires_at: expiresAt,
      });
      await recordStaffAudit(trx, {
        merchantId: principal.merchantId,
        actor: actorOf(principal),
        action: 'staff.password_reset_started',
        target: { type: 'staff', id: staffId },
        ip,
        details: { reset_id: id, expires_at: expiresAt.toISOString(), ...(replaced ? { replaced } : {}) },
      });
    });
  try {
    await write();
  } catch (error) {
    // Two resets of one person at once: the loser runs again and replaces the winner's.
    if (!isUniqueViolation(error, 'staff_password_resets_pending')) throw error;
    await write();
  }
  return {
    object: 'staff_password_reset',
    staff_id: staffId,
    reset_url: `/reset-password/${token}`,
    expires_at: expiresAt.toISOString(),
  };
}

/** The caller manages the person in each of their brands (an owner where they are an owner). */
async function requireAuthorityInEveryBrand(ctx: AppContext, principal: Principal, staffId: string): Promise<void> {
  const theirs = await listMembershipsOfStaff(ctx.db, staffId);
  const others = theirs.filter((m) => m.merchant_id !== principal.merchantId);
  if (others.length === 0) return;
  const mine =
    principal.actor.type === 'staff'
      ? new Map((await listMembershipsOfStaff(ctx.db, principal.actor.id)).map((m) => [m.merchant_id, m.role]))
      : new Map();
  const allowed = others.every((m) => {
    const role = mine.get(m.merchant_id);
    return role !== undefined && roleAllows(role, 'staff.manage') && (m.role !== 'owner' || role === 'owner');
  });
  if (!allowed) {
    throw new DomainError(
      'forbidden',
      'This account also works in a brand you do not manage, so only they can change its password (signed in), ' +
        'or someone who manages them in every brand they are in',
      { permission: 'staff.manage' },
    );
  }
}

// 32 bytes in base64url: anything else cannot be a link of ours, and costs no query.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function linkNotFound(): DomainError {
  return new DomainError('password_reset_not_found', 'This password reset link is not valid; ask for a new one');
}

function linkExpired(): DomainError {
  return new DomainError(
    'password_reset_expired',
    'This password reset link has expired or was already used; ask for a new one',
  );
}

async function usablePasswordReset(ctx: AppContext, token: string) {
  if (!TOKEN_PATTERN.test(token)) throw linkNotFound();
  const reset = await findPasswordResetByTokenHash(ctx.db, hashPasswordResetToken(token));
  if (!reset) throw linkNotFound();
  if (reset.status !== 'pending' || reset.expires_at.getTime() <= ctx.clock().getTime()) throw linkExpired();
  // Removed from the brand that started it since: that brand no longer speaks for the account.
  if (!(await findMembership(ctx.db, reset.merchant_id, reset.staff_id))) throw linkExpired();
  return reset;
}

/** What the reset page shows, to whoever holds the link: whose password it sets. */
export async function previewPasswordReset(ctx: AppContext, token: string): Promise<PublicPasswordResetView> {
  const reset = await usablePasswordReset(ctx, token);
  return {
    object: 'staff_password_reset_preview',
    email: reset.email,
    name: reset.name,
    expires_at: reset.expires_at.toISOString(),
  };
}

/**
 * Sets the new password from a reset link and signs the person in:
 * 1. the link must be pending and unexpired (404 unknown, 410 used, replaced or expired);
 * 2. the password follows the rules of every new password (12+ characters, 422 on the field);
 * 3. in one transaction: claim the link (a conditional update, so it is used once even by two requests
 *    at once), store the password, end every session of the person (whoever knew the old password is
 *    out), open the new session on the brand the reset came from (or their first), audit per brand.
 */
export async function completePasswordReset(
  ctx: AppContext,
  token: string,
  input: { password: string },
  ip: string,
): Promise<SignedIn> {
  const reset = await usablePasswordReset(ctx, token);
  const passwordHash = await hashPassword(checkNewPassword(input.password));
  const staffId = reset.staff_id;
  const now = ctx.clock();
  const sessionToken = newSessionToken();
  const sessionId = newId('ses');
  const activeMerchantId = await ctx.db.transaction().execute(async (trx) => {
    if (!(await claimPasswordReset(trx, staffId, reset.id, now))) throw linkExpired();
    await updateStaffPassword(trx, staffId, passwordHash, now);
    const ended = await deleteSessionsOfStaff(trx, staffId);
    const brands = await listMembershipsOfStaff(trx, staffId);
    // Checked by usablePasswordReset; a removal in between leaves the first brand, like a sign-in.
    const active = brands.some((b) => b.merchant_id === reset.merchant_id)
      ? reset.merchant_id
      : (brands[0]?.merchant_id ?? null);
    await insertSession(trx, {
      staff_id: staffId,
      id: sessionId,
      token_hash: hashSessionToken(sessionToken),
      active_merchant_id: active,
      ip,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    });
    const actor = { type: 'staff' as const, id: staffId };
    const target = { type: 'staff', id: staffId };
    const startedBy = { type: reset.started_by_type, id: reset.started_by_id };
    await recordStaffAudit(
      trx,
      brands.flatMap((brand): StaffAuditEvent[] => [
        {
          merchantId: brand.merchant_id,
          actor,
          action: 'staff.password_reset',
          target,
          ip,
          details: { reset_id: reset.id, signed_out_sessions: ended, started_by: startedBy },
        },
        {
          merchantId: brand.merchant_id,
          actor,
          action: 'staff.sign_in',
          target,
          ip,
          details: { session_id: sessionId, reset_id: reset.id },
        },
      ]),
    );
    return active;
  });
  return {
    token: sessionToken,
    expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    view: await describeSession(ctx, {
      id: sessionId,
      staffId,
      token: sessionToken,
      activeMerchantId,
      principal: null,
    }),
  };
}
