import type { AppContext } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { DomainError, fieldError } from '../../errors.js';
import { newId } from '../../ids.js';
import { ROLE_PERMISSIONS, type Principal, type Role } from '../access/index.js';

import { SYSTEM_MERCHANT_ID } from '../audit/index.js';
import { burnPasswordCheck, checkNewPassword, hashPassword, normalizeStaffEmail, verifyPassword } from './password.js';
import {
  deleteExpiredSessionsOfStaff,
  deleteSession,
  deleteSessionsOfStaff,
  findSessionByTokenHash,
  insertSession,
  setSessionBrand,
  touchSession,
} from './session.repository.js';
import {
  csrfTokenFor,
  hashSessionToken,
  newSessionToken,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  SESSION_TOUCH_MS,
} from './session.tokens.js';
import type { SignInThrottle } from './sign-in-throttle.js';
import { emailAuditHash, recordStaffAudit, type StaffAuditEvent } from './staff.audit.js';
import {
  findMembership,
  findStaffByEmail,
  findStaffById,
  listMembershipsOfStaff,
  updateStaffPassword,
} from './staff.repository.js';
import type { SessionViewType } from './staff.schemas.js';

/** A signed-in staff member, as the HTTP layer knows them for one request. */
export interface StaffSession {
  id: string;
  staffId: string;
  /** The raw cookie token (this request's copy; never stored). */
  token: string;
  activeMerchantId: string | null;
  /** The active brand and the role there; null when there is none (no brand, or removed from it). */
  principal: Principal | null;
}

export interface SignedIn {
  token: string;
  expiresAt: Date;
  view: SessionViewType;
}

export async function signIn(
  ctx: AppContext,
  throttle: SignInThrottle,
  input: { email: string; password: string },
  ip: string,
): Promise<SignedIn> {
  const email = normalizeStaffEmail(input.email);
  const attempt = await throttle.begin(email, ip);
  const staff = await findStaffByEmail(ctx.db, email);
  if (!staff || !(await verifyPassword(staff.password_hash, input.password))) {
    if (!staff) await burnPasswordCheck(input.password);
    const base = { actor: { type: 'system' as const, id: 'sign-in' }, action: 'staff.sign_in_failed' as const, ip };
    if (staff) {
      await recordStaffAudit(
        ctx.db,
        await perBrand(ctx.db, staff.id, { ...base, details: { reason: 'wrong_password' } }),
      );
    } else {
      await recordStaffAudit(ctx.db, {
        ...base,
        merchantId: SYSTEM_MERCHANT_ID,
        details: { reason: 'unknown_email', email_hash: emailAuditHash(ctx, email) },
      });
    }
    throw new DomainError('invalid_credentials', 'The email or the password is wrong');
  }
  await attempt.succeeded();

  const now = ctx.clock();
  await deleteExpiredSessionsOfStaff(ctx.db, staff.id, new Date(now.getTime() - SESSION_IDLE_MS), now);
  const memberships = await listMembershipsOfStaff(ctx.db, staff.id);
  const token = newSessionToken();
  const id = newId('ses');
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  const activeMerchantId = memberships[0]?.merchant_id ?? null;
  await insertSession(ctx.db, {
    staff_id: staff.id,
    id,
    token_hash: hashSessionToken(token),
    active_merchant_id: activeMerchantId,
    ip,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
  });
  await recordStaffAudit(
    ctx.db,
    await perBrand(ctx.db, staff.id, {
      actor: staffActor(staff.id),
      action: 'staff.sign_in',
      ip,
      details: { session_id: id },
    }),
  );
  const session: StaffSession = { id, staffId: staff.id, token, activeMerchantId, principal: null };
  return { token, expiresAt, view: await describeSession(ctx, session) };
}

/** Resolves the session cookie; throws for an unknown token and ends an expired session. */
export async function authenticateSession(ctx: AppContext, token: string): Promise<StaffSession> {
  const row = await findSessionByTokenHash(ctx.db, hashSessionToken(token));
  if (!row)
    throw new DomainError('unauthenticated', 'The session is unknown or signed out; sign in with POST /api/v1/session');
  const now = ctx.clock().getTime();
  const lastSeen = row.last_seen_at.getTime();
  if (row.expires_at.getTime() <= now || lastSeen + SESSION_IDLE_MS <= now) {
    await deleteSession(ctx.db, row.staff_id, row.id);
    throw new DomainError('session_expired', 'The session has expired; sign in again');
  }
  if (now - lastSeen >= SESSION_TOUCH_MS) await touchSession(ctx.db, row.staff_id, row.id, new Date(now));
  const role = row.role as Role | null;
  return {
    id: row.id,
    staffId: row.staff_id,
    token,
    activeMerchantId: row.active_merchant_id,
    principal:
      row.active_merchant_id && role
        ? { merchantId: row.active_merchant_id, role, actor: { type: 'staff', id: row.staff_id } }
        : null,
  };
}

