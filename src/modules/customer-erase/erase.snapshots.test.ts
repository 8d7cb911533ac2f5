import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_SKIP_REASON } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestPaydesk } from '../../../test/support/harness.js';
import { currentTransactionId, sessionsOlderThan } from './erase-storage.repository.js';

// An erase's scrub waits for every session that could keep its old row versions from VACUUM. A
// transaction idle between statements holds no snapshot (no backend_xmin) but keeps VACUUM's horizon
// at its own id all the same; a CI run left a whole old row behind when only snapshots were looked at.
// PGlite has one session, so there is nobody else to wait for: PostgreSQL only.
const SKIP = POSTGRES_SKIP_REASON ?? false;
const name = `erase waits for older transactions (PostgreSQL only: PGlite has one session${SKIP ? `; skipped: ${SKIP}` : ''})`;

describe.skipIf(SKIP !== false)(name, () => {
  let pd: TestPaydesk;
  let other: pg.Client;

  beforeAll(async () => {
    pd = await startTestPaydesk('postgres');
    other = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await pd?.close();
  });

  /** The id of a transaction that writes and commits now, as the erase's does. */
  const committedXid = () => pd.ctx.db.transaction().execute((trx) => currentTransactionId(trx));

  const backendPid = async () => (await other.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

  it('counts a transaction that began earlier and sits idle between statements, until it ends', async () => {
    const pid = await backendPid();
    await other.query('BEGIN');
    await other.query('SELECT txid_current()');
    // The case that slipped through: no snapshot between statements, only a running transaction id.
    const [seen] = await pd.rawQuery(
      'SELECT backend_xmin IS NULL AS no_snapshot, backend_xid IS NOT NULL AS has_xid FROM pg_stat_activity WHERE pid = $1',
      [pid],
    );
    expect(seen).toEqual({ no_snapshot: true, has_xid: true });
    const xid = await committedXid();
    expect(await sessionsOlderThan(pd.ctx.db, xid)).toContain(pid);

    await other.query('COMMIT');
    expect(await sessionsOlderThan(pd.ctx.db, xid)).not.toContain(pid);
  });

  it('does not count a transaction that began after', async () => {
    const xid = await committedXid();
    const pid = await backendPid();
    await other.query('BEGIN');
    await other.query('SELECT txid_current()');
    expect(await sessionsOlderThan(pd.ctx.db, xid)).not.toContain(pid);
    await other.query('COMMIT');
  });
});
