import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Executor } from '../../db/database.js';
import type { Role } from '../access/index.js';

export async function insertStaff(
  db: Executor,
  staff: { id: string; email: string; name: string; password_hash: string; created_at: Date },
): Promise<void> {
  await db
    .insertInto('staff')
    .values({ ...staff, password_changed_at: staff.created_at })
    .execute();
}

export async function findStaffByEmail(db: Executor, email: string) {
  return db
    .selectFrom('staff')
    .select(['id', 'email', 'name', 'password_hash'])
    .where('email', '=', email)
    .executeTakeFirst();
}

export async function findStaffById(db: Executor, id: string) {
  return db
    .selectFrom('staff')
    .select(['id', 'email', 'name', 'password_hash'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updateStaffPassword(db: Executor, id: string, passwordHash: string, at: Date): Promise<void> {
  await db
    .updateTable('staff')
    .set({ password_hash: passwordHash, password_changed_at: at })
    .where('id', '=', id)
    .execute();
}

export async function deleteStaff(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('staff').where('id', '=', id).execute();
}

export async function insertMembership(
  db: Executor,
  row: { merchant_id: string; staff_id: string; role: Role; created_at: Date },
): Promise<void> {
  await db.insertInto('staff_memberships').values(row).execute();
}

/** The brands a person belongs to, oldest brand first (the default active brand). */
export async function listMembershipsOfStaff(db: Executor, staffId: string) {
  return db
    .selectFrom('staff_memberships as m')
    .innerJoin('brands as b', 'b.id', 'm.merchant_id')
    .select(['m.merchant_id', 'b.name as brand_name', 'm.role'])
    .where('m.staff_id', '=', staffId)
    .orderBy('b.created_at')
    .orderBy('b.id')
    .execute();
}

export async function findMembership(db: Executor, merchantId: string, staffId: string) {
  return db
    .selectFrom('staff_memberships')
    .select(['merchant_id', 'staff_id', 'role'])
    .where('merchant_id', '=', merchantId)
    .where('staff_id', '=', staffId)
    .executeTakeFirst();
}

export async function countMembershipsOfStaff(db: Executor, staffId: string): Promise<number> {
  const row = await db
    .selectFrom('staff_memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('staff_id', '=', staffId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listBrandStaff(db: Executor, merchantId: string) {
  return db
    .selectFrom('staff_memberships as m')
    .innerJoin('staff as s', 's.id', 'm.staff_id')
    .select(['s.id', 's.email', 's.name', 'm.role', 'm.created_at'])
    .where('m.merchant_id', '=', merchantId)
    .orderBy('m.created_at')
    .orderBy('s.id')
    .execute();
}

/**
 * The brand's owners, locked: every change that could remove an owner takes this first, so two
 * owners demoting each other at once cannot leave the brand with none.
 */
export async function lockBrandOwners(trx: Transaction<DB>, merchantId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('staff_memberships')
    .select('staff_id')
    .where('merchant_id', '=', merchantId)
    .where('role', '=', 'owner')
    .forUpdate()
    .execute();
  return rows.map((r) => r.staff_id);
}

export async function updateMembershipRole(
  db: Executor,
  merchantId: string,
  staffId: string,
  role: Role,
): Promise<void> {
  await db
    .updateTable('staff_memberships')
    .set({ role })
    .where('merchant_id', '=', merchantId)
    .where('staff_id', '=', staffId)
    .execute();
}

export async function deleteMembership(db: Executor, merchantId: string, staffId: string): Promise<void> {
  await db
    .deleteFrom('staff_memberships')
    .where('merchant_id', '=', merchantId)
    .where('staff_id', '=', staffId)
    .execute();
}
