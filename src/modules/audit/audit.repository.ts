import type { Executor } from '../../db/database.js';
import type { AuditEventRow, NewAuditEventRow } from './audit.table.js';

const AUDIT_COLUMNS = [
  'merchant_id',
  'id',
  'occurred_at',
  'actor_type',
  'actor_id',
  'action',
  'target_type',
  'target_id',
  'ip',
  'details',
] as const;

export async function insertAuditEvents(db: Executor, rows: NewAuditEventRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('audit_events').values(rows).execute();
}

/** A brand's events, newest first by keyset on the (time-ordered) id. */
export async function listAuditEvents(
  db: Executor,
  merchantId: string,
  page: { limit: number; beforeId?: string | undefined; action?: string | undefined },
): Promise<AuditEventRow[]> {
  let query = db.selectFrom('audit_events').select(AUDIT_COLUMNS).where('merchant_id', '=', merchantId);
  if (page.beforeId) query = query.where('id', '<', page.beforeId);
  if (page.action) query = query.where('action', '=', page.action);
  return query.orderBy('id', 'desc').limit(page.limit).execute();
}
