import type { Insertable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { StaffInvitationTable } from './staff-invitation.table.js';

const LISTED = ['id', 'email', 'role', 'status', 'created_at', 'expires_at'] as const;

export async function insertInvitation(db: Executor, row: Insertable<StaffInvitationTable>): Promise<void> {
  await db.insertInto('staff_invitations').values(row).execute();
}

/** Revokes the brand's pending invitation of this email, if any (inviting again replaces it); returns its id. */
export async function revokePendingInvitationOfEmail(
  db: Executor,
  merchantId: string,
  email: string,
  at: Date,
): Promise<string | undefined> {
  const row = await db
    .updateTable('staff_invitations')
    .set({ status: 'revoked', ended_at: at })
    .where('merchant_id', '=', merchantId)
    .where('email', '=', email)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** The brand's invitations not yet accepted or revoked (expired ones included), oldest first. */
export async function listPendingInvitations(db: Executor, merchantId: string) {
  return db
    .selectFrom('staff_invitations')
    .select(LISTED)
    .where('merchant_id', '=', merchantId)
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function revokeInvitation(db: Executor, merchantId: string, id: string, at: Date) {
  return db
    .updateTable('staff_invitations')
    .set({ status: 'revoked', ended_at: at })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning(['email', 'role'])
    .executeTakeFirst();
}

/** The invitation behind an accept link, with its brand's name. */
export async function findInvitationByTokenHash(db: Executor, tokenHash: Buffer) {
  return db
    .selectFrom('staff_invitations as i')
    .innerJoin('brands as b', 'b.id', 'i.merchant_id')
    .select([
      'i.merchant_id',
      'i.id',
      'i.email',
      'i.role',
      'i.status',
      'i.expires_at',
      'i.invited_by_type',
      'i.invited_by_id',
      'b.name as brand_name',
    ])
    .where('i.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * Marks the invitation accepted if it still is pending and unexpired: the one statement that makes a
 * link single-use, since two accepts at once cannot both match `status = 'pending'`.
 */
export async function claimInvitation(
  db: Executor,
  merchantId: string,
  id: string,
  staffId: string,
  now: Date,
): Promise<boolean> {
  const row = await db
    .updateTable('staff_invitations')
    .set({ status: 'accepted', ended_at: now, accepted_by: staffId })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
