import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

export interface CounterIncrement {
  keyHash: Buffer;
  /** Where a new window starts when the key has none running (or its window has passed). */
  windowStart: Date;
  expiresAt: Date;
  add: number;
}

export interface CounterWindow {
  keyHash: Buffer;
  count: number;
  windowStart: Date;
  expiresAt: Date;
}

/**
 * Adds to each key's running window, or starts a new one when the key's window ended before the
 * new one starts: one statement for every key, returning the totals every process has added.
 * Keys must be distinct (one row may be updated once per statement).
 */
export async function addToCounters(db: Executor, increments: CounterIncrement[]): Promise<CounterWindow[]> {
  if (increments.length === 0) return [];
  // Every SET expression reads the row as it was, so the three CASEs agree on "window ended".
  const ended = sql`rate_counters.expires_at <= excluded.window_start`;
  const rows = await db
    .insertInto('rate_counters')
    .values(
      increments.map((i) => ({
        key_hash: i.keyHash,
        window_start: i.windowStart,
        expires_at: i.expiresAt,
        count: i.add,
      })),
    )
    .onConflict((oc) =>
      oc.column('key_hash').doUpdateSet({
        count: sql`CASE WHEN ${ended} THEN excluded.count ELSE rate_counters.count + excluded.count END`,
        window_start: sql`CASE WHEN ${ended} THEN excluded.window_start ELSE rate_counters.window_start END`,
        expires_at: sql`CASE WHEN ${ended} THEN excluded.expires_at ELSE rate_counters.expires_at END`,
      }),
    )
    .returning(['key_hash', 'count', 'window_start', 'expires_at'])
    .execute();
  return rows.map((r) => ({
    keyHash: r.key_hash,
    count: r.count,
    windowStart: r.window_start,
    expiresAt: r.expires_at,
  }));
}

/** The windows of these keys still running at `now`. */
export async function findRunningCounters(db: Executor, keyHashes: Buffer[], now: Date): Promise<CounterWindow[]> {
  if (keyHashes.length === 0) return [];
  const rows = await db
    .selectFrom('rate_counters')
    .select(['key_hash', 'count', 'window_start', 'expires_at'])
    .where('key_hash', 'in', keyHashes)
    .where('expires_at', '>', now)
    .execute();
  return rows.map((r) => ({
    keyHash: r.key_hash,
    count: r.count,
    windowStart: r.window_start,
    expiresAt: r.expires_at,
  }));
}

/** Takes one back from each key's window, if that window is still the one counted in. */
export async function takeBackFromCounters(
  db: Executor,
  windows: { keyHash: Buffer; windowStart: Date }[],
): Promise<void> {
  if (windows.length === 0) return;
  const list = sql.join(windows.map((w) => sql`(${w.keyHash}::bytea, ${w.windowStart}::timestamptz)`));
  await sql`
    UPDATE rate_counters SET count = rate_counters.count - 1
    FROM (VALUES ${list}) AS taken (key_hash, window_start)
    WHERE rate_counters.key_hash = taken.key_hash
      AND rate_counters.window_start = taken.window_start
      AND rate_counters.count > 0`.execute(db);
}

export async function deleteCounters(db: Executor, keyHashes: Buffer[]): Promise<void> {
  if (keyHashes.length === 0) return;
  await db.deleteFrom('rate_counters').where('key_hash', 'in', keyHashes).execute();
}

/** Deletes up to `limit` windows that ended before `now` (through the expires_at index). */
export async function deleteEndedCounters(db: Executor, now: Date, limit: number): Promise<number> {
  const result = await sql`
    DELETE FROM rate_counters WHERE key_hash IN (
      SELECT key_hash FROM rate_counters WHERE expires_at < ${now} ORDER BY expires_at LIMIT ${limit}
    )`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
