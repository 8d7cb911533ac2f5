import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type QueryResult,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from './database.js';
import { parseLsn, ReadRouter } from './read-routing.js';

/** A database that answers every query with `answer()` (a WAL position, or a thrown error) and counts them. */
function fakeDatabase(answer: () => string | null): Database & { queries: number } {
  const state = { queries: 0 };
  const connection: DatabaseConnection = {
    executeQuery: <R>() => {
      state.queries++;
      return Promise.resolve({ rows: [{ lsn: answer() }] } as QueryResult<R>);
    },
    streamQuery: () => {
      throw new Error('not used');
    },
  };
  const db = new Kysely<never>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => ({
        init: async () => {},
        acquireConnection: async () => connection,
        beginTransaction: async () => {},
        commitTransaction: async () => {},
        rollbackTransaction: async () => {},
        releaseConnection: async () => {},
        destroy: async () => {},
      }),
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  }) as unknown as Database;
  return Object.defineProperty(db, 'queries', { get: () => state.queries }) as Database & { queries: number };
}

function setup(options: { primaryLsn?: () => string | null } = {}) {
  let now = 1_000;
  let primaryLsn = '0/100';
  let replayed: string | null = '0/100';
  let replicaDown = false;
  const downs: unknown[] = [];
  const primary = fakeDatabase(options.primaryLsn ?? (() => primaryLsn));
  const replica = fakeDatabase(() => {
    if (replicaDown) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    return replayed;
  });
  const router = new ReadRouter(primary, replica, {
    replayCacheMs: 5,
    downMs: 1_000,
    pinMs: 2_000,
    now: () => now,
    onReplicaDown: (error) => downs.push(error),
  });
  return {
    router,
    primary,
    replica,
    downs,
    advance: (ms: number) => (now += ms),
    setPrimary: (lsn: string) => (primaryLsn = lsn),
    setReplayed: (lsn: string | null) => (replayed = lsn),
    setReplicaDown: (down: boolean) => (replicaDown = down),
  };
}

describe('ReadRouter', () => {
  it('reads WAL positions as 64-bit numbers, high half first', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
    expect(parseLsn('1/0') > parseLsn('0/FFFFFFFF')).toBe(true);
    expect(() => parseLsn('garbage')).toThrow('not a WAL position');
  });

  it('without a replica, every read goes to the primary and a write costs no query', async () => {
    const primary = fakeDatabase(() => '0/1');
    const router = new ReadRouter(primary, undefined);
    await router.noteWrite('api_key:a');
    expect(await router.readerFor('api_key:a')).toBe(primary);
    expect(await router.readerFor(undefined)).toBe(primary);
    expect(primary.queries).toBe(0);
  });

  it('a caller with no write pending reads the replica without asking its position', async () => {
    const { router, replica } = setup();
    expect(await router.readerFor('api_key:reader')).toBe(replica);
    expect(replica.queries).toBe(0);
  });

  it('the writer reads the primary until the replica has replayed its write; other callers read the replica', async () => {
    const t = setup();
    t.setPrimary('0/200');
    await t.router.noteWrite('staff:w');
    expect(await t.router.readerFor('staff:w')).toBe(t.primary);
    expect(await t.router.readerFor('staff:other')).toBe(t.replica);
    t.setReplayed('0/1FF');
    t.advance(10);
    expect(await t.router.readerFor('staff:w')).toBe(t.primary);
    t.setReplayed('0/200');
    t.advance(10);
    expect(await t.router.readerFor('staff:w')).toBe(t.replica);
    expect(t.router.pendingCallers).toBe(0);
  });

  it('reuses the replay position for replayCacheMs, then asks again', async () => {
    const t = setup();
    t.setPrimary('0/300');
    await t.router.noteWrite('staff:w');
    t.setReplayed('0/100');
    await Promise.all([t.router.readerFor('staff:w'), t.router.readerFor('staff:w')]);
    expect(t.replica.queries).toBe(1);
    t.setReplayed('0/300');
    expect(await t.router.readerFor('staff:w')).toBe(t.primary);
    t.advance(5);
    expect(await t.router.readerFor('staff:w')).toBe(t.replica);
    expect(t.replica.queries).toBe(2);
  });

  it('a later write of the same caller moves its mark forward, never back', async () => {
    const t = setup();
    t.setPrimary('0/500');
    await t.router.noteWrite('staff:w');
    t.setPrimary('0/400'); // an earlier request's position, noted late
    await t.router.noteWrite('staff:w');
    t.setReplayed('0/450');
    t.advance(10);
    expect(await t.router.readerFor('staff:w')).toBe(t.primary);
  });

  it('when the primary cannot say its position, the writer stays on the primary for pinMs', async () => {
    let fail = true;
    const t = setup({
      primaryLsn: () => {
        if (fail) throw new Error('Connection terminated');
        return '0/100';
      },
    });
    await t.router.noteWrite('staff:w');
    fail = false;
    t.setReplayed('FF/0');
    t.advance(1_999);
    expect(await t.router.readerFor('staff:w')).toBe(t.primary);
    t.advance(1);
    expect(await t.router.readerFor('staff:w')).toBe(t.replica);
  });

  it('a replica that is not in recovery cannot prove it has the write: the writer stays on the primary', async () => {
    const t = setup();
    t.setPrimary('0/200');
    await t.router.noteWrite('staff:w');
    t.setReplayed(null);
    t.advance(10);
    expect(await t.router.readerFor('staff:w')).toBe(t.primary);
  });

  it('an unreachable replica sends every read to the primary for downMs, reported once', async () => {
    const t = setup();
    t.setPrimary('0/200');
    await t.router.noteWrite('staff:w');
    t.setReplicaDown(true);
    t.advance(10);
    expect(await t.router.readerFor('staff:w')).toBe(t.primary);
    expect(await t.router.readerFor('staff:reader')).toBe(t.primary);
    t.router.replicaFailed(new Error('again'));
    expect(t.downs).toHaveLength(1);
    t.advance(1_000);
    t.setReplicaDown(false);
    expect(await t.router.readerFor('staff:reader')).toBe(t.replica);
  });
});
