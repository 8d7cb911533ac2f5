import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { describeBackends } from '../../../test/support/backends.js';
import { expectInvalidFields, expectProblem, newCustomer, type CustomerJson } from '../../../test/support/customers.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { allNotes, byKey } from '../../../test/support/notes.js';
import { createPaymentLink, paid, pay, payer } from '../../../test/support/payments.js';
import type { Role } from '../access/index.js';
import type { CustomerBulkJobView } from './customer-bulk.schemas.js';

type Body = Record<string, unknown>;

// Bulk actions through the API: each customer goes through the single action (its refusals listed),
// small selections finish in the request, large ones and views run as a job with progress, and the
// job is audited once.
describeBackends('customer bulk actions (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;
  let other: TestBrand;
  beforeAll(async () => {
    pd = await startTestPaydesk(backend, { PAYDESK_TEST_GATEWAY_DELAY_MS: '5' });
    brand = await pd.newBrand({ name: 'Bulk Brand' });
    other = await pd.newBrand({ name: 'Other Brand' });
  });
  afterAll(() => pd?.close());

  const bulk = (body: Body, token = brand.token) =>
    pd.request(token, { method: 'POST', url: '/api/v1/customers/bulk', payload: body });
  const getJob = (id: string, token = brand.token) =>
    pd.request(token, { method: 'GET', url: `/api/v1/customer-bulk-jobs/${id}` });
  const finished = (response: LightMyRequestResponse): CustomerBulkJobView => {
    expect(response.statusCode, response.body).toBe(200);
    const job = response.json<CustomerBulkJobView>();
    expect(job).toMatchObject({ object: 'customer_bulk_job', status: 'succeeded', error: null });
    expect(job.finished_at).not.toBeNull();
    return job;
  };
  /** Polls a queued job until it ends; every answer's progress only moves forward. */
  const waitFor = async (id: string, b = brand): Promise<CustomerBulkJobView[]> => {
    const seen: CustomerBulkJobView[] = [];
    for (let i = 0; i < 400; i++) {
      const response = await getJob(id, b.token);
      expect(response.statusCode, response.body).toBe(200);
      const job = response.json<CustomerBulkJobView>();
      if (seen.length > 0) expect(job.done).toBeGreaterThanOrEqual(seen.at(-1)!.done);
      seen.push(job);
      if (job.status === 'succeeded' || job.status === 'failed') return seen;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`bulk job ${id} did not finish`);
  };
  const customers = async (b: TestBrand, n: number, overrides: Body = {}) => {
    const made: CustomerJson[] = [];
    for (let i = 0; i < n; i++) made.push(await newCustomer(pd, b, overrides));
    return made;
  };
  const newTag = async (b: TestBrand, name: string) => {
    const response = await pd.request(b.token, { method: 'POST', url: '/api/v1/customer-tags', payload: { name } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string }>().id;
  };
  const taggedIds = async (b: TestBrand, tagId: string) =>
    (
      await pd.rawQuery('SELECT customer_id FROM customer_tag_links WHERE merchant_id = $1 AND tag_id = $2', [
        b.id,
        tagId,
      ])
    )
      .map((r) => String(r.customer_id))
      .sort();
  const bulkAudits = (jobId: string) =>
    pd.rawQuery(
      `SELECT actor_type, details FROM audit_events WHERE merchant_id = $1 AND action = 'customers.bulk' AND target_id = $2`,
      [brand.id, jobId],
    );
  const exists = async (b: TestBrand, id: string) =>
    (await pd.request(b.token, { method: 'GET', url: `/api/v1/customers/${id}` })).statusCode === 200;

  it('delete lists each refusal with its reason, deletes the others, and never touches another brand', async () => {
    const link = await createPaymentLink(pd, brand, { amount: 1000 });
    const payerCustomer = paid(await pay(pd, link.url, payer())).customer_id!;
    const [a, b] = await customers(brand, 2);
    const [theirs] = await customers(other, 1);
    const missing = 'cus_00000000000000000000000000';
    const ids = [payerCustomer, a!.id, theirs!.id, b!.id, missing, 'nonsense'];

    const job = finished(await bulk({ action: 'delete', ids }));
    expect(job).toMatchObject({ action: 'delete', selection: 'ids', total: 6, done: 6, succeeded: 2, refused: 4 });
    expect(job.refusals).toEqual([
      {
        customer: payerCustomer,
        code: 'has_transactions',
        reason: expect.stringMatching(/1 transaction.*cannot be deleted/),
      },
      { customer: theirs!.id, code: 'customer_not_found', reason: expect.any(String) },
      { customer: missing, code: 'customer_not_found', reason: expect.any(String) },
      { customer: 'nonsense', code: 'customer_not_found', reason: expect.any(String) },
    ]);
    expect(job).not.toHaveProperty('export_url');
    expect(await exists(brand, a!.id)).toBe(false);
    expect(await exists(brand, b!.id)).toBe(false);
    expect(await exists(brand, payerCustomer)).toBe(true);
    expect(await exists(other, theirs!.id)).toBe(true);

    // Read back: the same job.
    expect((await getJob(job.id)).json()).toEqual(job);
    // One audit row for the job (counts, no ids), besides each customer's own.
    const audits = await bulkAudits(job.id);
    expect(audits).toEqual([
      {
        actor_type: 'api_key',
        details: {
          action: 'delete',
          selection: 'ids',
          status: 'succeeded',
          total: 6,
          done: 6,
          succeeded: 2,
          refused: 4,
        },
      },
    ]);
    const deletes = await pd.rawQuery(
      `SELECT target_id FROM audit_events WHERE merchant_id = $1 AND action = 'customer.delete' AND target_id = ANY($2)`,
      [brand.id, ids],
    );
    expect(deletes.map((r) => r.target_id).sort()).toEqual([a!.id, b!.id].sort());
  });

  it('tags three customers by ids, then untags one; each on its timeline', async () => {
    const tag = await newTag(brand, 'Bulk VIP');
    const three = await customers(brand, 3);
    const job = finished(await bulk({ action: 'tag', tag, ids: three.map((c) => c.id) }));
    expect(job).toMatchObject({ action: 'tag', total: 3, done: 3, succeeded: 3, refused: 0, refusals: [] });
    expect(await taggedIds(brand, tag)).toEqual(three.map((c) => c.id).sort());
    const timeline = await pd.request(brand.token, {
      method: 'GET',
      url: `/api/v1/customers/${three[0]!.id}/timeline`,
    });
    expect(timeline.json<{ data: { type: string }[] }>().data.map((e) => e.type)).toContain('customer.tagged');

    finished(await bulk({ action: 'untag', tag, ids: [three[0]!.id] }));
    expect(await taggedIds(brand, tag)).toEqual([three[1]!.id, three[2]!.id].sort());
    expectProblem(
      await bulk({ action: 'tag', tag: 'tag_00000000000000000000000000', ids: [three[0]!.id] }),
      404,
      'tag_not_found',
    );
  });

  it('tags everything a view matches, as a background job, and only that', async () => {
    const viewBrand = await pd.newBrand({ name: 'View Brand' });
    const link = await createPaymentLink(pd, viewBrand, { amount: 1000 });
    const fromLink = [];
    for (let i = 0; i < 3; i++) fromLink.push(paid(await pay(pd, link.url, payer())).customer_id!);
    await customers(viewBrand, 2);
    const tag = await newTag(viewBrand, 'From links');

    const started = await bulk(
      { action: 'tag', tag, view: { source: 'payment_link', sort: '-total_spent' } },
      viewBrand.token,
    );
    expect(started.statusCode, started.body).toBe(202);
    const queued = started.json<CustomerBulkJobView>();
    expect(started.headers.location).toBe(`/api/v1/customer-bulk-jobs/${queued.id}`);
    expect(queued).toMatchObject({ status: 'queued', selection: 'view', total: null, done: 0, finished_at: null });

    const end = (await waitFor(queued.id, viewBrand)).at(-1)!;
    expect(end).toMatchObject({ status: 'succeeded', total: 3, done: 3, succeeded: 3, refused: 0 });
    expect(await taggedIds(viewBrand, tag)).toEqual(fromLink.sort());

    // With a search: only the customer it finds (the text is used for the run, not kept).
    const [plain] = await customers(viewBrand, 1);
    const searched = await bulk({ action: 'tag', tag, view: { q: plain!.email } }, viewBrand.token);
    expect(searched.statusCode, searched.body).toBe(202);
    expect((await waitFor(searched.json<CustomerBulkJobView>().id, viewBrand)).at(-1)).toMatchObject({
      status: 'succeeded',
      total: 1,
      succeeded: 1,
    });
    expect(await taggedIds(viewBrand, tag)).toEqual([...fromLink, plain!.id].sort());
    const [stored] = await pd.rawQuery('SELECT selection::text AS selection FROM customer_bulk_jobs WHERE id = $1', [
      searched.json<CustomerBulkJobView>().id,
    ]);
    expect(String(stored?.selection)).not.toContain(plain!.email);
  });

  it('runs a selection of more than 100 as a job whose progress can be read', async () => {
    const many = await customers(brand, 101);
    const [theirs] = await customers(other, 1);
    const ids = [...many.map((c) => c.id), theirs!.id];
    const started = await bulk({ action: 'suspend', reason: 'fraudulent', note: 'Card ring, ticket 88', ids });
    expect(started.statusCode, started.body).toBe(202);
    const queued = started.json<CustomerBulkJobView>();
    expect(queued).toMatchObject({ status: 'queued', total: 102, done: 0 });

    const seen = await waitFor(queued.id);
    expect(seen.at(-1)).toMatchObject({ status: 'succeeded', total: 102, done: 102, succeeded: 101, refused: 1 });
    expect(seen.at(-1)!.refusals).toEqual([
      { customer: theirs!.id, code: 'customer_not_found', reason: expect.any(String) },
    ]);
    for (const c of [many[0]!, many[100]!]) {
      const view = (
        await pd.request(brand.token, { method: 'GET', url: `/api/v1/customers/${c.id}` })
      ).json<CustomerJson>();
      expect(view).toMatchObject({ status: 'suspended', suspension: { reason: 'fraudulent' } });
      expect((await allNotes(byKey(pd, brand.token), c.id)).map((n) => n.body)).toEqual(['Card ring, ticket 88']);
    }
    expect(
      (await pd.request(other.token, { method: 'GET', url: `/api/v1/customers/${theirs!.id}` })).json(),
    ).toMatchObject({
      status: 'active',
    });
    // Each suspension's audit row names the job; the note's words are in neither the job nor the audit log.
    const [suspendAudit] = await pd.rawQuery(
      `SELECT details FROM audit_events WHERE merchant_id = $1 AND action = 'customer.suspend' AND target_id = $2`,
      [brand.id, many[0]!.id],
    );
    expect(suspendAudit?.details).toMatchObject({ reason: 'fraudulent', bulk_job: queued.id });
    const [stored] = await pd.rawQuery('SELECT params::text, selection::text FROM customer_bulk_jobs WHERE id = $1', [
      queued.id,
    ]);
    expect(JSON.stringify(stored)).not.toContain('Card ring');
    expect(await bulkAudits(queued.id)).toHaveLength(1);

    // Resumed in bulk, inline: already active customers count as done too.
    const resumed = finished(await bulk({ action: 'resume', ids: many.slice(0, 100).map((c) => c.id) }));
    expect(resumed).toMatchObject({ total: 100, succeeded: 100, refused: 0 });
  });

  it('exports a selection or a view as a URL, without running anything', async () => {
    const [a, b] = await customers(brand, 2);
    const byIds = finished(await bulk({ action: 'export', ids: [a!.id, b!.id] }));
    expect(byIds).toMatchObject({ action: 'export', selection: 'ids', total: 2, done: 0 });
    expect(byIds.export_url).toBe(`/api/v1/customer-bulk-jobs/${byIds.id}/export`);
    const csv = await pd.request(brand.token, { method: 'GET', url: byIds.export_url! });
    expect(csv.statusCode, csv.body).toBe(200);
    const rows = csv.body.trim().split(/\r?\n/).slice(1);
    expect(rows.map((line) => line.split(',')[0]).sort()).toEqual([a!.id, b!.id].sort());
    // Another brand's key cannot download it; a job that is not an export of ids has no file.
    const foreign = await pd.request(other.token, { method: 'GET', url: byIds.export_url! });
    expect(foreign.statusCode).toBe(404);
    const tagJob = finished(await bulk({ action: 'resume', ids: [a!.id] }));
    expect(
      (await pd.request(brand.token, { method: 'GET', url: `/api/v1/customer-bulk-jobs/${tagJob.id}/export` }))
        .statusCode,
    ).toBe(404);

    const byView = finished(
      await bulk({ action: 'export', view: { source: 'api', q: 'Customer', sort: 'total_spent' } }),
    );
    expect(byView.export_url).toBe('/api/v1/customers/export?source=api&q=Customer&sort=total_spent');
    // The search text is not kept: read back later, the URL cannot be rebuilt.
    expect((await getJob(byView.id)).json<CustomerBulkJobView>().export_url).toBeNull();
    expect((await getJob(byIds.id)).json<CustomerBulkJobView>().export_url).toBe(byIds.export_url);
    expect(await bulkAudits(byView.id)).toEqual([
      { actor_type: 'api_key', details: expect.objectContaining({ action: 'export', selection: 'view' }) },
    ]);
  });

  it.each<[Role, string, number]>([
    ['manager', 'suspend', 200],
    ['manager', 'delete', 200],
    ['support', 'tag', 403],
    ['support', 'delete', 403],
    ['support', 'suspend', 403],
    ['viewer', 'resume', 403],
    ['viewer', 'export', 200],
    ['developer', 'export', 403],
  ])('%s may %s: %i', async (role, action, status) => {
    const [customer] = await customers(brand, 1);
    const token = await pd.keyFor(brand, role);
    const extra: Body =
      action === 'suspend'
        ? { reason: 'abuse' }
        : action === 'tag'
          ? { tag: await newTag(brand, `T ${role} ${action}`) }
          : {};
    const response = await bulk({ action, ids: [customer!.id], ...extra }, token);
    expect(response.statusCode, response.body).toBe(status);
    if (status === 403) {
      expectProblem(response, 403, 'forbidden');
      expect(await exists(brand, customer!.id)).toBe(true);
    }
  });

  it('refuses bad input with 422 naming the field, and creates no job', async () => {
    const [c] = await customers(brand, 1);
    const before = await pd.rawQuery('SELECT count(*)::int AS n FROM customer_bulk_jobs WHERE merchant_id = $1', [
      brand.id,
    ]);
    const cases: [Body, string][] = [
      [{ action: 'delete' }, 'ids'],
      [{ action: 'delete', ids: [c!.id], view: {} }, 'view'],
      [{ action: 'delete', ids: [] }, 'ids'],
      [{ action: 'delete', ids: [c!.id, c!.id] }, 'ids'],
      [{ action: 'delete', ids: Array.from({ length: 1001 }, (_, i) => `cus_${i}`) }, 'ids'],
      [{ action: 'explode', ids: [c!.id] }, 'action'],
      [{ action: 'tag', ids: [c!.id] }, 'tag'],
      [{ action: 'suspend', ids: [c!.id] }, 'reason'],
      [{ action: 'suspend', ids: [c!.id], reason: 'naughty' }, 'reason'],
      [{ action: 'suspend', ids: [c!.id], reason: 'abuse', note: 'a\u0000b' }, 'note'],
      [{ action: 'delete', ids: [c!.id], tag: 'tag_x' }, 'tag'],
      [{ action: 'resume', ids: [c!.id], reason: 'abuse' }, 'reason'],
      [{ action: 'delete', view: { source: 'carrier_pigeon' } }, 'view.source'],
      [
        { action: 'delete', view: { created_gte: '2026-02-01T00:00:00Z', created_lt: '2026-01-01T00:00:00Z' } },
        'view.created_lt',
      ],
      [{ action: 'delete', view: { colour: 'red' } }, 'view.colour'],
      [{ action: 'delete', ids: [c!.id], everything: true }, 'everything'],
    ];
    for (const [body, field] of cases) expectInvalidFields(await bulk(body), [field]);
    const after = await pd.rawQuery('SELECT count(*)::int AS n FROM customer_bulk_jobs WHERE merchant_id = $1', [
      brand.id,
    ]);
    expect(after).toEqual(before);
    expect(await exists(brand, c!.id)).toBe(true);
  });

  it('a job left unfinished by a stopped process reads as failed, saying so', async () => {
    const id = 'bulk_01m8y1wjdmf87apzfx1rcy7y0m';
    await pd.rawQuery(
      `INSERT INTO customer_bulk_jobs (merchant_id, id, action, params, selection, status, total, actor_type, actor_id,
         created_at, updated_at) VALUES ($1, $2, 'delete', '{}', '{"ids":["cus_x"]}', 'running', 1, 'api_key', 'key_x',
         now() - interval '10 minutes', now() - interval '10 minutes')`,
      [brand.id, id],
    );
    const job = (await getJob(id)).json<CustomerBulkJobView>();
    expect(job).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Interrupted/), done: 0 });
    expect(job.finished_at).not.toBeNull();
  });

  it("another brand's job and a missing one are the same 404", async () => {
    const [c] = await customers(brand, 1);
    const job = finished(await bulk({ action: 'resume', ids: [c!.id] }));
    expectProblem(await getJob(job.id, other.token), 404, 'bulk_job_not_found');
    expectProblem(await getJob('bulk_00000000000000000000000000'), 404, 'bulk_job_not_found');
    expectProblem(await getJob('nonsense'), 404, 'bulk_job_not_found');
  });
});
