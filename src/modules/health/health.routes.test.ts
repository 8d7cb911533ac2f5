import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestPaydesk } from '../../../test/support/harness.js';

describeBackends('GET /api/health (%s)', (backend) => {
  let paydesk: TestPaydesk;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
  });
  afterAll(() => paydesk?.close());

  it('answers ok without an API key', async () => {
    const response = await paydesk.request(undefined, { method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toMatchObject({ status: 'ok' });
  });

  it('names the database it actually pinged', async () => {
    const response = await paydesk.request(undefined, { method: 'GET', url: '/api/health' });
    expect(response.json()).toEqual({ status: 'ok', database: backend === 'postgres' ? 'postgresql' : 'pglite' });
  });
});
