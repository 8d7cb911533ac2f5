import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/errors.js';
import { checkFields, DomainError, fieldError } from '../../errors.js';
import { newId } from '../../ids.js';
import { SYSTEM_MERCHANT_ID } from '../audit/index.js';
import { checkNewPassword, hashPassword, verifyPassword } from './password.js';
import { deleteExpiredSessionsOfStaff, insertSession } from './session.repository.js';
import { describeSession, type SignedIn } from './session.service.js';
import { hashSessionToken, newSessionToken, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './session.tokens.js';
import type { SignInThrottle } from './sign-in-throttle.js';
import { recordStaffAudit, type StaffAuditEvent } from './staff.audit.js';
import {
  findMembership,
  findStaffByEmail,
  insertMembership,
  insertStaff,
  listMembershipsOfStaff,
} from './staff.repository.js';
import { claimInvitation, findInvitationByTokenHash } from './staff-invitation.repository.js';
import type { InvitationAcceptBodyType, PublicInvitationView } from './staff-invitation.schemas.js';
import { hashInvitationToken } from './staff-invitation.service.js';

// 32 bytes in base64url: anything else cannot be a link of ours, and costs no query.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function notFound(): DomainError {
  return new DomainError('invitation_not_found', 'This invitation link is not valid; ask for a new one');
}

function expired(): DomainError {
  return new DomainError('invitation_expired', 'This invitation has expired or was already used; ask for a new one');
}

async function usableInvitation(ctx: AppContext, token: string) {
  if (!TOKEN_PATTERN.test(token)) throw notFound();
  const invitation = await findInvitationByTokenHash(ctx.db, hashInvitationToken(token));
  if (!invitation) throw notFound();
  if (invitation.status !== 'pending' || invitation.expires_at.getTime() <= ctx.clock().getTime()) throw expired();
  return invitation;
}

/** What the accept page shows: only to whoever holds the link, including whether the email has an account. */
export async function previewInvitation(ctx: AppContext, token: string): Promise<PublicInvitationView> {
  const invitation = await usableInvitation(ctx, token);
  const account = await findStaffByEmail(ctx.db, invitation.email);
  return {
    object: 'staff_invitation_preview',
    brand: { name: invitation.brand_name },
    role: invitation.role,
    email: invitation.email,
    account: account ? 'existing' : 'new',
    expires_at: invitation.expires_at.toISOString(),
  };
}

/**
 * Accepts an invitation and signs the person in, on the invited brand:
 * 1. the link must be pending and unexpired (404 unknown, 410 used, revoked or expired);
 * 2. an existing account proves itself with its password, counted like a sign-in by the throttle;
 *    a new one gets the name and password given;
 * 3. in one transaction: claim the invitation (a conditional update, so a link is used once even by
 *    two requests at once), create the account if new, add the membership, open the session.
 */
export async function acceptInvitation(
  ctx: AppContext,
  throttle: SignInThrottle,
  token: string,
  input: InvitationAcceptBodyType,
  ip: string,
): Promise<SignedIn> {
  const invitation = await usableInvitation(ctx, token);
  const account = await findStaffByEmail(ctx.db, invitation.email);
  let created: { id: string; name: string; passwordHash: string } | undefined;
  if (account) {
    if (input.name !== undefined) throw fieldError('name', 'belongs to the existing account; leave it out');
    // Counted as a failure unless the password proves right (throws rate_limited once a limit is reached).
    const attempt = await throttle.begin(account.email, ip);
    if (!(await verifyPassword(account.password_hash, input.password))) {
      await recordStaffAudit(
        ctx.db,
        await inBrandsOf(ctx, account.id, {
          actor: { type: 'system', id: 'invitation' },
          action: 'staff.sign_in_failed',
          ip,
          details: { reason: 'wrong_password', invitation_id: invitation.id },
        }),
      );
      throw fieldError('password', 'is not the password of this account');
    }
    await attempt.succeeded();
  } else {
    const [name, password] = checkFields(
      () => {
        const name = (input.name ?? '').trim();
        if (!name) throw fieldError('name', 'must not be empty');
        return name;
      },
      () => checkNewPassword(input.password),
    );
    created = { id: newId('stf'), name, passwordHash: await hashPassword(password) };
  }

  const staffId = account?.id ?? created!.id;
  const merchantId = invitation.merchant_id;
  const now = ctx.clock();
  const sessionToken = newSessionToken();
  const sessionId = newId('ses');
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await claimInvitation(trx, merchantId, invitation.id, staffId, now))) throw expired();
    if (created) {
      try {
        await insertStaff(trx, {
          id: created.id,
          email: invitation.email,
          name: created.name,
          password_hash: created.passwordHash,
          created_at: now,
        });
      } catch (error) {
        if (isUniqueViolation(error, 'staff_email')) {
          throw new DomainError('staff_exists', 'An account with this email was just created; open the link again');
        }
        throw error;
      }
    } else {
      await deleteExpiredSessionsOfStaff(trx, staffId, new Date(now.getTime() - SESSION_IDLE_MS), now);
      if (await findMembership(trx, merchantId, staffId)) {
        throw new DomainError('staff_exists', 'You are already a member of this brand; sign in instead');
      }
    }
    await insertMembership(trx, { merchant_id: merchantId, staff_id: staffId, role: invitation.role, created_at: now });
    await insertSession(trx, {
      staff_id: staffId,
      id: sessionId,
      token_hash: hashSessionToken(sessionToken),
      active_merchant_id: merchantId,
      ip,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    });
    const actor = { type: 'staff' as const, id: staffId };
    await recordStaffAudit(trx, {
      merchantId,
      actor,
      action: 'staff.add',
      target: { type: 'staff', id: staffId },
      ip,
      details: {
        role: invitation.role,
        account: created ? 'created' : 'existing',
        invitation_id: invitation.id,
        invited_by: { type: invitation.invited_by_type, id: invitation.invited_by_id },
      },
    });
    const brands = await listMembershipsOfStaff(trx, staffId);
    await recordStaffAudit(
      trx,
      brands.map((brand) => ({
        merchantId: brand.merchant_id,
        actor,
        action: 'staff.sign_in' as const,
        target: { type: 'staff', id: staffId },
        ip,
        details: { session_id: sessionId, invitation_id: invitation.id },
      })),
    );
  });
  return {
    token: sessionToken,
    expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    view: await describeSession(ctx, {
      id: sessionId,
      staffId,
      token: sessionToken,
      activeMerchantId: merchantId,
      principal: null,
    }),
  };
}

/** One event per brand the person is in (a failed password names no other brand to the inviting one). */
async function inBrandsOf(
  ctx: AppContext,
  staffId: string,
  event: Omit<StaffAuditEvent, 'merchantId'>,
): Promise<StaffAuditEvent[]> {
  const brands = await listMembershipsOfStaff(ctx.db, staffId);
  const ids = brands.length > 0 ? brands.map((brand) => brand.merchant_id) : [SYSTEM_MERCHANT_ID];
  return ids.map((merchantId) => ({ ...event, target: { type: 'staff', id: staffId }, merchantId }));
}
