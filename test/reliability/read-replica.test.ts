import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createPaydesk, type Paydesk } from '../../src/app.js';
import { createApiKey } from '../../src/modules/api-keys/api-key.service.js';
import { createBrand } from '../../src/modules/brands/brand.service.js';
import { POSTGRES_SKIP_REASON } from '../support/backends.js';
import { replicaMissing, startReplica, withSearchPath, type Replica } from '../support/streaming-replica.js';

/*
 * DATABASE_READ_URL on a real streaming replica of the test PostgreSQL: pg_basebackup into a
 * temporary directory, started on another port. Replay is paused on the replica to make its lag as
 * long as the test needs: a caller who did not write then reads the old state (so its reads are the
 * replica's), while the caller who wrote reads its own writes on every next list, search and profile
 * request. Stopping the replica leaves every read answering from the primary. PostgreSQL only: PGlite
 * has no replicas (DATABASE_READ_URL without DATABASE_URL is a configuration error).
 */
const STRICT = process.env.PAYDESK_TEST_STRICT === '1';
const PRIMARY_URL = process.env.TEST_DATABASE_URL;
const MISSING = PRIMARY_URL ? await replicaMissing(PRIMARY_URL) : undefined;
const SKIP = POSTGRES_SKIP_REASON ?? (MISSING !== undefined && !STRICT ? MISSING : false);
const name = `read replica: DATABASE_READ_URL with read-your-writes (PostgreSQL only${SKIP ? `; skipped: ${SKIP}` : ''})`;

const MASTER_KEY = Buffer.alloc(32, 19).toString('base64');
/** Write-then-read rounds per check: each one a chance to miss the caller's own write. */
const ROUNDS = 8;

interface Json {
  [key: string]: unknown;
}

