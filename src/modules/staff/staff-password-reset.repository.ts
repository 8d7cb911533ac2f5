import type { Insertable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { StaffPasswordResetTable } from './staff-password-reset.table.js';

export async function insertPasswordReset(db: Executor, row: Insertable<StaffPasswordResetTable>): Promise<void> {
  await db.insertInto('staff_password_resets').values(row).execute();
}

/** Retires the person's pending reset, if any (a newer one replaces it); returns its id. */
export async function replacePendingPasswordReset(db: Executor, staffId: string, at: Date) {
  const row = await db
    .updateTable('staff_password_resets')
    .set({ status: 'replaced', ended_at: at })
    .where('staff_id', '=', staffId)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** The reset behind a link, with the account it is for. */
export async function findPasswordResetByTokenHash(db: Executor, tokenHash: Buffer) {
  return db
    .selectFrom('staff_password_resets as r')
    .innerJoin('staff as s', 's.id', 'r.staff_id')
    .select([
      'r.staff_id',
      'r.id',
      'r.merchant_id',
      'r.status',
      'r.expires_at',
      'r.started_by_type',
      'r.started_by_id',
      's.email',
      's.name',
    ])
    .where('r.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * Marks the reset used if it still is pending and unexpired: the one statement that makes a link
 * single-use, since two requests at once cannot both match `status = 'pending'`.
 */
export async function claimPasswordReset(db: Executor, staffId: string, id: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('staff_password_resets')
    .set({ status: 'used', ended_at: now })
    .where('staff_id', '=', staffId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('expires_at', '>', now)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
