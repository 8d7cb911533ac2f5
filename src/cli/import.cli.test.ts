import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, serverOnEmbeddedDatabase } from '../../test/support/cli.js';
import { createContext } from '../app.js';
import { parseConfig } from '../config.js';
import { createBrand } from '../modules/brands/brand.service.js';

const FILE = [
  'First Name,Last Name,Email,Phone,Customer Note',
  'Ada,Lovelace,ada.cli@example.com,01711000201,likes tea',
  'Bad,Email,not-an-email,,',
  'Grace,Hopper,grace.cli@example.com,,',
].join('\n');

async function customerCount(env: Record<string, string>, brandId: string): Promise<number> {
  const config = parseConfig({ ...env, PAYDESK_DEMO: '0', LOG_LEVEL: 'silent' });
  const opened = await createContext(config, { logger: pino({ level: 'silent' }) });
  try {
    const row = await opened.ctx.db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('merchant_id', '=', brandId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await opened.close();
  }
}

describe('paydesk import, working on the database itself', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let brandId: string;
  let file: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-cli-import-'));
    env = { PAYDESK_DATA_DIR: dataDir };
    const config = parseConfig({ ...env, PAYDESK_DEMO: '0', LOG_LEVEL: 'silent' });
    const opened = await createContext(config, { logger: pino({ level: 'silent' }) });
    try {
      brandId = (await createBrand(opened.ctx, { name: 'Import Brand', country: 'BD', baseCurrency: 'BDT' })).id;
    } finally {
      await opened.close();
    }
    file = path.join(dataDir, 'customers.csv');
    fs.writeFileSync(file, FILE);
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('all-or-nothing (the default) imports nothing from a file with a bad row, and says which line', async () => {
    const run = await cli(env, ['import', file, '--brand', brandId]);
    expect(run.code).toBe(1);
    expect(run.out).toBe('imported 0, updated 0, skipped 0, failed 1\n');
    expect(run.err).toMatch(/line 3: failed — email: is not a valid email address/);
    expect(run.err).toMatch(/columns not imported: Customer Note/);
    expect(await customerCount(env, brandId)).toBe(0);
  });

  it('--dry-run --mode skip-invalid counts without writing; the real run imports; a rerun duplicates no one', async () => {
    const dry = await cli(env, ['import', file, '--brand', brandId, '--mode', 'skip-invalid', '--dry-run']);
    expect(dry.code).toBe(3);
    expect(dry.out).toBe('imported 2, updated 0, skipped 0, failed 1\n');
    expect(dry.err).toMatch(/dry run: nothing was written/);
    expect(await customerCount(env, brandId)).toBe(0);

    const report = path.join(dataDir, 'report.csv');
    const real = await cli(env, ['import', file, '--brand', brandId, '--mode', 'skip-invalid', '--report', report]);
    expect(real.out).toBe('imported 2, updated 0, skipped 0, failed 1\n');
    expect(parse(fs.readFileSync(report, 'utf8'), { columns: true })).toEqual([
      { line: '3', status: 'failed', field: 'email', reason: 'is not a valid email address', customer: '' },
    ]);
    // Without a terminal the progress is plain lines: rows done, rows/s and time left.
    expect(real.err).toMatch(/3\/3 rows \(100%\) · [\d,]+ rows\/s · ETA/);
    expect(await customerCount(env, brandId)).toBe(2);

    const again = await cli(env, ['import', file, '--brand', brandId, '--mode', 'skip-invalid']);
    expect(again.out).toBe('imported 0, updated 0, skipped 2, failed 1\n');
    expect(await customerCount(env, brandId)).toBe(2);
  });

  it('--map names a header; a non-UTF-8 file and bad options are refused clearly', async () => {
    const mapped = path.join(dataDir, 'mapped.csv');
    fs.writeFileSync(mapped, 'Full name,Courriel\nMapped Person,mapped.cli@example.com\n');
    const run = await cli(env, ['import', mapped, '--brand', brandId, '--map', 'Courriel=email']);
    expect(run.out).toBe('imported 1, updated 0, skipped 0, failed 0\n');
    expect(run.code).toBe(0);

    const latin1 = path.join(dataDir, 'latin1.csv');
    fs.writeFileSync(latin1, Buffer.from('name,email\nRené,rene@example.com\n', 'latin1'));
    const refused = await cli(env, ['import', latin1, '--brand', brandId]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/not valid UTF-8/);

    expect((await cli(env, ['import', mapped, '--mode', 'maybe'])).code).toBe(2);
    expect((await cli(env, ['import', '--brand', brandId])).err).toMatch(/Name the CSV file/);
    expect((await cli(env, ['import', path.join(dataDir, 'missing.csv')])).err).toMatch(/No file/);
  });
});

describe('paydesk import while a server holds the embedded database', () => {
  const held = serverOnEmbeddedDatabase('paydesk-cli-import-server-');

  it('uploads the file to the API, follows the job and prints the counts and the report', async () => {
    const file = path.join(held.dataDir, 'customers.csv');
    fs.writeFileSync(file, FILE);
    const report = path.join(held.dataDir, 'report.csv');
    const run = await cli(held.env, [
      'import',
      file,
      '--brand',
      held.brandId,
      '--mode',
      'skip-invalid',
      '--report',
      report,
    ]);
    expect(run.err).toMatch(/holds the database; the file goes to the API key's brand/);
    expect(run.out).toBe('imported 2, updated 0, skipped 0, failed 1\n');
    expect(run.code).toBe(3);
    expect(fs.readFileSync(report, 'utf8')).toMatch(/^line,status,field,reason,customer\n3,failed,email,/);
    const api = await held.server.app.inject({
      method: 'GET',
      url: '/api/v1/customers?q=ada.cli@example.com',
      headers: { authorization: `Bearer ${held.env.PAYDESK_API_KEY}` },
    });
    expect(api.json<{ data: Array<{ source: string }> }>().data).toEqual([
      expect.objectContaining({ source: 'import' }),
    ]);
  });

  it("refuses another brand than the key's, and shows the server's invalid_csv message", async () => {
    const file = path.join(held.dataDir, 'bad.csv');
    fs.writeFileSync(file, 'name,email\n"never closed,x@example.com\n');
    const other = await cli(held.env, ['import', file, '--brand', 'brd_0000000000000000000000000z']);
    expect(other.err).toMatch(/belongs to brand/);
    const bad = await cli(held.env, ['import', file]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/never closed.*\(invalid_csv\)/);
  });
});
