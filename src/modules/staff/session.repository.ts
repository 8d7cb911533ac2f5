import type { Insertable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { StaffSessionTable } from './staff.table.js';

export async function insertSession(db: Executor, row: Insertable<StaffSessionTable>): Promise<void> {
  await db.insertInto('staff_sessions').values(row).execute();
}

/** The session, its staff member and the role of its active brand (null once that membership is gone). */
export async function findSessionByTokenHash(db: Executor, tokenHash: Buffer) {
  return db
    .selectFrom('staff_sessions as ss')
    .innerJoin('staff as s', 's.id', 'ss.staff_id')
    .leftJoin('staff_memberships as m', (join) =>
      join.onRef('m.merchant_id', '=', 'ss.active_merchant_id').onRef('m.staff_id', '=', 'ss.staff_id'),
    )
    .select([
      'ss.staff_id',
      'ss.id',
      'ss.active_merchant_id',
      'ss.last_seen_at',
      'ss.expires_at',
      's.email',
      's.name',
      'm.role',
    ])
    .where('ss.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchSession(db: Executor, staffId: string, id: string, at: Date): Promise<void> {
  await db
    .updateTable('staff_sessions')
    .set({ last_seen_at: at })
    .where('staff_id', '=', staffId)
    .where('id', '=', id)
    .execute();
}

export async function setSessionBrand(db: Executor, staffId: string, id: string, merchantId: string): Promise<void> {
  await db
    .updateTable('staff_sessions')
    .set({ active_merchant_id: merchantId })
    .where('staff_id', '=', staffId)
    .where('id', '=', id)
    .execute();
}

export async function deleteSession(db: Executor, staffId: string, id: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('staff_id', '=', staffId).where('id', '=', id).execute();
}

/** Every session of the person but one (none kept when keepId is undefined); returns how many ended. */
export async function deleteSessionsOfStaff(db: Executor, staffId: string, keepId?: string): Promise<number> {
  let query = db.deleteFrom('staff_sessions').where('staff_id', '=', staffId);
  if (keepId) query = query.where('id', '<>', keepId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpiredSessionsOfStaff(
  db: Executor,
  staffId: string,
  idleBefore: Date,
  now: Date,
): Promise<void> {
  await db
    .deleteFrom('staff_sessions')
    .where('staff_id', '=', staffId)
    .where((eb) => eb.or([eb('last_seen_at', '<', idleBefore), eb('expires_at', '<=', now)]))
    .execute();
}