describe.skipIf(SKIP !== false)(name, () => {
  let root = '';
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  let replica: Replica | undefined;
  let paydesk: Paydesk | undefined;
  let primaryAdmin: pg.Client | undefined;
  const logLines: string[] = [];
  let writer = '';
  let reader = '';

  beforeAll(async () => {
    if (MISSING) throw new Error(`${MISSING}; PAYDESK_TEST_STRICT=1 forbids skipping.`);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-replica-'));
    primaryAdmin = new pg.Client({ connectionString: PRIMARY_URL });
    await primaryAdmin.connect();
    await primaryAdmin.query(`CREATE SCHEMA ${schema}`);
    replica = await startReplica(PRIMARY_URL!, root);
    const onSchema = (url: string) => withSearchPath(url, schema);
    paydesk = await createPaydesk(
      parseConfig({
        DATABASE_URL: onSchema(PRIMARY_URL!),
        DATABASE_READ_URL: onSchema(replica.url),
        PAYDESK_DATA_DIR: path.join(root, 'paydesk'),
        PAYDESK_MASTER_KEY: MASTER_KEY,
        PAYDESK_DEMO: '0',
        LOG_LEVEL: 'warn',
        PAYDESK_RATE_LIMIT_PER_KEY: '0',
        PAYDESK_RATE_LIMIT_PER_IP: '0',
      }),
      { logStream: { write: (line) => void logLines.push(line) } },
    );
    // Made straight through the service, not HTTP: no caller has written yet.
    const brand = await createBrand(paydesk.ctx, { name: 'Replica Brand', country: 'BD', baseCurrency: 'BDT' });
    writer = (await createApiKey(paydesk.ctx, { merchantId: brand.id, name: 'writer', role: 'owner' })).token;
    reader = (await createApiKey(paydesk.ctx, { merchantId: brand.id, name: 'reader', role: 'owner' })).token;
    await replica.catchUp(primaryAdmin);
  }, 60_000);

  afterAll(async () => {
    // Each step even if an earlier one failed: no server, directory or schema left behind.
    await paydesk?.close().catch(() => {});
    replica?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
    await primaryAdmin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await primaryAdmin?.end().catch(() => {});
  }, 30_000);

  async function call(token: string, method: 'GET' | 'POST' | 'PATCH', url: string, body?: Json) {
    const answer = await paydesk!.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(body ? { payload: body } : {}),
    });
    return { status: answer.statusCode, body: answer.json<Json>() };
  }

  async function createCustomer(tag: string): Promise<{ id: string; email: string }> {
    const email = `replica.${tag}.${crypto.randomBytes(3).toString('hex')}@example.com`;
    const created = await call(writer, 'POST', '/customers', { name: `Replica ${tag}`, email });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return { id: created.body.id as string, email };
  }

  async function searchIds(token: string, q: string): Promise<string[]> {
    const found = await call(token, 'GET', `/customers?q=${encodeURIComponent(q)}`);
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    return (found.body.data as Json[]).map((row) => row.id as string);
  }

  async function firstPageIds(token: string): Promise<string[]> {
    const page = await call(token, 'GET', '/customers?limit=5');
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    return (page.body.data as Json[]).map((row) => row.id as string);
  }

  async function total(token: string): Promise<number> {
    const stats = await call(token, 'GET', '/customers/stats');
    expect(stats.status, JSON.stringify(stats.body)).toBe(200);
    return stats.body.total_customers as number;
  }

  it('a customer created on the primary is found through the replica, and only once the replica has replayed it', async () => {
    const first = await createCustomer('first');
    await replica!.catchUp(primaryAdmin!);
    expect(await searchIds(reader, first.email)).toEqual([first.id]);

    await replica!.pauseReplay();
    try {
      const before = await total(reader);
      const apiCount = async () => (await call(reader, 'GET', '/customers/count?source=api')).body.count;
      const countBefore = await apiCount();
      const hidden = await createCustomer('hidden');
      // The reader wrote nothing: its reads are the paused replica's, which has not seen the row yet.
      expect(await searchIds(reader, hidden.email)).toEqual([]);
      expect(await firstPageIds(reader)).not.toContain(hidden.id);
      expect(await total(reader)).toBe(before);
      expect(await apiCount()).toBe(countBefore);
      // The profile's other reads answer from the replica too.
      for (const what of ['transactions', 'invoices', 'orders']) {
        expect((await call(reader, 'GET', `/customers/${first.id}/${what}`)).status, what).toBe(200);
      }
      // A profile edited meanwhile: the reader sees the replica's (old) name, the writer its own.
      const renamed = await call(writer, 'PATCH', `/customers/${first.id}`, { name: 'Renamed On Primary' });
      expect(renamed.status).toBe(200);
      expect((await call(reader, 'GET', `/customers/${first.id}`)).body.name).toBe('Replica first');
      expect((await call(writer, 'GET', `/customers/${first.id}`)).body.name).toBe('Renamed On Primary');

      await replica!.resumeReplay();
      await replica!.catchUp(primaryAdmin!);
      expect(await searchIds(reader, hidden.email)).toEqual([hidden.id]);
      expect(await firstPageIds(reader)).toContain(hidden.id);
      expect(await total(reader)).toBe(before + 1);
      expect(await apiCount()).toBe((countBefore as number) + 1);
      expect((await call(reader, 'GET', `/customers/${first.id}`)).body.name).toBe('Renamed On Primary');
    } finally {
      await replica!.resumeReplay();
    }
  }, 30_000);

  it('the caller who wrote reads its own write on the very next list, search and profile, while the replica lags', async () => {
    await replica!.pauseReplay();
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const own = await createCustomer(`own${round}`);
        expect(await firstPageIds(writer), `round ${round}: list page 1`).toContain(own.id);
        expect(await searchIds(writer, own.email), `round ${round}: search`).toEqual([own.id]);
        const profile = await call(writer, 'GET', `/customers/${own.id}`);
        expect(profile.status, `round ${round}: profile`).toBe(200);
        const edited = await call(writer, 'PATCH', `/customers/${own.id}`, { name: `Edited ${round}` });
        expect(edited.status).toBe(200);
        expect((await call(writer, 'GET', `/customers/${own.id}`)).body.name, `round ${round}: edit`).toBe(
          `Edited ${round}`,
        );
        // Still lagging: the reader does not see it, so the writer's answers did not come from the replica.
        expect(await searchIds(reader, own.email)).toEqual([]);
      }
    } finally {
      await replica!.resumeReplay();
    }
    // Once the replica has replayed the writes, the writer's reads go back to it: nothing is left pending.
    await replica!.catchUp(primaryAdmin!);
    await new Promise((resolve) => setTimeout(resolve, 20)); // past the cached replay position
    await firstPageIds(writer);
    expect(paydesk!.ctx.reads.pendingCallers).toBe(0);
  }, 30_000);

  it('with replay running, a write read back at once is never missed (the race with streaming itself)', async () => {
    for (let round = 0; round < ROUNDS * 2; round++) {
      const own = await createCustomer(`race${round}`);
      expect(await searchIds(writer, own.email), `round ${round}`).toEqual([own.id]);
      expect((await call(writer, 'GET', `/customers/${own.id}`)).status, `round ${round}`).toBe(200);
    }
  }, 30_000);

  it('with the replica stopped, reads answer 200 from the primary and the fallback is logged', async () => {
    const last = await createCustomer('last');
    replica!.stop();
    expect(await searchIds(reader, last.email)).toEqual([last.id]);
    expect(await firstPageIds(reader)).toContain(last.id);
    expect((await call(reader, 'GET', `/customers/${last.id}`)).status).toBe(200);
    expect((await call(reader, 'GET', `/customers/count`)).status).toBe(200);
    expect(await total(reader)).toBeGreaterThan(0);
    expect(logLines.join('')).toContain('The read replica (DATABASE_READ_URL) is unreachable');
  }, 30_000);
});
