import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends, type Backend } from '../../test/support/backends.js';
import { createContext, createPaydesk, type Paydesk } from '../app.js';
import { parseConfig } from '../config.js';
import type { Principal } from '../modules/access/principal.js';
import { createBrand } from '../modules/brands/brand.service.js';
import { createCustomer } from '../modules/customers/customer.service.js';
import { prepareFirstStart } from './first-start.js';
import { runCli, type CliIo } from './cli.js';
import { writeServerAddress } from './server-address.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in process; `stopWhen` plays Ctrl-C once stderr shows the text. */
async function cli(env: Record<string, string>, args: string[], stopWhen?: string): Promise<Run> {
  const controller = new AbortController();
  let out = '';
  let err = '';
  const io: CliIo = {
    env: { PAYDESK_DEMO: '0', LOG_LEVEL: 'silent', ...env },
    out: { write: (text: string) => (out += text) },
    err: {
      isTTY: true, // every progress update is written (in place), so stopWhen can see each
      write: (text: string) => {
        err += text;
        if (stopWhen && err.includes(stopWhen)) controller.abort();
      },
    },
    signal: controller.signal,
    settleMs: 0,
    pollMs: 20,
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe('paydesk CLI usage', () => {
  it('prints help, and refuses unknown commands and bad options with exit 2', async () => {
    const help = await cli({}, ['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/keys rotate-master/);
    expect((await cli({}, ['keys', 'spin'])).code).toBe(2);
    expect((await cli({}, ['keys', 'rotate', '--batch', 'lots'])).code).toBe(2);
    expect((await cli({}, ['keys', 'rotate', '--brand', 'acme'])).code).toBe(2);
    expect((await cli({}, ['keys', 'status', '--colour'])).code).toBe(2);
  });
});

/** Configuration for the CLI and a way to seed it: a PGlite directory, or a PostgreSQL schema. */
async function scratchEnv(backend: Backend): Promise<{ env: Record<string, string>; destroy(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-cli-'));
  if (backend === 'pglite') {
    return {
      env: { PAYDESK_DATA_DIR: dataDir },
      destroy: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(text).finally(() => client.end());
  };
  await admin(`CREATE SCHEMA ${schema}`);
  const separator = url.includes('?') ? '&' : '?';
  return {
    env: {
      PAYDESK_DATA_DIR: dataDir,
      DATABASE_URL: `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema},public`)}`,
      PAYDESK_MASTER_KEY: crypto.randomBytes(32).toString('base64'),
    },
    destroy: async () => {
      await admin(`DROP SCHEMA ${schema} CASCADE`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describeBackends('paydesk keys, working on the database itself (%s)', (backend) => {
  let scratch: Awaited<ReturnType<typeof scratchEnv>>;
  let env: Record<string, string>;
  let brandId: string;
  beforeAll(async () => {
    scratch = await scratchEnv(backend);
    env = scratch.env;
    const config = parseConfig({ ...env, PAYDESK_DEMO: '0', LOG_LEVEL: 'silent' });
    const opened = await createContext(config, { logger: pino({ level: 'silent' }) });
    try {
      brandId = (await createBrand(opened.ctx, { name: 'CLI Brand', country: 'BD', baseCurrency: 'BDT' })).id;
      const system: Principal = { merchantId: brandId, role: 'owner', actor: { type: 'system', id: 'test' } };
      for (let i = 0; i < 7; i++) {
        await createCustomer(
          opened.ctx,
          system,
          { name: `Cli Person ${i}`, email: `cli.${i}@example.com` },
          { source: 'api' },
        );
      }
    } finally {
      await opened.close();
    }
  });
  afterAll(() => scratch?.destroy());

  it('keys status lists each key with its rows', async () => {
    const run = await cli(env, ['keys', 'status']);
    expect(run.code).toBe(0);
    expect(run.out).toContain(brandId);
    expect(run.out).toMatch(/1\s+data\s+active\s+7/);
    expect(run.out).toMatch(/2\s+index\s+active\s+7/);
    const json = JSON.parse((await cli(env, ['keys', 'status', '--json'])).out);
    expect(json[0]).toMatchObject({ merchantId: brandId, unfinished: [] });
  });

  it('keys rotate stopped by Ctrl-C says how to resume; run again it finishes', async () => {
    const stopped = await cli(env, ['keys', 'rotate', '--batch', '2'], '2 / 7 rows re-encrypted');
    expect(stopped.code).toBe(130);
    expect(stopped.err).toMatch(/Stopping after the current batch/);
    expect(stopped.out).toMatch(/stopped after 2 of 7 rows\. Nothing is lost/);
    expect(stopped.out).toContain(`npm run paydesk -- keys rotate --brand ${brandId} --batch 2`);
    expect((await cli(env, ['keys', 'status'])).out).toMatch(/unfinished data key rotation/);

    const resumed = await cli(env, ['keys', 'rotate', '--brand', brandId]);
    expect(resumed.code).toBe(0);
    expect(resumed.err).toMatch(/resumed the unfinished rotation to data key 3/);
    expect(resumed.out).toMatch(
      /done\. Data key 3 is active; retired key 1 \(key material destroyed\); 5 rows re-encrypted/,
    );
    expect((await cli(env, ['keys', 'status'])).out).toMatch(/1\s+data\s+retired\s+0/);
  });

  it('keys rotate-index rebuilds the index', async () => {
    const run = await cli(env, ['keys', 'rotate-index']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/Index key 4 is active; retired key 2 .*7 rows re-indexed/);
  });

  it('an unknown brand is an error', async () => {
    const run = await cli(env, ['keys', 'rotate', '--brand', 'brd_0000000000000000000000000z']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/No brand/);
  });

  it('keys rotate-master re-wraps the keys; the old master key is refused afterwards', async () => {
    if (backend === 'pglite') {
      const run = await cli(env, ['keys', 'rotate-master']);
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/2 keys of 1 brand re-wrapped/);
      expect(run.out).toContain(path.join(env.PAYDESK_DATA_DIR!, 'master.key'));
      expect((await cli(env, ['keys', 'status'])).code).toBe(0);
      return;
    }
    const missing = await cli(env, ['keys', 'rotate-master']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/PAYDESK_NEW_MASTER_KEY/);
    const newKey = crypto.randomBytes(32).toString('base64');
    const run = await cli({ ...env, PAYDESK_NEW_MASTER_KEY: newKey }, ['keys', 'rotate-master']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/restart every Paydesk server with PAYDESK_MASTER_KEY set to the new key/);
    const refused = await cli(env, ['keys', 'status']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/not the one this database was encrypted with/);
    expect((await cli({ ...env, PAYDESK_MASTER_KEY: newKey }, ['keys', 'status'])).code).toBe(0);
  });
});

describe('paydesk keys while a server holds the embedded database', () => {
  const apiKey = `pdk_${crypto.randomBytes(16).toString('hex')}`;
  let dataDir: string;
  let server: Paydesk;
  let env: Record<string, string>;
  let brandId: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-cli-server-'));
    env = { PAYDESK_DATA_DIR: dataDir, PAYDESK_API_KEY: apiKey };
    const config = parseConfig({ ...env, PAYDESK_DEMO: '1', LOG_LEVEL: 'silent' });
    server = await createPaydesk(config, { rotationSettleMs: 1_500 });
    brandId = (await prepareFirstStart(server.ctx))!.brandId;
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
    writeServerAddress(dataDir, url);
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('needs an API key to ask the server', async () => {
    const run = await cli({ PAYDESK_DATA_DIR: dataDir }, ['keys', 'status']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/Set PAYDESK_API_KEY/);
  });

  it('keys status asks the server', async () => {
    const run = await cli(env, ['keys', 'status']);
    expect(run.code).toBe(0);
    // Sealed rows: the six demo customers, the payer the demo payments registered, the customer the
    // demo shop's new account made (8), the demo shop's three site users and its note.
    expect(run.out).toMatch(/1\s+data\s+active\s+12/);
  });

  it('keys rotate runs in the server; Ctrl-C stops it there, and running again resumes it', async () => {
    const stopped = await cli(env, ['keys', 'rotate'], 'waiting for every server');
    expect(stopped.err).toMatch(/holds the database; it runs the rotation/);
    expect(stopped.code).toBe(130);
    expect(stopped.out).toContain(`resume with:\n  npm run paydesk -- keys rotate --brand ${brandId}`);

    const resumed = await cli(env, ['keys', 'rotate', '--brand', brandId]);
    expect(resumed.err).toMatch(/Resuming the unfinished rotation to data key 3/);
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/done\. Data key 3 is active; retired key 1/);
  });

  it('works on the API key’s brand only, and leaves master rotation to a stopped server', async () => {
    const other = await cli(env, ['keys', 'rotate', '--brand', 'brd_0000000000000000000000000z']);
    expect(other.code).toBe(1);
    expect(other.err).toMatch(/belongs to brand/);
    const master = await cli(env, ['keys', 'rotate-master']);
    expect(master.code).toBe(1);
    expect(master.err).toMatch(/Stop it, run keys rotate-master/);
  });
});
