import type { Executor } from '../../db/database.js';
import type { NewCustomerEventRow } from './customer-event.table.js';

export async function insertCustomerEvents(db: Executor, rows: NewCustomerEventRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('customer_events').values(rows).execute();
}
