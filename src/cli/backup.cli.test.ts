import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaydesk, type Paydesk } from '../app.js';
import { parseConfig } from '../config.js';
import { backupProof } from '../modules/backups/index.js';
import { POSTGRES_SKIP_REASON } from '../../test/support/backends.js';
import { cli } from '../../test/support/cli.js';
import { TEST_MASTER_KEY } from '../../test/support/harness.js';
import { personalDataIn, readBack, seedBrands, type SeededData } from '../../test/reliability/backup-data.js';
import { writeServerAddress } from './server-address.js';

const quiet = { PAYDESK_DEMO: '0', LOG_LEVEL: 'silent' };

describe('backup and restore of the embedded database', { timeout: 180_000 }, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-backup-'));
  const dataDir = path.join(root, 'data');
  const online = path.join(root, 'online.tar.gz');
  const stopped = path.join(root, 'stopped.tar.gz');
  let server: Paydesk | undefined;
  let seeded: SeededData;
  let before: unknown;
  let serverUrl: string;

  beforeAll(async () => {
    // No PAYDESK_MASTER_KEY: the server creates the key file, as on a first `npm start`.
    server = await createPaydesk(parseConfig({ ...quiet, PAYDESK_DATA_DIR: dataDir }));
    seeded = await seedBrands(server);
    before = await readBack(server, seeded);
    serverUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
    writeServerAddress(dataDir, serverUrl);
  }, 240_000);
  afterAll(async () => {
    await server?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function restoredServer(into: string): Promise<Paydesk> {
    return createPaydesk(parseConfig({ ...quiet, PAYDESK_DATA_DIR: into }));
  }

  function newDataDirWithKey(name: string): string {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(dataDir, 'master.key'), path.join(dir, 'master.key'));
    return dir;
  }

  it('backs up through the running server, which holds the database', async () => {
    const run = await cli({ PAYDESK_DATA_DIR: dataDir }, ['backup', online]);
    expect(run.err).toContain('taken online by the server');
    expect(run.code).toBe(0);
    expect(zlib.gunzipSync(fs.readFileSync(online)).length).toBeGreaterThan(1_000_000);
    expect(fs.statSync(online).mode & 0o077).toBe(0);
    expect(fs.existsSync(`${online}.part`)).toBe(false);
  });

  it('gives a backup only for a proof of the master key: not for an owner API key, another key or an old proof', async () => {
    const ask = (authorization: string) =>
      fetch(new URL('/api/v1/backup', serverUrl), { headers: { authorization } }).then((r) => r.status);
    const masterKey = Buffer.from(fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8').trim(), 'base64');
    expect(await ask(`Bearer ${seeded.brands[0]!.token}`)).toBe(401);
    expect(await ask(backupProof(crypto.randomBytes(32)))).toBe(401);
    expect(await ask(backupProof(masterKey, Date.now() - 5 * 60_000))).toBe(401);
    expect(await ask(backupProof(masterKey))).toBe(200);
  });

  it('refuses to overwrite a file', async () => {
    const run = await cli({ PAYDESK_DATA_DIR: dataDir }, ['backup', online]);
    expect(run.code).toBe(1);
    expect(run.err).toContain('exists already');
  });

  it('backs up the data directory itself when no server runs', async () => {
    await server!.close();
    server = undefined;
    const run = await cli({ PAYDESK_DATA_DIR: dataDir }, ['backup', stopped]);
    expect(run.err).toContain('no server was running');
    expect(run.code).toBe(0);
  });

  it.each([
    ['online', online],
    ['stopped', stopped],
  ])(
    'restores the %s backup into a data directory holding only the key; the server reads every brand back equal',
    async (name, file) => {
      const into = newDataDirWithKey(`restored-${name}`);
      const run = await cli({ PAYDESK_DATA_DIR: into }, ['restore', file]);
      expect(run.err).toContain('restored 2 brands');
      expect(run.code).toBe(0);
      const restored = await restoredServer(into);
      try {
        const after = await readBack(restored, seeded);
        expect(after).toEqual(before);
        // Decrypted: the owner reads the seeded emails back.
        expect(JSON.stringify(after)).toContain(seeded.personal[1]);
      } finally {
        await restored.close();
      }
    },
  );

  it('refuses a data directory that holds a database, or no key, and a key the backup was not made with', async () => {
    const holding = await cli({ PAYDESK_DATA_DIR: dataDir }, ['restore', online]);
    expect(holding.code).toBe(1);
    expect(holding.err).toContain('already holds a database');

    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    const keyless = await cli({ PAYDESK_DATA_DIR: empty }, ['restore', online]);
    expect(keyless.code).toBe(1);
    expect(keyless.err).toContain('has no master.key');
    expect(fs.readdirSync(empty)).toEqual([]);

    const other = path.join(root, 'other-key');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'master.key'), crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    const wrongKey = await cli({ PAYDESK_DATA_DIR: other }, ['restore', online]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.err).toContain('does not open with this master key');
    expect(fs.readdirSync(other)).toEqual(['master.key']);
  });

  it('a backup without the master key shows no name, email or phone, though it shows the brand names', () => {
    for (const file of [online, stopped]) {
      const tar = zlib.gunzipSync(fs.readFileSync(file));
      expect(tar.toString('latin1')).toContain(seeded.brands[0]!.name);
      expect(personalDataIn(tar, seeded)).toEqual([]);
    }
    expect(seeded.personal.length).toBe(2 * (4 * 4 + 3 * 2));
  });
});

