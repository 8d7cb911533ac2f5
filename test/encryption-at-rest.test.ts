import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaydesk, type Paydesk } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { createApiKey } from '../src/modules/api-keys/api-key.service.js';
import { createBrand } from '../src/modules/brands/brand.service.js';
import { describeBackends } from './support/backends.js';
import {
  customersApi,
  expectProblem,
  newCustomer,
  type CustomerJson,
  type CustomerListJson,
} from './support/customers.js';
import { filesUnder, reopenableDatabase, type ReopenableDatabase } from './support/databases.js';
import { startTestPaydesk, TEST_MASTER_KEY, type TestBrand, type TestPaydesk } from './support/harness.js';

/** Personal values as typed, and every form the application might derive from them. */
interface Person {
  name: string;
  email: string;
  phone: string;
  e164: string;
}

const PEOPLE: Person[] = [
  {
    name: 'Zubayer Quennell',
    email: 'Zubayer.Quennell@Example-Mail.com',
    phone: '01711000111',
    e164: '+8801711000111',
  },
  {
    name: 'Farzana Okonkwo-Lindqvist',
    email: 'farzana.ol@mailbox.example.org',
    phone: '+880 1812-345678',
    e164: '+8801812345678',
  },
  { name: 'Józef Wiśniewski', email: 'JOZEF.W@EXAMPLE.NET', phone: '+34 612 345 678', e164: '+34612345678' },
  // Written only as an order's buyer, kept on the order because the brand's orders switch is off.
  {
    name: 'Oyelaran Thistlewood',
    email: 'oyelaran.t@shopper.example.com',
    phone: '01555987654',
    e164: '+8801555987654',
  },
];

/** A storefront account's id at the merchant's site: it may be a login name, so it is sealed too. */
const EXTERNAL_ID = 'zubayer-login-4471';

/** Strings that must not appear anywhere at rest (case-insensitive), in text or as hex of their bytes. */
function plaintextForms(person: Person): string[] {
  const forms = [
    person.name,
    ...person.name.split(' ').filter((word) => word.length >= 5),
    person.email,
    person.email.toLowerCase(),
    person.email.split('@')[0]!,
    person.phone,
    person.e164,
    person.e164.slice(1),
    person.e164.slice(-9),
  ];
  return [...new Set(forms.map((form) => form.toLowerCase()))];
}

const MARKER = 'plain-metadata-marker-7d1c9e';
const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');

