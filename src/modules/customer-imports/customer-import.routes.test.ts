import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import { expectInvalidFields, expectProblem } from '../../../test/support/customers.js';
import type { CustomerImportListView, CustomerImportView } from './customer-import.schemas.js';

const FILE = [
  'Name,E-mail address,Phone,metadata.crm_id,Favourite colour',
  'Ayesha Rahman,ayesha.rahman@example.com,01711000101,C-1,blue',
  'Broken Phone,broken.phone@example.com,99,C-2,red',
  'Karim Uddin,karim.uddin@example.com,,C-3,green',
  'Ayesha Again,AYESHA.RAHMAN@example.com,,C-4,blue',
].join('\r\n');

// The upload API: a raw text/csv body, a job polled to its end, and a report without contact data.
describeBackends('customer import API (%s)', (backend) => {
  let pd: TestPaydesk;
  let brand: TestBrand;

  const upload = (token: string, body: string | Buffer, query = '', contentType = 'text/csv') =>
    pd.request(token, {
      method: 'POST',
      url: `/api/v1/customer-imports${query ? `?${query}` : ''}`,
      headers: { 'content-type': contentType },
      payload: body,
    });
  const get = (token: string, url: string) => pd.request(token, { method: 'GET', url: `/api/v1${url}` });
  async function finished(token: string, id: string): Promise<CustomerImportView> {
    for (let i = 0; i < 200; i++) {
      const job = (await get(token, `/customer-imports/${id}`)).json<CustomerImportView>();
      if (job.status !== 'running' && job.status !== 'queued') return job;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the import did not finish');
  }

  beforeAll(async () => {
    pd = await startTestPaydesk(backend);
    brand = await pd.newBrand();
  });
  afterAll(() => pd.close());

  it('POST answers 202 with the job; polling GET sees it finish; the report lists the problem rows', async () => {
    const mapping = encodeURIComponent(JSON.stringify({ 'E-mail address': 'email' }));
    const response = await upload(brand.token, FILE, `mode=skip_invalid&filename=crm.csv&mapping=${mapping}`);
    expect(response.statusCode, response.body).toBe(202);
    const started = response.json<CustomerImportView>();
    expect(started).toMatchObject({
      object: 'customer_import',
      status: 'running',
      mode: 'skip_invalid',
      rows_total: 4,
    });
    expect(response.headers.location).toBe(`/api/v1/customer-imports/${started.id}`);

    const job = await finished(brand.token, started.id);
    expect(job).toMatchObject({
      status: 'succeeded',
      filename: 'crm.csv',
      rows_done: 4,
      progress: 1,
      imported: 2,
      skipped: 1,
      failed: 1,
      mapping: { Name: 'name', 'E-mail address': 'email', Phone: 'phone', 'metadata.crm_id': 'metadata.crm_id' },
      unknown_columns: ['Favourite colour'],
    });

    const report = await get(brand.token, `/customer-imports/${job.id}/report`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(report.body, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toEqual([
      { line: '3', status: 'failed', field: 'phone', reason: expect.stringMatching(/not a valid phone/), customer: '' },
      { line: '5', status: 'skipped', field: 'email', reason: 'same email as line 2', customer: '' },
    ]);
    // No value from the file: names, emails, phones, metadata values. The job's id and times are
    // left out of the search: a random id or a clock reading may contain "99".
    const { id: _id, created_at: _created, finished_at: _finished, ...jobWithoutRandomParts } = job;
    for (const value of ['Ayesha', 'Broken', 'example.com', '0171', '99', 'C-2', 'blue', 'red']) {
      expect(report.body).not.toContain(value);
      expect(JSON.stringify(jobWithoutRandomParts)).not.toContain(value);
    }

    const list = (await get(brand.token, '/customer-imports')).json<CustomerImportListView>();
    expect(list.data[0]).toMatchObject({ id: job.id, status: 'succeeded' });
  });

  it('lists imports newest first', async () => {
    const b = await pd.newBrand();
    const ids: string[] = [];
    for (const email of ['n1@example.com', 'n2@example.com']) {
      const response = await upload(b.token, `name,email\nN,${email}\n`);
      ids.push(response.json<CustomerImportView>().id);
      await finished(b.token, ids.at(-1)!);
    }
    const list = (await get(b.token, '/customer-imports?limit=1')).json<CustomerImportListView>();
    expect(list.data.map((j) => j.id)).toEqual([ids[1]]);
    expect(list.has_more).toBe(true);
  });

  it('refuses a file that is not UTF-8 or not CSV with 422 invalid_csv, and creates no job', async () => {
    const b = await pd.newBrand();
    const latin1 = Buffer.from('name,email\nRené,rene@example.com\n', 'latin1');
    expect(expectProblem(await upload(b.token, latin1), 422, 'invalid_csv').detail).toMatch(/UTF-8/);
    const unbalanced = 'name,email\n"Ada,ada@example.com\nBob,bob@example.com\n';
    expect(expectProblem(await upload(b.token, unbalanced), 422, 'invalid_csv').detail).toMatch(/never closed/);
    expectProblem(await upload(b.token, 'just some words\nand more words\n'), 422, 'invalid_csv');
    expectInvalidFields(await upload(b.token, 'name,email\n', 'mapping=%7Bnope'), ['mapping']);
    expectInvalidFields(await upload(b.token, 'name,email\n', 'mode=sometimes'), ['mode']);
    const list = (await get(b.token, '/customer-imports')).json<CustomerImportListView>();
    expect(list.data).toEqual([]);
  });

  it('refuses JSON and multipart bodies (415) and a file over 50 MiB (413)', async () => {
    expectProblem(await upload(brand.token, '{"name":"x"}', '', 'application/json'), 415, 'unsupported_media_type');
    expectProblem(
      await upload(brand.token, '--x\r\n', '', 'multipart/form-data; boundary=x'),
      415,
      'unsupported_media_type',
    );
    const big = Buffer.alloc(50 * 1024 * 1024 + 1, 0x61);
    expectProblem(await upload(brand.token, big), 413, 'payload_too_large');
  });

  it('support and viewer keys may not import or read imports; a manager needs nothing more for update_existing', async () => {
    for (const role of ['support', 'viewer'] as const) {
      const token = await pd.keyFor(brand, role);
      expectProblem(await upload(token, 'name,email\nX,x@example.com\n'), 403, 'forbidden');
      expectProblem(await get(token, '/customer-imports'), 403, 'forbidden');
    }
    const manager = await pd.keyFor(brand, 'manager');
    const response = await upload(manager, 'name,email\nM,m@example.com\n', 'update_existing=true&dry_run=true');
    expect(response.statusCode, response.body).toBe(202);
    await finished(manager, response.json<CustomerImportView>().id);
  });

  it("answers 404 for an unknown id and for another brand's import", async () => {
    const other = await pd.newBrand();
    const response = await upload(other.token, 'name,email\nO,o@example.com\n');
    const id = response.json<CustomerImportView>().id;
    await finished(other.token, id);
    expectProblem(await get(brand.token, `/customer-imports/${id}`), 404, 'import_not_found');
    expectProblem(await get(brand.token, `/customer-imports/${id}/report`), 404, 'import_not_found');
    expectProblem(await get(brand.token, '/customer-imports/imp_nope'), 404, 'import_not_found');
  });

  it('a job left running by a stopped process is marked failed when read', async () => {
    const b = await pd.newBrand();
    const response = await upload(b.token, 'name,email\nI,i@example.com\n');
    const id = response.json<CustomerImportView>().id;
    await finished(b.token, id);
    // As a process that died mid-import leaves it: unfinished, with an old heartbeat.
    await pd.rawQuery(
      `UPDATE customer_imports SET status = 'running', finished_at = NULL, updated_at = now() - interval '1 hour' WHERE id = $1`,
      [id],
    );
    const job = (await get(b.token, `/customer-imports/${id}`)).json<CustomerImportView>();
    expect(job).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Interrupted/) });
  });
});