describe.skipIf(POSTGRES_SKIP_REASON !== undefined)(
  'backup and restore on PostgreSQL (pg_dump, pg_restore)',
  { timeout: 180_000 },
  () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-backup-pg-'));
    const file = path.join(root, 'paydesk.dump');
    const names = [1, 2].map(() => `paydesk_backup_${crypto.randomBytes(5).toString('hex')}`);
    const [source, target] = names.map((name) => {
      const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://localhost/none');
      url.pathname = `/${name}`;
      return url.toString();
    }) as [string, string];
    const env = (url: string) => ({
      ...quiet,
      DATABASE_URL: url,
      PAYDESK_MASTER_KEY: TEST_MASTER_KEY,
      PAYDESK_DATA_DIR: root,
    });
    let seeded: SeededData;
    let before: unknown;

    beforeAll(async () => {
      for (const name of names) await adminQuery(`CREATE DATABASE ${name}`);
      const server = await createPaydesk(parseConfig(env(source)));
      try {
        seeded = await seedBrands(server);
        before = await readBack(server, seeded);
      } finally {
        await server.close();
      }
    }, 240_000);
    afterAll(async () => {
      for (const name of names) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('backs up with pg_dump -Fc while a server runs, and the dump shows no personal data without the key', async () => {
      const server = await createPaydesk(parseConfig(env(source)));
      try {
        const run = await cli(env(source), ['backup', file]);
        expect(run.err).toContain('pg_dump -Fc');
        expect(run.code).toBe(0);
      } finally {
        await server.close();
      }
      expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('PGDMP');
      // The archive's table data is compressed: read it as pg_restore writes it out, as SQL.
      const script = execFileSync('pg_restore', ['--file=-', file], { maxBuffer: 256 * 1024 * 1024 });
      expect(script.toString('utf8')).toContain(seeded.brands[0]!.name);
      expect(personalDataIn(script, seeded)).toEqual([]);
    });

    it('restores into an empty database through the CLI; the server reads every brand back equal', async () => {
      const run = await cli(env(target), ['restore', file]);
      expect(run.err).toContain('restored 2 brands');
      expect(run.code).toBe(0);
      const restored = await createPaydesk(parseConfig(env(target)));
      try {
        expect(await readBack(restored, seeded)).toEqual(before);
      } finally {
        await restored.close();
      }
    });

    it('refuses a database that has tables, and a restore without the master key', async () => {
      const again = await cli(env(target), ['restore', file]);
      expect(again.code).toBe(1);
      expect(again.err).toContain('has tables already');
      const keyless = await cli({ ...env(target), PAYDESK_MASTER_KEY: '', PAYDESK_DATA_DIR: path.join(root, 'none') }, [
        'restore',
        file,
      ]);
      expect(keyless.code).toBe(1);
      expect(keyless.err).toContain('No master key');
    });
  },
);

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
