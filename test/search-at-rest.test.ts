import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from './support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from './support/harness.js';
import { emailBlindIndex } from '../src/crypto/blind-index.js';
import { customersApi, newCustomer, type CustomerJson, type CustomerListJson } from './support/customers.js';

/*
 * What an attacker with a copy of the database sees of a searchable customer: no plaintext name,
 * email or phone, and not even a plaintext trigram of the name, in any column of any table.
 */

const NAME = 'Zebediah Quixotesworth';
const EMAIL = 'zebediah.quixotesworth@marrowgate.example';
const PHONE = '+8801999887766';
/** Stored in metadata, which is plain by design: proves the scan sees what is there. */
const CONTROL = 'plainmarkerwaxwing';

const trigrams = (text: string) => [...text].slice(0, -2).map((_, i) => text.slice(i, i + 3));

/** Every trigram of the folded name ("zeb", "qui", "xot", …, "rth"), its words, and the whole values. */
const TEXT_NEEDLES = [
  ...new Set([
    ...trigrams(NAME.toLowerCase()),
    'zebediah',
    'quixotesworth',
    'worth',
    NAME.toLowerCase(),
    EMAIL,
    'marrowgate',
    PHONE,
    PHONE.slice(1),
    '01999887766',
    '1999887766',
  ]),
];
/** In bytea columns, the same values as raw UTF-8 bytes (4+ bytes, so ciphertext cannot hold one by chance). */
const BYTE_NEEDLES = [
  NAME,
  NAME.toLowerCase(),
  'Zebe',
  'Quix',
  'xotes',
  'worth',
  EMAIL,
  'marrowgate',
  PHONE,
  '01999887766',
];

/**
 * Random material whose characters could spell a short needle by chance: bytea hex, prefixed ids
 * (Crockford base 32), hex fingerprints. Removed before counting; bytea is checked as bytes instead.
 */
function withoutRandomMaterial(text: string): string {
  return text
    .replace(/\\+x[0-9a-f]*/g, ' ')
    .replace(/\b[a-z]+_[0-9a-hjkmnp-tv-z]{26}\b/g, ' ')
    .replace(/\b[0-9a-f]{16,}\b/g, ' ');
}

function count(haystack: string, needle: string): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) n++;
  return n;
}

