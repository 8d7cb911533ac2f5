import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeBackends, POSTGRES_SKIP_REASON } from '../../test/support/backends.js';
import { reopenableDatabase, type ReopenableDatabase } from '../../test/support/databases.js';
import type { DatabaseHandle, Executor } from './database.js';
import { inScan, inWalkPlan, sessionSetUp, WALK_SETTINGS } from './walk-plan.js';

/** The planner settings a statement run by `db` sees. */
async function settingsSeen(db: Executor): Promise<Record<string, string>> {
  const names = Object.keys(WALK_SETTINGS);
  const { rows } = await sql<{ name: string; setting: string }>`
    SELECT name, setting FROM pg_settings WHERE name IN (${sql.join(names)})`.execute(db);
  return Object.fromEntries(rows.map((row) => [row.name, row.setting]));
}

const everyOff = Object.fromEntries(Object.keys(WALK_SETTINGS).map((name) => [name, 'off']));
const jitOffOnly = Object.fromEntries(Object.keys(WALK_SETTINGS).map((name) => [name, name === 'jit' ? 'off' : 'on']));

describeBackends('planner settings of the walks', (backend) => {
  let store: ReopenableDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    store = await reopenableDatabase(backend);
    handle = await store.open();
  });
  afterAll(async () => {
    await handle?.close();
    await store?.destroy();
  });

  it('plans a walk with every setting off, a GIN read with jit off only, whichever pool runs it', async () => {
    // Several at once, so that PostgreSQL's pools open more than one connection each.
    const walks = await Promise.all([1, 2, 3].map(() => inWalkPlan(handle.db, settingsSeen)));
    const gins = await Promise.all([1, 2, 3].map(() => inWalkPlan(handle.db, settingsSeen, 'gin')));
    for (const seen of walks) expect(seen).toEqual(everyOff);
    for (const seen of gins) expect(seen).toEqual(jitOffOnly);
  });

  it('switches a scan between the plans step by step, and leaves ordinary statements planned as usual', async () => {
    const steps = await inScan(handle.db, async (db) => [
      await inWalkPlan(db, settingsSeen),
      await inWalkPlan(db, settingsSeen, 'gin'),
      await inWalkPlan(db, settingsSeen),
    ]);
    expect(steps[0]).toEqual(everyOff);
    expect(steps[1]).toEqual(jitOffOnly);
    expect(steps[2]).toEqual(everyOff);
    const ordinary = await settingsSeen(handle.db);
    expect(ordinary).toMatchObject({ enable_sort: 'on', enable_bitmapscan: 'on', enable_hashjoin: 'on' });
  });
});

describe.skipIf(POSTGRES_SKIP_REASON !== undefined)('session settings of a new connection (postgres)', () => {
  it('are in place before the first statement, which never queues behind them on the connection', async () => {
    const warnings = vi.spyOn(process, 'emitWarning');
    const pool = new pg.Pool({
      connectionString: process.env.TEST_DATABASE_URL,
      max: 2,
      ...sessionSetUp(WALK_SETTINGS),
    });
    try {
      // pool.query on a pool with no connection yet: the case that queued behind the SET.
      const seen = await Promise.all(
        [1, 2].map(() => pool.query<{ setting: string }>("SELECT current_setting('enable_sort') AS setting")),
      );
      expect(seen.map((result) => result.rows[0]!.setting)).toEqual(['off', 'off']);
      const queued = warnings.mock.calls.filter(([message]) => String(message).includes('already executing a query'));
      expect(queued).toEqual([]);
    } finally {
      warnings.mockRestore();
      await pool.end();
    }
  });
});
