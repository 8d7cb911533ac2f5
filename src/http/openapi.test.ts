import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPaydesk, type TestPaydesk } from '../../test/support/harness.js';

// The document is built from route schemas only, so one backend is enough.
describe('OpenAPI document', () => {
  let paydesk: TestPaydesk;
  let doc: {
    openapi: string;
    info: { title: string };
    paths: Record<
      string,
      Record<
        string,
        { parameters?: { in: string; name: string }[]; requestBody?: unknown; responses: Record<string, unknown> }
      >
    >;
    components: { securitySchemes: Record<string, { type: string; scheme: string }> };
  };
  beforeAll(async () => {
    paydesk = await startTestPaydesk('pglite');
    const response = await paydesk.request(undefined, { method: 'GET', url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    doc = response.json();
  });
  afterAll(() => paydesk?.close());

  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Paydesk API');
  });

  it('lists every customer path and method', () => {
    expect(Object.keys(doc.paths['/api/v1/customers'] ?? {}).sort()).toEqual(['get', 'post', 'put']);
    expect(Object.keys(doc.paths['/api/v1/customers/{id}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch']);
    expect(Object.keys(doc.paths['/api/v1/customers/stats'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/health'] ?? {})).toEqual(['get']);
  });

  it('documents bodies, the Idempotency-Key header, list parameters and error responses', () => {
    const customers = doc.paths['/api/v1/customers']!;
    expect(customers.post!.requestBody).toBeDefined();
    expect(customers.put!.requestBody).toBeDefined();
    expect(customers.post!.parameters).toContainEqual(
      expect.objectContaining({ in: 'header', name: 'idempotency-key' }),
    );
    const listParameters = customers.get!.parameters!.map((p) => `${p.in}:${p.name}`);
    expect(listParameters).toEqual(expect.arrayContaining(['query:limit', 'query:cursor']));
    expect(Object.keys(customers.post!.responses)).toEqual(expect.arrayContaining(['201', '401', '409', '422']));
    expect(Object.keys(doc.paths['/api/v1/customers/{id}']!.delete!.responses)).toEqual(
      expect.arrayContaining(['204', '404']),
    );
  });

  it('declares bearer API keys', () => {
    expect(Object.values(doc.components.securitySchemes)).toContainEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
  });

  it('serves a browsable UI at /api/docs', async () => {
    const response = await paydesk.request(undefined, { method: 'GET', url: '/api/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
  });
});