describeBackends('personal data at rest (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let brand: TestBrand;
  let token: string;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    brand = await paydesk.newBrand();
    token = brand.token;
    const api = customersApi(paydesk, token);
    const [first, second, third] = PEOPLE as [Person, Person, Person];
    // Every way a customer is written: POST (with an Idempotency-Key and a replay), PUT, PATCH.
    const body = { name: first.name, email: first.email, phone: first.phone, metadata: { marker: MARKER } };
    expect((await api.create(body, { 'idempotency-key': 'rest-1' })).statusCode).toBe(201);
    expect((await api.create(body, { 'idempotency-key': 'rest-1' })).statusCode).toBe(201);
    expect((await api.upsert({ name: second.name, email: second.email, phone: second.phone })).statusCode).toBe(201);
    expect((await api.upsert({ name: second.name, email: second.email.toUpperCase() })).statusCode).toBe(200);
    const placeholder = await newCustomer(paydesk, brand, { name: 'Placeholder Person' });
    const patched = await api.update(placeholder.id, { name: third.name, email: third.email, phone: third.phone });
    expect(patched.json<CustomerJson>()).toMatchObject({ name: third.name, phone: third.e164 });
    // A failed duplicate must not leave anything behind either.
    expect((await api.create({ name: first.name, email: first.email.toUpperCase() })).statusCode).toBe(409);
    // A storefront account with the first person's data, and an order whose buyer only the order holds.
    const asOwner = (method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>) =>
      paydesk.request(token, { method, url: `/api/v1${url}`, payload });
    const user = await asOwner('POST', '/users', {
      external_id: EXTERNAL_ID,
      email: first.email,
      email_verified: true,
      given_name: first.name.split(' ')[0],
      family_name: first.name.split(' ')[1],
      phone: first.phone,
    });
    expect(user.statusCode, user.body).toBe(201);
    await asOwner('PATCH', '/brand/settings', { auto_create_customers: { orders: false } });
    const fourth = PEOPLE[3]!;
    const order = await asOwner('POST', '/orders', {
      currency: 'BDT',
      line_items: [{ description: 'Tea sampler', quantity: 1, unit_amount: 90000 }],
      customer_details: { name: fourth.name, email: fourth.email, phone: fourth.phone },
    });
    expect(order.json()).toMatchObject({ customer: null, buyer: { name: fourth.name } });
  });
  afterAll(() => paydesk?.close());

  async function tableDumps(): Promise<Map<string, string>> {
    const tables = await paydesk.rawQuery(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    );
    const dumps = new Map<string, string>();
    for (const { table_name } of tables) {
      const rows = await paydesk.rawQuery(`SELECT t::text AS row FROM "${String(table_name)}" t`);
      dumps.set(
        String(table_name),
        rows
          .map((r) => String(r.row))
          .join('\n')
          .toLowerCase(),
      );
    }
    return dumps;
  }

  it('reads every table, and would see plain text if there were any (metadata is plain by design)', async () => {
    const dumps = await tableDumps();
    for (const table of ['customers', 'idempotency_keys', 'brands', 'brand_keys', 'api_keys', 'keyring_state']) {
      expect([...dumps.keys()]).toContain(table);
    }
    expect(dumps.get('customers')).toContain(MARKER);
  });

  it.each(PEOPLE.map((p) => [p.name, p] as const))(
    'holds no form of %s — name, email or phone — in any table',
    async (_name, person) => {
      const dumps = await tableDumps();
      for (const [table, dump] of dumps) {
        for (const form of plaintextForms(person)) {
          expect(dump.includes(form), `${table} contains "${form}"`).toBe(false);
          expect(dump.includes(hex(form)), `${table} contains "${form}" as bytea hex`).toBe(false);
        }
      }
    },
  );

  it("holds no site user's external id in clear", async () => {
    for (const [table, dump] of await tableDumps()) {
      expect(dump.includes(EXTERNAL_ID), table).toBe(false);
      expect(dump.includes(hex(EXTERNAL_ID)), table).toBe(false);
    }
  });

  it('never stores the old values of an edited customer either', async () => {
    const dump = [...(await tableDumps()).values()].join('\n');
    expect(dump).not.toContain('placeholder person');
    expect(dump).not.toContain(hex('placeholder person'));
  });

  it('stores API keys hashed', async () => {
    const dump = (await tableDumps()).get('api_keys')!;
    expect(dump).not.toContain(token.toLowerCase());
    expect(dump).not.toContain(hex(token).toLowerCase());
  });

  it('encrypts equal values differently, and indexes equal emails differently per brand', async () => {
    const other = await paydesk.newBrand();
    const name = 'Same Name Twice';
    const email = `twin.${Date.now()}@example.com`;
    const a = await newCustomer(paydesk, brand, { name, email });
    const b = await newCustomer(paydesk, other, { name, email });
    const rows = await paydesk.rawQuery(
      'SELECT id, name_enc, email_enc, email_bidx FROM customers WHERE id = ANY($1)',
      [[a.id, b.id]],
    );
    expect(rows).toHaveLength(2);
    const [x, y] = rows.map((r) => ({
      name: r.name_enc as Buffer,
      email: r.email_enc as Buffer,
      bidx: r.email_bidx as Buffer,
    }));
    expect(x!.name.equals(y!.name)).toBe(false);
    expect(x!.email.equals(y!.email)).toBe(false);
    expect(x!.bidx).toHaveLength(16);
    expect(x!.bidx.equals(y!.bidx)).toBe(false);
    expect(x!.name.length).toBeGreaterThanOrEqual(Buffer.byteLength(name) + 5 + 12 + 16);
  });

  // Each ciphertext is bound to brand, table, column and row (DESIGN.md "Personal data encryption"):
  // someone with write access to the database cannot move a value to where the application shows it.
  describe('ciphertexts bound to their place', () => {
    let brandA: TestBrand;
    let brandB: TestBrand;
    beforeAll(async () => {
      brandA = await paydesk.newBrand({ name: 'Brand A' });
      brandB = await paydesk.newBrand({ name: 'Brand B' });
    });

    const copyColumn = (column: string, fromId: string, toId: string) =>
      paydesk.rawQuery(
        `UPDATE customers SET ${column} = (SELECT ${column} FROM customers WHERE id = $1) WHERE id = $2`,
        [fromId, toId],
      );

    function expectOpaque500(response: Awaited<ReturnType<TestPaydesk['request']>>, people: CustomerJson[]) {
      const problem = expectProblem(response, 500, 'internal');
      expect(problem.detail).toMatch(/^Something went wrong on our side \(request \S+\)$/);
      expect(Object.keys(problem).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
      for (const person of people) {
        for (const secret of [person.name, person.email, person.phone ?? person.name])
          expect(response.body).not.toContain(secret);
      }
      expect(response.body).not.toMatch(/decrypt|customers\.|stack|cipher/i);
    }

    it.each([
      ['name_enc', 'name'],
      ['email_enc', 'email'],
      ['phone_enc', 'phone'],
    ] as const)(
      '%s copied to another row of the same brand fails to decrypt, without leaking either customer',
      async (column, field) => {
        const api = customersApi(paydesk, brandA.token);
        const source = await newCustomer(paydesk, brandA, { name: `Source Shahana ${column}`, phone: '01711000111' });
        const target = await newCustomer(paydesk, brandA, { name: `Target Tahmid ${column}`, phone: '01911222333' });
        const [saved] = await paydesk.rawQuery(`SELECT ${column} AS value FROM customers WHERE id = $1`, [target.id]);

        await copyColumn(column, source.id, target.id);
        expectOpaque500(await api.get(target.id), [source, target]);
        // The list never shows the source's value on the target's row, whatever it does with the bad row.
        const list = await api.list('limit=100');
        if (list.statusCode === 200) {
          const row = list.json<CustomerListJson>().data.find((c) => c.id === target.id);
          expect(row?.[field]).not.toBe(source[field]);
        } else {
          expectOpaque500(list, [source, target]);
        }
        expect((await api.get(source.id)).json()).toEqual(source);

        // Putting the original bytes back makes the row readable again: only the copy was refused.
        await paydesk.rawQuery(`UPDATE customers SET ${column} = $1 WHERE id = $2`, [saved!.value, target.id]);
        expect((await api.get(target.id)).json()).toEqual(target);
      },
    );

    it('a forged row cannot be laundered into a valid one by editing it', async () => {
      const api = customersApi(paydesk, brandA.token);
      const source = await newCustomer(paydesk, brandA, { name: 'Laundry Source' });
      const target = await newCustomer(paydesk, brandA, { name: 'Laundry Target' });
      await copyColumn('name_enc', source.id, target.id);
      const patched = await api.update(target.id, { metadata: { touched: 'yes' } });
      expect(patched.statusCode).toBe(500);
      expectOpaque500(patched, [source, target]);
      const upserted = await api.upsert({ name: 'Laundry Target', email: target.email });
      expect(upserted.statusCode).toBe(500);
      expectOpaque500(await api.get(target.id), [source, target]);
    });

    it("a ciphertext copied into another brand's row fails to decrypt there", async () => {
      const ofA = await newCustomer(paydesk, brandA, { name: 'Amina Cross-Brand', phone: '01711000111' });
      const ofB = await newCustomer(paydesk, brandB, { name: 'Bashir Cross-Brand', phone: '01911222333' });
      await copyColumn('name_enc', ofA.id, ofB.id);
      await copyColumn('email_enc', ofA.id, ofB.id);
      expectOpaque500(await customersApi(paydesk, brandB.token).get(ofB.id), [ofA, ofB]);
      expect((await customersApi(paydesk, brandA.token).get(ofA.id)).json()).toEqual(ofA);
    });

    it('a whole row moved to another brand does not decrypt there', async () => {
      const ofA = await newCustomer(paydesk, brandA, { name: 'Moved Row Person' });
      // Its timeline and sort-key rows hold it by foreign key; an attacker moving the row would drop them first.
      await paydesk.rawQuery('DELETE FROM customer_events WHERE customer_id = $1', [ofA.id]);
      await paydesk.rawQuery('DELETE FROM customer_ranks WHERE customer_id = $1', [ofA.id]);
      await paydesk.rawQuery('UPDATE customers SET merchant_id = $1 WHERE id = $2', [brandB.id, ofA.id]);
      expectOpaque500(await customersApi(paydesk, brandB.token).get(ofA.id), [ofA]);
      expectProblem(await customersApi(paydesk, brandA.token).get(ofA.id), 404, 'customer_not_found');
    });
  });
});

