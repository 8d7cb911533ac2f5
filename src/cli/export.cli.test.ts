import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, serverOnEmbeddedDatabase } from '../../test/support/cli.js';
import { createContext } from '../app.js';
import { parseConfig } from '../config.js';
import type { Principal } from '../modules/access/principal.js';
import { createBrand } from '../modules/brands/brand.service.js';
import { createCustomer } from '../modules/customers/customer.service.js';

const records = (csv: string) => parse(csv, { columns: true }) as Array<Record<string, string>>;

describe('paydesk export, working on the database itself', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let brandId: string;
  let otherId: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-cli-export-'));
    env = { PAYDESK_DATA_DIR: dataDir };
    const config = parseConfig({ ...env, PAYDESK_DEMO: '0', LOG_LEVEL: 'silent' });
    const opened = await createContext(config, { logger: pino({ level: 'silent' }) });
    try {
      brandId = (await createBrand(opened.ctx, { name: 'Export Brand', country: 'BD', baseCurrency: 'BDT' })).id;
      otherId = (await createBrand(opened.ctx, { name: 'Other Brand', country: 'BD', baseCurrency: 'BDT' })).id;
      const owner = (merchantId: string): Principal => ({
        merchantId,
        role: 'owner',
        actor: { type: 'system', id: 'test' },
      });
      for (let i = 0; i < 5; i++) {
        // Commas and quotes in a cell: the CSV quotes it, and it is still one record.
        const metadata = { note: `line one, "quoted", line two ${i}` };
        await createCustomer(
          opened.ctx,
          owner(brandId),
          { name: `Export Person ${i}`, email: `export.${i}@example.com`, metadata },
          { source: 'api' },
        );
      }
      await createCustomer(
        opened.ctx,
        owner(otherId),
        { name: 'Someone Else', email: 'else@example.com' },
        {
          source: 'api',
        },
      );
    } finally {
      await opened.close();
    }
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('writes every customer of the brand to the file, and says how many', async () => {
    const out = path.join(dataDir, 'customers.csv');
    const run = await cli(env, ['export', '--brand', brandId, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.err).toContain(`exported 5 customers to ${out}`);
    const rows = records(fs.readFileSync(out, 'utf8'));
    expect(rows.map((r) => r.email).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `export.${i}@example.com`));
    expect(JSON.parse(rows[0]!.metadata!)).toMatchObject({ note: expect.stringContaining('line two') });
    expect(fs.existsSync(`${out}.part`)).toBe(false);
  });

  it('writes to stdout without --out, and filters like the API', async () => {
    const run = await cli(env, ['export', '--brand', otherId, '--q', 'else@example.com']);
    expect(run.code).toBe(0);
    expect(records(run.out).map((r) => r.name)).toEqual(['Someone Else']);
    const none = await cli(env, ['export', '--brand', otherId, '--created-lt', '2000-01-01T00:00:00Z']);
    expect(records(none.out)).toEqual([]);
  });

  it('needs --brand when there is more than one brand', async () => {
    const run = await cli(env, ['export']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/2 brands; name one with --brand/);
  });

  it('refuses a bad date with the field it names', async () => {
    const run = await cli(env, ['export', '--brand', brandId, '--created-gte', 'yesterday']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/created_gte: must be an ISO 8601 date-time/);
  });
});

describe('paydesk export while a server holds the embedded database', () => {
  const held = serverOnEmbeddedDatabase('paydesk-cli-export-server-');

  it('asks the server with the API key, and gets the rows the API gives', async () => {
    const out = path.join(held.dataDir, 'customers.csv');
    const run = await cli(held.env, ['export', '--brand', held.brandId, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/holds the database; it exports the API key's brand/);
    const rows = records(fs.readFileSync(out, 'utf8'));
    const api = await held.server.app.inject({
      method: 'GET',
      url: '/api/v1/customers/export',
      headers: { authorization: `Bearer ${held.env.PAYDESK_API_KEY}` },
    });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(records(api.body));
    expect(run.err).toContain(`exported ${rows.length} customers to ${out}`);
  });

  it("refuses another brand than the key's, and a bad date with the API's message", async () => {
    const other = await cli(held.env, ['export', '--brand', 'brd_0000000000000000000000000z']);
    expect(other.code).toBe(1);
    expect(other.err).toMatch(/belongs to brand/);
    const bad = await cli(held.env, ['export', '--created-gte', 'yesterday']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/created_gte/);
  });
});
