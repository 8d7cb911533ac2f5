import { sql } from 'kysely';
import type { Database, Executor } from '../../db/database.js';
import type { PageCursor } from '../../db/keyset.js';
import type { WebhookDeliveryStatus } from './webhook.table.js';

export interface ClaimedDelivery {
  merchant_id: string;
  id: string;
  endpoint_id: string;
  event_id: string;
  /** This attempt's number (1 for the first). */
  attempts: number;
}

/**
 * Claims up to `limit` due deliveries of enabled endpoints, for `leaseMs`: one statement, so the
 * claim commits at once. SKIP LOCKED lets another server claim other rows meanwhile; pushing
 * next_attempt_at past the lease keeps the rows from being claimed again while this one sends, and
 * makes them due again if this process dies before it records an outcome.
 */
export async function claimDueDeliveries(
  db: Database,
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<ClaimedDelivery[]> {
  const leaseEnds = new Date(now.getTime() + leaseMs);
  const { rows } = await sql<ClaimedDelivery>`
    UPDATE webhook_deliveries d SET next_attempt_at = ${leaseEnds}::timestamptz, attempts = d.attempts + 1
    FROM (
      SELECT q.merchant_id, q.id FROM webhook_deliveries q
      JOIN webhook_endpoints w ON w.merchant_id = q.merchant_id AND w.id = q.endpoint_id
      WHERE q.status = 'pending' AND q.next_attempt_at <= ${now}::timestamptz AND w.enabled
      ORDER BY q.next_attempt_at
      LIMIT ${limit}
      FOR UPDATE OF q SKIP LOCKED
    ) AS due
    WHERE d.merchant_id = due.merchant_id AND d.id = due.id
    RETURNING d.merchant_id, d.id, d.endpoint_id, d.event_id, d.attempts`.execute(db);
  return rows;
}

export interface AttemptOutcome {
  merchantId: string;
  deliveryId: string;
  attempt: number;
  at: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  /** succeeded; pending again at retryAt; or failed for good. */
  next: { status: 'succeeded' } | { status: 'pending'; retryAt: Date } | { status: 'failed' };
}

/**
 * The attempt's row and the delivery's new state, in one statement (the delivery only while the
 * claim is still this attempt's: a late outcome never overwrites a newer attempt's).
 */
export async function recordAttempt(db: Executor, o: AttemptOutcome): Promise<void> {
  const retryAt = o.next.status === 'pending' ? o.next.retryAt : null;
  await sql`
    WITH attempt AS (
      INSERT INTO webhook_attempts (merchant_id, delivery_id, attempt, attempted_at, status_code, duration_ms, error)
      VALUES (${o.merchantId}, ${o.deliveryId}, ${o.attempt}, ${o.at}::timestamptz, ${o.statusCode}::int,
        ${o.durationMs}, ${o.error}::text)
      ON CONFLICT DO NOTHING
    )
    UPDATE webhook_deliveries SET status = ${o.next.status}, next_attempt_at = ${retryAt}::timestamptz,
      last_attempt_at = ${o.at}::timestamptz, last_status_code = ${o.statusCode}::int,
      last_duration_ms = ${o.durationMs}, last_error = ${o.error}::text
    WHERE merchant_id = ${o.merchantId} AND id = ${o.deliveryId} AND attempts = ${o.attempt} AND status = 'pending'`.execute(
    db,
  );
}

/** A success clears the endpoint's failing state (a no-op, and no row lock, while it has none). */
export async function clearEndpointFailing(db: Executor, merchantId: string, endpointId: string): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({ failing_since: null, consecutive_failures: 0 })
    .where('merchant_id', '=', merchantId)
    .where('id', '=', endpointId)
    .where((eb) => eb.or([eb('failing_since', 'is not', null), eb('consecutive_failures', '>', 0)]))
    .execute();
}

