import type { ExpressionBuilder, Transaction, Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { CustomerViewRow, CustomerViewTable, NewCustomerViewRow } from './customer-view.table.js';

const COLUMNS = [
  'merchant_id',
  'id',
  'name',
  'owner_staff_id',
  'query',
  'q_enc',
  'data_key_id',
  'created_by_type',
  'created_by_id',
  'created_at',
  'updated_at',
] as const;

/** Shared views, and the staff member's own (an API key has none). */
function visibleTo(staffId: string | null) {
  return (eb: ExpressionBuilder<DB, 'customer_views'>) =>
    staffId === null
      ? eb('owner_staff_id', 'is', null)
      : eb.or([eb('owner_staff_id', 'is', null), eb('owner_staff_id', '=', staffId)]);
}

export async function insertView(db: Executor, row: NewCustomerViewRow): Promise<void> {
  await db.insertInto('customer_views').values(row).execute();
}

/** The brand's shared views and, for a staff member, their own; by name (the customer_views_by_name index). */
export async function listVisibleViews(
  db: Executor,
  merchantId: string,
  staffId: string | null,
  limit: number,
): Promise<CustomerViewRow[]> {
  return db
    .selectFrom('customer_views')
    .select(COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where(visibleTo(staffId))
    .orderBy('name')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** One view the caller may see (shared, or their own), locked: another's personal view is not found here. */
export async function lockVisibleView(
  trx: Transaction<DB>,
  merchantId: string,
  id: string,
  staffId: string | null,
): Promise<CustomerViewRow | undefined> {
  return trx
    .selectFrom('customer_views')
    .select(COLUMNS)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .where(visibleTo(staffId))
    .forUpdate()
    .executeTakeFirst();
}

/** How many views one staff member owns (staffId), or the brand shares (null). */
export async function countViewsOf(db: Executor, merchantId: string, ownerStaffId: string | null): Promise<number> {
  const row = await db
    .selectFrom('customer_views')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merchant_id', '=', merchantId)
    .where('owner_staff_id', ownerStaffId === null ? 'is' : '=', ownerStaffId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateViewRow(
  db: Executor,
  merchantId: string,
  id: string,
  changes: Updateable<CustomerViewTable>,
): Promise<void> {
  await db
    .updateTable('customer_views')
    .set(changes)
    .where('merchant_id', '=', merchantId)
    .where('id', '=', id)
    .execute();
}

export async function deleteViewRow(db: Executor, merchantId: string, id: string): Promise<void> {
  await db.deleteFrom('customer_views').where('merchant_id', '=', merchantId).where('id', '=', id).execute();
}
