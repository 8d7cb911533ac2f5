import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createPaydesk, type Paydesk } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { runCli } from '../../src/cli/cli.js';
import { prepareFirstStart } from '../../src/cli/first-start.js';
import { writeServerAddress } from '../../src/cli/server-address.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in process with these environment variables, capturing what it prints. */
export async function cli(env: Record<string, string>, args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    env: { PAYDESK_DEMO: '0', LOG_LEVEL: 'silent', ...env },
    out: { write: (text: string) => (out += text) },
    err: { write: (text: string) => (err += text) },
    signal: new AbortController().signal,
    pollMs: 20,
  });
  return { code, out, err };
}

export interface ServerOnEmbeddedDatabase {
  dataDir: string;
  /** PAYDESK_DATA_DIR and the owner API key: what a CLI run next to the server is given. */
  env: Record<string, string>;
  server: Paydesk;
  brandId: string;
}

/**
 * For a describe block: a server listening on a fresh embedded database (with the demo brand and an
 * owner API key), its address written where the CLI looks, so CLI runs must go through it.
 */
export function serverOnEmbeddedDatabase(prefix: string): ServerOnEmbeddedDatabase {
  const apiKey = `pdk_${crypto.randomBytes(16).toString('hex')}`;
  const fixture = {} as ServerOnEmbeddedDatabase;
  beforeAll(async () => {
    fixture.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fixture.env = { PAYDESK_DATA_DIR: fixture.dataDir, PAYDESK_API_KEY: apiKey };
    fixture.server = await createPaydesk(parseConfig({ ...fixture.env, PAYDESK_DEMO: '1', LOG_LEVEL: 'silent' }));
    fixture.brandId = (await prepareFirstStart(fixture.server.ctx))!.brandId;
    writeServerAddress(fixture.dataDir, await fixture.server.app.listen({ port: 0, host: '127.0.0.1' }));
  });
  afterAll(async () => {
    await fixture.server?.close();
    if (fixture.dataDir) fs.rmSync(fixture.dataDir, { recursive: true, force: true });
  });
  return fixture;
}
