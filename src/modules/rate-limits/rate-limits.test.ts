import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestPaydesk } from '../../../test/support/harness.js';
import { createRateLimits, type RateLimits } from './index.js';

const MINUTE = 60_000;

describeBackends('rate counters on the database (%s)', (backend) => {
  let pd: TestPaydesk;
  let now = new Date('2031-03-01T00:00:00Z');
  // Two limiters on one database stand for two server processes: nothing is shared but the table.
  let first: RateLimits;
  let second: RateLimits;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    const deps = { db: pd.ctx.db, clock: () => now, logger: pd.ctx.logger, secret: Buffer.alloc(32, 3) };
    first = createRateLimits(deps);
    second = createRateLimits(deps);
  });
  afterAll(() => pd.close());

  const rule = (key: string) => ({ key, limit: 5, windowMs: 15 * MINUTE });

  it('shares failure limits between processes, exactly, and starts a new window once the last has ended', async () => {
    for (let i = 0; i < 3; i++) await first.failures.begin([rule('pair')], 'Too many');
    for (let i = 0; i < 2; i++) await second.failures.begin([rule('pair')], 'Too many');
    await expect(first.failures.begin([rule('pair')], 'Too many failures')).rejects.toMatchObject({
      code: 'rate_limited',
      message: 'Too many failures; try again in 900 seconds',
      extra: { retry_after: 900 },
    });
    now = new Date(now.getTime() + 10 * MINUTE);
    await expect(second.failures.begin([rule('pair')], 'Too many')).rejects.toMatchObject({
      extra: { retry_after: 300 },
    });
    now = new Date(now.getTime() + 5 * MINUTE);
    await expect(second.failures.begin([rule('pair')], 'Too many')).resolves.toBeDefined();
  });

  it('gives back what was not a failure, and a refused attempt uses up none of the other keys', async () => {
    for (let i = 0; i < 10; i++) await (await first.failures.begin([rule('ok')], 'Too many')).succeeded();
    await expect(first.failures.begin([rule('ok')], 'Too many')).resolves.toBeDefined();

    for (let i = 0; i < 5; i++) await first.failures.begin([rule('locked')], 'Too many');
    const shared = { key: 'shared', limit: 8, windowMs: 15 * MINUTE };
    for (let i = 0; i < 20; i++)
      await expect(first.failures.begin([rule('locked'), shared], 'Too many')).rejects.toMatchObject({
        code: 'rate_limited',
      });
    // Eight places of the shared key are still free.
    for (let i = 0; i < 8; i++) await first.failures.begin([shared], 'Too many');
    await expect(first.failures.begin([shared], 'Too many')).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('reserves before the attempt, so a burst of concurrent attempts passes the limit by none', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? first : second).failures.begin([rule('burst')], 'Too many')),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
  });

  it('counts failures after the fact with check and record, shared between processes', async () => {
    const declines = [rule('declines')];
    for (let i = 0; i < 5; i++) {
      await (i % 2 ? first : second).failures.check(declines, 'Too many');
      await (i % 2 ? first : second).failures.record(declines);
    }
    await expect(first.failures.check(declines, 'Too many declines')).rejects.toMatchObject({
      code: 'rate_limited',
      extra: { retry_after: 900 },
    });
    await expect(second.failures.check([rule('other address')], 'Too many')).resolves.toBeUndefined();
  });

  it('stores keyed hashes only: no column could hold an email or an address', async () => {
    await first.failures.begin([rule('sign-in:email:someone@example.com')], 'Too many');
    const columns = await pd.rawQuery(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_name = 'rate_counters' AND table_schema = current_schema() ORDER BY column_name`,
    );
    expect(columns).toEqual([
      { column_name: 'count', data_type: 'integer' },
      { column_name: 'expires_at', data_type: 'timestamp with time zone' },
      { column_name: 'key_hash', data_type: 'bytea' },
      { column_name: 'window_start', data_type: 'timestamp with time zone' },
    ]);
    const [row] = await pd.rawQuery(
      `SELECT count(*)::int AS n FROM rate_counters WHERE position(convert_to('example.com', 'UTF8') IN key_hash) > 0`,
    );
    expect(row!.n).toBe(0);
  });

  it('shares request counts on every flush: a process decides on the last total it heard plus its own', async () => {
    now = new Date('2031-03-01T01:00:00Z');
    for (let i = 0; i < 6; i++) expect(first.requests.hit('address:a', 10).allowed).toBe(true);
    await first.requests.flush();
    for (let i = 0; i < 4; i++) expect(second.requests.hit('address:a', 10).allowed).toBe(true);
    await second.requests.flush();
    expect(second.requests.hit('address:a', 10)).toEqual({ allowed: false, limit: 10, remaining: 0, resetSeconds: 60 });
    // The first process has not heard of the second's four yet: one more, then it hears.
    expect(first.requests.hit('address:a', 10).allowed).toBe(true);
    await first.requests.flush();
    expect(first.requests.hit('address:a', 10).allowed).toBe(false);
    expect(first.requests.hit('address:b', 10)).toMatchObject({ allowed: true, remaining: 9 });

    now = new Date('2031-03-01T01:01:00Z');
    expect(first.requests.hit('address:a', 10)).toMatchObject({ allowed: true, remaining: 9, resetSeconds: 60 });
  });

  it('sends on a flush every count made before it, even while an earlier flush is under way', async () => {
    now = new Date('2031-03-01T02:00:00Z');
    first.requests.hit('address:d', 10);
    const underWay = first.requests.flush();
    for (let i = 0; i < 3; i++) first.requests.hit('address:d', 10);
    await first.requests.flush();
    await underWay;
    // The second process hears all four from the database: six more and it refuses.
    second.requests.hit('address:d', 10);
    await second.requests.flush();
    for (let i = 0; i < 5; i++) expect(second.requests.hit('address:d', 10).allowed).toBe(true);
    expect(second.requests.hit('address:d', 10)).toMatchObject({ allowed: false, remaining: 0 });
  });

  it('deletes ended windows when it shares its counts', async () => {
    now = new Date('2031-03-02T00:00:00Z');
    const fresh = createRateLimits({
      db: pd.ctx.db,
      clock: () => now,
      logger: pd.ctx.logger,
      secret: Buffer.alloc(32, 3),
    });
    fresh.requests.hit('address:c', 10);
    await fresh.requests.flush();
    const [row] = await pd.rawQuery('SELECT count(*)::int AS n FROM rate_counters WHERE expires_at < $1', [now]);
    expect(row!.n).toBe(0);
    const [left] = await pd.rawQuery('SELECT count(*)::int AS n FROM rate_counters');
    expect(left!.n).toBe(1);
  });
});
