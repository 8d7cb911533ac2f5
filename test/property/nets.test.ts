import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackends } from '../support/backends.js';
import { brandDigester, changedTables, type BrandDigester } from '../support/brand-digest.js';
import { customerBody, startTestPaydesk, type TestBrand, type TestPaydesk } from '../support/harness.js';
import { requestsFor } from '../support/openapi-requests.js';
import { answerFault } from '../support/write-answer.js';
import { WRONG_TYPES } from '../support/hostile-values.js';
import { isPending, PENDING } from './known-failing.js';
import fc from 'fast-check';
import type { WriteOperation } from '../support/openapi-arbitraries.js';

/*
 * The nets of write-endpoints.property.test.ts, shown to catch what they are there to catch: a row
 * changed behind a request's back changes the brand's digest (and only that brand's), and an answer
 * that is a 5xx or not a problem document is called out.
 */

describeBackends('the brand digest catches a changed row (%s)', (backend) => {
  let paydesk: TestPaydesk;
  let digester: BrandDigester;
  let brand: TestBrand;
  let other: TestBrand;
  let customerId: string;

  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
    digester = await brandDigester(paydesk);
    brand = await paydesk.newBrand();
    other = await paydesk.newBrand({ name: 'Other' });
    const response = await paydesk.request(brand.token, {
      method: 'POST',
      url: '/api/v1/customers',
      payload: customerBody(),
    });
    customerId = response.json<{ id: string }>().id;
  }, 120_000);
  afterAll(() => paydesk?.close());

  it('covers every table with a merchant_id and the brand row', async () => {
    const tables = await paydesk.rawQuery(
      `SELECT table_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND column_name = 'merchant_id' ORDER BY 1`,
    );
    expect(digester.tables).toEqual(expect.arrayContaining(tables.map((t) => String(t.table_name))));
    expect(digester.tables).toContain('brands');
  });

  it('is the same when nothing changed', async () => {
    expect((await digester.digest(brand.id)).value).toBe((await digester.digest(brand.id)).value);
  });

  it('changes when one column of one row changes, and names the table', async () => {
    const before = await digester.digest(brand.id);
    await paydesk.rawQuery(`UPDATE customers SET metadata = '{"touched":"1"}' WHERE merchant_id = $1 AND id = $2`, [
      brand.id,
      customerId,
    ]);
    const after = await digester.digest(brand.id);
    expect(after.value).not.toBe(before.value);
    expect(changedTables(before, after)).toEqual(['customers']);
  });

  it('changes when a row is deleted from a table the API never shows', async () => {
    const before = await digester.digest(brand.id);
    await paydesk.rawQuery('DELETE FROM customer_events WHERE merchant_id = $1 AND customer_id = $2', [
      brand.id,
      customerId,
    ]);
    expect(changedTables(before, await digester.digest(brand.id))).toEqual(['customer_events']);
  });

  it("changes for the brand's own row and for a revoked key, not for a key's last use", async () => {
    const before = await digester.digest(brand.id);
    await paydesk.rawQuery('UPDATE api_keys SET last_used_at = now() WHERE merchant_id = $1', [brand.id]);
    expect((await digester.digest(brand.id)).value).toBe(before.value);
    await paydesk.rawQuery(`UPDATE brands SET name = 'Renamed' WHERE id = $1`, [brand.id]);
    expect(changedTables(before, await digester.digest(brand.id))).toEqual(['brands']);
    await paydesk.keyFor(brand, 'viewer');
    const withKey = await digester.digest(brand.id);
    await paydesk.rawQuery('UPDATE api_keys SET revoked_at = now() WHERE merchant_id = $1 AND id <> $2', [
      brand.id,
      brand.principal.actor.id,
    ]);
    expect(changedTables(withKey, await digester.digest(brand.id))).toEqual(['api_keys']);
  });

  it("does not change for another brand's rows", async () => {
    const before = await digester.digest(brand.id);
    await paydesk.request(other.token, { method: 'POST', url: '/api/v1/customers', payload: customerBody() });
    expect((await digester.digest(brand.id)).value).toBe(before.value);
  });
});

describe('the answer check', () => {
  const problem = (status: number, body: Record<string, unknown>) => ({
    statusCode: status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
    body: JSON.stringify(body),
  });

  it('passes a success and a complete problem document', () => {
    expect(answerFault({ statusCode: 201, headers: {}, body: '{}' })).toBeUndefined();
    expect(
      answerFault(problem(422, { code: 'validation_failed', detail: 'name: is required', status: 422 })),
    ).toBeUndefined();
  });

  it('catches a 5xx even when it is a problem document', () => {
    expect(answerFault(problem(500, { code: 'internal', detail: 'x', status: 500 }))).toMatch(/answered 500/);
  });

  it('catches a 4xx that is not a problem document, or lacks its code or detail', () => {
    expect(answerFault({ statusCode: 400, headers: { 'content-type': 'text/html' }, body: '<h1>' })).toMatch(
      /text\/html/,
    );
    expect(answerFault(problem(404, { detail: 'x', status: 404 }))).toMatch(/without a code/);
    expect(answerFault(problem(404, { code: 'not_found', status: 404 }))).toMatch(/without a code/);
    expect(answerFault(problem(404, { code: 'not_found', detail: 'x', status: 400 }))).toMatch(/same status/);
  });

  it('catches a redirect', () => {
    expect(answerFault({ statusCode: 302, headers: {}, body: '' })).toMatch(/answered 302/);
  });
});

describe('the request generator', () => {
  const operation: WriteOperation = {
    name: 'POST /api/v1/things/{id}',
    method: 'POST',
    path: '/api/v1/things/{id}',
    public: false,
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    body: {
      'application/json': {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: { type: 'string', maxLength: 50 } },
      },
    },
    bodyRequired: true,
  };
  const ids = { bySegment: { things: ['thg_1'] }, foreign: ['thg_other'], all: ['thg_1'] };
  const sample = fc.sample(requestsFor({}, operation, ids), { numRuns: 400, seed: 7 });

  it('sends real ids, foreign ids and hostile segments in the path', () => {
    const urls = sample.map((r) => r.url);
    expect(urls).toContain('/api/v1/things/thg_1');
    expect(urls).toContain('/api/v1/things/thg_other');
    expect(urls.some((u) => u.includes('%00'))).toBe(true);
  });

  it('never changes the shared hostile values it copies into bodies', () => {
    expect(WRONG_TYPES).toContainEqual({});
    expect(WRONG_TYPES).toContainEqual([]);
  });

  it('tags what is hostile in a request, so a pending category can be set aside', () => {
    const categories = new Set(sample.flatMap((r) => r.categories));
    for (const c of [
      'nul@body',
      'surrogate@body',
      'control@body',
      'nul@path',
      'invalid-utf8@path',
      'deep-json',
      'duplicate-key',
      'content-type',
    ])
      expect(categories).toContain(c);
    expect(isPending(operation.name, ['nul@body'])).toBe(PENDING.find((p) => p.categories.includes('nul@body')));
  });
});
