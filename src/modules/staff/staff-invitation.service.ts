import crypto from 'node:crypto';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/errors.js';
import { DomainError } from '../../errors.js';
import { isId, newId } from '../../ids.js';
import { type Principal, requirePermission, type Role } from '../access/index.js';
import { actorOf } from '../audit/index.js';
import { normalizeStaffEmail } from './password.js';
import { recordStaffAudit } from './staff.audit.js';
import { requireOwnerFor } from './staff.service.js';
import { findMembership, findStaffByEmail } from './staff.repository.js';
import {
  insertInvitation,
  listPendingInvitations,
  revokeInvitation,
  revokePendingInvitationOfEmail,
} from './staff-invitation.repository.js';
import type { StaffInvitationCreatedView, StaffInvitationView } from './staff-invitation.schemas.js';
import type { InvitationStatus } from './staff-invitation.table.js';

/** How long an accept link works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;

/** 256 random bits for the accept link; only its SHA-256 is stored. */
export function newInvitationToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function hashInvitationToken(token: string): Buffer {
  return crypto.createHash('sha256').update(token).digest();
}

type InvitationRow = {
  id: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  created_at: Date;
  expires_at: Date;
};

function view(row: InvitationRow, now: Date): StaffInvitationView {
  return {
    object: 'staff_invitation',
    id: row.id,
    email: row.email,
    role: row.role,
    status: row.expires_at.getTime() <= now.getTime() ? 'expired' : 'pending',
    expires_at: row.expires_at.toISOString(),
    created_at: row.created_at.toISOString(),
  };
}

/**
 * Invites an email to the caller's brand. The answer has the same shape whether or not the email
 * has an account anywhere, so a brand learns nothing about another brand's staff: the person joins
 * only by accepting. The one refusal that depends on the email, 409 staff_exists, concerns a member
 * of the caller's own brand, whom the caller can already list.
 */
export async function inviteStaff(
  ctx: AppContext,
  principal: Principal,
  input: { email: string; role: Role },
  ip: string | undefined,
): Promise<StaffInvitationCreatedView> {
  requirePermission(principal, 'staff.manage');
  if (input.role === 'owner') requireOwnerFor(principal, 'invite owners');
  const email = normalizeStaffEmail(input.email);
  const token = newInvitationToken();
  const id = newId('sinv');
  const now = ctx.clock();
  const row: InvitationRow = {
    id,
    email,
    role: input.role,
    status: 'pending',
    created_at: now,
    expires_at: new Date(now.getTime() + INVITATION_TTL_MS),
  };
  const write = () =>
    ctx.db.transaction().execute(async (trx) => {
      const account = await findStaffByEmail(trx, email);
      if (account && (await findMembership(trx, principal.merchantId, account.id))) {
        throw new DomainError('staff_exists', 'This email is already a member of this brand', {
          staff_id: account.id,
        });
      }
      const replaced = await revokePendingInvitationOfEmail(trx, principal.merchantId, email, now);
      await insertInvitation(trx, {
        merchant_id: principal.merchantId,
        ...row,
        token_hash: hashInvitationToken(token),
        invited_by_type: principal.actor.type,
        invited_by_id: principal.actor.id,
      });
      await recordStaffAudit(trx, {
        merchantId: principal.merchantId,
        actor: actorOf(principal),
        action: 'staff.invite',
        target: { type: 'staff_invitation', id },
        ip,
        details: { role: input.role, ...(replaced ? { replaced } : {}) },
      });
    });
  try {
    await write();
  } catch (error) {
    // Two invitations of one email at once: the loser runs again and replaces the winner's.
    if (!isUniqueViolation(error, 'staff_invitations_pending_email')) throw error;
    await write();
  }
  return { ...view(row, now), accept_url: `/invite/${token}` };
}

export async function listInvitations(
  ctx: AppContext,
  principal: Principal,
): Promise<{ object: 'list'; data: StaffInvitationView[] }> {
  requirePermission(principal, 'staff.manage');
  const now = ctx.clock();
  const rows = await listPendingInvitations(ctx.db, principal.merchantId);
  return { object: 'list', data: rows.map((row) => view(row, now)) };
}

/** The link stops working at once; an accepted or already revoked invitation is not found. */
export async function revokeStaffInvitation(
  ctx: AppContext,
  principal: Principal,
  id: string,
  ip: string | undefined,
): Promise<void> {
  requirePermission(principal, 'staff.manage');
  const notFound = new DomainError('invitation_not_found', `No pending invitation ${id} in this brand`, {
    invitation_id: id,
  });
  if (!isId('sinv', id)) throw notFound;
  await ctx.db.transaction().execute(async (trx) => {
    const revoked = await revokeInvitation(trx, principal.merchantId, id, ctx.clock());
    if (!revoked) throw notFound;
    if (revoked.role === 'owner') requireOwnerFor(principal, 'revoke an invitation to be owner');
    await recordStaffAudit(trx, {
      merchantId: principal.merchantId,
      actor: actorOf(principal),
      action: 'staff.invite_revoke',
      target: { type: 'staff_invitation', id },
      ip,
      details: { role: revoked.role },
    });
  });
}