/**
 * A failure counts against the endpoint; once it has failed for `disableAfterMs` without a success
 * (and at least `minFailures` times), it is turned off. True when this failure turned it off.
 */
export async function countEndpointFailure(
  db: Executor,
  p: { merchantId: string; endpointId: string; at: Date; disableAfterMs: number; minFailures: number },
): Promise<boolean> {
  const cutoff = new Date(p.at.getTime() - p.disableAfterMs);
  const { rows } = await sql<{ disabled: boolean }>`
    UPDATE webhook_endpoints SET
      consecutive_failures = consecutive_failures + 1,
      failing_since = coalesce(failing_since, ${p.at}::timestamptz),
      enabled = NOT (coalesce(failing_since, ${p.at}::timestamptz) <= ${cutoff}::timestamptz
        AND consecutive_failures + 1 >= ${p.minFailures}),
      disabled_reason = CASE WHEN coalesce(failing_since, ${p.at}::timestamptz) <= ${cutoff}::timestamptz
        AND consecutive_failures + 1 >= ${p.minFailures} THEN 'failing' ELSE disabled_reason END,
      disabled_at = CASE WHEN coalesce(failing_since, ${p.at}::timestamptz) <= ${cutoff}::timestamptz
        AND consecutive_failures + 1 >= ${p.minFailures} THEN ${p.at}::timestamptz ELSE disabled_at END
    WHERE merchant_id = ${p.merchantId} AND id = ${p.endpointId} AND enabled
    RETURNING NOT enabled AS disabled`.execute(db);
  return rows[0]?.disabled ?? false;
}

export async function listEndpointDeliveries(
  db: Executor,
  merchantId: string,
  endpointId: string,
  filter: { status?: WebhookDeliveryStatus | undefined },
  page: { limit: number; after?: PageCursor | undefined; only?: string },
) {
  let query = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', (join) =>
      join.onRef('e.merchant_id', '=', 'd.merchant_id').onRef('e.id', '=', 'd.event_id'),
    )
    .select([
      'd.id',
      'd.endpoint_id',
      'd.event_id',
      'e.type as event_type',
      'd.status',
      'd.attempts',
      'd.next_attempt_at',
      'd.last_attempt_at',
      'd.last_status_code',
      'd.last_duration_ms',
      'd.last_error',
      'd.created_at',
    ])
    .where('d.merchant_id', '=', merchantId)
    .where('d.endpoint_id', '=', endpointId);
  if (filter.status) query = query.where('d.status', '=', filter.status);
  if (page.only) query = query.where('d.id', '=', page.only);
  const after = page.after;
  if (after) query = query.where(sql<boolean>`(d.created_at, d.id) < (${after.createdAt}, ${after.id})`);
  return query.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(page.limit).execute();
}

export type DeliveryRecord = Awaited<ReturnType<typeof listEndpointDeliveries>>[number];

/** Makes a delivery due now again (same event, same id); false when it is not the endpoint's. */
export async function resendDelivery(
  db: Executor,
  p: { merchantId: string; endpointId: string; deliveryId: string; now: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: p.now })
    .where('merchant_id', '=', p.merchantId)
    .where('endpoint_id', '=', p.endpointId)
    .where('id', '=', p.deliveryId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function findDelivery(db: Executor, merchantId: string, endpointId: string, deliveryId: string) {
  return db
    .selectFrom('webhook_deliveries')
    .select(['id', 'status'])
    .where('merchant_id', '=', merchantId)
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', deliveryId)
    .executeTakeFirst();
}

/** The delivery of a test event: addressed to one endpoint, due at once. */
export async function insertDelivery(
  db: Executor,
  row: { merchantId: string; id: string; endpointId: string; eventId: string; at: Date },
): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    .values({
      merchant_id: row.merchantId,
      id: row.id,
      endpoint_id: row.endpointId,
      event_id: row.eventId,
      status: 'pending',
      next_attempt_at: row.at,
      created_at: row.at,
    })
    .execute();
}