export async function describeSession(ctx: AppContext, session: StaffSession): Promise<SessionViewType> {
  const staff = await findStaffById(ctx.db, session.staffId);
  if (!staff) throw new DomainError('unauthenticated', 'The staff account no longer exists');
  const memberships = await listMembershipsOfStaff(ctx.db, session.staffId);
  const active = memberships.some((m) => m.merchant_id === session.activeMerchantId) ? session.activeMerchantId : null;
  return {
    object: 'session',
    staff: { id: staff.id, email: staff.email, name: staff.name },
    brands: memberships.map((m) => ({
      id: m.merchant_id,
      name: m.brand_name,
      role: m.role,
      permissions: [...ROLE_PERMISSIONS[m.role]],
    })),

    active_brand_id: active,
    csrf_token: csrfTokenFor(session.token),
  };
}

export async function signOut(ctx: AppContext, session: StaffSession, ip: string): Promise<void> {
  await deleteSession(ctx.db, session.staffId, session.id);
  await recordStaffAudit(
    ctx.db,
    await perBrand(ctx.db, session.staffId, {
      actor: staffActor(session.staffId),
      action: 'staff.sign_out',
      ip,
      details: { session_id: session.id },
    }),
  );
}

/** Another brand the person belongs to becomes the active one; any other id is "not found". */
export async function switchActiveBrand(
  ctx: AppContext,
  session: StaffSession,
  brandId: string,
): Promise<SessionViewType> {
  const membership = await findMembership(ctx.db, brandId, session.staffId);
  if (!membership) throw new DomainError('brand_not_found', `No brand ${brandId} among yours`, { brand_id: brandId });
  await setSessionBrand(ctx.db, session.staffId, session.id, brandId);
  return describeSession(ctx, { ...session, activeMerchantId: brandId });
}

/** Checks the current password, stores the new one and ends every other session of the person. */
export async function changePassword(
  ctx: AppContext,
  throttle: SignInThrottle,
  session: StaffSession,
  input: { current_password: string; new_password: string },
  ip: string,
): Promise<{ signedOutSessions: number }> {
  const staff = await findStaffById(ctx.db, session.staffId);
  if (!staff) throw new DomainError('unauthenticated', 'The staff account no longer exists');
  const newPassword = checkNewPassword(input.new_password, 'new_password');
  // Guessing the current password from a stolen session is a sign-in attempt like any other.
  const attempt = await throttle.begin(staff.email, ip);
  if (!(await verifyPassword(staff.password_hash, input.current_password))) {
    throw fieldError('current_password', 'is not your current password');
  }
  await attempt.succeeded();
  const passwordHash = await hashPassword(newPassword);
  const signedOutSessions = await ctx.db.transaction().execute(async (trx) => {
    await updateStaffPassword(trx, staff.id, passwordHash, ctx.clock());
    const ended = await deleteSessionsOfStaff(trx, staff.id, session.id);
    await recordStaffAudit(
      trx,
      await perBrand(trx, staff.id, {
        actor: staffActor(staff.id),
        action: 'staff.password_change',
        ip,
        details: { signed_out_sessions: ended },
      }),
    );
    return ended;
  });
  return { signedOutSessions };
}

function staffActor(staffId: string) {
  return { type: 'staff' as const, id: staffId };
}

/**
 * One event per brand the person belongs to, so each brand's trail shows its staff's sign-ins
 * without naming the other brands; a person in no brand gets one system event.
 */
async function perBrand(
  db: Executor,
  staffId: string,
  event: Omit<StaffAuditEvent, 'merchantId'>,
): Promise<StaffAuditEvent[]> {
  const memberships = await listMembershipsOfStaff(db, staffId);
  const target = event.target ?? { type: 'staff', id: staffId };
  const brands = memberships.length > 0 ? memberships.map((m) => m.merchant_id) : [SYSTEM_MERCHANT_ID];
  return brands.map((merchantId) => ({ ...event, target, merchantId }));
}
