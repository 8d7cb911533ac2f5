import { describe, expect, it } from 'vitest';
import { repeatable } from '../bench/scale/capture.js';
import { summarize } from '../bench/scale/load.js';

const brand = 'brd_01m909vqjbeyprc6yj5mtt3c48';
const apiKey = 'key_01m908tpkne7s87xn4kdrgccte';
const customer = 'cus_01m909sntmeqrvbw5tsnpnb986';
const existing = 'cus_01m908zakxffjs8jn7za43r4na';
const emailIndex = Buffer.alloc(16, 7);
const tokenHash = Buffer.alloc(32, 9);

/** A create's statements as the recorder captures them (shortened). */
const captured = [
  { sql: 'select 1 from "api_keys" where "token_hash" = $1', parameters: [tokenHash] },
  { sql: 'select "id" from "customers" where "merchant_id" = $1 and "id" = $2', parameters: [brand, existing] },
  { sql: 'begin', parameters: [] },
  {
    sql: 'insert into "customers" ("merchant_id", "id", "email_bidx", "search_tokens") values ($1, $2, $3, $4)',
    parameters: [brand, customer, emailIndex, [1, 2]],
  },
  {
    // A batch insert (src/db/unnest-rows.ts): prepared, one array per column.
    sql: '/* prepared */INSERT INTO customer_events ("merchant_id", "id", "customer_id", "actor_id") SELECT … FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])',
    parameters: [[brand], ['evt_01m909sntteex9ax51cc5jjg4y'], [customer], [apiKey]],
  },
  { sql: 'select 1 from "site_users" where "email_bidx" in ($1)', parameters: [emailIndex] },
  { sql: 'commit', parameters: [] },
];

/** A create in one statement: the customer and its event as data-modifying CTEs (shortened). */
const capturedInOneStatement = [
  { sql: 'select 1 from "api_keys" where "token_hash" = $1', parameters: [tokenHash] },
  {
    sql: '/* prepared */WITH inserted AS (INSERT INTO customers (merchant_id, id, email_bidx) VALUES ($1, $2, $3) RETURNING id), alongside AS (INSERT INTO customer_events (merchant_id, id, customer_id) SELECT $4, $5, id FROM inserted) SELECT EXISTS (SELECT 1 FROM site_users WHERE email_bidx = $6) FROM inserted',
    parameters: [brand, customer, emailIndex, brand, 'evt_01m909sntteex9ax51cc5jjg4y', emailIndex],
  },
];

describe('the scale bench replays a write as a new request would', () => {
  it('gives each replay its own new ids and blind indexes, the same within one replay', () => {
    const next = repeatable(captured);
    const first = next();
    const second = next();
    const inserted = first[3]!.parameters;
    expect(inserted[1]).toMatch(/^cus_[0-9a-z]{26}$/);
    expect(inserted[1]).not.toBe(customer);
    expect(second[3]!.parameters[1]).not.toBe(inserted[1]);
    // The event names the customer this replay inserted, and a new event id.
    expect(first[4]!.parameters[2]).toEqual([inserted[1]]);
    expect(first[4]!.parameters[1]).not.toEqual(['evt_01m909sntteex9ax51cc5jjg4y']);
    expect((first[4]!.parameters[1] as string[])[0]).toMatch(/^evt_[0-9a-z]{26}$/);
    expect(second[4]!.parameters[1]).not.toEqual(first[4]!.parameters[1]);
    // The email's blind index is new, and the lookup after the insert asks for the same one.
    expect(Buffer.compare(inserted[2] as Buffer, emailIndex)).not.toBe(0);
    expect(first[5]!.parameters[0]).toEqual(inserted[2]);
    expect(second[3]!.parameters[2]).not.toEqual(inserted[2]);
  });

  it('sees the inserts of a statement that inserts through its CTEs', () => {
    const next = repeatable(capturedInOneStatement);
    const [first, second] = [next()[1]!.parameters, next()[1]!.parameters];
    expect(first[1]).toMatch(/^cus_[0-9a-z]{26}$/);
    expect(first[1]).not.toBe(customer);
    expect(second[1]).not.toBe(first[1]);
    expect(first[4]).toMatch(/^evt_[0-9a-z]{26}$/);
    expect(first[4]).not.toBe('evt_01m909sntteex9ax51cc5jjg4y');
    expect(first[0]).toBe(brand);
    expect(Buffer.compare(first[2] as Buffer, emailIndex)).not.toBe(0);
    expect(first[5]).toEqual(first[2]);
  });

  it('keeps what existed before the request: the brand, the API key and its hash, a customer read first', () => {
    const replay = repeatable(captured)();
    expect(replay[0]!.parameters[0]).toBe(tokenHash);
    expect(replay[1]!.parameters).toEqual([brand, existing]);
    expect(replay[3]!.parameters[0]).toBe(brand);
    expect(replay[4]!.parameters[3]).toEqual([apiKey]);
    expect(replay.map((s) => s.sql)).toEqual(captured.map((s) => s.sql));
  });
});

describe('latency summary', () => {
  it('takes nearest-rank percentiles and a rate over the window', () => {
    const latencies = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted
    const summary = summarize(latencies, 2_000, 3);
    expect(summary).toEqual({ count: 100, throughput: 50, p50: 50, p95: 95, p99: 99, errors: 3 });
  });
});
