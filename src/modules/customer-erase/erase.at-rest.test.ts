import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPaydesk } from '../../app.js';
import { parseConfig } from '../../config.js';
import type { DatabaseHandle } from '../../db/database.js';
import { createApiKey } from '../api-keys/api-key.service.js';
import { createBrand } from '../brands/brand.service.js';
import { describeBackends, type Backend } from '../../../test/support/backends.js';
import { customersApi, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { filesUnder, reopenableDatabase } from '../../../test/support/databases.js';
import { startTestPaydesk, TEST_MASTER_KEY, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { pageOf } from './erase-storage.repository.js';
import { imagesApi } from '../../../test/support/images.js';
import { byKey, newNote } from '../../../test/support/notes.js';
import { newOrder, setOrdersAutoCreate } from '../../../test/support/orders.js';
import { createPaymentLink, ledgerRows, openInvoice, paid, pay, payer } from '../../../test/support/payments.js';
import { newUser } from '../../../test/support/users.js';

/*
 * "For good": after an erase and a checkpoint, the raw files of every table, TOAST relation and
 * index hold none of the person's ciphertexts (no 16-byte window of any of them) and none of the
 * plain values, even though PostgreSQL keeps dead row versions, and their bytes, until overwritten.
 * PostgreSQL: files read with pg_read_binary_file (superuser in tests). PGlite: a database on disk,
 * every file under its database directory read from the file system.
 */

const PERSON = {
  name: 'Ottoline Vasquez-Brightwater',
  email: 'ottoline.vb@forgetme.example',
  phone: '01712987654',
  e164: '+8801712987654',
  externalId: 'ottoline-storefront-login-77',
  shortNote: 'Prefers calls after six; lives at 14 Quillfeather Lane',
  longNote: `Long history: ${'Ottoline asked about the Quillfeather parcel again. '.repeat(60)}`,
};

const WINDOW = 16;

/** Every 16-byte window of every ciphertext, keyed by its first 6 bytes for a one-pass scan. */
function windowIndex(ciphertexts: Buffer[]): Map<number, Buffer[]> {
  const index = new Map<number, Buffer[]>();
  for (const c of ciphertexts) {
    for (let i = 0; i + WINDOW <= c.length; i++) {
      const window = c.subarray(i, i + WINDOW);
      const key = window.readUIntLE(0, 6);
      index.set(key, [...(index.get(key) ?? []), window]);
    }
  }
  return index;
}

/** Windows of the ciphertexts found in a file's bytes. */
function windowsIn(bytes: Buffer, index: Map<number, Buffer[]>): number {
  let found = 0;
  for (let at = 0; at + WINDOW <= bytes.length; at++) {
    const candidates = index.get(bytes.readUIntLE(at, 6));
    if (candidates?.some((w) => bytes.compare(w, 0, WINDOW, at, at + WINDOW) === 0)) found++;
  }
  return found;
}

/**
 * Updates each row to itself in one transaction (no version prunable until it ends) until the next
 * version goes to another page; answers the tables whose row moved.
 */
async function moveAcrossPages(pd: TestPaydesk, rows: [table: string, id: string][]): Promise<string[]> {
  const moved: string[] = [];
  for (const [table, id] of rows) {
    const pageNow = async () =>
      pageOf(String((await pd.rawQuery(`SELECT ctid::text AS ctid FROM ${table} WHERE id = $1`, [id]))[0]!.ctid));
    const first = await pageNow();
    await pd.rawQuery(`
      DO $$
      DECLARE at tid;
      BEGIN
        FOR i IN 1..500 LOOP
          UPDATE ${table} SET merchant_id = merchant_id WHERE id = '${id}' RETURNING ctid INTO at;
          EXIT WHEN (at::text::point)[0] <> ${first};
        END LOOP;
      END $$`);
    if ((await pageNow()) !== first) moved.push(table);
  }
  return moved;
}

interface Harness {
  pd: TestPaydesk;
  /** Every database file that may hold the brand's rows: name → bytes. */
  files(): Promise<Map<string, Buffer>>;
  close(): Promise<void>;
}

/** PGlite on disk (its files read from the directory), or PostgreSQL (files read over SQL). */
async function harness(backend: Backend): Promise<Harness> {
  if (backend === 'postgres') {
    const pd = await startTestPaydesk('postgres');
    return {
      pd,
      close: () => pd.close(),
      async files() {
        await pd.rawQuery('CHECKPOINT');
        const rows = await pd.rawQuery(`
          WITH mine AS (
            SELECT c.oid, c.reltoastrelid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i')),
          toast AS (SELECT reltoastrelid AS oid FROM mine WHERE reltoastrelid <> 0),
          toast_index AS (SELECT indexrelid AS oid FROM pg_index WHERE indrelid IN (SELECT oid FROM toast)),
          every AS (SELECT oid FROM mine UNION SELECT oid FROM toast UNION SELECT oid FROM toast_index)
          SELECT c.relname, pg_read_binary_file(pg_relation_filepath(c.oid), 0, pg_relation_size(c.oid), true) AS bytes
            FROM every JOIN pg_class c ON c.oid = every.oid`);
        return new Map(rows.map((r) => [String(r.relname), Buffer.from(r.bytes as Uint8Array)]));
      },
    };
  }
  const store = await reopenableDatabase('pglite');
  const database: DatabaseHandle = await store.open();
  const config = parseConfig({ PAYDESK_MASTER_KEY: TEST_MASTER_KEY, PAYDESK_DEMO: '0', LOG_LEVEL: 'silent' });
  const paydesk = await createPaydesk(config, { database });
  const rawQuery: TestPaydesk['rawQuery'] = async (text, params = []) =>
    (await database.db.executeQuery(CompiledQuery.raw(text, params))).rows as Record<string, unknown>[];
  const pd: TestPaydesk = {
    ...paydesk,
    backend,
    database,
    rawQuery,
    close: async () => {
      await paydesk.close();
      await database.close().catch(() => {});
    },
    async newBrand() {
      const brand = await createBrand(paydesk.ctx, { name: 'Erase Brand', country: 'BD', baseCurrency: 'BDT' });
      const { token, id } = await createApiKey(paydesk.ctx, { merchantId: brand.id, name: 'test', role: 'owner' });
      return {
        id: brand.id,
        token,
        principal: { merchantId: brand.id, role: 'owner', actor: { type: 'api_key', id } },
      };
    },
    keyFor: async (brand, role) =>
      (await createApiKey(paydesk.ctx, { merchantId: brand.id, name: `test ${role}`, role })).token,
    request(token, options) {
      const headers = { ...(options.headers ?? {}) } as Record<string, string>;
      if (token) headers.authorization = `Bearer ${token}`;
      return paydesk.app.inject({ ...options, headers });
    },
  };
  return {
    pd,
    close: async () => {
      await pd.close();
      await store.destroy();
    },
    async files() {
      await rawQuery('CHECKPOINT');
      const [db] = await rawQuery('SELECT oid::text AS oid FROM pg_database WHERE datname = current_database()');
      const dir = path.join(store.dataDir!, 'base', String(db!.oid));
      return new Map(filesUnder(dir).map((file) => [path.relative(dir, file), fs.readFileSync(file)]));
    },
  };
}

describeBackends('erase leaves nothing in the database files (%s)', (backend) => {
  let h: Harness;
  let brand: TestBrand;
  let person: CustomerJson;
  let ciphertexts: Map<string, Buffer>;
  let ledgerBefore: Record<string, unknown>[];
  let scrubbed: unknown;
  const plainValues = [
    PERSON.name,
    'Vasquez-Brightwater',
    PERSON.email,
    'ottoline.vb',
    PERSON.e164,
    '1712987654',
    PERSON.externalId,
    'Quillfeather',
  ];

  beforeAll(async () => {
    h = await harness(backend);
    const { pd } = h;
    brand = await pd.newBrand();
    // Enough customers for many heap pages, the person in the middle of them.
    for (let i = 0; i < 150; i++) await newCustomer(pd, brand, { phone: `0171${String(1000000 + i)}` });
    person = await newCustomer(pd, brand, {
      name: PERSON.name,
      email: PERSON.email,
      phone: PERSON.phone,
      metadata: { crm: 'ottoline-crm-record' },
    });
    for (let i = 0; i < 150; i++) await newCustomer(pd, brand);
    const user = await newUser(pd, brand, {
      email: PERSON.email,
      external_id: PERSON.externalId,
      given_name: 'Ottoline',
      family_name: 'Vasquez-Brightwater',
      phone: PERSON.phone,
    });
    expect(user.customer).toBe(person.id);
    const link = await createPaymentLink(pd, brand, { amount: 3100 });
    for (let i = 0; i < 3; i++) paid(await pay(pd, link.url, payer({ email: PERSON.email, name: PERSON.name })));
    await openInvoice(pd, brand, { customer_id: person.id });
    await newOrder(pd, brand, { customer: person.id, customer_details: undefined });
    await setOrdersAutoCreate(pd, brand, false);
    await newOrder(pd, brand, {
      user: user.id,
      // Another email of the person's: no customer has it, so the order keeps the buyer sealed.
      customer_details: { name: PERSON.name, email: 'ottoline.work@forgetme.example', phone: PERSON.phone },
    });
    await setOrdersAutoCreate(pd, brand, true);
    const call = byKey(pd, brand.token);
    await newNote(call, person.id, PERSON.shortNote);
    await newNote(call, person.id, PERSON.longNote);
    // Noise does not compress: the image is stored out of line, in TOAST chunks.
    const noise = await sharp(crypto.randomBytes(160 * 160 * 3), { raw: { width: 160, height: 160, channels: 3 } })
      .png()
      .toBuffer();
    const put = await imagesApi(pd, brand.token).put(person.id, noise, 'image/png');
    expect(put.statusCode, put.body).toBe(200);

    // A row's versions do not stay on one page: when its page has no room (its dead versions not yet
    // prunable, as while another session's snapshot is open), an update writes the next version on
    // another page and the old page keeps the last one. Here, many updates in one transaction (none
    // prunable until it ends) move each of the person's rows off its page, leaving versions behind.
    const moved = await moveAcrossPages(pd, [
      ['customers', person.id],
      ['site_users', user.id],
      [
        'orders',
        (await pd.rawQuery('SELECT id FROM orders WHERE user_id = $1 AND buyer_enc IS NOT NULL', [user.id]))[0]!
          .id as string,
      ],
      [
        'customer_notes',
        (
          await pd.rawQuery(
            'SELECT id FROM customer_notes WHERE customer_id = $1 ORDER BY octet_length(body_enc) LIMIT 1',
            [person.id],
          )
        )[0]!.id as string,
      ],
    ]);
    expect(moved).toEqual(['customers', 'site_users', 'orders', 'customer_notes']);

    const [c] = await pd.rawQuery('SELECT name_enc, email_enc, phone_enc FROM customers WHERE id = $1', [person.id]);
    const notes = await pd.rawQuery('SELECT id, body_enc FROM customer_notes WHERE customer_id = $1', [person.id]);
    const [image] = await pd.rawQuery('SELECT image_enc FROM customer_images WHERE customer_id = $1', [person.id]);
    const [u] = await pd.rawQuery(
      'SELECT external_id_enc, email_enc, given_name_enc, family_name_enc, phone_enc FROM site_users WHERE id = $1',
      [user.id],
    );
    const orders = await pd.rawQuery('SELECT id, buyer_enc FROM orders WHERE buyer_enc IS NOT NULL AND user_id = $1', [
      user.id,
    ]);
    expect(notes).toHaveLength(2);
    expect(orders).toHaveLength(1);
    ciphertexts = new Map<string, Buffer>([
      ['customers.name_enc', c!.name_enc as Buffer],
      ['customers.email_enc', c!.email_enc as Buffer],
      ['customers.phone_enc', c!.phone_enc as Buffer],
      ...notes.map((n) => [`customer_notes.body_enc ${String(n.id)}`, n.body_enc as Buffer] as const),
      ['customer_images.image_enc', Buffer.from(image!.image_enc as Uint8Array)],
      ...Object.entries(u!).map(([column, value]) => [`site_users.${column}`, value as Buffer] as const),
      ['orders.buyer_enc', orders[0]!.buyer_enc as Buffer],
    ]);
    expect(ciphertexts.get('customer_images.image_enc')!.length).toBeGreaterThan(15_000);
    ledgerBefore = await ledgerRows(pd, brand);
  }, 180_000);
  afterAll(() => h?.close());

  it('finds every ciphertext in the files before the erase (the reader sees what it looks for)', async () => {
    const files = await h.files();
    for (const [column, ciphertext] of ciphertexts) {
      const index = windowIndex([ciphertext]);
      const seen = [...files.values()].reduce((n, bytes) => n + windowsIn(bytes, index), 0);
      expect(seen, column).toBeGreaterThan(0);
    }
  }, 120_000);

  it('after the erase, no 16-byte window of any ciphertext and no plain value is in any file', async () => {
    const heldTables = ['customers', 'site_users', 'orders', 'customer_notes', 'customer_images'];
    const filesOfHeldTables = async () =>
      Object.fromEntries(
        await Promise.all(
          heldTables.map(async (table) => [
            table,
            (await h.pd.rawQuery(`SELECT pg_relation_filenode('${table}') AS node`))[0]!.node,
          ]),
        ),
      );
    const filesBefore = await filesOfHeldTables();
    const started = performance.now();
    const response = await h.pd.request(brand.token, {
      method: 'POST',
      url: `/api/v1/customers/${person.id}/erase`,
      payload: { reason: 'Right to erasure, ticket 880' },
    });
    expect(response.statusCode, response.body).toBe(200);
    scrubbed = response.json<{ scrubbed: boolean }>().scrubbed;
    console.log(`[erase at rest] ${backend}: erase answered in ${Math.round(performance.now() - started)} ms`);
    expect(scrubbed).toBe(true);
    // Every table that held the person's rows is in new files (VACUUM FULL); none kept its old ones.
    const filesAfter = await filesOfHeldTables();
    for (const table of heldTables) expect(filesAfter[table], table).not.toEqual(filesBefore[table]);

    const files = await h.files();
    const residue: string[] = [];
    for (const [column, ciphertext] of ciphertexts) {
      const index = windowIndex([ciphertext]);
      for (const [file, bytes] of files) {
        const found = windowsIn(bytes, index);
        if (found > 0) residue.push(`${column}: ${found} windows in ${file}`);
      }
    }
    for (const value of plainValues) {
      for (const [file, bytes] of files) {
        if (bytes.includes(Buffer.from(value, 'utf8'))) residue.push(`"${value}" in ${file}`);
      }
    }
    expect(residue).toEqual([]);
  }, 120_000);

  it('kept the ledger and shows the customer erased', async () => {
    expect(await ledgerRows(h.pd, brand)).toEqual(ledgerBefore);
    const view = (await customersApi(h.pd, brand.token).get(person.id)).json<CustomerJson>();
    expect(view).toMatchObject({ name: 'Erased customer', transactions_count: 3, total_spent: { amount: 9300 } });
  });
});
