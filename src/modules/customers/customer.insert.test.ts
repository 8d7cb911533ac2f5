import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { v1 } from '../../../test/support/payments.js';
import { newUser } from '../../../test/support/users.js';
import { newId } from '../../ids.js';
import { customerEventFor } from '../timeline/index.js';
import { registeredPayerMayLink } from './customer-link.repository.js';
import { insertNewCustomer } from './customer.repository.js';
import { sealContact } from './customer.seal.js';
import type { NewCustomerRow } from './customer.table.js';

// A create without an Idempotency-Key is one statement: the customer and its event commit together,
// and the statement says whether a site user has the email.
describeBackends('a new customer in one statement (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
  });
  afterAll(() => pd?.close());

  async function newRow(email: string, merchantId = brand.id): Promise<NewCustomerRow> {
    const keys = await pd.ctx.keyring.forBrand(pd.ctx.db, merchantId);
    const id = newId('cus');
    const now = new Date();
    return {
      merchant_id: merchantId,
      id,
      ...sealContact(keys, merchantId, id, { name: 'Nadia Islam', email, phone: null }),
      metadata: '{}',
      source: 'api',
      created_at: now,
      updated_at: now,
    };
  }

  const createdEvent = (row: NewCustomerRow) => (inserted: RawBuilder<unknown>) =>
    customerEventFor({
      customer: inserted,
      event: {
        merchantId: row.merchant_id,
        type: 'customer.created',
        actor: { type: 'api_key', id: 'key_test' },
        refs: { source: 'api' },
        at: row.created_at,
      },
    });

  async function stored(id: string) {
    const [row] = await pd.rawQuery(
      `SELECT (SELECT count(*)::int FROM customers WHERE merchant_id = $1 AND id = $2) AS customers,
        (SELECT count(*)::int FROM customer_events WHERE merchant_id = $1 AND customer_id = $2) AS events`,
      [brand.id, id],
    );
    return row;
  }

  it('writes the customer and its event', async () => {
    const row = await newRow('nadia.one@example.com');
    expect(await insertNewCustomer(pd.ctx.db, row, createdEvent(row))).toEqual({ siteUserWithEmail: false });
    expect(await stored(row.id)).toEqual({ customers: 1, events: 1 });
  });

  it('says whether a site user has the email', async () => {
    // A registration here makes no customer, so the email is still free for one.
    const quiet = await pd.newBrand();
    await v1(pd, quiet.token).patch('/brand/settings', { auto_create_customers: { registrations: false } });
    await newUser(pd, quiet, { email: 'nadia.user@example.com', email_verified: false });
    const row = await newRow('nadia.user@example.com', quiet.id);
    expect(await insertNewCustomer(pd.ctx.db, row, createdEvent(row))).toEqual({ siteUserWithEmail: true });
  });

  it("tells a payment's statement whether the payer it registers may have a site user", async () => {
    const quiet = await pd.newBrand();
    await v1(pd, quiet.token).patch('/brand/settings', { auto_create_customers: { registrations: false } });
    await newUser(pd, quiet, { email: 'payer.user@example.com' });
    const withUser = await newRow('payer.user@example.com', quiet.id);
    const withoutUser = await newRow('payer.alone@example.com', quiet.id);
    const mayLink = async (row: NewCustomerRow, inserted: boolean, retiringIndex = false) => {
      const customer = { kind: 'register' as const, row, retiringIndex };
      const query = sql<{ may: boolean }>`SELECT ${registeredPayerMayLink(customer, sql.lit(inserted))} AS may`;
      return (await query.execute(pd.ctx.db)).rows[0]!.may;
    };
    expect(await mayLink(withUser, true)).toBe(true);
    expect(await mayLink(withoutUser, true)).toBe(false);
    // The email was known: the payment registered nobody.
    expect(await mayLink(withUser, false)).toBe(false);
    // During an index rebuild the user may sit under the retiring key: the link step looks itself.
    expect(await mayLink(withoutUser, true, true)).toBe(true);
  });

  it('writes nothing, not even the event, when the brand has the email', async () => {
    const first = await newRow('nadia.two@example.com');
    await insertNewCustomer(pd.ctx.db, first, createdEvent(first));
    const second = await newRow('nadia.two@example.com');
    expect(await insertNewCustomer(pd.ctx.db, second, createdEvent(second))).toBeNull();
    expect(await stored(second.id)).toEqual({ customers: 0, events: 0 });
  });

  it('leaves no customer behind when a write beside it fails', async () => {
    const row = await newRow('nadia.three@example.com');
    // An event without an id: the statement fails on its NOT NULL constraint, after the insert.
    const failing = (inserted: RawBuilder<unknown>) =>
      sql`INSERT INTO customer_events (merchant_id, id, customer_id, type, actor_type, actor_id, refs, created_at)
        SELECT ${brand.id}, NULL, c.id, 'customer.created', 'system', 'test', '{}'::jsonb, now() FROM (${inserted}) AS c
        RETURNING id`;
    await expect(insertNewCustomer(pd.ctx.db, row, failing)).rejects.toThrow(/null value|not-null/i);
    expect(await stored(row.id)).toEqual({ customers: 0, events: 0 });
  });

  // The statement is prepared: a plan made while a brand has no site users must not decide how the
  // look reads them once they are many (without ANALYZE nothing replans it). The look is planned on
  // each call (migration 0020); its cost in buffers stays that of an index probe.
  it("looks a site user up by the email index after the brand's users grew from none", async () => {
    const grown = await pd.newBrand();
    const first = await newRow('grown.first@example.com', grown.id);
    await insertNewCustomer(pd.ctx.db, first, createdEvent(first));
    const buffers = await pd.ctx.db.transaction().execute(async (trx) => {
      await sql`PREPARE site_user_look(text, bytea) AS SELECT paydesk_site_user_with_email($1, $2)`.execute(trx);
      // EXECUTE takes no bound parameters: the values are literals.
      const look = (bidx: string) =>
        sql`EXECUTE site_user_look(${sql.lit(grown.id)}, ${sql.raw(`'\\x${bidx}'::bytea`)})`;
      for (let i = 0; i < 8; i++) await look(`0${i}`).execute(trx);
      const fiveThousandUsers = sql`INSERT INTO site_users (merchant_id, id, external_id_enc, external_id_bidx,
          email_enc, email_bidx, email_verified, given_name_enc, family_name_enc, data_key_id, index_key_id,
          created_at, updated_at)
        SELECT c.merchant_id, 'usr_bulk' || g, '\\x00', int4send(g), '\\x00', int4send(g), true, '\\x00', '\\x00',
          c.data_key_id, c.index_key_id, now(), now()
        FROM customers c, generate_series(1, 5000) g WHERE c.merchant_id = ${grown.id} AND c.id = ${first.id}`;
      await fiveThousandUsers.execute(trx);
      const explained = sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${look('ff')}`;
      const { rows } = await explained.execute(trx);
      await sql`DEALLOCATE site_user_look`.execute(trx);
      const [plan] = rows[0]!['QUERY PLAN'] as Array<{ Plan: Record<string, number> }>;
      return plan!.Plan['Shared Hit Blocks']! + plan!.Plan['Shared Read Blocks']!;
    });
    // A plan that walks the brand's 5,000 users by another index reads about a hundred pages: 93 with
    // the function's look written as static SQL, whose plan plpgsql caches as a prepared statement's.
    expect(buffers).toBeLessThan(20);
  });
});
