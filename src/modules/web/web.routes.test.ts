import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../context.js';
import { installProblemHandlers } from '../../http/problem.js';
import { startTestPaydesk, type TestPaydesk } from '../../../test/support/harness.js';
import { NOT_BUILT_MESSAGE, SPA_PATHS, webRoutes } from './web.routes.js';

async function serve(distDir: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  installProblemHandlers(app);
  await app.register(webRoutes({} as AppContext, { distDir }));
  await app.ready();
  return app;
}

describe('web routes: the built dashboard', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydesk-web-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.writeFileSync(path.join(dir, 'assets', 'index-Ab12.js'), 'console.log(1)');
    app = await serve(dir);
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers index.html for every page of the app, with headers that keep it fresh and unframed', async () => {
    const concrete = SPA_PATHS.map((p) => p.replace(/:\w+/, 'x_123'));
    for (const url of concrete) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('<div id="root">');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('serves hashed assets as immutable and leaves everything else to the 404 problem', async () => {
    const asset = await app.inject({ url: '/assets/index-Ab12.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    for (const url of ['/assets/missing.js', '/api/v1/nothing-here', '/no-such-page', '/customers/a/b']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(response.json().code).toBe('not_found');
    }
  });

  it('says how to build when web/dist is missing, instead of failing', async () => {
    const empty = await serve(path.join(dir, 'not-built'));
    try {
      const response = await empty.inject({ url: '/customers' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(response.body).toBe(NOT_BUILT_MESSAGE);
      expect((await empty.inject({ url: '/assets/index-Ab12.js' })).statusCode).toBe(404);
    } finally {
      await empty.close();
    }
  });
});

describe('web routes inside the whole app', () => {
  let paydesk: TestPaydesk;
  beforeAll(async () => {
    paydesk = await startTestPaydesk('pglite');
  });
  afterAll(() => paydesk?.close());

  it('never shadows the API: unknown /api paths keep their problem+json 404', async () => {
    const brand = await paydesk.newBrand();
    for (const url of ['/api/v1/customers-typo', '/api/public/nothing', '/api/nothing']) {
      const response = await paydesk.request(brand.token, { method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
    expect((await paydesk.app.inject({ url: '/api/health' })).statusCode).toBe(200);
    const page = await paydesk.app.inject({ url: '/customers' });
    expect([200, 503]).toContain(page.statusCode);
  });
});