describe('no personal data in plain text in a PGlite data directory', () => {
  let database: ReopenableDatabase;
  let paydesk: Paydesk | undefined;
  const config = parseConfig({ PAYDESK_MASTER_KEY: TEST_MASTER_KEY, PAYDESK_DEMO: '0', LOG_LEVEL: 'silent' });
  beforeAll(async () => {
    database = await reopenableDatabase('pglite');
  });
  afterAll(async () => {
    await paydesk?.close();
    await database?.destroy();
  });

  it('writes only ciphertext to disk', async () => {
    paydesk = await createPaydesk(config, { database: await database.open() });
    const brand = await createBrand(paydesk.ctx, { name: 'Disk Brand', country: 'BD', baseCurrency: 'BDT' });
    const { token } = await createApiKey(paydesk.ctx, { merchantId: brand.id, name: 'test', role: 'owner' });
    const ids: string[] = [];
    for (const person of PEOPLE) {
      const response = await paydesk.app.inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers: { authorization: `Bearer ${token}` },
        payload: { name: person.name, email: person.email, phone: person.phone, metadata: { marker: MARKER } },
      });
      expect(response.statusCode).toBe(201);
      ids.push(response.json<CustomerJson>().id);
    }
    await paydesk.close();
    paydesk = undefined;

    const files = filesUnder(database.dataDir!);
    expect(files.length).toBeGreaterThan(10);
    const contents = files.map((file) => ({ file, bytes: fs.readFileSync(file) }));
    // The control: unencrypted metadata reached the disk, so a plaintext value would be found too.
    expect(contents.some(({ bytes }) => bytes.includes(Buffer.from(MARKER)))).toBe(true);
    for (const person of PEOPLE) {
      for (const form of [
        person.name,
        person.email,
        person.email.toLowerCase(),
        person.e164,
        ...person.name.split(' '),
      ]) {
        const hits = contents.filter(({ bytes }) => bytes.includes(Buffer.from(form, 'utf8'))).map(({ file }) => file);
        expect(hits, `"${form}" on disk`).toEqual([]);
      }
    }
  });
});