describeBackends('search data at rest (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let tables: string[];

  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand({ country: 'BD' });
    const rows = await paydesk.rawQuery(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    tables = rows.map((r) => String(r.table_name));
  });
  afterAll(() => paydesk?.close());

  /** Every row of every table as PostgreSQL's text form, lower-cased, random material removed. */
  async function scanText(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const table of tables) {
      const rows = await paydesk.rawQuery(`SELECT t::text AS row FROM "${table}" t`);
      const hints = table === 'api_keys' ? await paydesk.rawQuery('SELECT token_hint FROM api_keys') : [];
      let text = rows
        .map((r) => String(r.row))
        .join('\n')
        .toLowerCase();
      // The hint is four random characters of an API token: noise, not data.
      for (const { token_hint } of hints) text = text.split(String(token_hint).toLowerCase()).join(' ');
      out.set(table, withoutRandomMaterial(text));
    }
    return out;
  }

  /** Every bytea value in the schema. */
  async function scanBytes(): Promise<{ where: string; value: Buffer }[]> {
    const columns = await paydesk.rawQuery(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND data_type = 'bytea'`,
    );
    const out: { where: string; value: Buffer }[] = [];
    for (const { table_name, column_name } of columns) {
      const rows = await paydesk.rawQuery(`SELECT "${String(column_name)}" AS v FROM "${String(table_name)}"`);
      for (const { v } of rows)
        if (v) out.push({ where: `${String(table_name)}.${String(column_name)}`, value: Buffer.from(v as Uint8Array) });
    }
    return out;
  }

  function countNeedles(scan: Map<string, string>): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const needle of [...TEXT_NEEDLES, CONTROL])
      counts[needle] = [...scan.values()].reduce((n, text) => n + count(text, needle), 0);
    return counts;
  }

  it('holds no plaintext name, email, phone or trigram of the name, in any table, while search finds the customer', async () => {
    // Needles already present before the customer exists (e.g. "tes" in an API key named "test")
    // are the baseline: seeding the customer must not add one occurrence of any needle.
    const before = countNeedles(await scanText());

    const customer: CustomerJson = await newCustomer(paydesk, brand, {
      name: NAME,
      email: EMAIL,
      phone: '01999887766',
      metadata: { marker: CONTROL },
    });
    // Exercise the paths that write: an edit re-seals, an idempotent create stores a request record.
    const api = customersApi(paydesk, brand.token);
    expect((await api.update(customer.id, { metadata: { marker: CONTROL, tier: 'gold' } })).statusCode).toBe(200);
    const replay = await api.create(
      { name: NAME, email: 'zq2@marrowgate.example' },
      { 'idempotency-key': 'idem-at-rest-1' },
    );
    expect(replay.statusCode).toBe(201);

    for (const q of ['zeb', 'quixotes', 'worth', 'zebediah.quix', '01999', '+880 1999']) {
      const response = await api.list(`q=${encodeURIComponent(q)}`);
      expect(response.statusCode, `${q}: ${response.body}`).toBe(200);
      const found = response.json<CustomerListJson>();
      expect(
        found.data.map((c) => c.id),
        q,
      ).toContain(customer.id);
    }

    const scan = await scanText();
    expect(tables).toEqual(
      expect.arrayContaining(['brands', 'brand_keys', 'api_keys', 'customers', 'idempotency_keys']),
    );
    expect(
      (await paydesk.rawQuery('SELECT count(*)::int AS n FROM customers WHERE id = $1', [customer.id]))[0]?.n,
    ).toBe(1);

    const after = countNeedles(scan);
    // The control is found (once in customers.metadata): the scan does see plaintext.
    expect(after[CONTROL]).toBe(before[CONTROL]! + 1);
    const added = Object.fromEntries(TEXT_NEEDLES.map((needle) => [needle, after[needle]! - before[needle]!]));
    expect(added).toEqual(Object.fromEntries(TEXT_NEEDLES.map((needle) => [needle, 0])));
    // Whole values must not appear at all, baseline or not.
    for (const needle of [NAME.toLowerCase(), EMAIL, PHONE, '01999887766', 'quixotesworth'])
      expect(after[needle], needle).toBe(0);
  });

  it('holds no plaintext name, email or phone inside any bytea value', async () => {
    const brandB = await paydesk.newBrand({ country: 'BD' });
    await newCustomer(paydesk, brandB, { name: NAME, email: EMAIL, phone: PHONE });
    const values = await scanBytes();
    // The scan reads the stored bytes themselves: the email's blind index is among them.
    const keys = await paydesk.ctx.keyring.forBrand(paydesk.ctx.db, brandB.id);
    const bidx = emailBlindIndex(keys.index, EMAIL);
    expect(values.filter(({ value }) => value.equals(bidx)).map((v) => v.where)).toEqual(['customers.email_bidx']);
    const wheres = new Set(values.map((v) => v.where));
    for (const column of ['customers.name_enc', 'customers.email_enc', 'customers.phone_enc', 'customers.email_bidx']) {
      expect(wheres, column).toContain(column);
    }
    const hits = values.flatMap(({ where, value }) =>
      BYTE_NEEDLES.filter(
        (needle) =>
          value.includes(Buffer.from(needle, 'utf8')) || value.includes(Buffer.from(needle.toLowerCase(), 'utf8')),
      ).map((needle) => `${where}: ${needle}`),
    );
    expect(hits).toEqual([]);
  });

  it("stores the search tokens as integers only: the brand's public tag over 15 bits of PRF value and range", async () => {
    const brandC = await paydesk.newBrand({ country: 'BD' });
    await newCustomer(paydesk, brandC, { name: NAME, email: EMAIL, phone: PHONE });
    const rows = await paydesk.rawQuery(`SELECT search_tokens::text AS tokens FROM customers WHERE merchant_id = $1`, [
      brandC.id,
    ]);
    expect(rows).toHaveLength(1);
    for (const { tokens } of rows) {
      expect(String(tokens)).toMatch(/^\{\d+(,\d+)*\}$/);
      const values = String(tokens).slice(1, -1).split(',').map(Number);
      const { index } = await paydesk.ctx.keyring.forBrand(paydesk.ctx.db, brandC.id);
      expect(values.every((v) => Math.floor(v / 2 ** 15) === index.brandTag)).toBe(true);
      expect(Math.max(...values.map((v) => v % 2 ** 15))).toBeLessThan(2 ** 15);
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }
  });
});
